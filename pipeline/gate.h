/*
 * gate.h - the stored-baseline gate's flow, above gate/, store/ and
 * history/: find the baseline of a candidate and build the report that
 * compares them (acceptances in force, notes, alerts, explanations,
 * charts).  Writing the reports and choosing the exit status stay with
 * the caller (cmd/gate_common.c, reporters/write_all.h).
 */
#ifndef PG_PIPELINE_GATE_H
#define PG_PIPELINE_GATE_H

#include <stddef.h>

#include "gate/baseline.h"
#include "gate/compare.h"
#include "model/config.h"
#include "model/result.h"

struct report;
struct store;

/* What `perfgate gate`, `compare` and `ab` ask of a comparison. */
struct pipeline_gate_opts {
	const char *base; /* --base REV */
	const char *base_branch; /* --base-branch BRANCH */
	const char *notes_ref; /* --notes-ref REF */
	const char *junit, *markdown, *json; /* report files */
	const char *metrics; /* --metrics FILE: OpenMetrics text */
	long window; /* --baseline-window N */
	long history; /* --history-window N */
	int window_set;
	int alpha_set; /* --alpha given: paired mode keeps it */
	int require_baseline;
	int fail_on_inconclusive;
	int explain; /* --explain: explain each regression (docs/explain.md) */
	/* the first line of every report: the mode and why; NULL: none */
	const char *mode_reason;
	int verbose; /* -v: every row in the terminal report */
	struct gate_compare_opts cmp;
	const char *on_change; /* gate --on-change: "fail", "warn"; NULL */
	/*
	 * History alerts found by cmd_gate_history() (their rep->alerts and
	 * rep->history); the gate moves them into its report.
	 * NULL when none were looked for.
	 */
	struct report *alerts;
	/*
	 * Explain the regressions of a report (--explain, "explain": true):
	 * set by the caller (cmd/ wires pipeline_explain_report), NULL: never
	 */
	void (*explainer)(struct report *rep, struct store *s,
	                  const struct config *cfg);
};

/* Every field zero but the windows (defaults) and cmp (its defaults). */
void pipeline_gate_opts_init(struct pipeline_gate_opts *o);

/* What the candidate is compared with, all borrowed. */
struct pipeline_gate_base {
	const struct result_run *runs; /* newest commit first */
	size_t nruns;
	const char (*commits)[41]; /* the commits runs came from */
	size_t ncommits;
	const char *notice; /* why there is no baseline (nruns == 0) */
	double duration; /* seconds spent finding it, for the report */
	/*
	 * Benchmarks measured on the candidate side only, and why: a note on
	 * each of their rows (an entry's name covers its "entry/inner" ones)
	 */
	char *const *solo;
	char *const *solo_why;
	size_t nsolo;
};

/*
 * Compare cand (ncand runs measured on cand_sha) with base using cmp into
 * rep (initialised by the caller, who releases it): the acceptances in
 * force between them (perfgate.json and commit trailers), the solo notes,
 * o->alerts moved in, explanations (o->explainer), timing and charts.  cfg
 * may be NULL.  mode names the comparison in reports.  0 or an error of
 * gate_compare() or the acceptances (PG_EINPUT: an accept names an
 * unknown commit).  Warnings (no trends) go to stderr.
 */
int pipeline_gate_build(struct report *rep, struct store *s,
                        const struct config *cfg, const struct result_run *cand,
                        size_t ncand, const char *cand_sha,
                        const struct pipeline_gate_base *base,
                        const struct pipeline_gate_opts *o,
                        const struct gate_compare_opts *cmp, const char *mode);

/*
 * The stored baseline of cand (runs measured on cand_sha) into b (released
 * by the caller in every case; b must outlive base, which borrows from
 * it), with o's --base, --base-branch and windows: the level from the
 * newest o->window commits, the variance from up to o->history.  Warnings
 * about skipped notes go to stderr.  0 or the error of
 * gate_find_baseline().
 */
int pipeline_gate_find_base(struct gate_baseline *b,
                            struct pipeline_gate_base *base, struct store *s,
                            const struct result_run *cand, size_t ncand,
                            const char *cand_sha,
                            const struct pipeline_gate_opts *o);

#endif
