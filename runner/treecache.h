/*
 * treecache.h - built baseline trees kept across paired sessions.
 *
 * A paired gate exports and builds its baseline commit every time, and on
 * one branch the baseline (the merge-base) rarely changes between pushes.
 * The cache keeps the built tree under a directory (the repository's
 * $GIT_COMMON_DIR/perfgate/trees), one entry per key, and the caller makes
 * the key from everything that could change the build: the commit's tree
 * id, the config's hash and the runner.  The tree stays at the same path,
 * so builds that record absolute paths (CMake, autotools) keep working.
 *
 * Layout: DIR/KEY/tree (the files), DIR/KEY/lock (flock while a session
 * uses the entry), DIR/KEY/ready (written once the build succeeded; its
 * mtime is the entry's last use, for eviction).  An entry another session
 * holds is not waited for: the caller builds in a scratch tree instead.
 */
#ifndef PG_RUNNER_TREECACHE_H
#define PG_RUNNER_TREECACHE_H

#include <stddef.h>

struct runner_treecache;

/*
 * Open entry key (letters, digits, '-') under dir (created as needed) and
 * lock it.  On success *out is the caller's (runner_treecache_close()) and
 * *ready is 1 when the entry holds a completed build (its mtime is
 * refreshed), 0 when its tree directory is new and empty.  *out is NULL
 * (and 0 returned) when another session holds the entry.  PG_ERUNTIME when
 * the directories cannot be made.
 */
int runner_treecache_open(struct runner_treecache **out, const char *dir,
                          const char *key, int *ready);

/* The entry's tree directory.  Borrowed; lives as long as c. */
const char *runner_treecache_path(const struct runner_treecache *c);

/* Mark the entry built (the next open finds it ready).  0 or PG_ERUNTIME. */
int runner_treecache_done(struct runner_treecache *c);

/*
 * Unlock and free c (NULL is fine).  An entry that was never marked done
 * is removed, so a failed or interrupted build is never reused.  Then the
 * least recently used unlocked entries are removed until the directory
 * holds at most max_bytes (the entry just used is kept).  Returns 0, or
 * PG_ERUNTIME when a directory could not be removed (nothing is lost: the
 * cache only holds rebuildable trees).
 */
int runner_treecache_close(struct runner_treecache *c, size_t max_bytes);

#endif
