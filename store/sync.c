/* perfgate sync: fetch, merge, push with retries; see store/sync.h. */
#include "store/sync.h"
#include "store/internal.h"
#include "util/testpoint.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/*
 * The wait before pushing again after a rejection doubles from 100 ms to
 * at most 1.6 s, each drawn from [d/2, d] (util/clock.h) so that syncs
 * that collided do not collide again in lock step.
 */
#define SYNC_BACKOFF_BASE_MS 100
#define SYNC_BACKOFF_MAX_MS 1600

struct sync_ctx {
	struct store *s;
	git_remote *remote;
	const char *url;
	char *private_ref;
	struct store_auth auth;
	git_strarray headers;
	int rejected; /* set by the push_update_reference callback */
	char *reject_msg;
	char *lock_msg; /* the last push found the remote ref locked */
};

/* "refs/perfgate-sync/<remote>/notes/perfgate" with a safe remote part. */
static char *private_ref_name(const struct store *s, const char *remote)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;

	pg_buf_addstr(&b, "refs/perfgate-sync/");
	for (p = remote; *p; p++)
		pg_buf_addch(&b, (*p >= 'a' && *p <= 'z') ||
		                                 (*p >= 'A' && *p <= 'Z') ||
		                                 (*p >= '0' && *p <= '9') ||
		                                 *p == '-'
		                         ? *p
		                         : '_');
	pg_buf_addf(&b, "/%s", s->notes_ref + 5);
	return pg_buf_detach(&b, NULL);
}

/* The path of a local remote (a path or file:// URL), or NULL. */
static const char *local_path(const char *url)
{
	const char *colon = strchr(url, ':');

	if (!strncmp(url, "file://", 7))
		return url + 7;
	if (strstr(url, "://"))
		return NULL;
	/* "host:path" is scp-like ssh; a colon after a slash is a path */
	if (colon && (!strchr(url, '/') || colon < strchr(url, '/')))
		return NULL;
	return url;
}

/* The error of a fetch or push that returned git_err. */
static int auth_error(struct sync_ctx *c, int git_err, const char *what)
{
	if (store_git_reason(git_err) == PG_EAUTH)
		return pg_error_set_reason(
		        PG_EAUTH,
		        store_git_error(PG_EINPUT,
		                        "cannot %s '%s': authentication failed "
		                        "(tried: %s%s; "
		                        "set up an ssh agent, or "
		                        "PERFGATE_TOKEN, GITHUB_TOKEN "
		                        "or CI_JOB_TOKEN for https)",
		                        what, c->url,
		                        c->auth.tried_agent ? "ssh agent " : "",
		                        c->auth.token_vars_used
		                                ? c->auth.token_vars_used
		                                : "no token"));
	return store_git_error(PG_ERUNTIME, "cannot %s '%s'", what, c->url);
}

/* callbacks share one payload: the sync context */
static int credentials(git_credential **out, const char *url,
                       const char *username_from_url,
                       unsigned int allowed_types, void *payload)
{
	struct sync_ctx *c = payload;

	return store_auth_credentials(out, url, username_from_url,
	                              allowed_types, &c->auth);
}

static int open_remote(struct sync_ctx *c, const char *name)
{
	int err = git_remote_lookup(&c->remote, c->s->repo, name);

	if (err == GIT_ENOTFOUND || err == GIT_EINVALIDSPEC) {
		git_error_clear();
		if (!strchr(name, '/') && !strchr(name, ':'))
			return pg_error_input(
			        "no remote named '%s' (add it with "
			        "'git remote add %s URL')",
			        name, name);
		err = git_remote_create_anonymous(&c->remote, c->s->repo, name);
	}
	if (err < 0)
		return store_git_error(PG_EINPUT, "cannot use remote '%s'",
		                       name);
	c->url = git_remote_url(c->remote);
	c->private_ref = private_ref_name(c->s, name);
	store_auth_init(&c->auth, c->s, c->url);
	c->headers.strings = c->auth.headers;
	c->headers.count = c->auth.nheaders;
	return 0;
}

/*
 * Fetch the remote's notes into the private ref; *theirs is its value,
 * *have = 0 when the remote has no notes ref.
 */
static int fetch(struct sync_ctx *c, git_oid *theirs, int *have)
{
	git_fetch_options fo;
	git_reference *old = NULL;
	struct pg_buf spec = PG_BUF_INIT;
	char *specs[1];
	git_strarray refspecs = {specs, 1};
	int err;

	*have = 0;
	/* a stale private ref must not pass for the remote's notes */
	if (git_reference_lookup(&old, c->s->repo, c->private_ref) == 0)
		git_reference_delete(old);
	git_reference_free(old);
	git_error_clear();
	pg_buf_addf(&spec, "+%s:%s", c->s->notes_ref, c->private_ref);
	specs[0] = spec.s;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.callbacks.credentials = credentials;
	fo.callbacks.payload = c;
	fo.custom_headers = c->headers;
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	c->auth.tried_agent = c->auth.tried_token = 0;
	err = git_remote_fetch(c->remote, &refspecs, &fo, "perfgate sync");
	if (err < 0) {
		err = auth_error(c, err, "fetch from");
		goto out;
	}
	err = git_reference_name_to_id(theirs, c->s->repo, c->private_ref);
	if (err == GIT_ENOTFOUND) {
		git_error_clear();
		err = 0;
	} else if (err == 0) {
		*have = 1;
	} else {
		err = store_git_error(PG_ERUNTIME, "cannot read '%s'",
		                      c->private_ref);
	}
out:
	pg_buf_release(&spec);
	return err;
}

