/*
 * html.h - `perfgate report --html DIR`: a static site of the stored
 * history, self-contained (inline CSS and SVG, no script, no network), so
 * it works from file:// and on GitHub or GitLab Pages.
 *
 *   index.html      one row per benchmark x runner class: sparkline,
 *                   newest value and change, newest verdict, newest
 *                   change point; ordered by the size of the newest change
 *   bench-*.html    one page per benchmark: a trend chart per runner
 *                   class, change points, acceptances, paired sessions,
 *                   and the numbers as a table (the charts' text)
 *   gate.html       the newest gate report, when there is one
 *
 * The model is the walked history (history/series.h) with its change
 * points already found, plus what cmd/report.c gathered around it.
 */
#ifndef PG_REPORTERS_HTML_H
#define PG_REPORTERS_HTML_H

#include <stddef.h>

#include "history/series.h"
#include "model/report.h"
#include "stats/changepoint.h"

/* A Perfgate-Accept line on a commit of the history. */
struct html_accept {
	size_t commit; /* index in the history (history_series_get()) */
	const char *bench, *metric; /* metric NULL: any */
	const char *text; /* the line, for the hover text */
};

struct html_site {
	const char *title; /* of the site: the repository's name */
	const struct history_series *history; /* change points found */
	const struct stats_cp_opts *cp; /* how they were found */
	const unsigned char *paired; /* per commit: 1 when a paired session
	                                ran there; NULL: none */
	const struct html_accept *accepts;
	size_t naccepts;
	/* prefix of a commit's web page, the SHA appended; NULL: no links */
	const char *commit_url;
	const struct report *gate; /* the newest gate report; NULL: none */
	const char *gate_source; /* where it came from, one line */
	const char *revision; /* where the walk started, as given */
	size_t walked; /* commits walked */
	size_t spark_points; /* newest points in a sparkline */
	size_t max_points; /* points per chart before bucketing */
};

/* What was written. */
struct html_stats {
	size_t pages, bytes, largest;
};

/*
 * Write the site into directory dir (created if missing; pages already
 * there are replaced, other files left alone).  Returns 0, or PG_ERUNTIME
 * naming the file that could not be written.
 */
int html_site_write(const struct html_site *s, const char *dir,
                    struct html_stats *st);

/*
 * The web page prefix of a commit for a GitHub or GitLab remote URL
 * (https, ssh or scp-like "git@host:owner/repo.git"): ".../commit/" or
 * ".../-/commit/", malloc'd; NULL for other hosts or local paths.  A host
 * is GitLab when its name contains "gitlab".
 */
char *html_forge_commit_url(const char *remote);

/* Page-level helpers shared with reporters/html_gate.c. */
struct pg_buf;
void html_page_begin(struct pg_buf *b, const char *title, const char *heading);
void html_page_end(struct pg_buf *b);
/* Escaped text (attr 0) or attribute value (attr 1). */
void html_esc(struct pg_buf *b, const char *s);
/* A verdict as a shape, a word and a class, readable without colour. */
void html_verdict(struct pg_buf *b, const struct report_row *row);
/* A relative change of the value (0.1 = +10.0%). */
void html_percent(struct pg_buf *b, double f);

/* Level of the change points' intervals. */
#define HTML_CP_CONFIDENCE 0.95

/* The page of benchmark name: "bench-<name made safe>-<hash>.html". */
void html_bench_file(struct pg_buf *b, const char *name);
/* Position of r's commit on a chart's x axis (0: the oldest). */
size_t html_pos(const struct html_site *st, const struct history_row *r);
/* Row i of s, oldest first (borrowed from the history). */
const struct history_row *html_nth(const struct html_site *st,
                                   const struct history_line *s, size_t i);
/* The commit of r (borrowed from the history). */
const struct store_commit *html_commit_of(const struct html_site *st,
                                          const struct history_row *r);
/* v in human units (model/units.h), escaped. */
void html_value(struct pg_buf *b, double v, const char *unit);
/* " worse", " better" or "" for a change of s's values. */
const char *html_worse_word(const struct history_line *s, double change);
/* Change point k of s: its shift, interval and direction. */
void html_change_point(struct pg_buf *b, const struct html_site *st,
                       const struct history_line *s, size_t k);

/* The pages, each into b (see html_site_write()). */
void html_index_page(struct pg_buf *b, const struct html_site *st);
void html_bench_page(struct pg_buf *b, const struct html_site *st,
                     const char *name);
void html_gate_page(struct pg_buf *b, const struct html_site *st);

#endif
