/*
 * fs.h - scratch directories: made under $TMPDIR, removed with everything
 * in them.
 */
#ifndef PG_UTIL_FS_H
#define PG_UTIL_FS_H

/*
 * Make a new private directory $TMPDIR/<prefix>XXXXXX (/tmp when TMPDIR
 * is unset or empty) and return its absolute path in *out (malloc'd, the
 * caller frees).  Returns 0 or PG_ERUNTIME.
 */
int pg_mkdtemp(char **out, const char *prefix);

/*
 * Remove path and everything below it, without following symbolic links.
 * A path that does not exist is not an error.  Returns 0 or PG_ERUNTIME
 * naming the first entry that could not be removed (the rest is still
 * attempted).
 */
int pg_remove_tree(const char *path);

#endif
