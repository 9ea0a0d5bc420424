/*
 * pooled.h - comparing a candidate run with a baseline pooled over several
 * runs (a window of ancestor commits), accounting for between-run
 * variance.
 *
 * Samples of one run share that run's machine, time and state: two runs
 * of the same commit differ by more than their within-run spread
 * suggests.  So 30 samples of one run are not 30 independent draws of
 * "the commit", and a sample-level test against pooled samples would
 * flag run-to-run noise as regressions.
 *
 * Method ("run-median-t", a prediction interval): the unit is the run.
 * Let m_1..m_k be the log medians of the k baseline runs (negated for
 * higher-is-better metrics), c the candidate run's log median, and
 *
 *   s^2 = max(var(m_1..m_k), v_w)
 *
 * where v_w is the mean within-run variance of a log median, estimated
 * per run as (pi / 2) * (1.4826 * MAD of the logs)^2 / n_i: the spread of
 * run medians cannot be smaller than the noise of each median, and this
 * floor keeps a lucky, tight baseline window from making tiny shifts
 * "significant".  Under "no change", c - mean(m) ~ s * sqrt(1 + 1/k) *
 * t(k - 1), so
 *
 *   p_value  = P(T_{k-1} >= (c - mean(m)) / (s * sqrt(1 + 1/k)))
 *   estimate = exp(c - mean(m)) - 1
 *   CI       = exp(c - mean(m) +- t_{(1+conf)/2, k-1} s sqrt(1 + 1/k)) - 1
 *
 * It needs k >= 2 runs and is only informative with several (the t
 * quantile with 1 degree of freedom is 64 at 99%): with k < 5 expect
 * "inconclusive" unless the change is large.  With k == 1 the between-run
 * variance is unknown; stats_compare_pooled then falls back to the
 * sample-level stats_compare() and says so in the note.
 */
#ifndef PG_STATS_POOLED_H
#define PG_STATS_POOLED_H

#include <stddef.h>

#include "stats/compare.h"

/*
 * Compare candidate run b[0..nb) with nruns baseline runs, run i being
 * runs[i][0..run_n[i]).  opts.paired and opts.welch are ignored.  Fills
 * *out like stats_compare() with test "run-median-t", method
 * "parametric", n_a = all baseline samples, runs_a = nruns, median_a =
 * the geometric mean of the baseline run medians, statistic = t.
 * Returns 0, or PG_EINPUT for no runs, an empty run or a sample that is
 * not finite and positive (the message names the run).
 */
int stats_compare_pooled(struct stats_comparison *out,
                         const double *const *runs, const size_t *run_n,
                         size_t nruns, const double *b, size_t nb,
                         const struct stats_compare_opts *opts);

#endif
