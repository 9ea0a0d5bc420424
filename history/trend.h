/*
 * trend.h - the recent stored history of each benchmark of a report, for
 * the sparklines of the Markdown report and the PR comment.
 */
#ifndef PG_HISTORY_TREND_H
#define PG_HISTORY_TREND_H

#include <stddef.h>

#include "model/report.h"
#include "store/repo.h"

/*
 * Walk first-parent history from commit from (the baseline's newest
 * commit), at most max commits, and set each row's trend to its
 * benchmark's per-commit medians (oldest first) of runs of runner class
 * env_key (NULL: the class of the newest run), paired sessions left out.
 * Only rows whose metric is the benchmark's primary one get a trend.
 * Returns 0 or the walk's error (the rows are then left as they were).
 */
int history_attach_trends(struct report *r, struct store *s, const char *from,
                          const char *env_key, size_t max);

#endif
