/*
 * Merging two notes histories as a union of runs per commit; used by
 * sync.  See store_absorb() in store/internal.h.
 */
#include "store/internal.h"
#include "store/sync.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/* The annotated commit a notes tree path names ("ab/cdef..." or "abcdef...").
 */
static int path_to_oid(git_oid *out, const char *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t n = 0;

	for (; *path; path++) {
		if (*path == '/')
			continue;
		if (n == GIT_OID_HEXSZ)
			return -1;
		hex[n++] = *path;
	}
	hex[n] = '\0';
	return n == GIT_OID_HEXSZ && !git_oid_fromstr(out, hex) ? 0 : -1;
}

/* The text of our note merged with theirs (blob id); NULL: keep ours. */
static int merged_text(struct store *s, git_commit *work, const git_oid *target,
                       const git_oid *their_blob, char **out, size_t *skipped)
{
	git_note *note = NULL;
	git_blob *blob = NULL;
	const char *ours, *theirs;
	char sha[41];
	int err;

	*out = NULL;
	if (git_blob_lookup(&blob, s->repo, their_blob) < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot read a fetched note");
	theirs = git_blob_rawcontent(blob);
	err = git_note_commit_read(&note, s->repo, work, target);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		*out = pg_strndup(theirs, (size_t)git_blob_rawsize(blob));
		err = 0;
		goto out;
	}
	if (err < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot read a note");
		goto out;
	}
	if (git_oid_equal(git_note_id(note), their_blob))
		goto out;
	ours = git_note_message(note);
	git_oid_tostr(sha, sizeof(sha), target);
	err = store_note_union(out, ours, strlen(ours), theirs,
	                       (size_t)git_blob_rawsize(blob), sha, 0);
	if (err < 0) {
		/* unreadable on one side: keep ours; theirs stays in history */
		pg_error_clear();
		(*skipped)++;
		err = 0;
	}
out:
	git_note_free(note);
	git_blob_free(blob);
	return err;
}

/* Apply one changed note of theirs onto *work (a notes commit). */
static int apply_delta(struct store *s, git_commit **work,
                       const git_diff_delta *d, const git_signature *sig,
                       size_t *merged, size_t *skipped)
{
	git_oid target, commit, blob;
	git_commit *next = NULL;
	char *text = NULL;
	int err;

	if (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED)
		return 0; /* deletions on their side are not propagated */
	if (path_to_oid(&target, d->new_file.path) < 0)
		return 0; /* not a note */
	if ((err = merged_text(s, *work, &target, &d->new_file.id, &text,
	                       skipped)) < 0 ||
	    !text)
		return err;
	if (git_note_commit_create(&commit, &blob, s->repo, *work, sig, sig,
	                           &target, text, 1) < 0 ||
	    git_commit_lookup(&next, s->repo, &commit) < 0) {
		free(text);
		return store_git_error(PG_ERUNTIME,
		                       "cannot write a merged note");
	}
	free(text);
	git_commit_free(*work);
	*work = next;
	(*merged)++;
	return 0;
}

static int tree_of(git_repository *repo, const git_oid *commit_id,
                   git_tree **out)
{
	git_commit *c = NULL;
	int err;

	*out = NULL;
	if (!commit_id)
		return 0;
	if ((err = git_commit_lookup(&c, repo, commit_id)) == 0)
		err = git_commit_tree(out, c);
	git_commit_free(c);
	return err;
}

/*
 * A merge commit whose parents are ours and theirs and whose tree holds,
 * for every note theirs changed since the merge base, the union of runs.
 */
static int merge_commit(struct store *s, git_commit *ours, git_commit *theirs,
                        git_oid *out, size_t *merged, size_t *skipped)
{
	git_tree *base_tree = NULL, *their_tree = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_diff *diff = NULL;
	git_commit *work = NULL;
	const git_commit *parents[2] = {ours, theirs};
	git_oid base;
	size_t i;
	int err, has_base;

	has_base = git_merge_base(&base, s->repo, git_commit_id(ours),
	                          git_commit_id(theirs)) == 0;
	git_error_clear();
	if ((err = store_signature(&sig)) < 0)
		goto out;
	if (tree_of(s->repo, has_base ? &base : NULL, &base_tree) < 0 ||
	    git_commit_tree(&their_tree, theirs) < 0 ||
	    git_diff_tree_to_tree(&diff, s->repo, base_tree, their_tree, NULL) <
	            0 ||
	    git_commit_dup(&work, ours) < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot compare notes");
		goto out;
	}
	for (i = 0; i < git_diff_num_deltas(diff) && err == 0; i++)
		err = apply_delta(s, &work, git_diff_get_delta(diff, i), sig,
		                  merged, skipped);
	if (err < 0)
		goto out;
	if (git_commit_tree(&tree, work) < 0 ||
	    git_commit_create(out, s->repo, NULL, sig, sig, NULL,
	                      "perfgate: merge notes", tree, 2, parents) < 0)
		err = store_git_error(PG_ERUNTIME,
		                      "cannot write a notes merge");
out:
	git_commit_free(work);
	git_tree_free(tree);
	git_tree_free(base_tree);
	git_tree_free(their_tree);
	git_diff_free(diff);
	git_signature_free(sig);
	return err;
}

/* One attempt of store_absorb(); *retry when the local ref moved. */
static int absorb_once(struct store *s, git_commit *theirs,
                       struct store_sync_report *r, int *retry)
{
	git_commit *ours = NULL;
	git_reference *ref = NULL;
	git_oid target;
	int err;

	*retry = 0;
	if ((err = store_notes_tip(s, &ours)) < 0)
		return err;
	if (!ours) {
		target = *git_commit_id(theirs);
	} else if (git_oid_equal(git_commit_id(ours), git_commit_id(theirs)) ||
	           git_graph_descendant_of(s->repo, git_commit_id(ours),
	                                   git_commit_id(theirs)) == 1) {
		goto out; /* we already have everything they have */
	} else if (git_graph_descendant_of(s->repo, git_commit_id(theirs),
	                                   git_commit_id(ours)) == 1) {
		target = *git_commit_id(theirs); /* fast-forward */
	} else if ((err = merge_commit(s, ours, theirs, &target,
	                               &r->notes_merged, &r->notes_skipped)) <
	           0) {
		goto out;
	}
	err = git_reference_create_matching(
	        &ref, s->repo, s->notes_ref, &target, ours != NULL,
	        ours ? git_commit_id(ours) : NULL, "perfgate: sync");
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ELOCKED)
		*retry = 1;
	if (err < 0)
		err = store_git_error(PG_ERUNTIME, "cannot update '%s'",
		                      s->notes_ref);
	else
		r->local_updated = 1;
out:
	git_reference_free(ref);
	git_commit_free(ours);
	return err;
}

int store_absorb(struct store *s, const git_oid *theirs_id,
                 struct store_sync_report *r)
{
	git_commit *theirs = NULL;
	int err, retry = 0, i;

	if (git_commit_lookup(&theirs, s->repo, theirs_id) < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot read fetched notes");
	for (i = 0; i < 50; i++) {
		err = absorb_once(s, theirs, r, &retry);
		if (!retry)
			break;
	}
	git_commit_free(theirs);
	store_forget_notes(s);
	return err;
}
