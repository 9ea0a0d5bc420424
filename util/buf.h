/*
 * buf.h - a growable, always NUL-terminated byte buffer (git's strbuf).
 *
 * Initialise with PG_BUF_INIT or pg_buf_init(); release with
 * pg_buf_release().  The buffer owns its memory.  Allocation failure aborts
 * the process (see util/mem.h), so the add functions cannot fail.
 */
#ifndef PG_UTIL_BUF_H
#define PG_UTIL_BUF_H

#include <stddef.h>
#include <stdarg.h>

#include "util/error.h"

struct pg_buf {
	char *s; /* NUL-terminated contents; never NULL after init */
	size_t len; /* bytes used, excluding the terminating NUL */
	size_t cap; /* bytes allocated */
};

extern char pg_buf_empty[];
#define PG_BUF_INIT                                                            \
	{                                                                      \
		pg_buf_empty, 0, 0                                             \
	}

void pg_buf_init(struct pg_buf *b);
void pg_buf_release(struct pg_buf *b);
/* Empty the buffer, keeping its allocation. */
void pg_buf_reset(struct pg_buf *b);
/* Make room for at least extra more bytes. */
void pg_buf_grow(struct pg_buf *b, size_t extra);
void pg_buf_add(struct pg_buf *b, const void *data, size_t len);
void pg_buf_addstr(struct pg_buf *b, const char *s);
void pg_buf_addch(struct pg_buf *b, char c);
void pg_buf_addf(struct pg_buf *b, const char *fmt, ...) PG_PRINTF(2, 3);
void pg_buf_vaddf(struct pg_buf *b, const char *fmt, va_list ap)
        PG_PRINTF(2, 0);
/* Take the contents (caller frees with free()); the buffer is reset. */
char *pg_buf_detach(struct pg_buf *b, size_t *len);

/*
 * Read a whole file into b (appending).  Returns 0, PG_EINPUT when the file
 * does not exist or is not a regular file, PG_ERUNTIME on a read error.
 */
int pg_buf_read_file(struct pg_buf *b, const char *path);

/*
 * Write len bytes to path atomically: a temporary file in the same
 * directory, then rename, so readers never see a partial file.  No fsync:
 * reports are cheap to regenerate, and git notes have their own store.
 * A path that exists and is not a regular file (/dev/null, a FIFO) is
 * written in place instead.  Returns 0 or PG_ERUNTIME.
 */
int pg_write_file_atomic(const char *path, const char *data, size_t len);

#endif
