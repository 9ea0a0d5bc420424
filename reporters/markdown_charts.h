/*
 * markdown_charts.h - the pictures of the Markdown report and the PR
 * comment: a Unicode sparkline of each benchmark's recent stored history
 * in the table, and, for each regression, a Mermaid xychart-beta block
 * (GitHub and GitLab render Mermaid) of the comparison itself: both
 * sides' sorted samples (the candidate as the line), or in paired mode the
 * per-pair changes.  A PR's candidate is never placed on the target
 * branch's trend: it is not part of that history.
 *
 * Errors and ownership: nothing here can fail; functions append to the
 * caller's pg_buf and read the report without keeping any pointer.
 */
#ifndef PG_REPORTERS_MARKDOWN_CHARTS_H
#define PG_REPORTERS_MARKDOWN_CHARTS_H

#include <stddef.h>

#include "model/report.h"
#include "util/buf.h"

/* Points of one chart at most: longer series are resampled. */
#define MD_CHART_POINTS 20

/*
 * Append s as text inside a Mermaid string: no quotes, backticks or
 * control characters (Mermaid has no escapes there), cut after cap
 * characters on a character boundary ("...").
 */
void report_md_mermaid_text(struct pg_buf *b, const char *s, size_t cap);

/* 1 when any row has a trend: the table then has a Trend column. */
int report_md_has_trends(const struct report *r);

/* The sparkline of row's trend (its newest points), or nothing. */
void report_md_sparkline(struct pg_buf *b, const struct report_row *row);

/* 1 when row gets a chart: a regression with samples on both sides. */
int report_md_wants_chart(const struct report_row *row);

/*
 * Append row's Mermaid block (a fenced ```mermaid code block).  paired
 * says the samples are in pair order (the report's mode is paired).
 */
void report_md_chart(struct pg_buf *b, const struct report_row *row,
                     int paired);

/*
 * Append the charts section: the blocks of the first max rows (in the
 * order of order[0..n)) that want one, and a line naming the others.
 * Nothing when no row wants a chart.
 */
void report_md_charts(struct pg_buf *b, const struct report *r,
                      const size_t *order, size_t max);

#endif
