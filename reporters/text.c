#include "reporters/text.h"
#include "util/printable.h"
#include "model/units.h"

#include <ctype.h>
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

void report_fmt_value(struct pg_buf *b, double v, const char *unit)
{
	/* %.0f of DBL_MAX takes 309 digits. */
	char tmp[400];

	if (!isfinite(v))
		pg_buf_addstr(b, "n/a");
	else
		/* a unit is a harness's text: no ESC or newline from it */
		pg_buf_addstr(b,
		              pg_format_value(tmp, sizeof(tmp), v,
		                              pg_printable(unit ? unit : "")));
}

void report_fmt_curve_value(struct pg_buf *b, double v,
                            enum report_curve_stat k)
{
	if (k == REPORT_CURVE_ERROR_RATE && isfinite(v))
		pg_buf_addf(b, "%.2f%%", 100 * v);
	else
		report_fmt_value(b, v,
		                 k == REPORT_CURVE_THROUGHPUT ? "req/s" : "s");
}

void report_fmt_curve_cell(struct pg_buf *b, const struct report_curve_point *p,
                           enum report_curve_stat k, const char *arrow)
{
	if (isfinite(p->base[k])) {
		report_fmt_curve_value(b, p->base[k], k);
		pg_buf_addf(b, " %s ", arrow);
	}
	report_fmt_curve_value(b, p->cand[k], k);
}

void report_fmt_curve_summary(struct pg_buf *b, const struct report_curve *c,
                              const char *arrow)
{
	pg_buf_addstr(b, "capacity ");
	if (isfinite(c->capacity_base)) {
		report_fmt_value(b, c->capacity_base, "req/s");
		pg_buf_addf(b, " %s ", arrow);
	}
	report_fmt_value(b, c->capacity_cand, "req/s");
	if (!c->failure_cand)
		return;
	pg_buf_addstr(b, "; failure mode ");
	if (c->failure_base)
		pg_buf_addf(b, "%s %s ", c->failure_base, arrow);
	pg_buf_addstr(b, c->failure_cand);
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

int report_row_too_noisy(const struct report_row *row)
{
	return isfinite(row->ci_low) && isfinite(row->ci_high) &&
	       (row->ci_low <= -1 ||
	        (1 + row->ci_high) / (1 + row->ci_low) > REPORT_NOISY_RATIO);
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
	if (report_row_too_noisy(row)) {
		pg_buf_addstr(b, "too noisy to estimate");
		return;
	}
	/* the estimate is the worse-oriented ratio - 1 (base / cand for a
	 * higher-is-better metric): shown as the change of the value */
	report_fmt_pct(b, flip ? 1 / (1 + row->estimate) - 1 : row->estimate);
	if (!with_ci || !isfinite(row->ci_low) || !isfinite(row->ci_high))
		return;
	lo = flip ? 1 / (1 + row->ci_high) - 1 : row->ci_low;
	hi = flip ? 1 / (1 + row->ci_low) - 1 : row->ci_high;
	pg_buf_addstr(b, " [");
	report_fmt_pct(b, lo);
	pg_buf_addstr(b, ", ");
	report_fmt_pct(b, hi);
	pg_buf_addch(b, ']');
}

int report_fmt_mde(struct pg_buf *b, const struct report_row *row)
{
	if (isnan(row->mde))
		return 0;
	if (!isfinite(row->mde))
		pg_buf_addstr(b, "could detect nothing");
	else
		pg_buf_addf(b, "could detect \xe2\x89\xa5 %.1f%%",
		            100 * row->mde);
	return 1;
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
	size_t i, j, n, info = 0, start = b->len;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].v == REPORT_OVER_BUDGET) {
			n = report_count_over_budget(r);
		} else {
			/* informational rows are counted apart */
			for (j = n = 0; j < r->nrows; j++)
				n += r->rows[j].verdict == names[i].v &&
				     !r->rows[j].informational;
		}
		if (!n)
			continue;
		pg_buf_addf(b, "%s%zu %s", b->len > start ? ", " : "", n,
		            n == 1 ? names[i].one : names[i].many);
	}
	for (j = 0; j < r->nrows; j++)
		info += r->rows[j].informational;
	if (info)
		pg_buf_addf(b, "%s%zu not gating", b->len > start ? "; " : "",
		            info);
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
	if (!isnan(row->mde)) {
		pg_buf_addstr(b, "\ndetect:    ");
		report_fmt_mde(b, row);
		pg_buf_addstr(b, " (90% power)");
	}
}

void report_fmt_details(struct pg_buf *b, const struct report *r,
                        const struct report_row *row)
{
	pg_buf_addf(b, "%s %s: %s", report_str(row->bench, "?"),
	            report_str(row->metric, "?"), report_row_verdict_name(row));
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

void report_md_escape(struct pg_buf *b, const char *s, size_t cap)
{
	size_t start = b->len, n;
	uint32_t cp;

	for (; s && *s; s += n) {
		if (cap && b->len - start >= cap) {
			pg_buf_addstr(b, "\xe2\x80\xa6");
			break;
		}
		n = report_utf8_next(s, &cp);
		if (cp == REPORT_UTF8_INVALID)
			report_utf8_put(b, 0xFFFD);
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			pg_buf_addch(b, ' ');
		else if (cp < 0x80 && ispunct((int)cp))
			pg_buf_addf(b, "\\%c", (char)cp);
		else
			pg_buf_add(b, s, n);
	}
}
