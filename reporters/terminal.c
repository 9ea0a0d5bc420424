#include "reporters/terminal.h"
#include "reporters/text.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define MAGENTA "\033[1;35m"
#define BOLD "\033[1m"
#define RESET "\033[0m"
/* Names wider than this are not padded further. */
#define MAX_COL 40

/* Append s with control characters and invalid UTF-8 as '?'; width out. */
static size_t add_clean(struct pg_buf *b, const char *s)
{
	size_t n, width = 0;
	uint32_t cp;

	for (; s && *s; s += n, width++) {
		n = report_utf8_next(s, &cp);
		if (cp == REPORT_UTF8_INVALID || cp < 0x20 || cp == 0x7F ||
		    (cp >= 0x80 && cp < 0xA0))
			pg_buf_addch(b, '?');
		else
			pg_buf_add(b, s, n);
	}
	return width;
}

static size_t clean_width(const char *s)
{
	struct pg_buf tmp = PG_BUF_INIT;
	size_t w = add_clean(&tmp, s);

	pg_buf_release(&tmp);
	return w;
}

static void add_padded(struct pg_buf *b, const char *s, size_t width)
{
	size_t w = add_clean(b, s);

	for (; w < width; w++)
		pg_buf_addch(b, ' ');
}

static const char *verdict_color(const struct report_row *row)
{
	if (row->verdict == REPORT_REGRESSION || report_row_over_budget(row))
		return RED;
	switch (row->verdict) {
	case REPORT_ERROR:
		return MAGENTA;
	case REPORT_INCONCLUSIVE:
		return YELLOW;
	case REPORT_IMPROVEMENT:
		return GREEN;
	default:
		return NULL;
	}
}

/* Continuation lines of a note or an error start here. */
#define INDENT "        "

/*
 * One line of text from column col, its words wrapped at width (0: no
 * wrapping) onto lines that start with INDENT.  A word wider than a line
 * stays whole.
 */
static void add_wrapped(struct pg_buf *b, const char *line, size_t col,
                        size_t width)
{
	const char *p = line;
	size_t start = col;

	while (*p) {
		size_t len = strcspn(p, " ");
		char *word = pg_strndup(p, len);
		size_t w = clean_width(word);

		if (width && col > start && col + 1 + w > width) {
			pg_buf_addstr(b, "\n" INDENT);
			col = start = sizeof(INDENT) - 1;
		} else if (col > start) {
			pg_buf_addch(b, ' ');
			col++;
		}
		col += add_clean(b, word);
		free(word);
		p += len;
		p += strspn(p, " ");
	}
}

/* Each line of text indented under a row, wrapped at width (0: not). */
static void add_indented(struct pg_buf *b, const char *label, const char *text,
                         size_t width)
{
	const char *p = text, *nl;
	char *line;
	size_t col = 8 + strlen(label);

	if (!text)
		return;
	pg_buf_addf(b, "      %s: ", label);
	do {
		nl = strchr(p, '\n');
		line = pg_strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		add_wrapped(b, line, col, width);
		free(line);
		pg_buf_addch(b, '\n');
		if (nl && nl[1])
			pg_buf_addstr(b, INDENT);
		col = sizeof(INDENT) - 1;
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
}

/*
 * A non-gating row with nothing to say: unchanged, inconclusive or zero
 * on both sides, within any budget.  The terminal folds these into one
 * line unless verbose; the other reports keep them.
 */
static int foldable(const struct report_row *row)
{
	if (!row->informational || report_row_over_budget(row) || row->error)
		return 0;
	if (row->base_value == 0 && row->cand_value == 0)
		return 1;
	return row->verdict == REPORT_UNCHANGED ||
	       row->verdict == REPORT_INCONCLUSIVE ||
	       row->verdict == REPORT_NO_BASELINE;
}

/* "  reported, not gating: 6 unchanged, inconclusive or zero (cpu_sys,
 * max_rss; -v shows them)" */
static void add_folded(struct pg_buf *b, const struct report *r,
                       const size_t *order, size_t shown)
{
	struct pg_buf names = PG_BUF_INIT;
	size_t i, j, n = 0;

	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[order[i]];
		const char *m = report_str(row->metric, "?");
		int seen = 0;

		if (!foldable(row))
			continue;
		n++;
		for (j = 0; j < i && !seen; j++)
			seen = foldable(&r->rows[order[j]]) &&
			       !strcmp(report_str(r->rows[order[j]].metric,
			                          "?"),
			               m);
		if (!seen) {
			pg_buf_addstr(&names, names.len ? ", " : "");
			add_clean(&names, m);
		}
	}
	if (n)
		pg_buf_addf(
		        b,
		        "  %s%zu row%s unchanged, inconclusive or zero (%s; "
		        "-v shows them)\n",
		        shown ? "  and " : "reported, not gating: ", n,
		        n == 1 ? "" : "s", names.s);
	pg_buf_release(&names);
}

