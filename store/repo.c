/* Opening the repository and reading commit history; see store/repo.h. */
#include "store/repo.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "util/strmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int store_git_error(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (e && e->message && *e->message)
		pg_buf_addf(&b, ": %s", e->message);
	code = pg_error_code(code, "%s", b.s);
	pg_buf_release(&b);
	return code;
}

/* libgit2 1.5.1's message when libssh2 could not authenticate at all */
#define SSH_AUTH_FAILED "Failed to authenticate SSH session"

int store_git_reason(int git_err)
{
	const git_error *e = git_error_last();
	int status;

	switch (git_err) {
	case GIT_EAUTH:
		return PG_EAUTH;
	case GIT_ELOCKED:
		return PG_ELOCKED;
	case GIT_EUNBORNBRANCH:
		return PG_EUNBORN;
	case GIT_ENONFASTFORWARD:
		return PG_EREJECTED;
	case GIT_ENOTFOUND:
		return e && e->klass == GIT_ERROR_REPOSITORY ? PG_ENOTREPO
		                                             : PG_ENONE;
	}
	/*
	 * libgit2 1.5.1 returns GIT_EAUTH for a 401 it could not answer and
	 * for keys the ssh server refused, but two refusals come as generic
	 * errors whose message alone says what happened: an HTTP 403 after
	 * the credentials (the token may not push), and an ssh agent that
	 * could not be used ("Failed to authenticate SSH session: ...").
	 */
	if (git_err >= 0 || !e || !e->message)
		return PG_ENONE;
	if (e->klass == GIT_ERROR_HTTP &&
	    sscanf(e->message, "unexpected http status code: %d", &status) ==
	            1 &&
	    (status == 401 || status == 403))
		return PG_EAUTH;
	if (e->klass == GIT_ERROR_SSH &&
	    !strncmp(e->message, SSH_AUTH_FAILED, strlen(SSH_AUTH_FAILED)))
		return PG_EAUTH;
	return PG_ENONE;
}

char *store_lock_hint(const char *gitdir, const char *ref)
{
	struct pg_buf b = PG_BUF_INIT, path = PG_BUF_INIT;
	struct stat st;

	pg_buf_addf(&path, "%s%s.lock", gitdir, ref);
	if (stat(path.s, &st) == 0)
		pg_buf_addf(&b, "the lock file '%s' was left %.0f s ago",
		            path.s, difftime(time(NULL), st.st_mtime));
	else
		pg_buf_addf(&b, "the lock file '%s' is held", path.s);
	pg_buf_addf(&b,
	            ": if no other perfgate or git process is using '%s', it "
	            "is stale (a killed process left it): remove it with "
	            "'rm %s' and try again",
	            ref, path.s);
	pg_buf_release(&path);
	return pg_buf_detach(&b, NULL);
}

int store_parse_oid(git_oid *out, const char *sha)
{
	if (!sha || strlen(sha) != GIT_OID_HEXSZ || git_oid_fromstr(out, sha))
		return pg_error_input("'%s' is not a full commit SHA",
		                      sha ? sha : "(null)");
	return 0;
}

int store_signature(git_signature **out)
{
	/*
	 * A fixed identity, not user.name: CI machines often have none and
	 * git_signature_default() then fails.  The run itself records who
	 * and where.
	 */
	if (git_signature_now(out, "perfgate", "perfgate@localhost") < 0)
		return store_git_error(PG_ERUNTIME, "cannot make a signature");
	return 0;
}

int store_check_refname(const char *name)
{
	int valid = 0;

	if (git_reference_name_is_valid(&valid, name) < 0 || !valid ||
	    strncmp(name, "refs/", 5))
		return pg_error_input("'%s' is not a valid notes ref name",
		                      name);
	return 0;
}

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* Read $GIT_DIR/shallow: the commits whose parents a shallow clone lacks. */
static int load_shallow(struct store *s)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	size_t alloc = 0;
	char *line, *save = NULL;
	int err = 0;

	pg_buf_addf(&path, "%sshallow", git_repository_path(s->repo));
	if (pg_buf_read_file(&text, path.s) < 0) {
		pg_error_clear(); /* no file: nothing is shallow */
		goto out;
	}
	for (line = strtok_r(text.s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		git_oid oid;

		if (strlen(line) != GIT_OID_HEXSZ ||
		    git_oid_fromstr(&oid, line))
			continue;
		s->shallow_oids =
		        pg_grow_array(s->shallow_oids, sizeof(git_oid),
		                      s->nshallow + 1, &alloc);
		s->shallow_oids[s->nshallow++] = oid;
	}
	if (s->nshallow)
		qsort(s->shallow_oids, s->nshallow, sizeof(git_oid), cmp_oid);
out:
	pg_buf_release(&path);
	pg_buf_release(&text);
	return err;
}

