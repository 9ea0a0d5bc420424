#include "reporters/markdown.h"
#include "reporters/junit.h"
#include "reporters/markdown_charts.h"
#include "reporters/text.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL_CAP 200
/* Longest entry name in a stress chart's title */
#define STRESS_CHART_NAME_CAP 60
/* Room kept for the truncation note; it is far shorter. */
#define NOTE_RESERVE 300

/* Rendered pieces, each row ending at ends[i] in rows. */
struct md_table {
	struct pg_buf head, rows;
	size_t *ends, n;
};

static void table_init(struct md_table *t, size_t nrows)
{
	pg_buf_init(&t->head);
	pg_buf_init(&t->rows);
	t->ends = pg_calloc(nrows ? nrows : 1, sizeof(*t->ends));
	t->n = 0;
}

static void table_end_row(struct md_table *t)
{
	t->ends[t->n++] = t->rows.len;
}

static void table_release(struct md_table *t)
{
	pg_buf_release(&t->head);
	pg_buf_release(&t->rows);
	free(t->ends);
}

/* How many rows fit into avail bytes, and the bytes they take. */
static size_t table_fit(const struct md_table *t, size_t avail, size_t *used)
{
	size_t k = 0;

	while (k < t->n && t->ends[k] <= avail)
		k++;
	*used = k ? t->ends[k - 1] : 0;
	return k;
}

static int multiple_groups(const struct report *r)
{
	size_t i;

	for (i = 1; i < r->nrows; i++) {
		const char *a = report_str(r->rows[0].group, "");
		const char *b = report_str(r->rows[i].group, "");

		if (strcmp(a, b))
			return 1;
	}
	return 0;
}

static void cell(struct pg_buf *b, const char *s)
{
	report_md_escape(b, s, CELL_CAP);
	pg_buf_addstr(b, " | ");
}

static void main_row(struct pg_buf *b, const struct report_row *row, int groups,
                     int trends, int fail_on_inconclusive)
{
	int fails =
	        row->verdict == REPORT_REGRESSION ||
	        row->verdict == REPORT_OVER_BUDGET ||
	        (row->verdict == REPORT_INCONCLUSIVE && fail_on_inconclusive);

	pg_buf_addstr(b, "| ");
	if (groups)
		cell(b, row->group);
	cell(b, row->bench);
	cell(b, row->metric);
	report_fmt_value(b, row->base_value, row->unit);
	pg_buf_addstr(b, " | ");
	report_fmt_value(b, row->cand_value, row->unit);
	pg_buf_addstr(b, " | ");
	report_fmt_change(b, row, 1);
	pg_buf_addstr(b, " | ");
	if (!isnan(row->mde) && !isfinite(row->mde))
		pg_buf_addstr(b, "nothing");
	else if (!isnan(row->mde))
		pg_buf_addf(b, "\xe2\x89\xa5 %.1f%%", 100 * row->mde);
	pg_buf_addstr(b, " | ");
	report_fmt_p(b, row->p_adjusted);
	pg_buf_addf(b, " | %s%s%s", fails ? "**" : "",
	            report_row_verdict_name(row), fails ? "**" : "");
	if (row->over_budget && row->verdict != REPORT_OVER_BUDGET)
		pg_buf_addstr(b, ", **over budget**");
	if (trends) {
		pg_buf_addstr(b, " | ");
		report_md_sparkline(b, row);
	}
	pg_buf_addstr(b, " |\n");
}

static void detail_row(struct pg_buf *b, const struct report_row *row,
                       int groups)
{
	pg_buf_addstr(b, "| ");
	if (groups)
		cell(b, row->group);
	cell(b, row->bench);
	cell(b, row->metric);
	pg_buf_addf(b, "%zu | %zu | ", row->n_base, row->n_cand);
	if (row->test) {
		report_md_escape(b, row->test, CELL_CAP);
		if (row->method) {
			pg_buf_addstr(b, " \\(");
			report_md_escape(b, row->method, CELL_CAP);
			pg_buf_addstr(b, "\\)");
		}
	}
	pg_buf_addstr(b, " | ");
	if (isfinite(row->threshold))
		pg_buf_addf(b, "%.1f%%", 100 * row->threshold);
	pg_buf_addstr(b, " | ");
	cell(b, row->budget);
	report_md_escape(b, row->error ? row->error : row->note, CELL_CAP);
	pg_buf_addstr(b, " |\n");
}

