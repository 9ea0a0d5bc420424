/*
 * verdict.h - suite-level error control and the verdict of one comparison.
 *
 * A suite makes many comparisons (benchmarks x metrics); testing each at
 * alpha would flag some benchmark in most runs by chance.  The p-values
 * are therefore adjusted across every comparison of the run before any
 * verdict: Benjamini-Hochberg (false discovery rate, the default) or Holm
 * (family-wise error rate), both as R's p.adjust().
 *
 * Verdict rules (theta = opts.threshold, estimates towards worse, see
 * stats/compare.h), in this order:
 *   inconclusive  a sample drifts (the p-value is not trustworthy);
 * (alpha is opts.alpha times c->alpha_scale when that is set: run-level
 * comparisons of pooled baselines, stats/pooled.h)
 *   regression    p_adjusted < alpha and estimate >= theta;
 *   improvement   p_better_adjusted < alpha and estimate <= -theta;
 *   unchanged     the CI lies inside (-theta, +theta);
 *   inconclusive  anything else: too few samples to ever reach alpha, a
 *                 CI wider than theta, a significant change smaller
 *                 than theta whose CI still reaches past it.
 *
 * Errors: stats_adjust() and stats_correction_parse() return 0 or
 * PG_EINPUT with a message (util/error.h); the rest cannot fail.  Names are
 * static strings; why is the caller's buffer.
 */
#ifndef PG_STATS_VERDICT_H
#define PG_STATS_VERDICT_H

#include <stddef.h>

#include "stats/compare.h"

enum stats_verdict {
	STATS_REGRESSION,
	STATS_IMPROVEMENT,
	STATS_UNCHANGED,
	STATS_INCONCLUSIVE,
};

enum stats_correction {
	STATS_CORRECTION_BH, /* Benjamini-Hochberg, the default */
	STATS_CORRECTION_HOLM,
	STATS_CORRECTION_NONE,
};

/* "regression", "improvement", "unchanged", "inconclusive". */
const char *stats_verdict_name(enum stats_verdict v);

/* "benjamini-hochberg", "holm", "none". */
const char *stats_correction_name(enum stats_correction c);

/*
 * Parse "benjamini-hochberg" (or "bh", "fdr"), "holm", "none" into *out.
 * Returns 0 or PG_EINPUT naming the value.
 */
int stats_correction_parse(enum stats_correction *out, const char *s);

/*
 * Adjust the n p-values p into p_adjusted (may be the same array).  NaN
 * entries (comparisons without a test) stay NaN and do not count towards
 * the family size.  Returns 0, or PG_EINPUT for a p-value outside [0, 1].
 */
int stats_adjust(double *p_adjusted, const double *p, size_t n,
                 enum stats_correction c);

/* Room for stats_classify()'s why: a note of struct stats_comparison
 * (under 256 bytes) or one line of numbers. */
#define STATS_WHY_MAX 512

/*
 * The verdict of comparison c given its adjusted p-values towards worse
 * and towards better (adjust both families: p_value and p_better).  When
 * why is not NULL, writes a one-line explanation of the verdict (always
 * for inconclusive, e.g. "too few samples: exact signed-rank needs n >= 7
 * for alpha=0.01 (have 5 non-zero differences)").  A why of
 * STATS_WHY_MAX bytes holds every explanation in full.
 */
enum stats_verdict stats_classify(const struct stats_comparison *c,
                                  double p_adjusted, double p_better_adjusted,
                                  const struct stats_compare_opts *o, char *why,
                                  size_t why_len);

#endif
