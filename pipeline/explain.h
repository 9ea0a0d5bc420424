/*
 * explain.h - explaining a benchmark, for `perfgate explain` and the
 * gate's automatic explanations: one benchmark run under callgrind in a
 * baseline tree (exported and built as paired mode does, pipeline/trees.h)
 * and in the working tree, its per-function instruction counts diffed
 * (runner/explain.h, docs/explain.md).  Progress lines go to stderr.
 */
#ifndef PG_PIPELINE_EXPLAIN_H
#define PG_PIPELINE_EXPLAIN_H

#include <signal.h>
#include <stddef.h>

#include "model/report.h"
#include "runner/explain.h"
#include "util/buf.h"
#include "model/config.h"

struct store;

/* What to explain; everything borrowed. */
struct pipeline_explain_req {
	struct store *store;
	const struct config *cfg; /* the working tree's */
	const char *workdir; /* the working tree's root */
	const char *base_sha; /* full SHA of the baseline commit */
	const char *bench; /* a config name, or ENTRY/inner of a harness */
	int quiet; /* no progress lines on stderr */
	/* set when the user interrupts: stops builds and runs; may be NULL */
	const volatile sig_atomic_t *cancel;
	/* a clean-up failed (the scratch trees): msg; may be NULL */
	void (*error)(const char *msg);
};

/*
 * Export the baseline, build both trees, and explain req->bench into e
 * (initialised by the caller).  *filtered: 1 when a harness ran only the
 * inner benchmark.  Returns 0, PG_EINPUT for an unknown benchmark, or
 * what runner_explain() returns.
 */
int pipeline_explain_bench(struct runner_explanation *e, int *filtered,
                           const struct pipeline_explain_req *req);

/*
 * The text a report shows for e (report_row.explain): a first line
 * "why: ..." (runner_explain_why() of top functions), then a table of the
 * top functions and the notes (stripped binary, explains little of
 * wall_change, a fraction or NAN), appended to out.
 */
void pipeline_explain_text(struct pg_buf *out,
                           const struct runner_explanation *e, size_t top,
                           double wall_change);

/*
 * For the gate (`"explain": true`, --explain): explain each regression
 * row of rep (at most PG_EXPLAIN_MAX_BENCHES, none started after
 * PG_EXPLAIN_TIME_LIMIT_S) against rep->base_commit and set its explain
 * text; a benchmark that cannot be explained gets the reason instead.
 * Progress and refusals go to stderr; never fails the gate.
 */
void pipeline_explain_report(struct report *rep, struct store *s,
                             const struct config *cfg,
                             const volatile sig_atomic_t *cancel,
                             void (*error)(const char *msg));

#endif
