/*
 * quantile.h - distribution-free confidence bounds for a quantile, and
 * the Theil-Sen slope for trends (soak tests).
 *
 * Quantile bounds are order statistics: the number of samples below the
 * true p-quantile is Binomial(n, p), so X_(l) is a lower bound at level g
 * when P(Binomial(n, p) >= l) >= g (no assumption on the distribution, only
 * independent samples).  Budgets use the lower bound: "the p95 is over
 * budget" only when even the lower confidence bound of the p95 exceeds it.
 */
#ifndef PG_STATS_QUANTILE_H
#define PG_STATS_QUANTILE_H

#include <stddef.h>

#include "stats/effect.h"

/*
 * One-sided lower confidence bound of the p-quantile at level confidence:
 * the largest order statistic X_(l) with P(Bin(n, p) <= l - 1) <= 1 -
 * confidence.  -INFINITY when no order statistic qualifies (too few
 * samples: (1 - p)^n > 1 - confidence), so it never exceeds a budget.
 * Returns 0 or PG_EINPUT (n == 0, p or confidence outside (0, 1)).
 */
int stats_quantile_lower_bound(double *out, const double *x, size_t n, double p,
                               double confidence);

/* Upper bound likewise: the smallest X_(u) with P(Bin(n, p) <= u - 1) >=
 * confidence; +INFINITY when p^n > 1 - confidence. */
int stats_quantile_upper_bound(double *out, const double *x, size_t n, double p,
                               double confidence);

/*
 * Two-sided interval at level confidence (each side at (1 + confidence) /
 * 2) with the type-7 sample quantile as estimate.
 */
int stats_quantile_ci(struct stats_interval *out, const double *x, size_t n,
                      double p, double confidence);

/*
 * Compare the p-quantiles of raw samples a (baseline) and b (candidate),
 * such as two runs' per-request latencies: estimate is Q_b(p) / Q_a(p) -
 * 1 with type-7 sample quantiles, and [low, high] a percentile-bootstrap
 * CI at level confidence from `resamples` independent resamples of each
 * side, drawn from a gsl_rng mt19937 seeded with seed (reproducible).
 * Each resample costs O(n) (counts over the sorted sample, no sort).
 * Returns 0, or PG_EINPUT for an empty sample, p outside [0, 1], a
 * confidence outside (0, 1), resamples < 10 or a quantile of a that is
 * not positive; PG_ERUNTIME when no generator can be allocated.
 */
int stats_bootstrap_quantile_ratio(struct stats_interval *out, const double *a,
                                   size_t na, const double *b, size_t nb,
                                   double p, double confidence,
                                   size_t resamples, unsigned long seed);

/*
 * The same bootstrap as a test, for the gate: ratio as above, quantile_a
 * and quantile_b the two type-7 sample quantiles, and one-sided bootstrap
 * p-values from the same resamples, p_worse = (1 + #{ratio* <= 1}) /
 * (resamples + 1) (small when b's quantile is larger) and p_better =
 * (1 + #{ratio* >= 1}) / (resamples + 1): the p-values that agree with
 * the percentile interval (it excludes 0 at level 1 - 2 alpha exactly
 * when one of them is below alpha).  Errors as above.
 */
struct stats_quantile_test {
	struct stats_interval ratio;
	double quantile_a, quantile_b;
	double p_worse, p_better;
};

int stats_bootstrap_quantile_test(struct stats_quantile_test *out,
                                  const double *a, size_t na, const double *b,
                                  size_t nb, double p, double confidence,
                                  size_t resamples, unsigned long seed);

/*
 * Theil-Sen slope of y against t (t == NULL: 0, 1, ..., n - 1) with Sen's
 * (1968) CI at level confidence, following SciPy 1.10
 * scipy.stats.theilslopes(y, t, confidence) including its tie correction;
 * *intercept (may be NULL) is median(y) - slope * median(t).  Pairs with
 * equal t are skipped.  O(n^2) memory: PG_EINPUT when n < 2, n > 20000 or
 * all t are equal.
 */
int stats_theil_sen(struct stats_interval *slope, double *intercept,
                    const double *t, const double *y, size_t n,
                    double confidence);

#endif
