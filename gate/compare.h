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
 *
 * Errors: gate_compare() returns 0 or a negative code with a message
 * (util/error.h).  Ownership: the rows it adds belong to the report
 * (report_release()); every other argument is borrowed for the call.
 */
#ifndef PG_GATE_COMPARE_H
#define PG_GATE_COMPARE_H

#include <stddef.h>

#include "gate/accept.h"
#include "gate/compare_opts.h"
#include "model/report.h"
#include "model/config.h"
#include "model/result.h"

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
