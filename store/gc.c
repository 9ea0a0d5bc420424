/* Retention: summarising old runs in one notes commit; see store/gc.h. */
#include "store/gc.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Attempts when another writer moves the notes ref during a gc. */
#define GC_TRIES 5

static int cmp_branch(const void *a, const void *b)
{
	return strcmp(((const struct store_branch *)a)->name,
	              ((const struct store_branch *)b)->name);
}

void store_branches_free(struct store_branch *b, size_t n)
{
	size_t i;

	for (i = 0; b && i < n; i++)
		free(b[i].name);
	free(b);
}

int store_branches(struct store *s, struct store_branch **out, size_t *n)
{
	git_branch_iterator *it = NULL;
	git_reference *ref = NULL;
	git_branch_t type;
	size_t alloc = 0;
	const char *name;
	int err;

	*out = NULL;
	*n = 0;
	if (git_branch_iterator_new(&it, s->repo, GIT_BRANCH_ALL) < 0)
		return store_git_error(PG_ERUNTIME, "cannot list branches");
	while ((err = git_branch_next(&ref, &type, it)) == 0) {
		/* origin/HEAD and the like: the branch they name is listed */
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
		    git_branch_name(&name, ref) == 0) {
			*out = pg_grow_array(*out, sizeof(**out), *n + 1,
			                     &alloc);
			(*out)[*n].name = pg_strdup(name);
			git_oid_tostr((*out)[*n].sha, 41,
			              git_reference_target(ref));
			(*n)++;
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	if (err != GIT_ITEROVER)
		return store_git_error(PG_ERUNTIME, "cannot list branches");
	git_error_clear();
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_branch);
	return 0;
}

static int cmp_entry(const void *key, const void *elt)
{
	return git_oid_cmp(key,
	                   &((const struct store_note_entry *)elt)->target);
}

int store_note_exists(struct store *s, const char *sha, int *yes)
{
	git_oid oid;
	int err;

	*yes = 0;
	if ((err = store_parse_oid(&oid, sha)) < 0)
		return err;
	if (!s->notes_loaded) {
		if ((err = store_notes_tip(s, &s->notes_commit)) < 0)
			return err;
		s->notes_loaded = 1;
	}
	if (!s->note_index &&
	    (err = store_note_index_new(&s->note_index, s->repo,
	                                s->notes_commit)) < 0)
		return err;
	*yes = s->note_index->n &&
	       bsearch(&oid, s->note_index->v, s->note_index->n,
	               sizeof(*s->note_index->v), cmp_entry) != NULL;
	return 0;
}

