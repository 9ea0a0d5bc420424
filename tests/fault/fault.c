/*
 * fault.c - an LD_PRELOAD shim that makes writes fail, for the
 * fault-injection tests (tests/t/t3107-fault-injection.sh).
 *
 *   PERFGATE_FAULT_PATH   a substring: files opened for writing whose path
 *                         contains it are the targets ("objects/", ".lock")
 *   PERFGATE_FAULT_ERRNO  ENOSPC (default), EIO or EDQUOT
 *   PERFGATE_FAULT_AFTER  let this many target writes through first (0)
 *
 * A write(2), pwrite(2) or fsync(2) on a target file fails with the
 * errno, as a full disk or a failing device would.  Nothing else changes.
 * Under ASan, run with ASAN_OPTIONS=verify_asan_link_order=0.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 4096

static char target[MAX_FD];
static long allowed = -1;

static int fault_errno(void)
{
	const char *e = getenv("PERFGATE_FAULT_ERRNO");

	if (e && !strcmp(e, "EIO"))
		return EIO;
	if (e && !strcmp(e, "EDQUOT"))
		return EDQUOT;
	return ENOSPC;
}

static void note_open(int fd, const char *path, int flags)
{
	const char *want = getenv("PERFGATE_FAULT_PATH");

	if (fd < 0 || fd >= MAX_FD)
		return;
	target[fd] = want && *want && path && strstr(path, want) &&
	             (flags & (O_WRONLY | O_RDWR));
}

/* Should this write fail? */
static int fails(int fd)
{
	if (fd < 0 || fd >= MAX_FD || !target[fd])
		return 0;
	if (allowed < 0) {
		const char *a = getenv("PERFGATE_FAULT_AFTER");

		allowed = a ? atol(a) : 0;
	}
	if (allowed > 0) {
		allowed--;
		return 0;
	}
	errno = fault_errno();
	return 1;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	fd = NEXT(open)(path, flags, mode);
	note_open(fd, path, flags);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	fd = NEXT(open64)(path, flags, mode);
	note_open(fd, path, flags);
	return fd;
}

int openat(int dir, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int fd;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	fd = NEXT(openat)(dir, path, flags, mode);
	note_open(fd, path, flags);
	return fd;
}

int close(int fd)
{
	if (fd >= 0 && fd < MAX_FD)
		target[fd] = 0;
	return NEXT(close)(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fails(fd))
		return -1;
	return NEXT(write)(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (fails(fd))
		return -1;
	return NEXT(pwrite)(fd, buf, n, off);
}

int fsync(int fd)
{
	if (fails(fd))
		return -1;
	return NEXT(fsync)(fd);
}
