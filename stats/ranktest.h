/*
 * ranktest.h - one-sided two-sample tests.
 *
 * Every test here asks whether the second sample (y, the candidate) lies
 * above the first (x, the baseline), i.e. H1: "y is shifted up".  The
 * caller orients the data so that up means worse (stats/compare.h negates
 * the logs of higher-is-better metrics).  p_value is that one-sided
 * p-value; p_other is the one-sided p-value of the opposite alternative
 * (y shifted down), from the same statistic, for "improvement" verdicts.
 *
 * min_p is the smallest p-value the test could give at these sample sizes
 * (and ties): when it exceeds alpha the test can never reject, whatever the
 * data, and the verdict says so instead of "unchanged".
 */
#ifndef PG_STATS_RANKTEST_H
#define PG_STATS_RANKTEST_H

#include <stddef.h>

#include "stats/effect.h"

enum stats_method {
	STATS_METHOD_EXACT, /* exact null distribution, no ties */
	STATS_METHOD_ASYMPTOTIC, /* normal approximation */
	STATS_METHOD_PERMUTATION, /* exact sign-flip permutation, ties */
	STATS_METHOD_PARAMETRIC, /* Student t distribution */
};

/* "exact", "asymptotic", "permutation", "parametric". */
const char *stats_method_name(enum stats_method m);

struct stats_test {
	double statistic; /* U of y, T+ of d, or t */
	double p_value; /* one-sided: y above x (d above 0) */
	double p_other; /* one-sided: y below x (d below 0) */
	double min_p; /* smallest p_value reachable at these sizes */
	double df; /* degrees of freedom of a t-test, else 0 */
	size_t n_used; /* differences after dropping zeros (signed-rank) */
	enum stats_method method;
};

/*
 * Midranks (1-based, ties get the average rank) of x into rank[0..n).
 * Returns sum over tie groups of (t^3 - t), the tie-correction term.
 */
double stats_midranks(double *rank, const double *x, size_t n);

/*
 * Mann-Whitney U test, H1: y stochastically greater than x, following
 * SciPy 1.10 mannwhitneyu(y, x, alternative="greater", method="auto"):
 * exact when there are no ties and n_x <= 8 or n_y <= 8, otherwise the
 * normal approximation with tie correction and continuity correction.
 * statistic is U of y = (rank sum of y) - n_y (n_y + 1) / 2.  Returns 0 or
 * PG_EINPUT for an empty sample.
 */
int stats_mwu_test(struct stats_test *out, const double *x, size_t nx,
                   const double *y, size_t ny);

/*
 * Wilcoxon signed-rank test of the differences d, H1: location > 0.
 * Zero differences are dropped (R's and SciPy's default).  With n <= 50
 * remaining differences it is exact: from the signed-rank distribution
 * when the |d| have no ties, else (method "permutation") from the exact
 * sign-flip permutation distribution of T+ computed on the midranks.
 * Beyond 50 it is the normal approximation with tie and continuity
 * correction.  statistic is T+.  Returns 0 or PG_EINPUT when n == 0.
 */
int stats_signrank_test(struct stats_test *out, const double *d, size_t n);

/*
 * Welch's unequal-variance t-test, H1: mean(y) > mean(x).  With ci
 * non-NULL also the two-sided CI of mean(y) - mean(x) at confidence.
 * Needs n >= 2 per side: PG_EINPUT otherwise.
 */
int stats_welch_test(struct stats_test *out, struct stats_interval *ci,
                     const double *x, size_t nx, const double *y, size_t ny,
                     double confidence);

/* One-sample t-test of d, H1: mean(d) > 0; the paired form of Welch. */
int stats_t1_test(struct stats_test *out, struct stats_interval *ci,
                  const double *d, size_t n, double confidence);

#endif