void store_gc_report_release(struct store_gc_report *r)
{
	size_t i;

	for (i = 0; r->notes && i < r->n; i++)
		free(r->notes[i].warning);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

static int cmp_note(const void *key, const void *elt)
{
	return strcmp(key, ((const struct store_gc_note *)elt)->sha);
}

const struct store_gc_note *store_gc_find(const struct store_gc_report *r,
                                          const char *sha)
{
	return r->n ? bsearch(sha, r->notes, r->n, sizeof(*r->notes), cmp_note)
	            : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

/* Is the note on sha kept raw by p (window, age or an acceptance)? */
static enum store_gc_state kept_by(struct store *s, const git_oid *target,
                                   const char *sha,
                                   const struct store_gc_plan *p)
{
	git_commit *c = NULL;
	size_t i;
	int recent;

	for (i = 0; i < p->nprotect; i++)
		if (!strncasecmp(sha, p->protect[i], strlen(p->protect[i])))
			return STORE_GC_PROTECTED;
	if (p->nkeep &&
	    bsearch(sha, p->keep, p->nkeep, sizeof(*p->keep), cmp_str))
		return STORE_GC_KEPT;
	if (git_commit_lookup(&c, s->repo, target) < 0) {
		/* a commit this clone lacks: its age is unknown, keep it */
		git_error_clear();
		return STORE_GC_KEPT;
	}
	recent = p->cutoff && (long long)git_commit_time(c) >= p->cutoff;
	git_commit_free(c);
	return recent ? STORE_GC_KEPT : STORE_GC_DONE;
}

/* A rewritten note waiting to be written. */
struct change {
	git_oid target;
	char *text;
};

/* Classify and, when due, rewrite the note of entry x. */
static int visit_note(struct store *s, const struct store_note_index *idx,
                      const struct store_note_entry *x,
                      const struct store_gc_plan *p, struct store_gc_note *e,
                      char **out)
{
	char *text = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	git_oid_tostr(e->sha, sizeof(e->sha), &x->target);
	if ((err = store_note_index_read(idx, &x->target, &text, &len)) < 0)
		return err;
	e->bytes_before = e->bytes_after = len;
	e->state = kept_by(s, &x->target, e->sha, p);
	if (e->state == STORE_GC_DONE && store_note_has_alerts(text, len))
		e->state = STORE_GC_PROTECTED;
	if (e->state == STORE_GC_DONE &&
	    (err = store_gc_rewrite(out, text, len, e->sha, &e->runs,
	                            &e->summarised)) == PG_EINPUT &&
	    !e->runs) {
		/* unreadable before gc: reported, left as it is */
		e->state = STORE_GC_CORRUPT;
		e->warning = pg_strdup(pg_error_last());
		pg_error_clear();
		err = 0;
	}
	if (*out) {
		e->state = STORE_GC_SUMMARISED;
		e->bytes_after = strlen(*out);
	}
	free(text);
	return err;
}

/*
 * The path of the note on target in tree: the hex id split after zero or
 * more two-digit fanout directories, as git and libgit2 write it.
 */
static int note_path(git_tree *tree, const git_oid *target, struct pg_buf *path)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_tree_entry *e = NULL;
	size_t depth, i;

	git_oid_tostr(hex, sizeof(hex), target);
	for (depth = 0; depth < GIT_OID_HEXSZ / 2; depth++) {
		pg_buf_reset(path);
		for (i = 0; i < depth; i++)
			pg_buf_addf(path, "%.2s/", hex + 2 * i);
		pg_buf_addstr(path, hex + 2 * depth);
		if (git_tree_entry_bypath(&e, tree, path->s) == 0) {
			git_tree_entry_free(e);
			return 0;
		}
	}
	git_error_clear();
	return pg_error_runtime("cannot find the note on '%s' in the notes "
	                        "tree",
	                        hex);
}

/*
 * One notes commit on top of tip holding changes[0..n): the new blobs go
 * into tip's tree in one update (git_tree_create_updated), not note by
 * note, which would write the whole fanout again for each.
 */
static int write_commit(struct store *s, git_commit *tip,
                        const struct change *changes, size_t n,
                        size_t summarised, git_oid *out)
{
	git_tree_update *up = pg_calloc(n + 1, sizeof(*up));
	struct pg_buf *paths = pg_calloc(n + 1, sizeof(*paths));
	const git_commit *parents[1] = {tip};
	struct pg_buf msg = PG_BUF_INIT;
	git_signature *sig = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_oid tree_id;
	size_t i;
	int err;

	for (i = 0; i < n; i++)
		pg_buf_init(&paths[i]);
	if ((err = store_signature(&sig)) < 0)
		goto out;
	if (git_commit_tree(&base, tip) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((err = note_path(base, &changes[i].target, &paths[i])) < 0)
			goto out;
		if (git_blob_create_from_buffer(&up[i].id, s->repo,
		                                changes[i].text,
		                                strlen(changes[i].text)) < 0)
			goto fail;
		up[i].action = GIT_TREE_UPDATE_UPSERT;
		up[i].filemode = GIT_FILEMODE_BLOB;
		up[i].path = paths[i].s;
	}
	pg_buf_addf(&msg, "perfgate: gc (%zu runs on %zu commits summarised)",
	            summarised, n);
	if (git_tree_create_updated(&tree_id, s->repo, base, n, up) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_id) < 0 ||
	    git_commit_create(out, s->repo, NULL, sig, sig, NULL, msg.s, tree,
	                      1, parents) < 0)
		goto fail;
	goto out;
fail:
	err = store_git_error(PG_ERUNTIME, "cannot write the notes of gc");
out:
	for (i = 0; i < n; i++)
		pg_buf_release(&paths[i]);
	free(paths);
	free(up);
	pg_buf_release(&msg);
	git_tree_free(tree);
	git_tree_free(base);
	git_signature_free(sig);
	return err;
}

static void changes_free(struct change *c, size_t n)
{
	size_t i;

	for (i = 0; c && i < n; i++)
		free(c[i].text);
	free(c);
}

/* What plan_all() carries from note to note. */
struct plan_ctx {
	struct store *s;
	const struct store_note_index *idx;
	const struct store_gc_plan *p;
	struct store_gc_report *r;
	struct change **changes;
	size_t *nchanges, alloc;
	char *done;
};

