/*
 * bound.h - one-sided confidence bounds of one statistic of a sample, the
 * bound an absolute limit (a budget, gate/budget.h) is checked against:
 * for a ceiling the lower bound, so noise alone never trips it; for a
 * floor the upper bound.
 *
 * The mean's bound is Student's t: mean -/+ t(confidence, n - 1) * sd /
 * sqrt(n).  A quantile's is an order statistic (stats/quantile.h).  The
 * minimum and the maximum have no interval: they are limits on every
 * sample, so their bound is the sample's own.
 */
#ifndef PG_STATS_BOUND_H
#define PG_STATS_BOUND_H

#include <stddef.h>

/*
 * The one-sided t bound of the mean of x[0..n) at level confidence: the
 * upper bound when upper, else the lower.  Needs n >= 2: with fewer it is
 * +INFINITY (upper) or -INFINITY (lower), which no limit can fail.
 */
double stats_mean_bound(const double *x, size_t n, int upper,
                        double confidence);

/*
 * The one-sided bound at level confidence (upper when upper, else lower)
 * of one statistic of x[0..n), n >= 1: q == 0 the minimum, q == 1 the
 * maximum (the sample's own, no interval), q < 0 the mean
 * (stats_mean_bound), else the q-quantile (stats_quantile_lower_bound,
 * stats_quantile_upper_bound; +-INFINITY when n is too small).
 * confidence in (0, 1).
 */
double stats_bound(const double *x, size_t n, double q, int upper,
                   double confidence);

#endif
