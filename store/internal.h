/*
 * internal.h - what the files of store/ share and nobody else sees.
 *
 * This is the only header in perfgate that includes <git2.h>.  It is not
 * part of the store's public API: cmd/ and the other modules include
 * store/repo.h, store/notes.h and store/sync.h, which mention no git type.
 */
#ifndef PG_STORE_INTERNAL_H
#define PG_STORE_INTERNAL_H

#include <cjson/cJSON.h>
#include <git2.h>

#include "util/error.h"

struct store {
	git_repository *repo;
	char *notes_ref; /* full name, "refs/notes/perfgate" */
	int bare;
	int shallow;
	/* shallow boundary commits from $GIT_DIR/shallow, sorted */
	git_oid *shallow_oids;
	size_t nshallow;
	/*
	 * Notes commit that reads use, loaded on the first read and dropped
	 * by every write, so one command reads one consistent snapshot.
	 */
	git_commit *notes_commit;
	int notes_loaded; /* notes_commit is valid (NULL: no notes ref) */
	/* notes_commit's notes by annotated object, built on first read */
	struct store_note_index *note_index;
};

/*
 * Every note of a notes commit, found by walking its tree once: reading
 * 10,000 notes with git_note_commit_read() scans the fanout trees again
 * for each and costs half as much again as the blobs themselves.
 */
struct store_note_entry {
	git_oid target; /* the annotated object */
	git_oid blob; /* the note */
};
struct store_note_index {
	struct store_note_entry *v; /* sorted by target */
	size_t n;
	git_odb *odb;
};

/*
 * Index the notes of notes commit nc (NULL: no notes) into *out, which the
 * caller frees with store_note_index_free().  The layout is read as
 * libgit2's lookup reads it: any depth of two-hex-digit fanout
 * directories, and a directory shadows a note of the same prefix beside
 * it.  Returns 0 or PG_ERUNTIME.
 */
int store_note_index_new(struct store_note_index **out, git_repository *repo,
                         git_commit *nc);
void store_note_index_free(struct store_note_index *x);

/*
 * The text of the note on target into *text (malloc'd, NUL-terminated,
 * cut at a NUL byte as git_note_message() is) and *len, or *text = NULL
 * when target has none.  Returns 0 or PG_ERUNTIME.
 */
int store_note_index_read(const struct store_note_index *x,
                          const git_oid *target, char **text, size_t *len);

/*
 * Record code (PG_EINPUT or PG_ERUNTIME) with a message made of fmt and
 * libgit2's last error ("...: <git message>").  Returns code.
 */
int store_git_error(int code, const char *fmt, ...) PG_PRINTF(2, 3);

/*
 * The reason (enum pg_reason, util/error.h) for libgit2's return value
 * git_err and its last error: the one place where libgit2's codes become
 * perfgate's.  PG_ENONE when none fits (or git_err is not an error).
 */
int store_git_reason(int git_err);

/* Parse a full 40-digit SHA; PG_EINPUT naming what when it is not one. */
int store_parse_oid(git_oid *out, const char *sha);

/* Fixed signature for notes commits ("perfgate"), stamped now. */
int store_signature(git_signature **out);

/*
 * Append a note document doc (schema 1: its runs, and alerts) to the note
 * of commit sha: the union with what is there (store_note_union()),
 * written with compare-and-swap and retried; see store_append_run().
 */
struct pg_buf;
int store_append_doc(struct store *s, const char *sha,
                     const struct pg_buf *doc);

/* Drop the cached notes commit (after a write). */
void store_forget_notes(struct store *s);

/*
 * The notes commit the ref points to now, or *out = NULL when the ref does
 * not exist.  The caller frees it with git_commit_free().
 */
int store_notes_tip(struct store *s, git_commit **out);

/*
 * Merge two note texts for one commit into the union of their runs and of
 * their history alerts ("alerts", store/alerts.h, de-duplicated by alert
 * id): ours byte for byte, then the runs of theirs that ours lacks, copied
 * byte for byte after ours' last run, and their alerts that ours lacks,
 * copied into ours' alerts (hardening #18: re-serialising changed samples
 * by an ulp and cut strings at \u0000).  A run of theirs equal to one of
 * ours (same id, same JSON by cJSON_Compare) is not copied; one with the id
 * of a different run of ours is copied too (a merge never drops a run), or
 * with strict (appending) refused with PG_EINPUT.  The exception is gc's
 * (store/gc.h): a run marked "summarised" wins over a raw run with its
 * id, on either side, so a merge never brings back samples gc dropped
 * (ours' raw run is then replaced by theirs' summarised text).  Only a
 * text perfgate's
 * scanner cannot follow is re-serialised.  Returns PG_EINPUT when either
 * text is not a schema-1 notes document (sha names the commit in the
 * message); *out is a malloc'd NUL-terminated text.
 */
