#include "reporters/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t report_utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c = p[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto invalid;
	}
	/* A NUL fails the continuation test, so we never read past it. */
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto invalid;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto invalid;
	*cp = c;
	return n;
invalid:
	*cp = REPORT_UTF8_INVALID;
	return 1;
}

void report_utf8_put(struct pg_buf *b, uint32_t cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	pg_buf_add(b, out, n);
}

size_t report_utf8_cut(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len && s[i]) {
		n = report_utf8_next(s + i, &cp);
		if (i + n > len)
			break;
		i += n;
	}
	return i;
}

const char *report_str(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* Three significant digits or so, never an exponent. */
static void add_num(struct pg_buf *b, double x)
{
	double ax = fabs(x);

	if (ax >= 100)
		pg_buf_addf(b, "%.1f", x);
	else if (ax >= 10)
		pg_buf_addf(b, "%.2f", x);
	else
		pg_buf_addf(b, "%.3f", x);
}

struct scale {
	double factor;
	const char *name;
};

static void add_scaled(struct pg_buf *b, double v, const struct scale *sc,
                       size_t n, const char *suffix)
{
	size_t i = 0;

	while (i + 1 < n && fabs(v) >= sc[i + 1].factor)
		i++;
	if (v == 0)
		pg_buf_addstr(b, "0");
	else
		add_num(b, v / sc[i].factor);
	pg_buf_addf(b, " %s%s", sc[i].name, suffix);
}

void report_fmt_value(struct pg_buf *b, double v, const char *unit)
{
	static const struct scale time_sc[] = {
	        {1e-9, "ns"}, {1e-6, "\xc2\xb5s"}, {1e-3, "ms"}, {1, "s"}};
	static const struct scale byte_sc[] = {
	        {1, "B"},
	        {1024.0, "KiB"},
	        {1024.0 * 1024, "MiB"},
	        {1024.0 * 1024 * 1024, "GiB"},
	        {1024.0 * 1024 * 1024 * 1024, "TiB"}};
	static const struct scale si_sc[] = {
	        {1, ""}, {1e3, "k"}, {1e6, "M"}, {1e9, "G"}};

	if (!isfinite(v)) {
		pg_buf_addstr(b, "n/a");
		return;
	}
	unit = unit ? unit : "";
	if (!strcmp(unit, "s")) {
		add_scaled(b, v, time_sc, 4, "");
	} else if (!strcmp(unit, "B") || !strcmp(unit, "B/s")) {
		if (fabs(v) < 1024)
			pg_buf_addf(b, "%.0f %s", v, unit);
		else
			add_scaled(b, v, byte_sc, 5, unit + 1);
	} else if (!strcmp(unit, "items/s")) {
		add_scaled(b, v, si_sc, 4, "items/s");
	} else {
		add_num(b, v);
		if (*unit && strcmp(unit, "count"))
			pg_buf_addf(b, " %s", unit);
	}
}

void report_fmt_pct(struct pg_buf *b, double frac)
{
	double x = 100 * frac;

	if (!isfinite(x))
		pg_buf_addstr(b, "n/a");
	else if (fabs(x) < 0.05)
		pg_buf_addstr(b, "0.0%");
	else
		pg_buf_addf(b, "%+.1f%%", x);
}

void report_fmt_change(struct pg_buf *b, const struct report_row *row,
                       int with_ci)
{
	int flip = row->direction == RESULT_HIGHER_IS_BETTER;
	double lo, hi;

	if (!isfinite(row->estimate)) {
		pg_buf_addstr(b, "n/a");
		return;
	}
	report_fmt_pct(b, flip ? -row->estimate : row->estimate);
	if (!with_ci || !isfinite(row->ci_low) || !isfinite(row->ci_high))
		return;
	lo = flip ? -row->ci_high : row->ci_low;
	hi = flip ? -row->ci_low : row->ci_high;
	pg_buf_addstr(b, " [");
	report_fmt_pct(b, lo);
	pg_buf_addstr(b, ", ");
	report_fmt_pct(b, hi);
	pg_buf_addch(b, ']');
}

void report_fmt_p(struct pg_buf *b, double p)
{
	if (!isfinite(p))
		pg_buf_addstr(b, "n/a");
	else if (p < 0.0001)
		pg_buf_addstr(b, "<0.0001");
	else
		pg_buf_addf(b, "%.4f", p);
}

void report_fmt_sha(struct pg_buf *b, const char *sha)
{
	if (!sha || !*sha)
		pg_buf_addstr(b, "none");
	else
		pg_buf_addf(b, "%.12s", sha);
}

size_t report_count_over_budget(const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += report_row_over_budget(&r->rows[i]);
	return n;
}

void report_fmt_counts(struct pg_buf *b, const struct report *r)
{
	static const struct {
		enum report_verdict v;
		const char *one, *many;
	} names[] = {
	        {REPORT_REGRESSION, "regression", "regressions"},
	        {REPORT_OVER_BUDGET, "over budget", "over budget"},
	        {REPORT_ERROR, "failed to run", "failed to run"},
	        {REPORT_INCONCLUSIVE, "inconclusive", "inconclusive"},
	        {REPORT_ACCEPTED, "accepted", "accepted"},
	        {REPORT_IMPROVEMENT, "improvement", "improvements"},
	        {REPORT_UNCHANGED, "unchanged", "unchanged"},
	        {REPORT_ADDED, "added", "added"},
	        {REPORT_REMOVED, "removed", "removed"},
	        {REPORT_NO_BASELINE, "without baseline", "without baseline"},
	};
	size_t i, n, start = b->len;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].v == REPORT_OVER_BUDGET)
			n = report_count_over_budget(r);
		else
			n = report_count(r, names[i].v);
		if (!n)
			continue;
		pg_buf_addf(b, "%s%zu %s", b->len > start ? ", " : "", n,
		            n == 1 ? names[i].one : names[i].many);
	}
	if (b->len == start)
		pg_buf_addstr(b, "no rows");
}

