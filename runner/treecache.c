/* Built baseline trees kept across paired sessions: see runner/treecache.h. */
#include "runner/treecache.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct runner_treecache {
	char *dir; /* the cache's directory */
	char *entry; /* dir/key */
	char *tree; /* dir/key/tree */
	int lock_fd;
	int done;
};

/* mkdir -p for the cache's own directories. */
static int make_dirs(const char *path)
{
	char *p = pg_strdup(path), *s;
	int err = 0;

	for (s = p + 1; !err; s++) {
		int end = *s == '\0';

		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			err = pg_error_runtime("cannot make '%s': %s", p,
			                       strerror(errno));
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return err;
}

static char *join(const char *a, const char *b)
{
	struct pg_buf p = PG_BUF_INIT;

	pg_buf_addf(&p, "%s/%s", a, b);
	return pg_buf_detach(&p, NULL);
}

/* Lock entry's lock file without waiting: its fd, or -1 when held. */
static int try_lock(const char *entry)
{
	char *path = join(entry, "lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void treecache_free(struct runner_treecache *c)
{
	if (!c)
		return;
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->dir);
	free(c->entry);
	free(c->tree);
	free(c);
}

int runner_treecache_open(struct runner_treecache **out, const char *dir,
                          const char *key, int *ready)
{
	struct runner_treecache *c = pg_calloc(1, sizeof(*c));
	char *stamp = NULL;
	int err;

	*out = NULL;
	*ready = 0;
	c->lock_fd = -1;
	c->dir = pg_strdup(dir);
	c->entry = join(dir, key);
	c->tree = join(c->entry, "tree");
	if ((err = make_dirs(c->entry)) < 0)
		goto fail;
	if ((c->lock_fd = try_lock(c->entry)) < 0) {
		treecache_free(c); /* in use: the caller builds elsewhere */
		return 0;
	}
	stamp = join(c->entry, "ready");
	*ready = access(stamp, F_OK) == 0 && access(c->tree, F_OK) == 0;
	if (*ready) {
		utimensat(AT_FDCWD, stamp, NULL, 0); /* last use */
	} else if ((err = pg_remove_tree(c->tree)) < 0 ||
	           (mkdir(c->tree, 0700) < 0 &&
	            (err = pg_error_runtime("cannot make '%s': %s", c->tree,
	                                    strerror(errno))) < 0)) {
		goto fail;
	}
	c->done = *ready;
	free(stamp);
	*out = c;
	return 0;
fail:
	free(stamp);
	treecache_free(c);
	return err;
}

const char *runner_treecache_path(const struct runner_treecache *c)
{
	return c->tree;
}

int runner_treecache_done(struct runner_treecache *c)
{
	char *stamp = join(c->entry, "ready");
	int fd = open(stamp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int err = 0;

	if (fd < 0)
		err = pg_error_runtime("cannot write '%s': %s", stamp,
		                       strerror(errno));
	else
		close(fd);
	free(stamp);
	c->done = err == 0;
	return err;
}

/* One entry of the cache, for eviction. */
struct entry {
	char *path;
	size_t bytes;
	long long used; /* mtime of its ready stamp; 0: none */
};

/* Disk use of path and everything below it, links not followed. */
static size_t tree_bytes(const char *path)
{
	struct stat st;
	struct dirent *de;
	size_t bytes;
	DIR *d;

	if (lstat(path, &st) < 0)
		return 0;
	bytes = (size_t)st.st_blocks * 512;
	if (!S_ISDIR(st.st_mode) || !(d = opendir(path)))
		return bytes;
	while ((de = readdir(d)) != NULL) {
		char *sub;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = join(path, de->d_name);
		bytes += tree_bytes(sub);
		free(sub);
	}
	closedir(d);
	return bytes;
}

static int by_use(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return (x->used > y->used) - (x->used < y->used);
}

static size_t list_entries(const char *dir, struct entry **out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, alloc = 0;

	*out = NULL;
	while (d && (de = readdir(d)) != NULL) {
		struct entry *e;
		struct stat st;
		char *stamp;

		if (de->d_name[0] == '.')
			continue;
		*out = pg_grow_array(*out, sizeof(**out), n + 1, &alloc);
		e = &(*out)[n++];
		e->path = join(dir, de->d_name);
		e->bytes = tree_bytes(e->path);
		stamp = join(e->path, "ready");
		e->used = stat(stamp, &st) == 0 ? (long long)st.st_mtime : 0;
		free(stamp);
	}
	if (d)
		closedir(d);
	return n;
}

/* Remove the least recently used unlocked entries beyond max_bytes. */
static int evict(const char *dir, const char *keep, size_t max_bytes)
{
	struct entry *e;
	size_t n = list_entries(dir, &e), i, total = 0;
	int err = 0, fd;

	for (i = 0; i < n; i++)
		total += e[i].bytes;
	qsort(e, n, sizeof(*e), by_use);
	for (i = 0; i < n && total > max_bytes; i++) {
		if (!strcmp(e[i].path, keep) || (fd = try_lock(e[i].path)) < 0)
			continue;
		if (pg_remove_tree(e[i].path) < 0 && !err)
			err = PG_ERUNTIME;
		else
			total -= e[i].bytes;
		close(fd);
	}
	for (i = 0; i < n; i++)
		free(e[i].path);
	free(e);
	return err;
}

int runner_treecache_close(struct runner_treecache *c, size_t max_bytes)
{
	int err = 0;

	if (!c)
		return 0;
	/* a build that did not finish is never reused */
	if (!c->done)
		err = pg_remove_tree(c->entry);
	if (!err)
		err = evict(c->dir, c->entry, max_bytes);
	treecache_free(c);
	return err;
}
