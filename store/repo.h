/*
 * repo.h - the git repository that holds perfgate's results.
 *
 * A struct store is an open repository plus the name of the notes ref that
 * holds results (store/notes.h reads and writes them, store/sync.h
 * exchanges them with remotes).  Nothing here exposes a libgit2 type:
 * commits are named by full 40-digit SHAs in char[41] buffers and described
 * by struct store_commit.
 *
 * Every function returns 0 or a negative code from util/error.h after
 * recording a one-line message: PG_EINPUT for anything the user can fix
 * (not a repository, an unknown revision, an unborn HEAD, a shallow clone
 * that lacks the history asked for), PG_ERUNTIME for failures of the
 * repository itself (unreadable objects, I/O errors).
 */
#ifndef PG_STORE_REPO_H
#define PG_STORE_REPO_H

#include <stddef.h>

struct store;

/* Flags for store_open(). */
enum {
	/*
	 * Accept a bare repository (read-only verbs: log, show, sync).
	 * Without it a bare repository is PG_EINPUT, since there is no
	 * working tree whose commit a run could have measured.
	 */
	STORE_ALLOW_BARE = 1 << 0,
	/* Accept an unborn HEAD (no commit yet); store_resolve("HEAD") fails.
	 */
	STORE_ALLOW_UNBORN = 1 << 1,
};

/*
 * Open the repository at path (NULL: discover it from the current
 * directory upwards, like git).  notes_ref names the notes ref; NULL means
 * $PERFGATE_NOTES_REF, or "refs/notes/perfgate" when that is unset or
 * empty.  A short name ("perf") is taken as "refs/notes/perf".
 *
 * Errors (PG_EINPUT, one line each): not a git repository (reason
 * PG_ENOTREPO, util/error.h); a bare repository without STORE_ALLOW_BARE;
 * an unborn HEAD without STORE_ALLOW_UNBORN (reason PG_EUNBORN); an
 * invalid notes ref name.  On success *out belongs
 * to the caller, who frees it with store_free().
 */
int store_open(struct store **out, const char *path, const char *notes_ref,
               unsigned flags);

/* Close the repository.  Accepts NULL. */
void store_free(struct store *s);

/* The full notes ref name.  Borrowed; lives as long as s. */
const char *store_notes_ref(const struct store *s);

/* The repository's working directory (NULL when bare).  Borrowed. */
const char *store_workdir(const struct store *s);

/*
 * The repository's common git directory ($GIT_COMMON_DIR: .git, shared by
 * linked worktrees), ending with '/'.  Borrowed; lives as long as s.
 */
const char *store_common_dir(const struct store *s);

/*
 * The directory git runs hooks from, into *out (malloc'd, the caller
 * frees it): core.hooksPath when set (~ expanded; relative to the working
 * tree, as git takes it), else $GIT_COMMON_DIR/hooks.  The directory may
 * not exist yet.  PG_ERUNTIME when the config cannot be read.
 */
int store_hooks_dir(struct store *s, char **out);

/* 1 when the repository is a shallow clone. */
int store_is_shallow(const struct store *s);

/*
 * The URL of remote name ("origin"), malloc'd into *out, or *out NULL when
 * there is no such remote.  Returns 0.
 */
int store_remote_url(struct store *s, const char *name, char **out);

/*
 * Resolve a revision ("HEAD", "main~2", a short SHA, a tag) to the full
 * SHA of a commit.  PG_EINPUT naming rev when it does not resolve to a
 * commit, with a hint about fetching when the clone is shallow (reason
 * PG_ESHALLOW, util/error.h).
 */
int store_resolve(struct store *s, const char *rev, char sha[41]);

/*
 * *dirty = 1 when tracked files differ from HEAD (staged or not).
 * Untracked files do not count: benchmark output often is one.  A bare
 * repository is never dirty.
 */
int store_is_dirty(struct store *s, int *dirty);

/*
 * The best common ancestor of commits a and b (full SHAs or revisions)
 * into base.  *found = 0 (base empty) when they share no history, or
 * when a shallow clone lacks the history that would connect them; the
 * latter also sets *shallow_gap = 1 (shallow_gap may be NULL).
 */
int store_merge_base(struct store *s, const char *a, const char *b,
                     char base[41], int *found, int *shallow_gap);

/*
 * *yes = 1 when ancestor is an ancestor of (or equal to) descendant.
 * Missing history in a shallow clone makes the answer 0.
 */
int store_is_ancestor(struct store *s, const char *ancestor,
                      const char *descendant, int *yes);

/* One commit, converted from libgit2's representation. */
struct store_commit {
	char sha[41];
	char tree[41]; /* its tree's id: the same files, the same id */
	char short_sha[13]; /* first 12 hex digits */
	char *subject; /* first line of the message */
	char *message; /* whole message, trailers included */
	char *author; /* "Name <email>" */
	long long time; /* committer time, seconds since the epoch */
	int tz_minutes; /* committer time zone offset from UTC */
	size_t nparents;
	char first_parent[41]; /* "" for a root commit */
};

/*
 * Look up one commit by full SHA or revision.  out must be released with
 * store_commit_release(); it owns its strings.
 */
int store_commit_info(struct store *s, const char *rev,
                      struct store_commit *out);
void store_commit_release(struct store_commit *c);

/* Format c's committer date as "YYYY-MM-DD" (UTC) into buf[11]. */
void store_commit_date(const struct store_commit *c, char buf[11]);

/* Why store_first_parents() stopped. */
enum store_walk_end {
	STORE_WALK_ROOT, /* reached a root commit: the whole history */
	STORE_WALK_LIMIT, /* walked max commits */
	STORE_WALK_CALLBACK, /* the callback asked to stop */
	STORE_WALK_SHALLOW, /* the next parent is missing (shallow clone) */
};

/*
 * Called for each commit, newest first.  c is borrowed for the duration of
 * the call.  Return 0 to continue, > 0 to stop the walk (not an error), or
 * a negative error code (recorded with pg_error_*) to abort it.
 */
typedef int (*store_walk_fn)(const struct store_commit *c, void *payload);

/*
 * Walk first-parent history from the commit from (full SHA or revision),
 * including it, visiting at most max commits (0: no limit).  Parents are
 * followed by hand rather than with git_revwalk, which fails on shallow
 * clones in libgit2 1.5: when the next parent is missing the walk ends
 * with *end = STORE_WALK_SHALLOW and boundary holds the last commit that
 * was visited (its parent is the one missing).  end and boundary may be
 * NULL.  Returns 0, the callback's negative code, or an error.
 */
int store_first_parents(struct store *s, const char *from, size_t max,
                        store_walk_fn fn, void *payload,
                        enum store_walk_end *end, char boundary[41]);

#endif
