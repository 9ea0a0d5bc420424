#include "util/buf.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char pg_buf_empty[1];

void pg_buf_init(struct pg_buf *b)
{
	b->s = pg_buf_empty;
	b->len = 0;
	b->cap = 0;
}

void pg_buf_release(struct pg_buf *b)
{
	if (b->cap)
		free(b->s);
	pg_buf_init(b);
}

void pg_buf_reset(struct pg_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->s[0] = '\0';
}

void pg_buf_grow(struct pg_buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	size_t cap;

	if (want <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap *= 2;
	if (b->cap) {
		b->s = pg_realloc(b->s, cap);
	} else {
		b->s = pg_malloc(cap);
		b->s[0] = '\0';
	}
	b->cap = cap;
}

void pg_buf_add(struct pg_buf *b, const void *data, size_t len)
{
	pg_buf_grow(b, len);
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void pg_buf_addstr(struct pg_buf *b, const char *s)
{
	pg_buf_add(b, s, strlen(s));
}

void pg_buf_addch(struct pg_buf *b, char c)
{
	pg_buf_add(b, &c, 1);
}

void pg_buf_vaddf(struct pg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	pg_buf_grow(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void pg_buf_addf(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

char *pg_buf_detach(struct pg_buf *b, size_t *len)
{
	char *s;

	if (!b->cap)
		pg_buf_grow(b, 0);
	s = b->s;
	if (len)
		*len = b->len;
	pg_buf_init(b);
	return s;
}

int pg_buf_read_file(struct pg_buf *b, const char *path)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return pg_error_input("'%s': no such file", path);
		return pg_error_code(errno == EACCES ? PG_EINPUT : PG_ERUNTIME,
		                     "cannot open '%s': %s", path,
		                     strerror(errno));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return pg_error_input("'%s' is a directory, not a file", path);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return pg_error_runtime("cannot read '%s': %s", path,
			                        strerror(errno));
		}
		pg_buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/*
 * Write to a device or FIFO (/dev/null, /dev/stdout, a pipe) in place: a
 * rename would replace it with a regular file, and as root that turns
 * /dev/null into a file for the whole machine.
 */
static int write_in_place(const char *path, const char *data, size_t len)
{
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return pg_error_runtime("cannot write '%s': %s", path,
		                        strerror(errno));
	while (off < len && err == 0) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err = pg_error_runtime("cannot write '%s': %s", path,
			                       strerror(errno));
		else
			off += (size_t)n;
	}
	if (close(fd) < 0 && err == 0)
		err = pg_error_runtime("cannot write '%s': %s", path,
		                       strerror(errno));
	return err;
}

int pg_write_file_atomic(const char *path, const char *data, size_t len)
{
	struct pg_buf tmp = PG_BUF_INIT;
	struct stat st;
	size_t off = 0;
	int fd, err = 0;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return pg_error_runtime("cannot write '%s': is a directory",
		                        path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return write_in_place(path, data, len);
	pg_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = pg_error_runtime("cannot write '%s': %s", path,
		                       strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = pg_error_runtime("cannot write '%s': %s", path,
			                       strerror(errno));
			close(fd);
			unlink(tmp.s);
			goto out;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0 || rename(tmp.s, path) < 0) {
		err = pg_error_runtime("cannot write '%s': %s", path,
		                       strerror(errno));
		unlink(tmp.s);
	}
out:
	pg_buf_release(&tmp);
	return err;
}
