/*
 * compare.h - turn a candidate's results and a baseline's into a report:
 * one row per benchmark x metric with its verdict, effect and confidence
 * interval, suite-wide error control, budgets and accepted regressions.
 *
 * The baseline is a list of runs (the history of each benchmark, newest
 * commit first).  A paired session's runs are compared pair by pair
 * (Wilcoxon signed-rank); counts by the range of their ratios with the
 * newest run; every stored timing metric with the run as the unit, its
 * median against the newest level with the between-run variance of the
 * history (stats/pooled.h), so between-run noise does not cry wolf, and
 * too little history is inconclusive.  Every row gets its minimum
 * detectable effect (stats/mde.h).
 *
 * The cells (one per benchmark x metric) are gathered and compared in
 * gate/cells.h, budgets checked in gate/budget.h, the method line written
 * by gate/method.h; this file adjusts the p-values suite-wide and gives
 * each row its verdict.
 */
#ifndef PG_GATE_COMPARE_H
#define PG_GATE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "gate/accept.h"
#include "reporters/report.h"
#include "stats/verdict.h"
#include "util/config.h"
#include "util/result.h"

/*
 * A benchmark x metric that paired mode stopped early for futility
 * (gate/paired.h): its row says so instead of "more pairs would decide".
 */
struct gate_futile {
	char *bench, *metric;
	size_t pairs; /* measured when it stopped */
	size_t total; /* the session's last look */
	double power; /* the conditional power at the stop */
};

struct gate_compare_opts {
	double alpha; /* significance after adjustment */
	double threshold; /* theta; NAN: 5% stored, 2% paired */
	double confidence; /* of effect CIs and budget bounds */
	enum stats_correction correction;
	int paired; /* base and cand runs were measured as pairs */
	/*
	 * Stored baselines: the runs of the newest level_commits commits of
	 * base (runs of one commit are adjacent, result_run.commit) set the
	 * level; all of base, the history, gives the between-run variance
	 * (stats/pooled.h).  0: every run sets the level.
	 */
	size_t level_commits;
	/*
	 * Sequential testing (paired mode's looks, gate/paired.h): the
	 * fraction of alpha, and of 1 - confidence, that this look spends,
	 * so that stopping at the first clear verdict keeps the false-alarm
	 * rate at alpha (docs/paired.md).  0 or 1: everything, one look.
	 */
	double spend;
	/* the candidate ran a subset (--filter): do not list the rest as
	 * removed */
	int partial;
	uint64_t seed;
	/* paired mode's futility stops so far (borrowed; may be NULL) */
	const struct gate_futile *futile;
	size_t nfutile;
};

/* The defaults of util/defaults.h. */
void gate_compare_opts_init(struct gate_compare_opts *o);

/*
 * Compare cand (the candidate's runs; for each benchmark the newest run
 * that has it is used) with base (baseline runs; may be empty: every row is
 * then "no baseline", and budgets are still checked) and add the rows to
 * rep.  cfg (may be NULL) gives per-benchmark gating metrics, thresholds,
 * alpha and budgets; accepts (may be NULL) turns covered regressions into
 * "accepted".  Fills rep->alpha, rep->correction and rep->method.
 * Returns 0, or PG_EINPUT for a budget whose unit does not fit its metric
 * or samples that cannot be compared (not positive).
 */
int gate_compare(struct report *rep, const struct config *cfg,
                 const struct result_run *base, size_t nbase,
                 const struct result_run *cand, size_t ncand,
                 const struct gate_accepts *accepts,
                 const struct gate_compare_opts *o);

#endif
