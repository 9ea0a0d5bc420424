/*
 * pooled.h - comparing a candidate run with a baseline pooled over several
 * runs (a window of ancestor commits), accounting for between-run
 * variance.
 *
 * Samples of one run share that run's machine, time and state: two runs
 * of the same commit differ by more than their within-run spread
 * suggests.  So 30 samples of one run are not 30 independent draws of
 * "the commit", and a sample-level test against pooled samples would
 * flag run-to-run noise as regressions.  The unit is therefore the run:
 * m_i, the log median of baseline run i (negated for higher-is-better
 * metrics), c the candidate run's, v_i = (pi / 2) (1.4826 MAD_i)^2 / n_i
 * the within-run variance of m_i.
 *
 * Method "run-median-moderated" (the default, docs/statistics.md).  The
 * runs are the history of the benchmark on its runner class, newest
 * first: up to PG_DEFAULT_HISTORY_WINDOW commits; the newest nlevel of
 * them (the --baseline-window commits) set the baseline level.
 *
 * 1. Newest level.  Among the level runs, a run whose median differs
 *    from the newest level by more than the cutoff
 *    C = max(PG_POOLED_SHIFT_THETAS * theta, 5 sqrt(2 v_w)) is at
 *    another level (a commit that regressed, or was fixed, or an old
 *    level before a step) and is excluded; the newest level is found by
 *    binary segmentation and the median of the runs within C of it.  The
 *    newest run is always kept: a step in the newest baseline commit is
 *    inherited by the candidate.  Centre L = mean(m) of the k kept runs.
 * 2. Moderated variance.  s^2 on d degrees of freedom is the between-run
 *    variance of the whole history by successive differences
 *    (stats/runvar.h: robust to steps and creep), floored at v_w, the
 *    mean v_i of the kept runs.  With a prior (s0^2, d0) fitted over the
 *    other benchmarks of the suite on the same runs
 *    (stats_pooled_fit_prior(), empirical Bayes as limma's moderated t,
 *    Smyth 2004):
 *        s~^2 = (d0 s0^2 + d s^2) / (d0 + d),   df = d0 + d
 *    and without one s~^2 = s^2, df = d.  s~^2 is floored at v_w.
 * 3. Prediction interval for the candidate run:
 *        t = (c - L) / (s~ sqrt(1 + 1/k)),  p = P(T_df >= t)
 *        estimate = exp(c - L) - 1,
 *        CI = exp(c - L +- t_{(1+conf)/2, df} s~ sqrt(1 + 1/k)) - 1
 *    The verdict (stats_classify()) tests the adjusted p-value against
 *    alpha * PG_POOLED_ALPHA_SCALE (out->alpha_scale): at alpha itself
 *    about alpha of unchanged suites would fail, and the target is 1%.
 * 4. Too little history.  With fewer than PG_STORED_MIN_RUNS runs, or
 *    df < PG_STORED_MIN_DF, nothing is tested: p-values and the CI are
 *    NAN, too_few is set and the note says why and what would decide
 *    (more stored runs, or paired mode).  A timing metric is never
 *    compared sample by sample across two runs: that treats the
 *    between-run variance as zero and reads drift as a regression.
 *
 * Method "run-median-t" (stats_compare_pooled_t(), the earlier default,
 * kept for comparison): every run, s^2 = max(var(m), v_w), df = k - 1,
 * no prior.  One shifted run in the window inflates s^2 and blinds it.
 */
#ifndef PG_STATS_POOLED_H
#define PG_STATS_POOLED_H

#include <stddef.h>

#include "stats/compare.h"

/* Excluded runs named in a summary (more are counted, not named). */
#define STATS_POOLED_MAX_NAMED 8

