/*
 * mde.h - the minimum detectable effect of one comparison: the smallest
 * relative slowdown that the gate would call a regression with the given
 * power, at the level it actually tests (docs/statistics.md, "What a row
 * could have seen").
 *
 * For a comparison whose log effect has standard error se and reference
 * distribution T (Student's t on df degrees of freedom, the normal when
 * df is infinite), a one-sided test at level alpha detects a log shift
 * delta with power P when
 *
 *     delta >= (q_{1-alpha} + q_P) se
 *
 * (the t quantiles make it the usual approximation of the noncentral t).
 * A regression also needs its estimate >= theta, which at power P needs
 * delta >= ln(1 + theta) + q_P se.  The MDE is exp of the larger minus 1.
 *
 * Rank tests (Mann-Whitney U, Wilcoxon signed-rank) carry the normal-
 * theory se of the shift (from a robust spread) divided by sqrt(3/pi),
 * their asymptotic relative efficiency against the t-test under normal
 * noise, on the t-test's df (n - 1 pairs, na + nb - 2) (stats/compare.c).
 * Checked by simulation against the exact signed-rank test with the
 * Hodges-Lehmann estimate >= theta (SciPy, 2000 trials each, normal d
 * with sd 3%, theta 2%): power 87.6% at 20 pairs and alpha 0.01, 90.0% at
 * 30, 90.2% at 60 pairs and alpha 0.005; 83% at 10 pairs and alpha
 * 0.0033, where the exact test's discreteness costs power.  "range" comparisons
 * of deterministic counts detect any change larger than the spread of their
 * ratios and theta: the MDE is max(theta, ci_high - ci_low).
 */
#ifndef PG_STATS_MDE_H
#define PG_STATS_MDE_H

#include "stats/compare.h"

/*
 * The MDE of c (a fraction: 0.031 = 3.1%) at one-sided level alpha
 * (0 < alpha < 1), power (0 < power < 1) and threshold theta.  INFINITY
 * when the test can never reach alpha (c->too_few, or min_p >= alpha);
 * NAN when c carries no standard error.
 */
double stats_mde(const struct stats_comparison *c, double alpha, double power,
                 double theta);

/* The quantile function of T_df (df <= 0 or infinite: the normal). */
double stats_t_quantile(double p, double df);

#endif
