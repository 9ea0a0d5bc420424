/*
 * proportion.h - error rates of load tests: failed requests out of all
 * requests.  Pure functions on counts (no I/O).
 *
 * A budget such as "error_rate <= 0.1%" is checked against an upper
 * confidence bound of the rate, so 0 failures out of 50 requests does not
 * prove a 0.1% budget is met; a comparison of two runs' rates is a
 * one-sided test of "the candidate fails more often" on the 2x2 table of
 * counts (Fisher's exact test, or the score test for huge counts), never a
 * test on the one error_rate value per run.
 *
 * Counts are doubles holding whole numbers (they come from JSON); every
 * function returns 0, or PG_EINPUT when a count is not a whole number,
 * failures > requests, requests == 0, or confidence is outside (0, 1).
 */
#ifndef PG_STATS_PROPORTION_H
#define PG_STATS_PROPORTION_H

#include <stddef.h>

/*
 * One-sided upper bound at level confidence of the proportion behind x
 * failures in n requests: the Wilson score bound (R: prop.test(x, n,
 * alternative = "less", correct = FALSE)$conf.int[2]).
 */
int stats_wilson_upper(double *out, double x, double n, double confidence);

/*
 * The exact (Clopper-Pearson) one-sided upper bound: the confidence
 * quantile of Beta(x + 1, n - x), 1 when x == n (R: binom.test(x, n,
 * alternative = "less", conf.level = confidence)$conf.int[2]).  Never
 * below the true rate's coverage; more conservative than Wilson.
 */
int stats_clopper_pearson_upper(double *out, double x, double n,
                                double confidence);

/*
 * One-sided p-value of Fisher's exact test that the candidate (x2 of n2)
 * fails more often than the baseline (x1 of n1): P(X >= x2) for X
 * hypergeometric given the margins (R: fisher.test(matrix(c(x2, n2 - x2,
 * x1, n1 - x1), 2), alternative = "greater")$p.value).  PG_EINPUT also
 * when n1 + n2 exceeds STATS_FISHER_MAX_N.
 */
#define STATS_FISHER_MAX_N 4000000000.0
int stats_fisher_greater(double *p, double x1, double n1, double x2, double n2);

/*
 * One-sided p-value of the pooled two-proportion score (z) test of the
 * same hypothesis (R: prop.test(c(x2, x1), c(n2, n1), alternative =
 * "greater", correct = FALSE)$p.value); 1 when no request failed on
 * either side (or all did).
 */
int stats_score_greater(double *p, double x1, double n1, double x2, double n2);

struct stats_prop_test {
	double p_base, p_cand; /* observed rates x1 / n1, x2 / n2 */
	double diff; /* p_cand - p_base */
	double p_value; /* one-sided: the candidate fails more often */
	double p_better; /* one-sided: the candidate fails less often */
	const char *method; /* "fisher" or "score" (static storage) */
};

/*
 * Compare the baseline's x1 failures of n1 with the candidate's x2 of n2
 * in both directions: Fisher's exact test while the table has at most
 * STATS_PROP_EXACT_MAX failures (the exact sum then stays cheap), else
 * the score test.
 */
#define STATS_PROP_EXACT_MAX 1000000.0
int stats_prop_compare(struct stats_prop_test *out, double x1, double n1,
                       double x2, double n2);

#endif