static int is_shallow_boundary(const struct store *s, const git_oid *oid)
{
	return s->nshallow && bsearch(oid, s->shallow_oids, s->nshallow,
	                              sizeof(git_oid), cmp_oid) != NULL;
}

static char *full_notes_ref(const char *name)
{
	const char *env = getenv("PERFGATE_NOTES_REF");
	struct pg_buf b = PG_BUF_INIT;

	if (!name || !*name)
		name = env && *env ? env : PG_DEFAULT_NOTES_REF;
	if (strncmp(name, "refs/", 5))
		pg_buf_addstr(&b, "refs/notes/");
	pg_buf_addstr(&b, name);
	return pg_buf_detach(&b, NULL);
}

static int open_repo(git_repository **repo, const char *path)
{
	char cwd[4096];
	int err;

	if (path)
		err = git_repository_open_ext(repo, path, 0, NULL);
	else
		err = git_repository_open_ext(
		        repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (err == GIT_ENOTFOUND) {
		if (!path)
			path = getcwd(cwd, sizeof(cwd)) ? cwd : ".";
		return pg_error_because(PG_ENOTREPO, PG_EINPUT,
		                        "not a git repository (or any of the "
		                        "parent directories): '%s'",
		                        path);
	}
	if (err < 0)
		return store_git_error(PG_EINPUT, "cannot open repository '%s'",
		                       path ? path : ".");
	return 0;
}

static int check_head(struct store *s, unsigned flags)
{
	git_reference *head = NULL;
	int unborn = git_repository_head_unborn(s->repo);

	if (unborn < 0)
		return store_git_error(PG_EINPUT, "cannot read 'HEAD'");
	if (!unborn || (flags & STORE_ALLOW_UNBORN))
		return 0;
	if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC) {
		const char *t = git_reference_symbolic_target(head);

		if (!strncmp(t, "refs/heads/", 11))
			t += 11;
		pg_error_because(PG_EUNBORN, PG_EINPUT,
		                 "'HEAD' has no commit yet (branch '%s' is "
		                 "unborn): commit something first",
		                 t);
	} else {
		pg_error_because(PG_EUNBORN, PG_EINPUT,
		                 "'HEAD' has no commit yet: commit something "
		                 "first");
	}
	git_reference_free(head);
	return PG_EINPUT;
}