/* History alerts (gate/alert.h), above the table: never truncated. */
static void add_alerts(struct pg_buf *b, const struct report *r)
{
	struct pg_buf line = PG_BUF_INIT;
	size_t i;

	if (!r->nalerts && !r->history)
		return;
	pg_buf_addstr(b, "**History alerts**");
	if (!r->nalerts)
		pg_buf_addstr(b, ": none");
	pg_buf_addstr(b, "\n\n");
	for (i = 0; i < r->nalerts; i++) {
		pg_buf_reset(&line);
		report_alert_line(&r->alerts[i], &line);
		pg_buf_addf(b, "- **%s** ",
		            report_alert_state_name(r->alerts[i].state));
		report_md_escape(b, line.s, 0);
		pg_buf_addch(b, '\n');
	}
	if (r->history) {
		pg_buf_addstr(b, r->nalerts ? "\n" : "");
		report_md_escape(b, r->history, 0);
		pg_buf_addch(b, '\n');
	}
	pg_buf_addch(b, '\n');
	pg_buf_release(&line);
}

static void add_heading(struct pg_buf *b, const struct report *r,
                        const struct report_opts *opts)
{
	const char *outcome = report_outcome(r, opts);
	const char *icon = !strcmp(outcome, "pass") ? "\xe2\x9c\x85"
	                   : !strcmp(outcome, "fail")
	                           ? "\xe2\x9d\x8c"
	                           : "\xe2\x9a\xa0\xef\xb8\x8f";

	pg_buf_addf(b, "### %s ", icon);
	report_md_escape(b, report_str(r->title, "perfgate"), CELL_CAP);
	pg_buf_addf(b, ": %s \xe2\x80\x94 ", outcome);
	report_fmt_counts(b, r);
	pg_buf_addstr(b, "\n\n");
	if (r->mode_reason) {
		pg_buf_addstr(b, "**Mode:** ");
		report_md_escape(b, r->mode_reason, 0);
		pg_buf_addstr(b, "\n\n");
	}
	if (r->notice) {
		pg_buf_addstr(b, "> **Notice:** ");
		report_md_escape(b, r->notice, 0);
		pg_buf_addstr(b, "\n\n");
	}
	add_alerts(b, r);
}

static void add_item(struct pg_buf *b, const char *label, const char *value)
{
	if (!value)
		return;
	pg_buf_addf(b, "- **%s:** ", label);
	report_md_escape(b, value, 0);
	pg_buf_addch(b, '\n');
}

static void add_details_head(struct pg_buf *b, const struct report *r)
{
	struct pg_buf tmp = PG_BUF_INIT;
	size_t i;

	pg_buf_addstr(b, "<details>\n<summary>Method, samples and commits"
	                 "</summary>\n\n");
	add_item(b, "Mode", r->mode);
	add_item(b, "Method", r->method);
	if (r->correction || isfinite(r->alpha)) {
		pg_buf_addf(&tmp, "%s", report_str(r->correction, "none"));
		if (isfinite(r->alpha))
			pg_buf_addf(&tmp, ", alpha = %g", r->alpha);
		add_item(b, "Correction", tmp.s);
	}
	add_item(b, "Baseline commit", report_str(r->base_commit, "none"));
	for (i = 0; i < r->nbaseline_commits; i++) {
		if (!i)
			pg_buf_addf(b, "- **Baseline runs pooled (%zu):** ",
			            r->nbaseline_commits);
		report_md_escape(b, r->baseline_commits[i], CELL_CAP);
		pg_buf_addstr(b, i + 1 < r->nbaseline_commits ? ", " : "\n");
	}
	add_item(b, "Baseline environment", r->base_env);
	add_item(b, "Candidate commit", r->cand_commit);
	add_item(b, "Candidate environment", r->cand_env);
	if (isfinite(r->duration))
		pg_buf_addf(b, "- **Comparison took:** %.2f s\n", r->duration);
	pg_buf_addch(b, '\n');
	pg_buf_release(&tmp);
}

/* The p95 of one side, in ms; NAN where it lacks one. */
static double p95_ms(const struct report_curve_point *p, int base)
{
	return (base ? p->base : p->cand)[REPORT_CURVE_P95] * 1e3;
}

/*
 * One series of a Mermaid chart (kind "bar" or "line"): the p95 of one
 * side at the levels where the candidate has one.  0 (nothing added)
 * when the side lacks a value there.
 */
static int mermaid_series(struct pg_buf *b, const struct report_curve *c,
                          int base, const char *kind)
{
	size_t j, n = 0;

	for (j = 0; j < c->npoints; j++)
		if (isfinite(p95_ms(&c->points[j], 0)) &&
		    !isfinite(p95_ms(&c->points[j], base)))
			return 0;
	pg_buf_addf(b, "    %s [", kind);
	for (j = 0; j < c->npoints; j++)
		if (isfinite(p95_ms(&c->points[j], 0)))
			pg_buf_addf(b, "%s%.4g", n++ ? ", " : "",
			            p95_ms(&c->points[j], base));
	pg_buf_addstr(b, "]\n");
	return n > 0;
}

/*
 * The p95 of both sides against the level, as a Mermaid xychart in the
 * conventions of markdown_charts.c: baseline bars, candidate line.
 */
