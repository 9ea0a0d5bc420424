/*
 * paired.h - the decisions of paired mode (the measuring is runner/pairs.h):
 * how much alpha each sequential look spends, and the stop rule.
 *
 * Looks: after looks[k] pairs of every benchmark still running, the suite
 * is compared (gate/compare.h, paired Wilcoxon signed-rank on the per-pair
 * log ratios) with the share paired_spend() of alpha.  A benchmark stops
 * when every gating metric is clear: a regression, improvement or
 * unchanged verdict at that alpha, or a PG_PAIRED_PASS_CONFIDENCE CI whose
 * upper bound is below theta (a pass).  It also stops, before the last
 * look, when more pairs would almost surely not show a slowdown that
 * matters (futility: every open gating metric's conditional power, at
 * the session's last look, below PG_PAIRED_FUTILITY_POWER; its row says
 * so).  Stopping without a fail can only lower the false-alarm rate, so
 * the futility stop costs no alpha.  docs/paired.md has the rule and why
 * it keeps false alarms at alpha.
 *
 * Errors and ownership: only paired_decide() can fail (with
 * gate_compare()'s error); nothing here returns memory, and a struct
 * paired_rule owns only its stops (paired_rule_release()).
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

/*
 * 1 when more pairs would almost surely not make row a regression: row is
 * open (not paired_row_settled()) at n of total pairs, and its
 * conditional power (stats_paired_conditional_power()) with per-pair
 * log-ratio spread spread, at the last look's alpha_last, is below
 * PG_PAIRED_FUTILITY_POWER.  *power (may be NULL) gets it (NAN: unknown,
 * and 0 is returned).
 */
int paired_row_futile(const struct report_row *row, double spread, size_t total,
                      double alpha_last, double *power);

/* The robust spread (scaled MAD, else SD) of ln(cand_i / base_i); NAN as
 * paired_spread(). */
double paired_robust_spread(const struct result_metric *base,
                            const struct result_metric *cand);

/*
 * What paired_decide() needs: everything borrowed but stops, which
 * paired_decide() fills with the benchmarks it stopped before the last
 * look with their verdict open (a pass or futility) and points cmp.stops
 * at, so that the final comparison's rows say why.  Zero it (then set
 * the borrowed fields), and paired_rule_release() it.
 */
struct paired_rule {
	const struct config *cfg;
	struct gate_compare_opts cmp; /* alpha, theta, correction */
	const long *looks; /* the session's looks, to spend alpha */
	size_t nlooks;
	struct gate_stop *stops; /* owned */
	size_t nstops;
};

/* Free what paired_decide() added to rule (rule itself is the caller's). */
void paired_rule_release(struct paired_rule *rule);

/*
 * The stop rule of runner_pairs_opts.decide (rule is a struct
 * paired_rule): compares base and cand at look's share of alpha and at the
 * pass confidence, and sets stop[i] to 1 for each entries[i] whose every
 * gating row is settled (paired_row_settled(), rows matched by benchmark
 * and metric), or, before the last look, settled or futile
 * (paired_row_futile()); an entry stopped before the last look with an
 * open verdict is recorded in rule->stops.  0, or the error of
 * gate_compare().
 */
int paired_decide(void *rule, size_t look, const struct result_run *base,
                  const struct result_run *cand,
                  const struct config_bench *const *entries, size_t n,
                  char *stop);

#endif