int store_open(struct store **out, const char *path, const char *notes_ref,
               unsigned flags)
{
	struct store *s;
	int err;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot initialise libgit2");
	/*
	 * Like git, do not re-hash every object read: libgit2's SHA-1 with
	 * collision detection doubled the time of reading 10,000 notes
	 * (bench/history).  Objects perfgate writes are hashed as usual.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	s = pg_calloc(1, sizeof(*s));
	s->notes_ref = full_notes_ref(notes_ref);
	if ((err = store_check_refname(s->notes_ref)) < 0)
		goto fail;
	if ((err = open_repo(&s->repo, path)) < 0)
		goto fail;
	s->bare = git_repository_is_bare(s->repo);
	if (s->bare && !(flags & STORE_ALLOW_BARE)) {
		err = pg_error_input("'%s' is a bare repository: run perfgate "
		                     "in a clone with a working tree",
		                     git_repository_path(s->repo));
		goto fail;
	}
	if ((err = check_head(s, flags)) < 0)
		goto fail;
	s->shallow = git_repository_is_shallow(s->repo) == 1;
	if (s->shallow && (err = load_shallow(s)) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_free(s);
	return err;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	store_forget_notes(s);
	git_repository_free(s->repo);
	free(s->notes_ref);
	free(s->shallow_oids);
	free(s);
	git_libgit2_shutdown();
}

const char *store_notes_ref(const struct store *s)
{
	return s->notes_ref;
}

const char *store_workdir(const struct store *s)
{
	return git_repository_workdir(s->repo);
}

int store_is_shallow(const struct store *s)
{
	return s->shallow;
}

int store_remote_url(struct store *s, const char *name, char **out)
{
	git_remote *r = NULL;

	*out = NULL;
	if (git_remote_lookup(&r, s->repo, name) < 0)
		return 0;
	if (git_remote_url(r))
		*out = pg_strdup(git_remote_url(r));
	git_remote_free(r);
	return 0;
}

static int lookup_commit(struct store *s, const char *rev, git_commit **out)
{
	git_object *obj = NULL;
	int err;

	*out = NULL;
	err = git_revparse_single(&obj, s->repo, rev);
	if (err == 0) {
		err = git_object_peel((git_object **)out, obj,
		                      GIT_OBJECT_COMMIT);
		git_object_free(obj);
		if (err == 0)
			return 0;
		return store_git_error(PG_EINPUT, "'%s' is not a commit", rev);
	}
	if (err == GIT_ENOTFOUND || err == GIT_EAMBIGUOUS ||
	    err == GIT_EINVALIDSPEC) {
		if (s->shallow)
			return pg_error_because(
			        PG_ESHALLOW, PG_EINPUT,
			        "unknown revision '%s' (this is a shallow "
			        "clone: fetch full history, e.g. "
			        "'fetch-depth: 0' with actions/checkout or "
			        "'git fetch --unshallow')",
			        rev);
		return pg_error_input("unknown revision '%s'", rev);
	}
	return store_git_error(PG_ERUNTIME, "cannot resolve '%s'", rev);
}

int store_resolve(struct store *s, const char *rev, char sha[41])
{
	git_commit *c;
	int err;

	sha[0] = '\0';
	if ((err = lookup_commit(s, rev, &c)) < 0)
		return err;
	git_oid_tostr(sha, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int store_is_dirty(struct store *s, int *dirty)
{
	git_status_options opts;
	git_status_list *list = NULL;
	size_t i, n;

	*dirty = 0;
	if (s->bare)
		return 0;
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, s->repo, &opts) < 0)
		return store_git_error(PG_ERUNTIME,
		                       "cannot read the working tree status");
	n = git_status_list_entrycount(list);
	for (i = 0; i < n && !*dirty; i++) {
		const git_status_entry *e = git_status_byindex(list, i);

		if (e->status != GIT_STATUS_CURRENT &&
		    !(e->status & (GIT_STATUS_IGNORED | GIT_STATUS_WT_NEW)))
			*dirty = 1;
	}
	git_status_list_free(list);
	return 0;
}

/* The first-parent walk of a merge base in a shallow clone. */
struct fp_walk {
	struct pg_strmap seen; /* a's first parents (keys owned by keys) */
	char **keys;
	size_t nkeys, keys_alloc;
	char *base; /* found: b's first commit among them */
};

static int fp_collect(const struct store_commit *c, void *payload)
{
	struct fp_walk *w = payload;

	w->keys = pg_grow_array(w->keys, sizeof(*w->keys), w->nkeys + 1,
	                        &w->keys_alloc);
	w->keys[w->nkeys] = pg_strdup(c->sha);
	pg_strmap_add(&w->seen, w->keys[w->nkeys++], 0, NULL);
	return 0;
}

static int fp_find(const struct store_commit *c, void *payload)
{
	struct fp_walk *w = payload;

	if (!pg_strmap_get(&w->seen, c->sha, NULL))
		return 0;
	memcpy(w->base, c->sha, 41);
	return 1; /* stop: found */
}

/*
 * libgit2 1.5's git_merge_base fails (and leaks) on the missing parents of
 * a shallow clone, so there the merge base is the first commit on b's
 * first-parent line that is on a's: the fork point of a branch, which is
 * what a shallow CI clone needs; merges are followed by first parents.
 */
static int shallow_merge_base(struct store *s, const char *a, const char *b,
                              char base[41], int *found, int *shallow_gap)
{
	struct fp_walk w;
	enum store_walk_end end_a = STORE_WALK_ROOT, end_b = STORE_WALK_ROOT;
	size_t i;
	int err;

	memset(&w, 0, sizeof(w));
	w.seen = (struct pg_strmap)PG_STRMAP_INIT;
	w.base = base;
	err = store_first_parents(s, a, 0, fp_collect, &w, &end_a, NULL);
	if (err >= 0)
		err = store_first_parents(s, b, 0, fp_find, &w, &end_b, NULL);
	if (err > 0 || (err >= 0 && base[0])) {
		*found = 1;
		err = 0;
	} else if (err >= 0 && shallow_gap) {
		*shallow_gap = end_a == STORE_WALK_SHALLOW ||
		               end_b == STORE_WALK_SHALLOW;
	}
	pg_strmap_release(&w.seen);
	for (i = 0; i < w.nkeys; i++)
		free(w.keys[i]);
	free(w.keys);
	return err < 0 ? err : 0;
}

int store_merge_base(struct store *s, const char *a, const char *b,
                     char base[41], int *found, int *shallow_gap)
{
	git_commit *ca = NULL, *cb = NULL;
	git_oid out;
	int err;

	base[0] = '\0';
	*found = 0;
	if (shallow_gap)
		*shallow_gap = 0;
	if ((err = lookup_commit(s, a, &ca)) < 0 ||
	    (err = lookup_commit(s, b, &cb)) < 0)
		goto out;
	if (s->shallow) {
		char sa[41], sb[41];

		git_oid_tostr(sa, sizeof(sa), git_commit_id(ca));
		git_oid_tostr(sb, sizeof(sb), git_commit_id(cb));
		err = shallow_merge_base(s, sa, sb, base, found, shallow_gap);
		goto out;
	}
	err = git_merge_base(&out, s->repo, git_commit_id(ca),
	                     git_commit_id(cb));
	if (err == 0) {
		git_oid_tostr(base, 41, &out);
		*found = 1;
	} else if (err == GIT_ENOTFOUND || s->shallow) {
		/* libgit2 1.5 fails on the missing parents of a shallow clone
		 */
		if (shallow_gap && s->shallow)
			*shallow_gap = 1;
		git_error_clear();
		err = 0;
	} else {
		err = store_git_error(PG_ERUNTIME,
		                      "cannot find the merge base of '%s' "
		                      "and '%s'",
		                      a, b);
	}
out:
	git_commit_free(ca);
	git_commit_free(cb);
	return err;
}

int store_is_ancestor(struct store *s, const char *ancestor,
                      const char *descendant, int *yes)
{
	git_commit *ca = NULL, *cd = NULL;
	int err;

	*yes = 0;
	if ((err = lookup_commit(s, ancestor, &ca)) < 0 ||
	    (err = lookup_commit(s, descendant, &cd)) < 0)
		goto out;
	if (git_oid_equal(git_commit_id(ca), git_commit_id(cd))) {
		*yes = 1;
		goto out;
	}
	err = git_graph_descendant_of(s->repo, git_commit_id(cd),
	                              git_commit_id(ca));
	if (err >= 0) {
		*yes = err;
		err = 0;
	} else if (s->shallow) {
		git_error_clear();
		err = 0;
	} else {
		err = store_git_error(PG_ERUNTIME,
		                      "cannot tell whether '%s' is an "
		                      "ancestor of '%s'",
		                      ancestor, descendant);
	}
out:
	git_commit_free(ca);
	git_commit_free(cd);
	return err;
}

static void fill_commit(const git_commit *c, struct store_commit *out)
{
	const git_signature *a = git_commit_author(c);
	const char *msg = git_commit_message(c);
	const char *nl;

	memset(out, 0, sizeof(*out));
	git_oid_tostr(out->sha, sizeof(out->sha), git_commit_id(c));
	git_oid_tostr(out->tree, sizeof(out->tree), git_commit_tree_id(c));
	memcpy(out->short_sha, out->sha, 12);
	out->short_sha[12] = '\0';
	msg = msg ? msg : "";
	out->message = pg_strdup(msg);
	nl = strchr(msg, '\n');
	out->subject =
	        nl ? pg_strndup(msg, (size_t)(nl - msg)) : pg_strdup(msg);
	if (a) {
		struct pg_buf b = PG_BUF_INIT;

		pg_buf_addf(&b, "%s <%s>", a->name, a->email);
		out->author = pg_buf_detach(&b, NULL);
	} else {
		out->author = pg_strdup("");
	}
	out->time = (long long)git_commit_time(c);
	out->tz_minutes = git_commit_time_offset(c);
	out->nparents = git_commit_parentcount(c);
	if (out->nparents)
		git_oid_tostr(out->first_parent, sizeof(out->first_parent),
		              git_commit_parent_id(c, 0));
}

int store_commit_info(struct store *s, const char *rev,
                      struct store_commit *out)
{
	git_commit *c;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = lookup_commit(s, rev, &c)) < 0)
		return err;
	fill_commit(c, out);
	git_commit_free(c);
	return 0;
}

