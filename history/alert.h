/*
 * alert.h - the history alert's decision on one series: did a commit
 * among the newest shift this benchmark, for the worse, by at least
 * theta, significantly?
 *
 * The series is one benchmark x metric's per-commit medians along
 * first-parent history on one runner class, oldest first.  Change points
 * come from E-divisive means (stats/changepoint.h) on the logs of the
 * medians, so a shift is relative and the test is scale-free; a split is
 * significant at the permutation test's p <= cp.p_threshold (0.001).  A
 * change point is an alert when it starts among the newest `recent`
 * points and the segment after it (to the next change point) is worse
 * than the segment before it (from the previous one) by at least theta:
 * shift = exp(mean log after - mean log before) - 1, with Welch's CI on
 * the logs (stats_welch_test) at `confidence`.  Improvements never alert.
 *
 * E-divisive needs several points on each side of a step to reach p <=
 * 0.001, so an online look at the newest points runs too: for k =
 * online_min..online_max, the newest k points against the segment before
 * them (from the last change point, at least online_reference points), a
 * one-sided Mann-Whitney test in the worse direction (exact at these
 * sizes, and robust to a single outlier) at p <= online_alpha / the number
 * of looks (Bonferroni), and the same theta.  The look with the smallest p
 * that passes is an alert at n - k, unless E-divisive raised one within
 * PG_HISTORY_ALERT_SLACK of it.
 *
 * This file is pure computation; gate/alert.h reads the store, decides
 * new / known / accepted and records alerts.
 */
#ifndef PG_HISTORY_ALERT_H
#define PG_HISTORY_ALERT_H

#include <stddef.h>

#include "stats/changepoint.h"
#include "model/result.h"

struct history_alert_opts {
	struct stats_cp_opts cp; /* p <= 0.001, window 50, 999 shuffles */
	double threshold; /* theta: smallest shift that alerts (0.03) */
	size_t recent; /* change points among the newest this many (20) */
	double confidence; /* of the shift's CI (0.99) */
	/* the online look; online_max 0 turns it off */
	size_t online_min, online_max; /* newest points tested (3, 5) */
	size_t online_reference; /* points before them, at least (10) */
	double online_alpha; /* over all looks of one push (0.001) */
};

/* Defaults from util/defaults.h (PG_DEFAULT_HISTORY_*, PG_DEFAULT_CP_*). */
void history_alert_opts_init(struct history_alert_opts *o);

struct history_shift {
	size_t index; /* the first point after the shift (the culprit) */
	size_t later; /* points after the culprit: n - 1 - index */
	double before, after; /* medians of the two segments */
	/* relative change of the metric, after / before - 1 (0.062 = +6.2%),
	 * from the means of the logs, and its CI */
	double shift, ci_low, ci_high;
	double p_value; /* of the change point's permutation test */
	int online; /* 1: found by the online look (p_value is its test's) */
};

/*
 * The alerts of x[0..n) (oldest first, every value > 0 and finite):
 * *out is a malloc'd array of *nout shifts in increasing index order
 * (NULL when none); the caller frees it.  dir says which way is worse.
 * Returns 0, or PG_EINPUT for a value that is not positive and finite,
 * or for bad options.
 */
int history_alert_find(struct history_shift **out, size_t *nout,
                       const double *x, size_t n, enum result_direction dir,
                       const struct history_alert_opts *o);

/*
 * The points [*lo, *hi] of the series (indexes as in s) where an alert
 * recorded by an earlier gate makes s the same, known alert: within
 * PG_HISTORY_ALERT_SLACK of s->index (later data can move a split by a
 * commit), and for an online alert also up to online_max points before
 * it (the newest k it tested may start after the shift began).
 */
void history_alert_known_range(const struct history_shift *s,
                               const struct history_alert_opts *o, size_t *lo,
                               size_t *hi);

#endif