static void add_mermaid(struct pg_buf *b, const struct report_curve *c)
{
	struct pg_buf series = PG_BUF_INIT;
	size_t j, n = 0;
	int nbase = mermaid_series(&series, c, 1, "bar");

	if (!mermaid_series(&series, c, 0, "line"))
		goto out;
	pg_buf_addstr(b, "```mermaid\nxychart-beta\n    title \"");
	report_md_mermaid_text(b, c->bench, STRESS_CHART_NAME_CAP);
	pg_buf_addf(b, " latency_p95 against %s: %s\"\n    x-axis \"%s\" [",
	            c->axis,
	            nbase ? "baseline (bars) vs candidate (line)"
	                  : "candidate (line)",
	            c->axis);
	for (j = 0; j < c->npoints; j++)
		if (isfinite(p95_ms(&c->points[j], 0)))
			pg_buf_addf(b, "%s%g", n++ ? ", " : "",
			            c->points[j].level);
	pg_buf_addstr(b, "]\n    y-axis \"latency_p95 (ms), lower is "
	                 "better\"\n");
	pg_buf_add(b, series.s, series.len);
	pg_buf_addstr(b, "```\n");
out:
	pg_buf_release(&series);
}

/* Stress tests: the latency-vs-load curve as a table and a chart. */
static void add_curves(struct pg_buf *b, const struct report *r)
{
	static const char *const heads[] = {"p50", "p95", "p99", "Error rate",
	                                    "Throughput"};
	struct pg_buf tmp = PG_BUF_INIT;
	size_t i, j;
	int k;

	for (i = 0; i < r->ncurves; i++) {
		const struct report_curve *c = &r->curves[i];

		pg_buf_addstr(b, "\n#### Stress test ");
		report_md_escape(b, c->bench, CELL_CAP);
		pg_buf_addstr(b, ": latency against load\n\n");
		report_fmt_curve_summary(&tmp, c, "\xe2\x86\x92");
		report_md_escape(b, tmp.s, 0);
		pg_buf_addf(b, " (baseline \xe2\x86\x92 candidate)\n\n| %s |",
		            c->axis);
		for (k = 0; k < REPORT_CURVE_NSTATS; k++)
			pg_buf_addf(b, " %s |", heads[k]);
		pg_buf_addstr(b, "\n|--:|--:|--:|--:|--:|--:|\n");
		for (j = 0; j < c->npoints; j++) {
			pg_buf_addf(b, "| %g |", c->points[j].level);
			for (k = 0; k < REPORT_CURVE_NSTATS; k++) {
				pg_buf_reset(&tmp);
				report_fmt_curve_cell(&tmp, &c->points[j],
				                      (enum report_curve_stat)k,
				                      "\xe2\x86\x92");
				pg_buf_addch(b, ' ');
				report_md_escape(b, tmp.s, CELL_CAP);
				pg_buf_addstr(b, " |");
			}
			pg_buf_addch(b, '\n');
		}
		pg_buf_addch(b, '\n');
		add_mermaid(b, c);
		pg_buf_reset(&tmp);
	}
	pg_buf_release(&tmp);
}

static void build_tables(const struct report *r, const struct report_opts *o,
                         struct md_table *main, struct md_table *det,
                         struct pg_buf *charts)
{
	size_t *order = report_sorted_rows(r), i;
	int groups = multiple_groups(r), trends = report_md_has_trends(r);

	if (r->nrows) {
		pg_buf_addf(&main->head,
		            "| %sBenchmark | Metric | Baseline | "
		            "Candidate | Change [CI] | Could detect | "
		            "p (adjusted) | Verdict |%s\n",
		            groups ? "Group | " : "", trends ? " Trend |" : "");
		pg_buf_addf(&main->head,
		            "|%s---|---|--:|--:|--:|--:|--:|---|%s\n",
		            groups ? "---|" : "", trends ? "---|" : "");
		pg_buf_addf(&det->head,
		            "| %sBenchmark | Metric | "
		            "Samples (baseline) | "
		            "Samples (candidate) | Test | "
		            "Threshold | Budget | Note |\n",
		            groups ? "Group | " : "");
		pg_buf_addf(&det->head, "|%s---|---|--:|--:|---|--:|---|---|\n",
		            groups ? "---|" : "");
	}
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[order[i]];

		main_row(&main->rows, row, groups, trends,
		         o->fail_on_inconclusive);
		table_end_row(main);
		detail_row(&det->rows, row, groups);
		table_end_row(det);
	}
	report_md_charts(charts, r, order, PG_DEFAULT_MARKDOWN_CHARTS);
	free(order);
}

