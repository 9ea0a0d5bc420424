/*
 * retention.h - which runs `perfgate gc` keeps raw (docs/store.md
 * "Retention").
 *
 * Per branch (every local and remote-tracking branch, store_branches()),
 * the first-parent history is walked from its tip: the newest
 * keep_commits commits that have results keep their raw samples, and so
 * does every commit younger than keep_days (committer time).  A commit in
 * the window of any branch is kept.  Runs an accepted regression refers to
 * are never touched: the commits that carry a Perfgate-Accept line (their
 * runs show the regression accepted), the commits that a
 * "Perfgate-Accept: BENCH@COMMIT" line or a perfgate.json "accept" entry
 * with "commit" names, and (in store/gc.c) every note that records
 * history alerts.  Everything else is summarised by store_gc().
 */
#ifndef PG_GATE_RETENTION_H
#define PG_GATE_RETENTION_H

#include <stddef.h>

#include "store/gc.h"
#include "store/repo.h"
#include "model/config.h"

struct gate_retention_opts {
	size_t keep_commits; /* newest commits with results, per branch */
	double keep_days; /* commits younger than this; 0: none by age */
	long long now; /* seconds since the epoch */
	const struct config *cfg; /* its "accept" entries; may be NULL */
};

/* One branch: its commits with results, newest first, and the window. */
struct gate_retention_branch {
	struct store_branch ref;
	char **shas; /* commits with results on its first-parent history */
	size_t n, alloc;
	size_t kept; /* how many of them are in its own window */
};

struct gate_retention {
	struct gate_retention_branch *branches;
	size_t nbranches;
	char **keep; /* sorted, unique */
	size_t nkeep, keep_alloc;
	char **protect; /* hex prefixes */
	size_t nprotect, protect_alloc;
	long long cutoff; /* keep_days before now, 0 without keep_days */
	char **order; /* every branch's noted commits, oldest first */
	size_t norder;
};

/*
 * Walk every branch of s and fill *out (caller releases it, also on
 * failure).  Returns 0, or the walk's errors (PG_ERUNTIME).
 */
int gate_retention_plan(struct gate_retention *out, struct store *s,
                        const struct gate_retention_opts *o);
void gate_retention_release(struct gate_retention *r);

/* The plan for store_gc(), borrowing from r (r->order is built here). */
void gate_retention_gc_plan(struct gate_retention *r, struct store_gc_plan *p,
                            int apply);

#endif
