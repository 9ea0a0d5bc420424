/* Reading and appending runs in git notes; see store/notes.h. */
#include "store/notes.h"
#include "store/internal.h"
#include "util/testpoint.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Bounded retries of the compare-and-swap (about ten seconds in all): the
 * wait doubles from 1 ms up to at most 67 ms, 50 ms on average
 * (util/clock.h: a wait is drawn from [d/2, d]).
 */
#define APPEND_TRIES 200
#define APPEND_BACKOFF_BASE_MS 1
#define APPEND_BACKOFF_MAX_MS 67

int store_notes_tip(struct store *s, git_commit **out)
{
	git_oid oid;
	int err;

	*out = NULL;
	err = git_reference_name_to_id(&oid, s->repo, s->notes_ref);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (err < 0)
		return store_git_error(PG_ERUNTIME, "cannot read '%s'",
		                       s->notes_ref);
	if (git_commit_lookup(out, s->repo, &oid) < 0)
		return store_git_error(PG_ERUNTIME,
		                       "'%s' does not point to a commit",
		                       s->notes_ref);
	return 0;
}

void store_forget_notes(struct store *s)
{
	git_commit_free(s->notes_commit);
	s->notes_commit = NULL;
	s->notes_loaded = 0;
	store_note_index_free(s->note_index);
	s->note_index = NULL;
}

static int snapshot(struct store *s)
{
	int err;

	if (s->notes_loaded)
		return 0;
	if ((err = store_notes_tip(s, &s->notes_commit)) < 0)
		return err;
	s->notes_loaded = 1;
	return 0;
}

int store_notes_exist(struct store *s, int *exists)
{
	int err = snapshot(s);

	*exists = err == 0 && s->notes_commit != NULL;
	return err;
}

/* The note on target in notes commit nc: *note NULL when there is none. */
static int read_note(struct store *s, git_commit *nc, const git_oid *target,
                     git_note **note)
{
	int err;

	*note = NULL;
	if (!nc)
		return 0;
	err = git_note_commit_read(note, s->repo, nc, target);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (err < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot read the note for '%s'",
		                       git_oid_tostr_s(target));
	return 0;
}

static const char *short_ref(const struct store *s)
{
	return strncmp(s->notes_ref, "refs/notes/", 11) ? s->notes_ref
	                                                : s->notes_ref + 11;
}

int store_read_note(struct store *s, const char *sha, char **text, size_t *len)
{
	git_oid oid;
	size_t n;
	int err;

	*text = NULL;
	if (len)
		*len = 0;
	if ((err = store_parse_oid(&oid, sha)) < 0 || (err = snapshot(s)) < 0)
		return err;
	if (!s->note_index &&
	    (err = store_note_index_new(&s->note_index, s->repo,
	                                s->notes_commit)) < 0)
		return err;
	if ((err = store_note_index_read(s->note_index, &oid, text, &n)) < 0)
		return err;
	if (len)
		*len = n;
	return 0;
}

int store_parse_note_runs(const struct store *s, const char *sha,
                          const char *text, size_t len,
                          struct result_run **runs, size_t *n, char **warning)
{
	char what[64];
	int err;

	*runs = NULL;
	*n = 0;
	*warning = NULL;
	snprintf(what, sizeof(what), "note for %s", sha);
	err = result_doc_parse(runs, n, text, len, what);
	if (err == PG_ERUNTIME) /* interrupted: not the note's fault */
		return err;
	if (err < 0) {
		struct pg_buf b = PG_BUF_INIT;

		pg_buf_addf(&b,
		            "skipping unreadable results: %s (inspect it with "
		            "'git notes --ref=%s show %s')",
		            pg_error_last(), short_ref(s), sha);
		*warning = pg_buf_detach(&b, NULL);
		pg_error_clear();
	}
	return 0;
}

int store_read_runs(struct store *s, const char *sha, struct result_run **runs,
                    size_t *n, char **warning)
{
	char *text = NULL;
	size_t len;
	int err;

	*runs = NULL;
	*n = 0;
	*warning = NULL;
	if ((err = store_read_note(s, sha, &text, &len)) < 0 || !text)
		return err;
	err = store_parse_note_runs(s, sha, text, len, runs, n, warning);
	free(text);
	return err;
}

/*
 * The new note text for target: the old runs plus run_doc's, malloc'd in
 * *out; or *out NULL when target has no note, and the text is run_doc's
 * (not copied: a large run is held once).
 */
static int new_note_text(struct store *s, git_commit *tip,
                         const git_oid *target, const char *sha,
                         const struct pg_buf *run_doc, char **out)
{
	git_note *note = NULL;
	const char *old;
	int err;

	*out = NULL;
	if ((err = read_note(s, tip, target, &note)) < 0)
		return err;
	if (!note)
		return 0;
	old = git_note_message(note);
	old = old ? old : "";
	/* a new run: no tree of it (a large import holds its text once) */
	err = store_note_append_one(out, old, strlen(old), run_doc->s,
	                            run_doc->len, sha);
	if (err > 0)
		err = store_note_union(out, old, strlen(old), run_doc->s,
		                       run_doc->len, sha, 1);
	git_note_free(note);
	if (err < 0) {
		/* the message buffer is reused: copy before formatting */
		char *why = pg_strdup(pg_error_last());

		err = pg_error_input("%s; perfgate will not overwrite it "
		                     "(inspect it with 'git notes --ref=%s "
		                     "show %s')",
		                     why, short_ref(s), sha);
		free(why);
	}
	return err;
}

