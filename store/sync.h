/*
 * sync.h - exchanging results with a remote: `perfgate sync`.
 *
 * A sync fetches the remote's notes ref into a private ref
 * (refs/perfgate-sync/<remote>/<notes ref without "refs/">), merges it into
 * the local notes ref as the union of runs per commit (de-duplicated by
 * run id; the merge commit has both sides as parents, so nothing either
 * side wrote is unreachable), and pushes the result without force.  A
 * rejected push (someone else pushed first) is retried - fetch, merge,
 * push - with backoff, a bounded number of times.
 *
 * Remotes over ssh use the SSH agent; https remotes use a token from
 * PERFGATE_TOKEN, GITHUB_TOKEN or CI_JOB_TOKEN, and the
 * http.<url>.extraheader entries of the git config (which actions/checkout
 * writes) are sent as extra headers.  Local remotes (a path or file://)
 * are updated with a compare-and-swap of the remote ref, because libgit2
 * 1.5's local transport force-writes refs on push.
 */
#ifndef PG_STORE_SYNC_H
#define PG_STORE_SYNC_H

#include <stddef.h>

#include "store/repo.h"

#define STORE_SYNC_DEFAULT_TRIES 8

struct store_sync_opts {
	const char *remote; /* name or URL; NULL means "origin" */
	int fetch_only; /* fetch and merge locally, do not push */
	int push_only; /* push without fetching; a rejection is an error */
	unsigned max_tries; /* push attempts; 0: STORE_SYNC_DEFAULT_TRIES */
};

struct store_sync_report {
	int remote_had_notes; /* the remote's notes ref existed */
	size_t notes_merged; /* notes of commits that the merge changed */
	size_t notes_skipped; /* conflicting notes kept as ours (unreadable) */
	int local_updated; /* the local notes ref moved */
	int pushed; /* the remote notes ref moved */
	unsigned tries; /* push attempts made */
};

/*
 * Synchronise the notes ref of s with a remote.  Returns 0; PG_EINPUT for
 * an unknown remote, a rejected --push-only push, or authentication
 * failures (the message says which credentials were tried); PG_ERUNTIME
 * for network and repository failures, or when pushes are still rejected
 * after max_tries attempts.  The error's reason (util/error.h) is
 * PG_EAUTH, PG_EREJECTED or PG_ELOCKED for those cases.  report may be
 * NULL.
 */
int store_sync(struct store *s, const struct store_sync_opts *opts,
               struct store_sync_report *report);

#endif