const char *report_outcome(const struct report *r,
                           const struct report_opts *opts)
{
	switch (report_exit_code(r, opts ? opts->fail_on_inconclusive : 0)) {
	case 0:
		return "pass";
	case 1:
		return "fail";
	default:
		return "error";
	}
}

static void details_values(struct pg_buf *b, const struct report_row *row)
{
	if (isfinite(row->base_value) || row->n_base) {
		pg_buf_addstr(b, "\nbaseline:  ");
		report_fmt_value(b, row->base_value, row->unit);
		pg_buf_addf(b, " (n=%zu)", row->n_base);
	}
	if (isfinite(row->cand_value) || row->n_cand) {
		pg_buf_addstr(b, "\ncandidate: ");
		report_fmt_value(b, row->cand_value, row->unit);
		pg_buf_addf(b, " (n=%zu)", row->n_cand);
	}
	if (isfinite(row->estimate)) {
		pg_buf_addstr(b, "\nchange:    ");
		report_fmt_change(b, row, 1);
		if (isfinite(row->confidence))
			pg_buf_addf(b, " (%g%% CI)", 100 * row->confidence);
		if (isfinite(row->threshold))
			pg_buf_addf(b, ", threshold %.1f%%",
			            100 * row->threshold);
	}
}

void report_fmt_details(struct pg_buf *b, const struct report *r,
                        const struct report_row *row)
{
	pg_buf_addf(b, "%s %s: %s", report_str(row->bench, "?"),
	            report_str(row->metric, "?"),
	            report_verdict_name(row->verdict));
	if (row->over_budget && row->verdict != REPORT_OVER_BUDGET)
		pg_buf_addstr(b, ", over budget");
	details_values(b, row);
	if (isfinite(row->p_adjusted) || isfinite(row->p_value)) {
		pg_buf_addstr(b, "\np:         ");
		report_fmt_p(b, row->p_adjusted);
		pg_buf_addf(b, " adjusted (%s), ",
		            report_str(r->correction, "no correction"));
		report_fmt_p(b, row->p_value);
		pg_buf_addstr(b, " unadjusted");
	}
	if (row->test)
		pg_buf_addf(b, "\ntest:      %s%s%s", row->test,
		            row->method ? ", " : "",
		            row->method ? row->method : "");
	if (row->budget)
		pg_buf_addf(b, "\nbudget:    %s (%s)", row->budget,
		            report_row_over_budget(row) ? "exceeded" : "met");
	if (row->note)
		pg_buf_addf(b, "\nnote:      %s", row->note);
	if (row->error)
		pg_buf_addf(b, "\nerror:     %s", row->error);
}