static void emit(struct pg_buf *out, const struct pg_buf *head,
                 const struct md_table *main, size_t kmain, size_t umain,
                 const struct pg_buf *dhead, const struct md_table *det,
                 size_t kdet, size_t udet, const struct pg_buf *note,
                 const struct pg_buf *charts)
{
	pg_buf_add(out, head->s, head->len);
	pg_buf_add(out, main->head.s, main->head.len);
	pg_buf_add(out, main->rows.s, umain);
	pg_buf_add(out, note->s, note->len);
	pg_buf_add(out, charts->s, charts->len);
	pg_buf_addch(out, '\n');
	pg_buf_add(out, dhead->s, dhead->len);
	if (kdet || det->n == 0)
		pg_buf_add(out, det->head.s, det->head.len);
	pg_buf_add(out, det->rows.s, udet);
	pg_buf_addstr(out, "\n</details>\n");
}

/*
 * Each explained row (`perfgate explain`): a collapsed section whose
 * summary is the "why: ..." line and whose body is the function table.
 */
static void add_explanations(struct pg_buf *b, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[i];
		const char *nl;

		if (!row->explain ||
		    (i && r->rows[i - 1].explain &&
		     !strcmp(r->rows[i - 1].bench, row->bench)))
			continue;
		nl = strchr(row->explain, '\n');
		pg_buf_addstr(b, "\n<details>\n<summary>");
		report_xml_escape(b, row->bench, 0);
		pg_buf_addstr(b, ": ");
		if (nl) {
			char *first = pg_strndup(row->explain,
			                         (size_t)(nl - row->explain));

			report_xml_escape(b, first, 0);
			free(first);
		} else {
			report_xml_escape(b, row->explain, 0);
		}
		pg_buf_addstr(b, "</summary>\n\n```text\n");
		pg_buf_addstr(b, nl ? nl + 1 : "");
		pg_buf_addstr(b, "```\n\n</details>\n");
	}
}

static int md_write(const struct report *r, struct pg_buf *out,
                    const struct report_opts *opts_in)
{
	struct report_opts opts;
	struct pg_buf head = PG_BUF_INIT, dhead = PG_BUF_INIT,
	              note = PG_BUF_INIT, tmp = PG_BUF_INIT,
	              charts = PG_BUF_INIT;
	struct md_table main, det;
	size_t limit, fixed, avail, kmain, umain, kdet, udet, cut;

	if (opts_in)
		opts = *opts_in;
	else
		report_opts_init(&opts);
	limit = opts.max_bytes ? opts.max_bytes : PG_DEFAULT_MARKDOWN_MAX_BYTES;
	table_init(&main, r->nrows);
	table_init(&det, r->nrows);
	add_heading(&head, r, &opts);
	add_details_head(&dhead, r);
	build_tables(r, &opts, &main, &det, &charts);
	if (!r->nrows)
		pg_buf_addstr(&note, "\nNo benchmarks were compared.\n");
	add_curves(&note, r);
	add_explanations(&note, r);

	/* Fixed parts plus blank lines and the closing tag of emit(). */
	fixed = head.len + main.head.len + note.len + 1 + dhead.len +
	        det.head.len + strlen("\n</details>\n");
	/* charts are the first to go: a table row says more */
	if (fixed + charts.len + main.rows.len + NOTE_RESERVE > limit)
		pg_buf_reset(&charts);
	fixed += charts.len;
	if (fixed + main.rows.len + det.rows.len <= limit) {
		emit(&tmp, &head, &main, main.n, main.rows.len, &dhead, &det,
		     det.n, det.rows.len, &note, &charts);
	} else if (fixed + NOTE_RESERVE <= limit) {
		avail = limit - fixed - NOTE_RESERVE;
		kmain = table_fit(&main, avail, &umain);
		kdet = table_fit(&det, avail - umain, &udet);
		pg_buf_addf(&note,
		            "\n**Truncated:** %zu of %zu rows shown (%zu of "
		            "%zu in the details) to stay under %zu bytes; "
		            "the JSON and JUnit reports have every row.\n",
		            kmain, main.n, kdet, det.n, limit);
		emit(&tmp, &head, &main, kmain, umain, &dhead, &det, kdet, udet,
		     &note, &charts);
	} else {
		/* Not even the frame fits: the heading, cut if need be. */
		pg_buf_add(&tmp, head.s, head.len);
		pg_buf_addf(&tmp,
		            "**Truncated:** the report exceeds %zu "
		            "bytes; see the JSON or JUnit report.\n",
		            limit);
	}
	cut = tmp.len <= limit ? tmp.len : report_utf8_cut(tmp.s, limit);
	pg_buf_add(out, tmp.s, cut);
	pg_buf_release(&tmp);
	pg_buf_release(&head);
	pg_buf_release(&dhead);
	pg_buf_release(&note);
	pg_buf_release(&charts);
	table_release(&main);
	table_release(&det);
	return 0;
}

const struct reporter report_markdown = {"markdown", md_write};
