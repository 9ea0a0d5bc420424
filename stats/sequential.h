/*
 * sequential.h - planning figures for paired mode's sequential test
 * (gate/paired.h, docs/paired.md): what slowdown a number of pairs can
 * detect on a machine whose per-pair log-ratio spread is known.
 *
 * Model: the Hodges-Lehmann estimate of n per-pair log ratios with
 * standard deviation spread is about normal with standard error
 * spread / sqrt(0.955 n) (0.955 = 3/pi, its efficiency relative to the
 * mean under normal noise).  A regression is declared when the estimate is
 * at least theta and significant (one-sided) at alpha_last, the alpha
 * the last look spends (gate/paired.h: paired_spend()).
 */
#ifndef PG_STATS_SEQUENTIAL_H
#define PG_STATS_SEQUENTIAL_H

#include <stddef.h>

/* Standard error of the paired HL estimate (log scale) at n pairs. */
double stats_paired_se(double spread, size_t n);

/*
 * The smallest slowdown (a fraction, log scale) caught with probability
 * 0.9 at n pairs: max(theta, z(1 - alpha_last) se) + z(0.9) se.
 * Conservative for sequential looks, which only add chances to stop
 * with a fail.  NAN for n == 0 or a non-positive alpha.
 */
double stats_paired_mde90(double spread, size_t n, double theta,
                          double alpha_last);

/*
 * The threshold theta worth setting at n pairs: the smallest multiple of
 * step that is at least both z(1 - alpha_last) se (a smaller theta would
 * never be the binding condition) and 2 |aa_offset| (a systematic A/A
 * difference between the two trees must not look like a regression),
 * and at least step.
 */
double stats_paired_recommend_theta(double spread, size_t n, double alpha_last,
                                    double aa_offset, double step);

/*
 * The smallest n in {step, 2 step, ..., max} whose MDE90 at theta is at
 * most target; 0 when none is.
 */
size_t stats_paired_recommend_pairs(double spread, double theta,
                                    double alpha_last, double target,
                                    size_t step, size_t max);

/*
 * The conditional power of a session that has n of its total pairs with
 * HL estimate est (log scale): the chance that the estimate at total
 * pairs, (n est + (total - n) rest) / total, is a regression, that is at
 * least both log_theta (ln(1 + theta)) and z(1 - alpha_last) se(total),
 * when the remaining pairs' estimate rest is normal around
 * max(log_theta, est): the smallest slowdown that matters, or the one
 * seen so far if larger.  Low means more pairs would almost surely not
 * show a regression that matters: paired mode's futility stop
 * (gate/paired.h).  n >= total: 1 or 0, whether est is a regression.
 * NAN when spread is not positive and finite or alpha_last not in (0,1).
 */
double stats_paired_conditional_power(double spread, size_t n, double est,
                                      size_t total, double log_theta,
                                      double alpha_last);

#endif
