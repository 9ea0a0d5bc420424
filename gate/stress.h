/*
 * stress.h - how the gate judges a stress test's failure mode
 * (docs/stress.md).  The metric "failure_mode" holds one severity per
 * ramp (stats/stress.h: 0 unbroken, 1 graceful, 2 errors, 3 crash); it is
 * not a noisy measurement to test for a shift, but a category: the
 * candidate regresses when its worst ramp failed by errors or by a crash
 * and no baseline ramp failed that badly.  A crash on both sides is
 * reported, and does not fail the gate.
 */
#ifndef PG_GATE_STRESS_H
#define PG_GATE_STRESS_H

#include "model/report.h"
#include "model/result.h"

#define GATE_STRESS_FAILURE_MODE "failure_mode"

/*
 * For metric GATE_STRESS_FAILURE_MODE of cand: write the note of row (the
 * modes of both sides, and why the ramp stopped), and, when base (the
 * newest baseline benchmark; may be NULL) has the metric too, its verdict:
 * regression, improvement or unchanged.  Returns 1 when the verdict is
 * set, 0 when it is not (another metric, or no baseline).
 */
int gate_stress_failure_mode(struct report_row *row,
                             const struct result_bench *base,
                             const struct result_bench *cand,
                             const char *metric);

/*
 * Whether a budget on metric of stress entry cfgb (may be NULL: not a
 * stress test, always 1) applies to its benchmark bench: a budget on a
 * derived metric (capacity, capacity_level, peak_throughput,
 * breaking_point, failure_mode) to the entry's own benchmark, any other
 * (latency_p99, ...) to each level's.
 */
struct config_bench;
int gate_stress_budget_applies(const struct config_bench *cfgb,
                               const char *bench, const char *metric);

/*
 * The note of a stress metric compared with one ramp on a side: why the
 * result is inconclusive and what to do ("ramps", or a budget).  malloc'd.
 */
char *gate_stress_single_ramp_note(const char *metric);

/*
 * Fill rep->curves: for every stress entry of cfg (may be NULL: nothing)
 * that the newest candidate run having it measured (cand, the newest
 * last), the median p50, p95, p99, error rate and throughput of each
 * level, its median capacity and worst failure mode, on both sides (the
 * baseline from the newest baseline run having it: base[0] first).
 */
struct config;
void gate_stress_curves(struct report *rep, const struct config *cfg,
                        const struct result_run *base, size_t nbase,
                        const struct result_run *cand, size_t ncand);

#endif
