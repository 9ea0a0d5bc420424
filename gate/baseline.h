/*
 * baseline.h - which stored results the candidate is compared with.
 *
 * The walk starts at --base REV, or else at the merge-base of the
 * candidate with the target branch: --base-branch, else the CI's
 * ($GITHUB_BASE_REF, $CI_MERGE_REQUEST_TARGET_BRANCH_NAME,
 * $CI_DEFAULT_BRANCH), else the remote's default branch (origin/HEAD), else
 * main or master (each tried as origin/NAME, then NAME).  When that start
 * is the candidate itself (a push to the target branch) the walk starts at
 * its first parent, so the baseline is never the candidate or a descendant
 * of it.  From the start it follows first parents to the nearest commits
 * that hold clean runs (not dirty) with the candidate's environment key
 * (model/result.h), and pools up to `window` such commits.  Runs of paired
 * sessions (result_run.mode "paired") are never taken: they were measured
 * interleaved with their own baseline.
 */
#ifndef PG_GATE_BASELINE_H
#define PG_GATE_BASELINE_H

#include <stddef.h>

#include "store/repo.h"
#include "model/result.h"

struct gate_baseline_opts {
	const char *base_rev; /* --base: start here; NULL: merge-base */
	const char *base_branch; /* --base-branch; NULL: from the CI */
	size_t window; /* commits with results to pool (>= 1) */
	size_t max_walk; /* commits to look at, at most */
	const char *env_key; /* only runs with this key; NULL: any */
	/* run ids never to use (the candidate's own runs) */
	char *const *exclude_ids;
	size_t nexclude;
};

struct gate_baseline {
	char start[41]; /* where the walk started ("" if nowhere) */
	char *target; /* the branch the merge-base came from */
	/* newest commit first, runs of one commit adjacent, each with its
	 * commit (filled in from the note's commit where a run lacks it) */
	struct result_run *runs;
	size_t nruns;
	char (*commits)[41]; /* the commits runs came from, newest first */
	size_t ncommits;
	size_t walked; /* commits looked at */
	int shallow; /* the walk hit a shallow clone's boundary */
	/*
	 * 1 when the candidate is itself on the target branch (its merge-base
	 * with it is the candidate: a push to main), not set by --base
	 */
	int on_target;
	char *notice; /* why there is no baseline; NULL when there is one */
	char *warnings; /* corrupt notes that were skipped, one per line */
};

void gate_baseline_release(struct gate_baseline *b);

/*
 * Find the baseline of the candidate commit cand (full SHA).  Returns 0
 * with b->nruns == 0 and b->notice set when nothing qualifies (that is
 * not an error); PG_EINPUT for an unknown --base or --base-branch;
 * PG_ERUNTIME when the repository cannot be read.
 */
int gate_find_baseline(struct gate_baseline *b, struct store *s,
                       const char *cand, const struct gate_baseline_opts *o);

/*
 * Only the commit the walk would start at, for paired mode, which builds
 * and measures that commit itself: --base, else the merge-base with the
 * target branch (its first parent when that is cand itself).  Fills
 * b->start, b->target and, when there is no such commit (b->start ""),
 * b->notice; nothing is read from the notes.  Errors as
 * gate_find_baseline().
 */
int gate_base_commit(struct gate_baseline *b, struct store *s, const char *cand,
                     const struct gate_baseline_opts *o);

/*
 * Read the Perfgate-Accept lines (gate/accept.h) of the commits from cand
 * down to, not including, stop (the newest baseline commit; NULL: no stop)
 * along first parents, at most max commits, into a.  Returns 0, PG_EINPUT
 * for a malformed line, or a store error.
 */
struct gate_accepts;
int gate_collect_accepts(struct gate_accepts *a, struct store *s,
                         const char *cand, const char *stop, size_t max);

#endif
