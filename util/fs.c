#include "util/fs.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pg_mkdtemp(char **out, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");
	struct pg_buf path = PG_BUF_INIT;
	char *dir;

	*out = NULL;
	pg_buf_addf(&path, "%s/%sXXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	dir = pg_buf_detach(&path, NULL);
	if (!mkdtemp(dir)) {
		int e = errno;
		int err = pg_error_runtime("cannot make a scratch directory "
		                           "'%s': %s",
		                           dir, strerror(e));

		free(dir);
		return err;
	}
	*out = dir;
	return 0;
}

/*
 * Remove path (lstat'ed as *st) and what it holds.  Read-only directories
 * (some build tools make them) are made writable first.  Returns the
 * first error; later entries are still tried.
 */
static int remove_rec(const char *path, const struct stat *st)
{
	struct pg_buf child = PG_BUF_INIT;
	struct dirent *de;
	struct stat cst;
	DIR *d;
	int err = 0, e;

	if (S_ISDIR(st->st_mode)) {
		if ((st->st_mode & 0700) != 0700)
			chmod(path, st->st_mode | 0700);
		d = opendir(path);
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") ||
			    !strcmp(de->d_name, ".."))
				continue;
			pg_buf_reset(&child);
			pg_buf_addf(&child, "%s/%s", path, de->d_name);
			if (lstat(child.s, &cst) < 0)
				continue;
			e = remove_rec(child.s, &cst);
			if (!err)
				err = e;
		}
		if (d)
			closedir(d);
		pg_buf_release(&child);
		if (rmdir(path) < 0 && errno != ENOENT && !err)
			err = pg_error_runtime("cannot remove '%s': %s", path,
			                       strerror(errno));
		return err;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return pg_error_runtime("cannot remove '%s': %s", path,
		                        strerror(errno));
	return 0;
}

int pg_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT
		               ? 0
		               : pg_error_runtime("cannot remove '%s': "
		                                  "%s",
		                                  path, strerror(errno));
	return remove_rec(path, &st);
}