void store_commit_release(struct store_commit *c)
{
	free(c->subject);
	free(c->message);
	free(c->author);
	memset(c, 0, sizeof(*c));
}

void store_commit_date(const struct store_commit *c, char buf[11])
{
	time_t t = (time_t)c->time;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

int store_first_parents(struct store *s, const char *from, size_t max,
                        store_walk_fn fn, void *payload,
                        enum store_walk_end *end, char boundary[41])
{
	enum store_walk_end why = STORE_WALK_ROOT;
	git_commit *c = NULL, *parent = NULL;
	struct store_commit info;
	size_t count = 0;
	int err;

	if (boundary)
		boundary[0] = '\0';
	if ((err = lookup_commit(s, from, &c)) < 0)
		return err;
	for (;;) {
		fill_commit(c, &info);
		if (boundary)
			memcpy(boundary, info.sha, 41);
		err = fn(&info, payload);
		store_commit_release(&info);
		count++;
		if (err < 0)
			break;
		if (err > 0) {
			err = 0;
			why = STORE_WALK_CALLBACK;
			break;
		}
		if (max && count >= max) {
			why = STORE_WALK_LIMIT;
			break;
		}
		if (git_commit_parentcount(c) == 0) {
			why = is_shallow_boundary(s, git_commit_id(c))
			              ? STORE_WALK_SHALLOW
			              : STORE_WALK_ROOT;
			break;
		}
		if (is_shallow_boundary(s, git_commit_id(c))) {
			why = STORE_WALK_SHALLOW;
			break;
		}
		err = git_commit_lookup(&parent, s->repo,
		                        git_commit_parent_id(c, 0));
		if (err == GIT_ENOTFOUND) {
			git_error_clear();
			err = 0;
			why = STORE_WALK_SHALLOW;
			break;
		}
		if (err < 0) {
			err = store_git_error(
			        PG_ERUNTIME, "cannot read the parent of '%s'",
			        git_oid_tostr_s(git_commit_id(c)));
			break;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	git_commit_free(c);
	if (end)
		*end = why;
	return err;
}

const char *store_common_dir(const struct store *s)
{
	return git_repository_commondir(s->repo);
}

int store_hooks_dir(struct store *s, char **out)
{
	git_config *cfg = NULL;
	git_buf path = GIT_BUF_INIT;
	struct pg_buf b = PG_BUF_INIT;
	const char *wd = git_repository_workdir(s->repo);
	int err = 0;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return store_git_error(PG_ERUNTIME, "cannot read the git "
		                                    "config");
	if (git_config_get_path(&path, cfg, "core.hooksPath") == 0 &&
	    path.size) {
		if (path.ptr[0] != '/' && wd)
			pg_buf_addstr(&b, wd); /* ends with '/' */
		pg_buf_addstr(&b, path.ptr);
	} else {
		git_buf_dispose(&path);
		git_error_clear();
		if (git_repository_item_path(&path, s->repo,
		                             GIT_REPOSITORY_ITEM_HOOKS) < 0) {
			err = store_git_error(
			        PG_ERUNTIME, "cannot find the hooks directory");
			goto out;
		}
		pg_buf_addstr(&b, path.ptr);
	}
	/* no trailing slash: callers append "/pre-push" */
	while (b.len > 1 && b.s[b.len - 1] == '/')
		b.s[--b.len] = '\0';
	*out = pg_buf_detach(&b, NULL);
out:
	git_buf_dispose(&path);
	git_config_free(cfg);
	pg_buf_release(&b);
	return err;
}
