/*
 * pairs_session.h - what runner/pairs.c and runner/pairs_check.c share
 * about one paired session.  Private to runner/pairs*.c.
 *
 * Errors: functions that return int give 0 or a negative code with a
 * message (util/error.h).  Ownership: everything is borrowed from the
 * session, which runner/pairs.c sets up and frees.
 */
#ifndef PG_RUNNER_PAIRS_SESSION_H
#define PG_RUNNER_PAIRS_SESSION_H

#include "runner/invoke.h"
#include "runner/pairs.h"
#include "util/buf.h"

/* One benchmark entry's state across looks. */
struct pair_entry {
	const struct config_bench *cb;
	/* the two sides' copies: directories mapped, paired timeout */
	struct config_bench side_cb[2];
	struct config_service base_svc;
	struct runner_invoker_state state[2]; /* carried across looks */
	long pairs; /* measured so far */
	int running;
	int solo; /* the candidate side only: new, or the baseline fails */
	int warmed; /* the preflight was the next batch's warmup pair */
};

struct pairs_session {
	const struct config *cfg;
	const struct runner_pairs_opts *o;
	struct result_run *base, *cand;
	struct pair_entry *entries;
	size_t nentries;
	uint64_t rng;
};

/* "baseline" and "candidate", by side (0, 1). */
extern const char *const pairs_side_name[2];

/*
 * Record a failure of side ("baseline"/"candidate", or NULL) in pair (0:
 * warmup; < 0: before any pair) on both sides, and stop the entry.
 */
void pairs_fail(struct pairs_session *s, struct pair_entry *p, const char *side,
                long pair, const char *why);

/*
 * PG_EINPUT when entry cb's command, or its service's, names the
 * candidate's tree by absolute path (both sides would run its copy).
 */
int pairs_check_paths(const struct pairs_session *s,
                      const struct config_bench *cb);

/*
 * Stress entry p's whole measurement (runner/pairs_stress.c):
 * runner_pairs_stress_ramps() ramp pairs, each a ramp of either side in
 * coin-flip order (runner_stress_ramp() on p->side_cb[side]), so the
 * derived metrics have one sample per pair on each side; then p stops
 * (no sequential looks).  A ramp that fails fails the entry on both
 * sides.  Returns 0; PG_EINPUT for load output that does not parse;
 * PG_ERUNTIME when cancelled (each service is stopped).
 */
int pairs_stress_batch(struct pairs_session *s, struct pair_entry *p);

/* The preflight of runner_pairs_measure(): see runner/pairs.h. */
int pairs_preflight(struct pairs_session *s);

#endif
