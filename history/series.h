/*
 * series.h - what a history walk keeps (`perfgate log --changes`, the
 * HTML report, history alerts): every
 * commit's per-benchmark summaries, grouped into series, and the change
 * points found in each series (stats/changepoint.h).
 *
 * A plain `log` prints each commit as it is read; --changes cannot, since
 * whether a commit starts a shift depends on the commits after it.  The
 * summaries are small (a median and two counts per benchmark and commit),
 * so 10,000 commits of 20 benchmarks take a few megabytes.
 */
#ifndef PG_HISTORY_SERIES_H
#define PG_HISTORY_SERIES_H

#include <stddef.h>

#include "stats/changepoint.h"
#include "stats/effect.h"
#include "store/repo.h"
#include "model/result.h"

/* One benchmark's pooled summary on one commit. */
struct history_row {
	const char *name, *metric, *unit;
	/*
	 * The runner class (result_run_env_key()); NULL or "" for one class.
	 * Rows of different classes are different series.
	 */
	const char *env;
	enum result_direction direction;
	double median;
	/*
	 * The spread around the median: the lowest and highest per-run median
	 * when runs >= 2, else the 25th and 75th percentiles of the samples.
	 * 0 when unknown (plain `log` does not compute them).
	 */
	double lo, hi;
	size_t samples, runs;
	size_t commit; /* set by history_series_add(): index of its commit */
	/*
	 * With --changes: the shift in this benchmark's series whose first
	 * point after it is this commit (NULL when none).
	 */
	const struct stats_changepoint *change;
};

struct history_series;

struct history_series *history_series_new(void);
/* Accepts NULL. */
void history_series_free(struct history_series *h);

/*
 * Append commit c (newest first, as walked; its sha, dates, subject and
 * message, when set, are copied) with rows[0..n) (names copied; change
 * and commit ignored).
 */
void history_series_add(struct history_series *h, const struct store_commit *c,
                        const struct history_row *rows, size_t n);

/*
 * Find the change points of every series (one per benchmark and metric)
 * on its per-commit medians in commit order, oldest first, and mark the
 * rows where they start.  *total is the number found.  Returns 0 or the
 * error of stats_changepoints() (PG_EINPUT for bad options).
 */
int history_series_find_changes(struct history_series *h,
                                const struct stats_cp_opts *o, size_t *total);

/*
 * One series: a benchmark's metric on one runner class, its rows (indexes
 * for history_series_row(), newest first) and, after
 * history_series_find_changes(), its change points (index 0: oldest row).
 * Read-only for callers; lives as long as the history.
 */
struct history_line {
	char *name, *metric, *unit, *env;
	enum result_direction direction;
	size_t *rows;
	size_t n, alloc;
	struct stats_changepoint *cps;
	size_t ncps;
};

/* Number of series, and series i (0: the first seen). */
size_t history_series_nseries(const struct history_series *h);
const struct history_line *history_series_line(const struct history_series *h,
                                               size_t i);

/* Row i of all rows added (the index kept by struct history_line). */
const struct history_row *history_series_row(const struct history_series *h,
                                             size_t i);

/*
 * The confidence interval of change point k of series s as a relative
 * shift (0.2 = +20%): the Hodges-Lehmann shift of the per-commit medians
 * after it against those before it (each segment bounded by the
 * neighbouring change points), divided by the median before.  Returns 0,
 * or PG_EINPUT when it cannot be computed (a median before that is not
 * positive, an empty segment).
 */
int history_series_change_ci(struct stats_interval *out,
                             const struct history_series *h,
                             const struct history_line *s, size_t k,
                             double confidence);

/* Number of commits added. */
size_t history_series_count(const struct history_series *h);

/*
 * Commit i (0: the first added) and its rows.  Borrowed: valid until
 * history_series_free().
 */
const struct store_commit *history_series_get(const struct history_series *h,
                                              size_t i,
                                              const struct history_row **rows,
                                              size_t *n);

/*
 * The points of series k, oldest first: *rows is a malloc'd array (the
 * caller frees it, not the rows, which are borrowed until
 * history_series_free()).  Returns the number of points.
 */
size_t history_series_points(const struct history_series *h, size_t k,
                             const struct history_row ***rows);

#endif