static int on_push_update(const char *refname, const char *status, void *data)
{
	struct sync_ctx *c = data;

	if (status) {
		c->rejected = 1;
		free(c->reject_msg);
		c->reject_msg = pg_strdup(status);
	}
	return 0;
}

/* Copy the notes commits the remote lacks into its object store. */
static int copy_objects(git_repository *local, git_repository *rr,
                        const git_oid *ours, const git_oid *old)
{
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	git_buf dir = GIT_BUF_INIT;
	struct pg_buf pack = PG_BUF_INIT;
	git_odb *odb = NULL;
	int err = 0;

	if (git_revwalk_new(&walk, local) < 0 ||
	    git_revwalk_push(walk, ours) < 0 ||
	    (old && git_revwalk_hide(walk, old) < 0) ||
	    git_packbuilder_new(&pb, local) < 0 ||
	    git_packbuilder_insert_walk(pb, walk) < 0 ||
	    git_repository_item_path(&dir, rr, GIT_REPOSITORY_ITEM_OBJECTS) <
	            0) {
		err = store_git_error(PG_ERUNTIME, "cannot pack notes");
		goto out;
	}
	pg_buf_addf(&pack, "%spack", dir.ptr);
	if (git_packbuilder_write(pb, pack.s, 0, NULL, NULL) < 0 ||
	    git_repository_odb(&odb, rr) < 0 || git_odb_refresh(odb) < 0)
		err = store_git_error(PG_ERUNTIME, "cannot write notes to '%s'",
		                      pack.s);
out:
	pg_buf_release(&pack);
	git_buf_dispose(&dir);
	git_odb_free(odb);
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	return err;
}

/*
 * Push to a local remote.  libgit2 1.5's local transport force-writes the
 * remote ref, which would let two concurrent syncs overwrite each other,
 * so: lock the remote ref, read it under the lock, copy the objects and
 * move the ref only if it still is what we merged.  The lock is taken
 * first because git_reference_create_matching() checks that a ref to be
 * created does not exist before taking its lock, so two syncs creating
 * the notes ref at once both "succeeded" and one lost its runs.
 */
static int push_local(struct sync_ctx *c, const char *path, const git_oid *ours,
                      int *rejected, int *pushed)
{
	git_repository *rr = NULL, *local = c->s->repo;
	git_transaction *tx = NULL;
	git_odb *odb = NULL;
	git_oid old;
	int has_old, err = 0;

	if (git_repository_open_ext(&rr, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
	                            NULL) < 0)
		return store_git_error(PG_ERUNTIME, "cannot open remote '%s'",
		                       path);
	if (git_transaction_new(&tx, rr) < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot update '%s'", path);
		goto out;
	}
	err = git_transaction_lock_ref(tx, c->s->notes_ref);
	if (err == GIT_ELOCKED || err == GIT_EMODIFIED) {
		/* another writer is moving it (or a killed one left its lock)
		 */
		git_error_clear();
		free(c->lock_msg);
		c->lock_msg = store_lock_hint(git_repository_path(rr),
		                              c->s->notes_ref);
		*rejected = 1;
		err = 0;
		goto out;
	} else if (err < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot lock '%s' in '%s'",
		                      c->s->notes_ref, path);
		goto out;
	}
	pg_test_point("sync:remote-locked");
	has_old = git_reference_name_to_id(&old, rr, c->s->notes_ref) == 0;
	git_error_clear();
	if (has_old && git_oid_equal(&old, ours))
		goto out;
	if (git_repository_odb(&odb, local) < 0) {
		err = store_git_error(PG_ERUNTIME, "cannot open the odb");
		goto out;
	}
	/* non-fast-forward: they have notes we have not merged yet */
	if (has_old && (!git_odb_exists(odb, &old) ||
	                git_graph_descendant_of(local, ours, &old) != 1)) {
		git_error_clear();
		*rejected = 1;
		goto out;
	}
	if ((err = copy_objects(local, rr, ours, has_old ? &old : NULL)) < 0)
		goto out;
	if (git_transaction_set_target(tx, c->s->notes_ref, ours, NULL,
	                               "perfgate sync") < 0 ||
	    git_transaction_commit(tx) < 0)
		err = store_git_error(PG_ERUNTIME, "cannot update '%s' in '%s'",
		                      c->s->notes_ref, path);
	else
		*pushed = 1;