/* What step 1 and 2 make of one benchmark's baseline runs. */
struct stats_pooled_summary {
	size_t k; /* runs given: the history */
	size_t nlevel; /* the newest of them that set the level */
	size_t kept; /* runs at the newest level */
	size_t samples; /* samples in the kept runs */
	double centre; /* L: mean oriented log median of the kept runs */
	/* s^2 from the history (stats/runvar.h), floored at vw; 0 when no
	 * difference could be used */
	double var;
	double df; /* its Satterthwaite degrees of freedom */
	size_t diffs, dropped; /* successive differences used, left out */
	double vw; /* mean within-run variance of a kept run's log median */
	double cutoff; /* C, on the log scale */
	size_t nexcluded;
	/* 0-based indices (0 = newest) of the first excluded runs and their
	 * median's relative shift from the newest level (0.25 = 25% worse) */
	size_t excluded[STATS_POOLED_MAX_NAMED];
	double shift[STATS_POOLED_MAX_NAMED];
};

/* A scaled inverse chi-squared prior of the between-run variance. */
struct stats_pooled_prior {
	double var; /* s0^2, on the log scale */
	double df; /* d0; 0: no prior */
	size_t cells; /* summaries it was fitted on */
};

/*
 * Summarise nruns baseline runs (runs[i][0..run_n[i]), newest first), the
 * newest nlevel of which (0: all) set the level: steps 1 and 2 without a
 * prior.  opts gives the orientation and theta.
 * Returns 0, or PG_EINPUT for no runs, an empty run or a sample that is
 * not finite and positive (the message names the run).
 */
int stats_pooled_summarize(struct stats_pooled_summary *out,
                           const double *const *runs, const size_t *run_n,
                           size_t nruns, size_t nlevel,
                           const struct stats_compare_opts *opts);

/*
 * Fit the prior of the between-run variance to n summaries (one per
 * benchmark of the same metric, measured on the same runs), by the
 * method of moments on log s^2 (limma's fitFDist): with
 * e_j = ln s_j^2 - digamma(d_j/2) + ln(d_j/2) over the summaries with
 * d_j >= 1, d0 = 2 trigamma^-1(var(e) - mean(trigamma(d_j/2))) and
 * s0^2 = exp(mean(e) + digamma(d0/2) - ln(d0/2)).  d0 is capped at the
 * sum of the d_j (a prior cannot know more than the data it came from)
 * and at max_df.  Fewer than min_cells usable summaries give no prior
 * (df 0).
 */
void stats_pooled_fit_prior(struct stats_pooled_prior *out,
                            const struct stats_pooled_summary *s, size_t n,
                            size_t min_cells, double max_df);

/*
 * Compare candidate run b[0..nb) with nruns baseline runs (newest
 * first), run i being runs[i][0..run_n[i]), by "run-median-moderated"
 * with the given prior (NULL or df 0: none).  opts.paired and opts.welch
 * are ignored.  Fills *out like stats_compare() with test
 * "run-median-moderated", method "parametric", n_a = samples of the kept
 * runs, runs_a = kept runs, median_a = the geometric mean of the kept run
 * medians, statistic = t, se and df, and out->detail saying what was
 * pooled and excluded and the variance used; with too little history no
 * test (step 4 above).  Returns 0, or PG_EINPUT as
 * stats_pooled_summarize().
 */
int stats_compare_pooled_prior(struct stats_comparison *out,
                               const double *const *runs, const size_t *run_n,
                               size_t nruns, size_t nlevel, const double *b,
                               size_t nb, const struct stats_compare_opts *opts,
                               const struct stats_pooled_prior *prior);

/* stats_compare_pooled_prior() without a prior. */
int stats_compare_pooled(struct stats_comparison *out,
                         const double *const *runs, const size_t *run_n,
                         size_t nruns, const double *b, size_t nb,
                         const struct stats_compare_opts *opts);

/*
 * The earlier method, "run-median-t": all runs, their own variance, k - 1
 * degrees of freedom; needs nruns >= 2 (with 1 it falls back to
 * stats_compare()).  Kept so that bench/pooled can compare with it.
 */
int stats_compare_pooled_t(struct stats_comparison *out,
                           const double *const *runs, const size_t *run_n,
                           size_t nruns, const double *b, size_t nb,
                           const struct stats_compare_opts *opts);

#endif