static void add_row(struct pg_buf *b, const struct report_row *row,
                    const size_t width[2], const struct report_opts *o)
{
	const char *c = o->color ? verdict_color(row) : NULL;

	pg_buf_addstr(b, "  ");
	if (c)
		pg_buf_addstr(b, c);
	/* An unchanged row over budget is shown by its failing verdict. */
	pg_buf_addf(b, "%-12s",
	            report_row_over_budget(row) &&
	                            row->verdict != REPORT_REGRESSION
	                    ? report_verdict_name(REPORT_OVER_BUDGET)
	                    : report_verdict_name(row->verdict));
	if (c)
		pg_buf_addstr(b, RESET);
	pg_buf_addch(b, ' ');
	add_padded(b, report_str(row->bench, "?"), width[0]);
	pg_buf_addch(b, ' ');
	add_padded(b, report_str(row->metric, "?"), width[1]);
	pg_buf_addch(b, ' ');
	report_fmt_value(b, row->base_value, row->unit);
	pg_buf_addstr(b, " -> ");
	report_fmt_value(b, row->cand_value, row->unit);
	if (isfinite(row->estimate)) {
		pg_buf_addstr(b, "  ");
		report_fmt_change(b, row, 1);
	}
	if (isfinite(row->p_adjusted)) {
		pg_buf_addstr(b, "  p=");
		report_fmt_p(b, row->p_adjusted);
	}
	pg_buf_addch(b, '\n');
	if (row->budget) {
		pg_buf_addstr(b, "      budget: ");
		add_clean(b, row->budget);
		pg_buf_addf(b, " (%s)\n",
		            report_row_over_budget(row) ? "exceeded" : "met");
	}
	add_indented(b, "error", row->error, o->width);
	/* notes explain gating verdicts; on the rest they are clutter */
	if (!row->informational || report_row_over_budget(row))
		add_indented(b, "note", row->note, o->width);
}

static void add_heading(struct pg_buf *b, const struct report *r,
                        const struct report_opts *o)
{
	const char *outcome = report_outcome(r, o);
	const char *c = !strcmp(outcome, "fail")   ? RED
	                : !strcmp(outcome, "pass") ? GREEN
	                                           : MAGENTA;

	add_clean(b, report_str(r->title, "perfgate"));
	pg_buf_addstr(b, ": ");
	if (o->color)
		pg_buf_addstr(b, c);
	pg_buf_addstr(b, !strcmp(outcome, "fail")   ? "FAIL"
	                 : !strcmp(outcome, "pass") ? "PASS"
	                                            : "ERROR");
	if (o->color)
		pg_buf_addstr(b, RESET);
	pg_buf_addstr(b, " (");
	report_fmt_counts(b, r);
	pg_buf_addstr(b, ")\n");
	if (r->mode_reason) {
		pg_buf_addstr(b, "mode: ");
		add_clean(b, r->mode_reason);
		pg_buf_addch(b, '\n');
	}
	if (r->notice) {
		if (o->color)
			pg_buf_addstr(b, BOLD);
		pg_buf_addstr(b, "notice: ");
		add_clean(b, r->notice);
		if (o->color)
			pg_buf_addstr(b, RESET);
		pg_buf_addch(b, '\n');
	}
}

static void add_footer(struct pg_buf *b, const struct report *r)
{
	pg_buf_addstr(b, "baseline ");
	report_fmt_sha(b, r->base_commit);
	if (r->nbaseline_commits > 1)
		pg_buf_addf(b, " (%zu commits pooled)", r->nbaseline_commits);
	pg_buf_addstr(b, ", candidate ");
	report_fmt_sha(b, r->cand_commit);
	if (r->mode) {
		pg_buf_addstr(b, "; ");
		add_clean(b, r->mode);
	}
	pg_buf_addch(b, '\n');
	if (r->method) {
		pg_buf_addstr(b, "method: ");
		add_clean(b, r->method);
		pg_buf_addch(b, '\n');
	}
}

static int term_write(const struct report *r, struct pg_buf *out,
                      const struct report_opts *opts_in)
{
	struct report_opts o;
	size_t *order, i, w, shown, width[2] = {0, 0};

	if (opts_in)
		o = *opts_in;
	else
		report_opts_init(&o);
	for (i = 0; i < r->nrows; i++) {
		w = clean_width(report_str(r->rows[i].bench, "?"));
		if (w > width[0] && w <= MAX_COL)
			width[0] = w;
		w = clean_width(report_str(r->rows[i].metric, "?"));
		if (w > width[1] && w <= MAX_COL)
			width[1] = w;
	}
	add_heading(out, r, &o);
	order = report_sorted_rows(r);
	for (i = 0, shown = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[order[i]];

		if (!o.verbose && foldable(row))
			continue;
		if (row->informational && !shown++)
			pg_buf_addstr(out, "  reported, not gating:\n");
		add_row(out, row, width, &o);
	}
	if (!o.verbose)
		add_folded(out, r, order, shown);
	free(order);
	add_footer(out, r);
	return 0;
}

const struct reporter report_terminal = {"terminal", term_write};
