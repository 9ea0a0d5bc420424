/*
 * runvar.h - the between-run variance of one benchmark from its stored
 * history: successive differences of per-run log medians.
 *
 * Two stored runs of the same code differ by more than their samples'
 * spread suggests (machine, time, state).  That variance is a property of
 * the benchmark on its runner class, so it is estimated from the long
 * stored history (up to PG_DEFAULT_HISTORY_WINDOW first-parent commits),
 * not from the few runs that set the baseline level.
 *
 * Estimator (mean square successive difference, von Neumann 1941): with
 * m_1..m_k the oriented log medians of the runs in history order and
 * d_i = m_i - m_{i+1},
 *
 *     s^2 = sum over used i of d_i^2 / (2 D)
 *
 * over the D differences used.  A level shift (a code change) enters one
 * difference, a single off run two, instead of every deviation from one
 * mean, so slow creep and steps inflate it little.  Differences larger
 * than max(cutoff, STATS_RUNVAR_DIFF_SDS * sd_d), with sd_d the robust
 * spread of the differences within cutoff (1.4826 median |d_i|, so that
 * the steps do not set the scale that finds them), are steps or off runs
 * and are left out.  For a benchmark whose sd(d) is far above cutoff that
 * scale is too small and a few honest differences go too; at
 * sd(d) = 2 cutoff about 4% of them, the variance about 15% low.
 *
 * Degrees of freedom: for independent normal m_i, sum d_i^2 over a stretch
 * of L consecutive differences has variance sigma^4 (12 L - 4) (each
 * d_i^2 has variance 8 sigma^4, neighbours covary by 2 sigma^4), so by
 * Satterthwaite
 *
 *     df = 8 D^2 / sum over stretches of (12 L - 4)
 *
 * which is 2 (k - 1)^2 / (3 k - 4) for one stretch of k runs (about two
 * thirds of the k - 1 of the sample variance: the price of robustness).
 */
#ifndef PG_STATS_RUNVAR_H
#define PG_STATS_RUNVAR_H

#include <stddef.h>

/* Differences beyond this many robust sds are steps (see above). */
#define STATS_RUNVAR_DIFF_SDS 4.0

struct stats_runvar {
	size_t runs; /* k */
	size_t diffs; /* D: differences used */
	size_t dropped; /* differences left out as steps or off runs */
	double var; /* s^2 on the log scale; 0 when D == 0 */
	double df; /* Satterthwaite df; 0 when D == 0 */
};

/*
 * Estimate the between-run variance from m[0..k) (log medians in history
 * order, newest first or oldest first alike).  cutoff (log scale, >= 0)
 * is the smallest difference ever treated as a step.  Never fails: k < 2
 * gives D = 0, var = df = 0.
 */
void stats_runvar_estimate(struct stats_runvar *out, const double *m, size_t k,
                           double cutoff);

#endif
