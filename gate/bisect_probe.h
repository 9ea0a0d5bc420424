/*
 * bisect_probe.h - what measuring one commit against GOOD showed, for
 * `perfgate bisect`: the mark the search takes (gate/bisect.h) from the
 * paired comparison's report, and the reason a commit is skipped when it
 * does not build.
 */
#ifndef PG_GATE_BISECT_PROBE_H
#define PG_GATE_BISECT_PROBE_H

#include "gate/bisect.h"
#include "model/report.h"

/* What measuring one commit against GOOD showed. */
struct gate_bisect_probe {
	enum gate_bisect_mark mark; /* UNTESTED: not measured */
	char *metric; /* the deciding row's metric; NULL when none */
	double estimate, ci_low, ci_high, confidence, threshold;
	long pairs;
	char *why; /* skipped or unclear: the reason; NULL */
};

/*
 * Fill p (zeroed by the caller; p->metric and p->why are the caller's to
 * free) from rep: its gating rows (of metric want, if not NULL) decide:
 * any regression is a shift, else any failure a skip, else anything
 * inconclusive whose CI reaches theta unclear, else the same.  The
 * deciding row's metric, effect, CI and pairs are kept; a failure's first
 * line or an unclear row's note becomes p->why.  No gating row: unclear,
 * "no gating comparison".
 */
void gate_bisect_probe_decide(struct gate_bisect_probe *p,
                              const struct report *rep, const char *want);

/*
 * "does not build: " and the line of a build's error output err (its
 * stderr tail) that says why: the last one with "error:" (compilers),
 * else the last non-empty one.  Returns a string the caller frees.
 */
char *gate_bisect_build_failure(const char *err);

#endif