out:
	/* unlocks the ref when it was not committed */
	git_transaction_free(tx);
	git_odb_free(odb);
	git_repository_free(rr);
	return err;
}

/* Push over a transport; rejections come as errors or via the callback. */
static int push_remote(struct sync_ctx *c, int *rejected, int *pushed)
{
	git_push_options po;
	struct pg_buf spec = PG_BUF_INIT;
	char *specs[1];
	git_strarray refspecs = {specs, 1};
	int err;

	pg_buf_addf(&spec, "%s:%s", c->s->notes_ref, c->s->notes_ref);
	specs[0] = spec.s;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	po.callbacks.credentials = credentials;
	po.callbacks.push_update_reference = on_push_update;
	po.callbacks.payload = c;
	po.custom_headers = c->headers;
	c->rejected = 0;
	c->auth.tried_agent = c->auth.tried_token = 0;
	err = git_remote_push(c->remote, &refspecs, &po);
	if (store_git_reason(err) == PG_EREJECTED) {
		git_error_clear();
		*rejected = 1;
		err = 0;
	} else if (err < 0) {
		err = auth_error(c, err, "push to");
	} else if (c->rejected) {
		*rejected = 1;
	} else {
		*pushed = 1;
	}
	pg_buf_release(&spec);
	return err;
}

static int push(struct sync_ctx *c, int *rejected, int *pushed)
{
	git_oid ours;
	const char *path = local_path(c->url);

	*rejected = *pushed = 0;
	free(c->lock_msg);
	c->lock_msg = NULL;
	if (git_reference_name_to_id(&ours, c->s->repo, c->s->notes_ref) < 0) {
		git_error_clear();
		return 0; /* nothing to push */
	}
	if (pg_test_reject_push()) {
		*rejected = 1;
		return 0;
	}
	pg_test_point("sync:before-push");
	if (path)
		return push_local(c, path, &ours, rejected, pushed);
	return push_remote(c, rejected, pushed);
}

static void release(struct sync_ctx *c)
{
	git_remote_free(c->remote);
	store_auth_release(&c->auth);
	free(c->private_ref);
	free(c->reject_msg);
	free(c->lock_msg);
}

static int sync_loop(struct sync_ctx *c, const struct store_sync_opts *o,
                     struct store_sync_report *r)
{
	unsigned max = o->max_tries ? o->max_tries : STORE_SYNC_DEFAULT_TRIES;
	int err, have, rejected = 0;
	git_oid theirs;
	struct pg_backoff backoff;

	pg_backoff_init(&backoff, SYNC_BACKOFF_BASE_MS, SYNC_BACKOFF_MAX_MS);

	for (r->tries = 0; r->tries < max;) {
		if ((err = fetch(c, &theirs, &have)) < 0)
			return err;
		r->remote_had_notes = have;
		pg_test_point("sync:after-fetch");
		if (have && (err = store_absorb(c->s, &theirs, r)) < 0)
			return err;
		pg_test_point("sync:after-merge");
		if (o->fetch_only)
			return 0;
		r->tries++;
		if ((err = push(c, &rejected, &r->pushed)) < 0 || !rejected)
			return err;
		/* someone pushed first: fetch, merge and push again */
		pg_backoff(&backoff, r->tries - 1);
	}
	if (c->lock_msg)
		return pg_error_because(PG_ELOCKED, PG_ERUNTIME,
		                        "push of '%s' to '%s': the remote ref "
		                        "stayed locked for %u attempts; %s",
		                        c->s->notes_ref, c->url, max,
		                        c->lock_msg);
	return pg_error_because(PG_EREJECTED, PG_ERUNTIME,
	                        "push of '%s' to '%s' still rejected after %u "
	                        "attempts%s%s",
	                        c->s->notes_ref, c->url, max,
	                        c->reject_msg ? ": " : "",
	                        c->reject_msg ? c->reject_msg : "");
}

int store_sync(struct store *s, const struct store_sync_opts *o,
               struct store_sync_report *report)
{
	struct store_sync_report dummy;
	struct sync_ctx c;
	int err, rejected = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	report = report ? report : &dummy;
	memset(report, 0, sizeof(*report));
	if ((err = open_remote(&c, o->remote ? o->remote : "origin")) < 0)
		goto out;
	if (o->push_only) {
		report->tries = 1;
		err = push(&c, &rejected, &report->pushed);
		if (err == 0 && rejected && c.lock_msg)
			err = pg_error_because(PG_ELOCKED, PG_ERUNTIME,
			                       "push of '%s' to '%s': the "
			                       "remote ref is locked; %s",
			                       s->notes_ref, c.url, c.lock_msg);
		else if (err == 0 && rejected)
			err = pg_error_because(
			        PG_EREJECTED, PG_EINPUT,
			        "push of '%s' to '%s' rejected: the "
			        "remote has results this clone "
			        "lacks; run 'perfgate sync' without "
			        "--push-only",
			        s->notes_ref, c.url);
	} else {
		err = sync_loop(&c, o, report);
	}
out:
	store_forget_notes(s);
	release(&c);
	return err;
}