/* Visit note i of the index into r->notes[i] (once). */
static int plan_one(struct plan_ctx *c, size_t i)
{
	struct store_gc_note *e = &c->r->notes[i];
	char *text;
	int err;

	if (c->done[i])
		return 0;
	c->done[i] = 1;
	err = visit_note(c->s, c->idx, &c->idx->v[i], c->p, e, &text);
	c->r->runs += e->runs;
	c->r->summarised += e->summarised;
	c->r->bytes_before += e->bytes_before;
	c->r->bytes_after += e->bytes_after;
	if (!text)
		return err;
	*c->changes = pg_grow_array(*c->changes, sizeof(**c->changes),
	                            *c->nchanges + 1, &c->alloc);
	(*c->changes)[*c->nchanges].target = c->idx->v[i].target;
	(*c->changes)[(*c->nchanges)++].text = text;
	return err;
}

/*
 * Visit every note of tip into r (r->notes[i] is the note of index entry
 * i, so sorted by sha), and collect the rewritten ones.  Notes are read in
 * the order of p->order first: packed note blobs are deltas of one
 * another in the order they were written, and reading them in sha order
 * rebuilt the delta chains again and again (half of gc's time in zlib).
 */
static int plan_all(struct store *s, git_commit *tip,
                    const struct store_gc_plan *p, struct store_gc_report *r,
                    struct change **changes, size_t *nchanges)
{
	struct plan_ctx c = {s, NULL, p, r, changes, nchanges, 0, NULL};
	struct store_note_index *idx = NULL;
	const struct store_note_entry *hit;
	struct store_note_entry key;
	size_t i;
	int err;

	if ((err = store_note_index_new(&idx, s->repo, tip)) < 0)
		return err;
	c.idx = idx;
	r->notes = pg_calloc(idx->n + 1, sizeof(*r->notes));
	r->n = idx->n;
	c.done = pg_calloc(idx->n + 1, 1);
	for (i = 0; i < p->norder && err == 0 && idx->n; i++) {
		if (git_oid_fromstrn(&key.target, p->order[i], GIT_OID_HEXSZ) <
		    0) {
			git_error_clear();
			continue;
		}
		hit = bsearch(&key.target, idx->v, idx->n, sizeof(*idx->v),
		              cmp_entry);
		if (hit)
			err = plan_one(&c, (size_t)(hit - idx->v));
	}
	for (i = 0; i < idx->n && err == 0; i++)
		err = plan_one(&c, i);
	free(c.done);
	store_note_index_free(idx);
	return err;
}

/* One attempt: plan from the tip, write, move the ref if still there. */
static int gc_once(struct store *s, const struct store_gc_plan *p,
                   struct store_gc_report *r, int *retry)
{
	struct change *changes = NULL;
	git_reference *ref = NULL;
	git_commit *tip = NULL;
	size_t nchanges = 0;
	git_oid commit;
	int err;

	*retry = 0;
	store_gc_report_release(r);
	if ((err = store_notes_tip(s, &tip)) < 0 || !tip ||
	    (err = plan_all(s, tip, p, r, &changes, &nchanges)) < 0 ||
	    !p->apply || !nchanges)
		goto out;
	if ((err = write_commit(s, tip, changes, nchanges, r->summarised,
	                        &commit)) < 0)
		goto out;
	err = git_reference_create_matching(&ref, s->repo, s->notes_ref,
	                                    &commit, 1, git_commit_id(tip),
	                                    "perfgate: gc");
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS || err == GIT_ELOCKED)
		*retry = 1;
	if (err < 0)
		err = store_git_error(PG_ERUNTIME, "cannot update '%s'",
		                      s->notes_ref);
	else
		r->written = 1;
out:
	changes_free(changes, nchanges);
	git_reference_free(ref);
	git_commit_free(tip);
	return err;
}

int store_gc(struct store *s, const struct store_gc_plan *p,
             struct store_gc_report *r)
{
	int err = 0, retry = 0, i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < GC_TRIES; i++) {
		err = gc_once(s, p, r, &retry);
		if (!retry)
			break;
	}
	if (retry) {
		char *hint = store_lock_hint(git_repository_path(s->repo),
		                             s->notes_ref);

		err = pg_error_runtime("cannot update '%s': other writers "
		                       "moved it during %d attempts of gc; "
		                       "try again later (%s)",
		                       s->notes_ref, GC_TRIES, hint);
		free(hint);
	}
	store_forget_notes(s);
	return err;
}
