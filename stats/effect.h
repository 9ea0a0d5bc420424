/*
 * effect.h - effect sizes with confidence intervals.
 *
 * The location shift between two samples is estimated by Hodges-Lehmann:
 *
 *   unpaired: the median of all n_x * n_y differences y_j - x_i;
 *   paired:   the median of the n(n+1)/2 Walsh averages (d_i + d_j) / 2,
 *             i <= j, of the differences d.
 *
 * perfgate calls these on log samples, so exp(HL) - 1 is the relative
 * effect.  The confidence intervals are distribution-free: they are order
 * statistics of the same differences (Walsh averages), with the index
 * taken from the exact null distribution of the Mann-Whitney U
 * (signed-rank) statistic, as R's wilcox.test(conf.int = TRUE) does, and
 * from its normal approximation once the exact distribution gets too
 * costly (n_x * n_y * min(n_x, n_y) > 2e7, or n > 400 pairs).  The
 * differences are never materialised: the k-th smallest is found by
 * bisection over the value with an O(n) count per step, so large samples
 * cost O(n log n) memory-light time.
 *
 * With ties the order-statistic interval is still valid but conservative.
 * When the requested confidence cannot be reached at all (too few
 * samples), the interval is the full range of the differences and
 * `confidence` holds the level actually achieved, which is lower.
 */
#ifndef PG_STATS_EFFECT_H
#define PG_STATS_EFFECT_H

#include <stddef.h>
#include <stdint.h>

struct stats_interval {
	double estimate; /* point estimate */
	double low, high; /* two-sided confidence interval */
	/* the requested level, or the lower level achieved when the
	 * requested one is out of reach */
	double confidence;
};

/*
 * Hodges-Lehmann shift of y relative to x with a two-sided
 * distribution-free CI at level confidence (0 < confidence < 1).  Returns
 * 0, or PG_EINPUT for an empty sample or a bad confidence level.
 */
int stats_hl_unpaired(struct stats_interval *out, const double *x, size_t nx,
                      const double *y, size_t ny, double confidence);

/* Hodges-Lehmann (pseudo)median of d with its CI; as above. */
int stats_hl_paired(struct stats_interval *out, const double *d, size_t n,
                    double confidence);

/*
 * Percentile bootstrap of the ratio of medians median(b) / median(a) - 1,
 * with `resamples` resamples drawn from a gsl_rng (mt19937) seeded with
 * seed, so the result is reproducible.  paired resamples pairs (na must
 * equal nb).  estimate is the ratio of the sample medians minus 1.
 * Returns 0, or PG_EINPUT for empty samples, unequal paired lengths,
 * non-positive medians or resamples < 10.
 */
int stats_bootstrap_ratio(struct stats_interval *out, const double *a,
                          size_t na, const double *b, size_t nb, int paired,
                          double confidence, size_t resamples, uint64_t seed);

/*
 * The k-th smallest (1-based) of the n_x * n_y differences y_j - x_i,
 * given x and y sorted ascending.
 */
double stats_kth_difference(const double *xs, size_t nx, const double *ys,
                            size_t ny, size_t k);

/* The k-th smallest (1-based) Walsh average of d sorted ascending. */
double stats_kth_walsh(const double *ds, size_t n, size_t k);

#endif