/*
 * libgit2 1.5 can report success when writing the notes commit failed (a
 * full disk): the ref update then says "target OID for the reference
 * doesn't exist".  Check that the commit is there, and say why not.
 */
static int check_written(struct store *s, const git_oid *commit,
                         const char *sha)
{
	const git_error *e = git_error_last();
	char *why = pg_strdup(e && e->message ? e->message : "");
	git_odb *odb = NULL;
	int err = 0;

	if (git_repository_odb(&odb, s->repo) < 0)
		err = store_git_error(PG_ERUNTIME,
		                      "cannot write the note for '%s'", sha);
	else if (!git_odb_exists(odb, commit))
		err = pg_error_runtime(
		        "cannot write the note for '%s': the "
		        "notes commit was not written: %s",
		        sha, *why ? why : "is the disk full or failing?");
	git_odb_free(odb);
	git_error_clear();
	free(why);
	return err;
}

/*
 * One attempt: read the tip, write a notes commit on top of it and move
 * the ref if it still points at the tip.  *retry = 1 when another writer
 * got there first (or holds the lock).
 */
static int append_once(struct store *s, const git_oid *target, const char *sha,
                       const struct pg_buf *run_doc, int *retry)
{
	git_signature *sig = NULL;
	git_commit *tip = NULL;
	git_reference *ref = NULL;
	git_oid commit, blob;
	char *text = NULL;
	int err;

	*retry = 0;
	if ((err = store_notes_tip(s, &tip)) < 0 ||
	    (err = new_note_text(s, tip, target, sha, run_doc, &text)) < 0 ||
	    (err = store_signature(&sig)) < 0)
		goto out;
	git_error_clear();
	if (git_note_commit_create(&commit, &blob, s->repo, tip, sig, sig,
	                           target, text ? text : run_doc->s, 1) < 0) {
		/* libgit2 does not always say why a write failed */
		err = git_error_last() && git_error_last()->message
		              ? store_git_error(
		                        PG_ERUNTIME,
		                        "cannot write the note for '%s'", sha)
		              : pg_error_runtime(
		                        "cannot write the note for "
		                        "'%s': libgit2 gives no reason "
		                        "(is the disk full or failing?)",
		                        sha);
		goto out;
	}
	if ((err = check_written(s, &commit, sha)) < 0)
		goto out;
	pg_test_point("append:before-ref");
	err = git_reference_create_matching(
	        &ref, s->repo, s->notes_ref, &commit, tip != NULL,
	        tip ? git_commit_id(tip) : NULL, "perfgate: append run");
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ELOCKED) {
		*retry = 1;
		err = store_git_error(PG_ERUNTIME, "cannot update '%s'",
		                      s->notes_ref);
	} else if (err < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot update '%s'",
		                      s->notes_ref);
	} else {
		pg_test_point("append:after-ref");
	}
out:
	free(text);
	git_reference_free(ref);
	git_signature_free(sig);
	git_commit_free(tip);
	return err;
}

/*
 * Everything written must be readable by every reader: a run the reader
 * would refuse (an empty benchmark name, say) would make the whole note
 * unreadable, so it is refused here, before anything is written.
 */
static int check_readable(const struct pg_buf *doc, const char *sha)
{
	struct result_run *back = NULL;
	size_t n = 0;
	int err = result_doc_parse(&back, &n, doc->s, doc->len, "the new run");

	result_runs_free(back, n);
	if (err < 0 && err != PG_ERUNTIME) /* not when interrupted */
		err = pg_error_wrap(PG_EINPUT,
		                    "refusing to store a run on '%.12s' that "
		                    "perfgate could not read back",
		                    sha);
	return err;
}

int store_append_doc(struct store *s, const char *sha, const struct pg_buf *doc)
{
	git_commit *c = NULL;
	git_oid target;
	struct pg_backoff backoff;
	unsigned attempt;
	int err, retry = 0;

	if ((err = store_parse_oid(&target, sha)) < 0)
		return err;
	err = git_commit_lookup(&c, s->repo, &target);
	git_commit_free(c);
	if (err == GIT_ENOTFOUND && s->shallow) {
		/*
		 * A shallow clone may lack the commit measured (the head of a
		 * pull request when the merge commit is checked out): git
		 * notes may annotate any object id, so store anyway.
		 */
		git_error_clear();
	} else if (err < 0) {
		return store_git_error(PG_EINPUT,
		                       "cannot store results on '%s'", sha);
	}
	pg_backoff_init(&backoff, APPEND_BACKOFF_BASE_MS,
	                APPEND_BACKOFF_MAX_MS);
	for (attempt = 0; attempt < APPEND_TRIES; attempt++) {
		err = append_once(s, &target, sha, doc, &retry);
		if (!retry)
			break;
		pg_backoff(&backoff, attempt);
	}
	if (retry) {
		char *hint = store_lock_hint(git_repository_path(s->repo),
		                             s->notes_ref);

		err = pg_error_runtime("cannot update '%s': still locked or "
		                       "contended after %u attempts; %s",
		                       s->notes_ref, APPEND_TRIES, hint);
		free(hint);
	}
	store_forget_notes(s);
	return err;
}

int store_append_run(struct store *s, const char *sha,
                     const struct result_run *run)
{
	struct pg_buf doc = PG_BUF_INIT;
	int err;

	result_doc_to_json(run, 1, &doc);
	if ((err = check_readable(&doc, sha)) == 0)
		err = store_append_doc(s, sha, &doc);
	pg_buf_release(&doc);
	return err;
}

int store_append_run_doc(struct store *s, const char *sha,
                         const struct pg_buf *doc)
{
	return store_append_doc(s, sha, doc);
}
