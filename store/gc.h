/*
 * gc.h - retention: replacing old runs' raw samples by summaries, in one
 * compare-and-swap commit on the notes ref (`perfgate gc`, docs/store.md
 * "Retention").
 *
 * gate/retention.h decides which commits keep raw samples (the newest
 * commits with results of every branch, recent commits, commits an
 * accepted regression names); store_gc() rewrites every other note: each
 * run with a metric of more samples than a summary's points is
 * summarised (model/result_summary.h) and marked "summarised": true.  The
 * run keeps its id, fingerprint (label, environment, config hash,
 * version), benchmarks, parameters and errors; only samples change.  A
 * note carrying history alerts (store/alerts.h) is never touched, nor is a
 * note perfgate cannot read (it is reported, as `log` reports it).
 *
 * Sync-safe: the summarised run is its own tombstone.  The union of notes
 * (store_note_union(), used by append and sync) keeps a summarised run
 * over a raw run with the same id, on either side, so a clone that still
 * has the raw samples never brings them back.  The notes commit gc writes
 * has the old tip as its parent: the raw samples stay in the ref's history
 * (nothing is lost) and leave the notes that every reader reads.
 */
#ifndef PG_STORE_GC_H
#define PG_STORE_GC_H

#include <stddef.h>

#include "store/repo.h"

/* A branch whose first-parent history gc looks at. */
struct store_branch {
	char *name; /* "main", "origin/main" */
	char sha[41]; /* the commit it points to */
};

/*
 * The local and remote-tracking branches of the repository (not symbolic
 * refs such as origin/HEAD) into *out (caller frees with
 * store_branches_free()), *n of them, sorted by name.  Returns 0 or
 * PG_ERUNTIME.
 */
int store_branches(struct store *s, struct store_branch **out, size_t *n);
void store_branches_free(struct store_branch *b, size_t n);

/*
 * *yes = 1 when commit sha (full SHA) has a note in the store's snapshot
 * of the notes ref (store/notes.h), without reading it.  Returns 0,
 * PG_EINPUT for a malformed sha or PG_ERUNTIME.
 */
int store_note_exists(struct store *s, const char *sha, int *yes);

/* What store_gc() keeps raw. */
struct store_gc_plan {
	/* commits whose runs keep raw samples: full SHAs, sorted (strcmp) */
	const char *const *keep;
	size_t nkeep;
	/* hex prefixes (>= 7 digits) of commits never touched */
	const char *const *protect;
	size_t nprotect;
	/* full SHAs of noted commits in the order to read their notes
	 * (history order reads packed notes fastest); the rest follow */
	const char *const *order;
	size_t norder;
	/* commits whose committer time is at or after cutoff keep raw
	 * samples (seconds since the epoch; 0: none by age) */
	long long cutoff;
	int apply; /* 0: dry run, nothing is written */
};

enum store_gc_state {
	STORE_GC_KEPT, /* in the keep window: raw */
	STORE_GC_PROTECTED, /* history alerts or an accepted regression */
	STORE_GC_DONE, /* nothing to summarise (already, or few samples) */
	STORE_GC_SUMMARISED, /* one or more runs summarised */
	STORE_GC_CORRUPT, /* unreadable: left untouched */
};

/* One note: what gc did (or would do) with it. */
struct store_gc_note {
	char sha[41];
	enum store_gc_state state;
	size_t runs, summarised; /* runs in it; runs gc summarises */
	size_t bytes_before, bytes_after;
	char *warning; /* STORE_GC_CORRUPT: why (malloc'd) */
};

struct store_gc_report {
	struct store_gc_note *notes; /* sorted by sha */
	size_t n;
	size_t runs, summarised, bytes_before, bytes_after;
	int written; /* 1 when a notes commit was written */
};

void store_gc_report_release(struct store_gc_report *r);

/*
 * The entry of r for commit sha (full SHA), or NULL.  Borrowed from r.
 */
const struct store_gc_note *store_gc_find(const struct store_gc_report *r,
                                          const char *sha);

/*
 * Summarise the runs of every note not kept by p into *r (caller
 * releases it, also on failure).  With p->apply, write the new notes in
 * one notes commit on top of the tip read and move the ref with
 * compare-and-swap; when another writer moved it meanwhile, start again
 * from the new tip (a bounded number of times).  Every rewritten note is
 * read back and must hold the same runs (ids, in order) or nothing is
 * written.  Returns 0; PG_ERUNTIME on I/O failure or a ref that stays
 * contended; PG_EINPUT when a rewritten note would not read back (a bug:
 * nothing written).
 */
int store_gc(struct store *s, const struct store_gc_plan *p,
             struct store_gc_report *r);

#endif
