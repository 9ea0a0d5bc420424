/*
 * changepoint.h - change points in a history of per-commit medians:
 * E-divisive means (Matteson & James 2014, "A nonparametric approach for
 * multiple change point analysis of multivariate data"), as used by
 * MongoDB and Apache Otava, with a seeded permutation significance test.
 *
 * For a split of a window z into left L (m points) and right R (n points)
 * the statistic (exponent alpha = 1) is
 *
 *   Q = m n / (m + n) * (2/(mn) sum|l - r| - 1/C(m,2) sum|l - l'|
 *                        - 1/C(n,2) sum|r - r'|)
 *
 * (a within-term is 0 for a side of one point).  Each step scans every
 * segment between the change points found so far, in windows of at most
 * `window` points (50% overlap, so distant history does not drown a
 * recent shift and the cost stays O(n * window)), takes the split with
 * the largest Q, and tests it: the window's points are shuffled
 * `permutations` times (gsl_rng mt19937 seeded with `seed`), and
 * p = (1 + #{shuffles with max Q >= observed}) / (1 + permutations).  The
 * split is kept when p <= p_threshold; the first split that is not
 * significant ends the search (as in the paper).  The statistic is
 * location-based on the values as given; pass logs for relative shifts.
 */
#ifndef PG_STATS_CHANGEPOINT_H
#define PG_STATS_CHANGEPOINT_H

#include <stddef.h>
#include <stdint.h>

struct stats_cp_opts {
	double p_threshold; /* keep splits with p <= this (0.001) */
	size_t window; /* points per window (50) */
	size_t permutations; /* shuffles per test (999) */
	size_t min_size; /* points on each side of a split (2) */
	uint64_t seed;
};

/* Defaults from util/defaults.h; min_size 2. */
void stats_cp_opts_init(struct stats_cp_opts *o);

struct stats_changepoint {
	size_t index; /* first point after the shift (0-based) */
	double p_value; /* of the permutation test */
	double q; /* the statistic */
	/* medians of the segments before and after (bounded by the
	 * neighbouring change points), and after / before - 1 (NAN when
	 * before is not positive) */
	double before, after, shift;
};

/*
 * Find change points in x[0..n).  On success *out is a malloc'd array of
 * *nout change points in increasing index order (NULL when none); the
 * caller frees it.  Returns 0, or PG_EINPUT for a value that is not
 * finite or bad options (window < 2 * min_size, permutations < 1,
 * p_threshold outside (0, 1)).  Fewer than 2 * min_size points: no change
 * points.
 */
int stats_changepoints(struct stats_changepoint **out, size_t *nout,
                       const double *x, size_t n,
                       const struct stats_cp_opts *o);

#endif
