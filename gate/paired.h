/*
 * paired.h - the decisions of paired mode (the measuring is runner/pairs.h):
 * how much alpha each sequential look spends, and the stop rule.
 *
 * Looks: after looks[k] pairs of every benchmark still running, the suite
 * is compared (gate/compare.h, paired Wilcoxon signed-rank on the per-pair
 * log ratios) with the share paired_spend() of alpha.  A benchmark stops
 * when every gating metric is clear: a regression, improvement or
 * unchanged verdict at that alpha, or a PG_PAIRED_PASS_CONFIDENCE CI whose
 * upper bound is below theta (a pass).  docs/paired.md has the rule and
 * why it keeps false alarms at alpha.
 */
#ifndef PG_GATE_PAIRED_H
#define PG_GATE_PAIRED_H

#include <stddef.h>

#include "gate/compare.h"
#include "model/report.h"
#include "model/config.h"
#include "model/result.h"

/*
 * The share of alpha (and of 1 - confidence) that look k of nlooks spends:
 * t_k^2 - t_(k-1)^2 with t_k = looks[k] / looks[nlooks - 1], a power-family
 * alpha-spending function (rho = 2): 1/9, 3/9, 5/9 for looks at 10, 20,
 * 30 pairs.  The shares add up to 1, so by the union bound the chance of a
 * false regression at any look is at most alpha.  1 for a single look.
 */
double paired_spend(const long *looks, size_t nlooks, size_t k);

/*
 * The standard deviation of the per-pair log ratios ln(cand_i / base_i):
 * the A/A spread of paired mode.  NAN when the two metrics have different
 * sample counts, fewer than 2, or a sample that is not positive.
 */
double paired_spread(const struct result_metric *base,
                     const struct result_metric *cand);

/*
 * The stop rule for one row: 1 when row (compared with this look's share
 * of alpha) is a regression, improvement or unchanged, or pass (the same
 * row at PG_PAIRED_PASS_CONFIDENCE; may be NULL) has its CI's upper bound
 * below theta.
 */
int paired_row_settled(const struct report_row *row,
                       const struct report_row *pass);

/* What paired_decide() needs, all borrowed. */
struct paired_rule {
	const struct config *cfg;
	struct gate_compare_opts cmp; /* alpha, theta, correction */
	const long *looks; /* the session's looks, to spend alpha */
	size_t nlooks;
};

/*
 * The stop rule of runner_pairs_opts.decide (rule is a struct
 * paired_rule): compares base and cand at look's share of alpha and at the
 * pass confidence, and sets stop[i] to 1 for each entries[i] whose every
 * gating row is settled (paired_row_settled(), rows matched by benchmark
 * and metric).  0, or the error of gate_compare().
 */
int paired_decide(void *rule, size_t look, const struct result_run *base,
                  const struct result_run *cand,
                  const struct config_bench *const *entries, size_t n,
                  char *stop);

#endif
