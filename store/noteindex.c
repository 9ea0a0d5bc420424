/* An index of a notes commit's notes; see store/internal.h. */
#include "store/internal.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

static int is_lower_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int all_lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_lower_hex(s[i]))
			return 0;
	return 1;
}

/* A fanout directory: two hex digits, and room for a note below it. */
static int is_fanout(const git_tree_entry *e, size_t plen)
{
	const char *name = git_tree_entry_name(e);

	return git_tree_entry_type(e) == GIT_OBJECT_TREE && plen + 2 < 40 &&
	       strlen(name) == 2 && all_lower_hex(name, 2);
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void add(struct store_note_index *x, size_t *alloc, const char *hex,
                const git_oid *blob)
{
	x->v = pg_grow_array(x->v, sizeof(*x->v), x->n + 1, alloc);
	git_oid_fromstrn(&x->v[x->n].target, hex, 40);
	git_oid_cpy(&x->v[x->n].blob, blob);
	x->n++;
}

/* Index tree t, whose notes' targets start with prefix[0..plen). */
static int index_tree(struct store_note_index *x, size_t *alloc,
                      git_repository *repo, const git_tree *t, char prefix[41],
                      size_t plen)
{
	unsigned char dirs[32] = {0};
	size_t i, n = git_tree_entrycount(t);
	int err = 0;

	/* libgit2 descends into a matching fanout directory when there is
	 * one, whatever else this level holds */
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		int d;

		if (!is_fanout(e, plen))
			continue;
		d = hexval(name[0]) << 4 | hexval(name[1]);
		dirs[d >> 3] |= (unsigned char)(1u << (d & 7));
	}
	for (i = 0; i < n && !err; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		git_tree *sub = NULL;
		int d;

		if (is_fanout(e, plen)) {
			if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) <
			    0)
				return store_git_error(PG_ERUNTIME,
				                       "cannot read notes "
				                       "tree '%.*s%s'",
				                       (int)plen, prefix, name);
			memcpy(prefix + plen, name, 2);
			err = index_tree(x, alloc, repo, sub, prefix, plen + 2);
			git_tree_free(sub);
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    strlen(name) != 40 - plen ||
		    !all_lower_hex(name, 40 - plen))
			continue;
		d = hexval(name[0]) << 4 | hexval(name[1]);
		if (dirs[d >> 3] & (1u << (d & 7)))
			continue;
		memcpy(prefix + plen, name, 40 - plen);
		add(x, alloc, prefix, git_tree_entry_id(e));
	}
	return err;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct store_note_entry *x = a, *y = b;

	return git_oid_cmp(&x->target, &y->target);
}

int store_note_index_new(struct store_note_index **out, git_repository *repo,
                         git_commit *nc)
{
	struct store_note_index *x = pg_calloc(1, sizeof(*x));
	git_tree *root = NULL;
	char prefix[41];
	size_t alloc = 0;
	int err = 0;

	*out = NULL;
	if (git_repository_odb(&x->odb, repo) < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot open the object "
		                                   "database");
		goto out;
	}
	if (nc && git_commit_tree(&root, nc) < 0) {
		err = store_git_error(PG_ERUNTIME,
		                      "cannot read the notes tree "
		                      "of '%s'",
		                      git_oid_tostr_s(git_commit_id(nc)));
		goto out;
	}
	if (root && (err = index_tree(x, &alloc, repo, root, prefix, 0)) < 0)
		goto out;
	if (x->n)
		qsort(x->v, x->n, sizeof(*x->v), cmp_entry);
out:
	git_tree_free(root);
	if (err < 0) {
		store_note_index_free(x);
		return err;
	}
	*out = x;
	return 0;
}

void store_note_index_free(struct store_note_index *x)
{
	if (!x)
		return;
	git_odb_free(x->odb);
	free(x->v);
	free(x);
}

int store_note_index_read(const struct store_note_index *x,
                          const git_oid *target, char **text, size_t *len)
{
	struct store_note_entry key, *hit = NULL;
	git_odb_object *obj = NULL;
	const char *data;
	size_t n;

	*text = NULL;
	*len = 0;
	git_oid_cpy(&key.target, target);
	if (x->n)
		hit = bsearch(&key, x->v, x->n, sizeof(*x->v), cmp_entry);
	if (!hit)
		return 0;
	if (git_odb_read(&obj, x->odb, &hit->blob) < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot read the note for '%s'",
		                       git_oid_tostr_s(target));
	if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		git_odb_object_free(obj);
		return pg_error_runtime("cannot read the note for '%s': not a "
		                        "blob",
		                        git_oid_tostr_s(target));
	}
	data = git_odb_object_data(obj);
	n = git_odb_object_size(obj);
	n = data ? strnlen(data, n) : 0;
	*text = pg_strndup(data ? data : "", n);
	*len = n;
	git_odb_object_free(obj);
	return 0;
}
