/*
 * notes.h - perfgate results stored as git notes, one note per commit.
 *
 * A note is the results document of model/result.h,
 *
 *   {"schema":1,"runs":[
 *   RUN,
 *   RUN
 *   ]}
 *
 * one run per line, under the notes ref of the store (store_notes_ref()).
 * docs/store.md describes the format and the guarantees.
 *
 * Writes never lose data: store_append_run() builds a new notes commit on
 * top of the one it read and moves the ref only if it still points there
 * (compare-and-swap), retrying otherwise, so concurrent writers (threads or
 * processes) all get their runs in, and a writer killed at any point
 * leaves the ref at its old or its complete new value.  Earlier runs are
 * kept as the JSON they were written as, so members written by a newer
 * perfgate survive.
 *
 * Reads (store_read_runs, store_read_note) see one snapshot of the notes
 * ref: the value it had at the first read after store_open() or after the
 * last write through the same struct store.
 */
#ifndef PG_STORE_NOTES_H
#define PG_STORE_NOTES_H

#include <stddef.h>

#include "store/repo.h"
#include "model/result.h"

/*
 * Append run to the note of commit sha (a full SHA of a commit that
 * exists; in a shallow clone a missing object is accepted, since the PR
 * head of a GitHub merge checkout may not have been fetched).  A run whose
 * id is already in the note is not added twice.
 *
 * Returns 0; PG_EINPUT when sha is not a commit, or when the commit
 * already has a note that is not a valid schema-1 document (the message
 * says how to inspect it; the note is left alone); PG_ERUNTIME when the
 * ref stays locked or contended after a bounded number of retries (about
 * ten seconds), or on I/O failure.
 */
int store_append_run(struct store *s, const char *sha,
                     const struct result_run *run);

/*
 * store_append_run() of a run already serialised: doc is the document of
 * one run, which must read back (model/result_spool.h makes it so).  doc
 * is not copied when the commit has no note yet, so a large import holds
 * one copy of its run.  Same returns.
 */
struct pg_buf;
int store_append_run_doc(struct store *s, const char *sha,
                         const struct pg_buf *doc);

/*
 * Read the runs stored on commit sha.  No note: *runs = NULL, *n = 0.
 * A note that is not valid JSON or has an unknown schema is not an
 * error: *n = 0 and *warning is a malloc'd one-line message naming the
 * commit and how to inspect the note (warning is NULL otherwise; the
 * caller frees it).  On success *runs belongs to the caller
 * (result_runs_free()).  Errors: PG_EINPUT for a malformed sha,
 * PG_ERUNTIME when the repository cannot be read.
 */
int store_read_runs(struct store *s, const char *sha, struct result_run **runs,
                    size_t *n, char **warning);

/*
 * The second half of store_read_runs(): parse text, the note on sha, into
 * *runs and *n, or set *warning for a note that is not a valid document.
 * It reads nothing from the repository and only the notes ref name from
 * s, so it may run on another thread than the reads (perfgate log reads
 * notes on one thread and parses them on another).  Returns 0, or
 * PG_ERUNTIME ("interrupted", no runs, no warning) when SIGINT or SIGTERM
 * arrived while it parsed (util/cancel.h).
 */
int store_parse_note_runs(const struct store *s, const char *sha,
                          const char *text, size_t len,
                          struct result_run **runs, size_t *n, char **warning);

/*
 * The raw text of the note on sha into *text (malloc'd, NUL-terminated,
 * caller frees), or *text = NULL when there is none.
 */
int store_read_note(struct store *s, const char *sha, char **text, size_t *len);

/* *exists = 1 when the notes ref exists in this repository. */
int store_notes_exist(struct store *s, int *exists);

#endif
