/*
 * series.h - what a history walk keeps (`perfgate log --changes`, history
 * alerts): every commit's per-benchmark summaries, grouped into series, and the
 * change points found in each series (stats/changepoint.h).
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
#include "store/repo.h"
#include "util/result.h"

/* One benchmark's pooled summary on one commit. */
struct history_row {
	const char *name, *metric, *unit;
	enum result_direction direction; /* of the metric */
	double median;
	size_t samples, runs;
	/*
	 * With --changes: the shift in this benchmark's series whose first
	 * point after it is this commit (NULL when none).
	 */
	const struct stats_changepoint *change;
	size_t commit; /* index of its commit (history_series_get()); set by
	                  history_series_add() */
};

struct history_series;

struct history_series *history_series_new(void);
/* Accepts NULL. */
void history_series_free(struct history_series *h);

/*
 * Append commit c (newest first, as walked; its sha, dates and subject
 * are copied) with rows[0..n) (names copied; change ignored).
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

/* Number of series (one per benchmark, metric and unit). */
size_t history_series_nseries(const struct history_series *h);

/*
 * The points of series k, oldest first: *rows is a malloc'd array (the
 * caller frees it, not the rows, which are borrowed until
 * history_series_free()).  Returns the number of points.
 */
size_t history_series_points(const struct history_series *h, size_t k,
                             const struct history_row ***rows);

#endif
