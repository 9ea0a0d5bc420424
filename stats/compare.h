/*
 * compare.h - compare a candidate sample with a baseline sample: the one
 * entry point the gate and `perfgate stat` call per benchmark x metric.
 *
 * Typical use for a suite (see docs/statistics.md):
 *
 *   struct stats_compare_opts o;
 *   stats_compare_opts_init(&o, paired);       // defaults, then override
 *   for each benchmark i:
 *           stats_compare(&c[i], base, nb, cand, nc, &o);
 *           p[i] = c[i].p_value;  q[i] = c[i].p_better;
 *   stats_adjust(p_adj, p, n, STATS_CORRECTION_BH);    // stats/verdict.h
 *   stats_adjust(q_adj, q, n, STATS_CORRECTION_BH);
 *   for each i: v = stats_classify(&c[i], p_adj[i], q_adj[i], &o, why, len);
 *
 * Orientation.  Every test is one-sided towards "worse".  The samples are
 * compared on the log scale, negated for higher-is-better metrics, so that
 * up always means worse; `estimate` = exp(HL) - 1 is then the relative
 * effect towards worse: 0.05 means 5% worse.  For a lower-is-better metric
 * (time) that is cand/base - 1; for a higher-is-better one (throughput) it
 * is base/cand - 1, the relative increase in time per unit of work (a
 * throughput drop from 100 to 95 items/s is +5.26%).  ci_low/ci_high are
 * oriented the same way.
 *
 * Tests: Mann-Whitney U (unpaired) or Wilcoxon signed-rank on the log
 * ratios d_i = ln(b_i / a_i) (paired), see stats/ranktest.h; with
 * opts.welch, Welch's t on the logs (paired: one-sample t on d).  Effect:
 * Hodges-Lehmann with a distribution-free CI (stats/effect.h), or for the
 * t-tests the mean difference of the logs with its t interval.
 *
 * Deterministic samples (test "range", method "exact").  A rank test on
 * samples without spread says nothing about the change: with every value
 * tied on each side its p-value depends only on n (Mann-Whitney gives
 * 0.5, 0.097, 0.023 for 1, 2, 3 samples a side whatever the shift: SciPy
 * 1.10 mannwhitneyu([1010]*n, [1000]*n, alternative='greater')), so a
 * 1% change in an instruction count would be "inconclusive" or, after a
 * suite-wide correction, lost.  When opts.deterministic is set (counts
 * that repeat up to tiny noise), or both samples have at least 2 values
 * and each is constant, the comparison is instead made on the range of
 * every ratio b_j / a_i (oriented towards worse): estimate = ratio of the
 * medians - 1, CI = [min ratio - 1, max ratio - 1] with confidence 1 (it
 * holds every ratio), p_value = 0 when every candidate value is worse
 * than every baseline value and 1 otherwise (p_better likewise towards
 * better).  With constant samples the CI is the exact change, so a 1%
 * increase is a regression at theta 0.5% and no change is unchanged; the
 * threshold, not the p-value, decides whether a separation matters.
 */
#ifndef PG_STATS_COMPARE_H
#define PG_STATS_COMPARE_H

#include <stddef.h>
#include <stdint.h>

/* Lag-1 autocorrelation above max(DRIFT_LAG1, DRIFT_Z / sqrt(n)) in a
 * sample of at least DRIFT_MIN_N values flags drift (see compare.c). */
#define STATS_DRIFT_LAG1 0.5
#define STATS_DRIFT_Z 3.0
#define STATS_DRIFT_MIN_N 10

struct stats_compare_opts {
	int paired; /* a[i] and b[i] were measured as a pair */
	int higher_is_better; /* throughput-like metric */
	double alpha; /* significance level after adjustment (0.05) */
	double threshold; /* practical threshold theta, a fraction (0.05) */
	double confidence; /* of the effect's CI (0.99) */
	int welch; /* t-test on logs instead of the rank test */
	/* values repeat up to tiny noise (instruction counts): compare the
	 * range of ratios instead of testing (see above) */
	int deterministic;
	uint64_t seed; /* for anything randomised (bootstrap) */
	/* > 0: also compute a bootstrap CI of the ratio of medians with
	 * this many resamples (boot_low, boot_high) */
	size_t bootstrap;
};