int store_note_union(char **out, const char *ours, size_t ours_len,
                     const char *theirs, size_t theirs_len, const char *sha,
                     int strict);

/*
 * Parse text[0..len), the note on sha, into *root (the caller
 * cJSON_Delete()s it), checking that it is {"schema":1,"runs":[{...},
 * ...]}: PG_EINPUT naming sha and what is wrong otherwise (*root NULL).
 */
int store_note_parse(cJSON **root, const char *text, size_t len,
                     const char *sha);

/*
 * store_note_union(out, ours, ..., doc, ..., sha, 1) without a cJSON tree
 * of doc, for the common case of appending: doc is one run written by
 * this perfgate (its text begins {"id":"ID"), with no alerts, and ours
 * has no run with its id.  Then *out (malloc'd) is ours with the run's
 * text copied after its last run, as store_note_union() writes it, and 0
 * is returned.  1 when that is not the case (*out NULL: call
 * store_note_union()); PG_EINPUT when ours is not a valid note, with
 * store_note_union()'s message.
 */
int store_note_append_one(char **out, const char *ours, size_t ours_len,
                          const char *doc, size_t doc_len, const char *sha);

/* A run's (or an alert's) text in a note: [start, end). */
struct store_note_span {
	size_t start, end;
};

/*
 * The spans of the elements of the first top-level array member key of a
 * note text that cJSON has accepted ("runs", "alerts"), into *spans
 * (malloc'd, caller frees, even on failure) and *n, and *last_end: where
 * its last element (or its '[') ends.  -1 when there is none or the text
 * is not shaped as perfgate writes it (a key written with escapes, say):
 * the caller then re-serialises.
 */
int store_note_find_array(const char *s, size_t len, const char *key,
                          struct store_note_span **spans, size_t *n,
                          size_t *last_end);

/*
 * gc's rewrite of one note (store/gc.h, store/gc_rewrite.c): text[0..len),
 * the note on sha, with every run that is not summarised yet and has a
 * metric of more than RESULT_SUMMARY_POINTS samples summarised and marked,
 * the other runs copied byte for byte, into *out (malloc'd, caller frees;
 * NULL when nothing changes).  *runs: the runs in the note; *summarised:
 * how many were summarised.  Returns 0; PG_EINPUT when text is not a note
 * perfgate reads (*runs is then 0), or when the rewritten note would not
 * read back with the same run ids in the same order (*out NULL).
 */
int store_gc_rewrite(char **out, const char *text, size_t len, const char *sha,
                     size_t *runs, size_t *summarised);

/* 1 when the note text (NUL-terminated) records history alerts. */
int store_note_has_alerts(const char *text, size_t len);

/*
 * A malloc'd hint about the lock file of ref in the repository at gitdir
 * (git_repository_path): "'<gitdir><ref>.lock' was left <N> s ago: if no
 * other perfgate or git process is using '<ref>', remove it (rm '...')";
 * or, when there is no such file, the same advice without the age.
 */
char *store_lock_hint(const char *gitdir, const char *ref);

/* Does the notes ref (or any ref) name look valid? PG_EINPUT if not. */
int store_check_refname(const char *name);

struct store_sync_report;

/*
 * Make the local notes ref include the notes commit theirs: nothing when
 * it already does, a fast-forward, or a merge commit with the union of
 * runs (store_note_union) for every note theirs changed since the merge
 * base.  Moves the ref with compare-and-swap, retrying when a local writer
 * moved it meanwhile.  Counts go into r.
 */
int store_absorb(struct store *s, const git_oid *theirs,
                 struct store_sync_report *r);

/* Credentials and extra headers for talking to remote url. */
struct store_auth {
	int tried_agent, tried_token;
	const char *token_vars_used; /* the variable a token came from */
	char **headers;
	size_t nheaders;
};
void store_auth_init(struct store_auth *a, struct store *s, const char *url);
void store_auth_release(struct store_auth *a);
int store_auth_credentials(git_credential **out, const char *url,
                           const char *username_from_url,
                           unsigned int allowed_types, void *payload);

#endif