/* Defaults from util/defaults.h: theta 5% (2% when paired), alpha 0.05,
 * 99% CIs, rank tests, lower is better, no bootstrap. */
void stats_compare_opts_init(struct stats_compare_opts *o, int paired);

struct stats_comparison {
	/* "mann-whitney-u", "wilcoxon-signed-rank", "welch-t", "paired-t",
	 * "range" (deterministic samples), "run-median-moderated" or
	 * "run-median-t" (stats/pooled.h); static strings */
	const char *test;
	/* "exact", "asymptotic", "permutation", "parametric" */
	const char *method;
	size_t n_a, n_b; /* samples compared (pairs: both = pairs) */
	size_t runs_a; /* baseline runs pooled: 1 except for pooled */
	double statistic; /* U of b, T+ of d, or t */
	double p_value; /* one-sided towards worse, unadjusted */
	double p_better; /* one-sided towards better, unadjusted */
	double min_p; /* smallest p_value the test can reach here */
	double estimate; /* relative effect towards worse (see above) */
	double ci_low, ci_high; /* its CI, same orientation */
	/*
	 * The standard error of the log effect as the test sees it (rank
	 * tests: the normal-theory one divided by their asymptotic relative
	 * efficiency) and the degrees of freedom of its reference
	 * distribution (INFINITY: normal); NAN when unknown.  They give the
	 * minimum detectable effect (stats/mde.h).
	 */
	double se, df;
	double confidence; /* achieved level of that CI */
	double boot_low, boot_high; /* bootstrap CI, NAN unless asked */
	double median_a, median_b; /* medians in the samples' own unit */
	double lag1_a, lag1_b; /* lag-1 autocorrelations (paired: of d) */
	size_t outliers_a, outliers_b; /* beyond the 1.5 IQR fences */
	int too_few; /* min_p >= alpha: the test can never reject */
	int drift; /* a sample drifts: the verdict is inconclusive */
	char note[256]; /* why too_few / drift, "" otherwise */
	/* the verdict tests p_adjusted against alpha * alpha_scale (0 means
	 * 1): run-level comparisons use PG_POOLED_ALPHA_SCALE, see
	 * stats/pooled.h */
	double alpha_scale;
	/* pooled baselines: which runs were pooled or excluded and the
	 * variance used (stats/pooled.h); "" otherwise */
	char detail[256];
};

/*
 * Compare baseline a[0..na) with candidate b[0..nb) (in run order: the
 * order matters only for the drift check).  Samples must be finite and
 * positive (they are compared on the log scale); opts.paired needs
 * na == nb.  Returns 0, or PG_EINPUT for empty samples, a bad sample
 * (message names "baseline"/"candidate" and the 1-based index), unequal
 * paired lengths, or an alpha/confidence outside (0, 1) or a negative
 * threshold.  *out is filled on success.
 */
int stats_compare(struct stats_comparison *out, const double *a, size_t na,
                  const double *b, size_t nb,
                  const struct stats_compare_opts *opts);

/*
 * 1 when a lag-1 autocorrelation lag1 of n samples in run order signals
 * drift: n >= STATS_DRIFT_MIN_N and lag1 > max(STATS_DRIFT_LAG1,
 * STATS_DRIFT_Z / sqrt(n)).  For independent samples lag1 is roughly
 * N(-1/n, 1/n), so chance alone flags about 0.1% of samples.
 */
int stats_drifts(double lag1, size_t n);

/*
 * Check that x[0..n) are finite and positive; what names the sample in
 * the message ("baseline").  0 or PG_EINPUT.
 */
int stats_check_positive(const double *x, size_t n, const char *what);

#endif
