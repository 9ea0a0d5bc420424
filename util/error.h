/*
 * error.h - how perfgate library code reports failure.
 *
 * A function that can fail returns int: 0 on success, or one of the negative
 * codes below.  Before returning it records a one-line, human-readable
 * message (git style: lower case, no trailing period, the subject in single
 * quotes) with pg_error_input() or pg_error_runtime().  Only cmd/ prints that
 * message and turns the code into an exit status with pg_exit_code().
 *
 * The message lives in a thread-local buffer, like libgit2's
 * git_error_last(): it is valid until the next pg_error_* call on the same
 * thread.
 */
#ifndef PG_UTIL_ERROR_H
#define PG_UTIL_ERROR_H

#include <stdarg.h>

/* Error codes.  Their absolute values are perfgate's exit codes. */
enum {
	PG_OK = 0,
	PG_EREGRESSION = -1, /* not an error: a significant regression */
	PG_EINPUT = -2, /* bad usage or bad input: exit 2 */
	PG_ERUNTIME = -3, /* runtime failure: exit 3 */
};

/*
 * Reasons: the kind of failure, carried with the last recorded message, for
 * the few callers that must react to one kind (gate and run outside a
 * repository, sync after a rejected push).  They test pg_error_reason(),
 * never the message text, which may change or be translated.  A reason is
 * set where the error is raised: by pg_error_because(), or for libgit2's
 * errors by store/ (store_git_reason() maps libgit2's codes in one place).
 */
enum pg_reason {
	PG_ENONE = 0, /* no particular kind */
	PG_ENOTREPO, /* not in a git repository */
	PG_EUNBORN, /* HEAD has no commit yet */
	PG_ESHALLOW, /* a shallow clone lacks the history asked for */
	PG_ELOCKED, /* a ref is locked by another writer */
	PG_EREJECTED, /* a push was rejected: not a fast-forward */
	PG_EAUTH, /* the remote refused the credentials, or there were none */
};

/* Exit statuses, documented in --help and the README. */
enum {
	PG_EXIT_PASS = 0,
	PG_EXIT_REGRESSION = 1,
	PG_EXIT_INPUT = 2,
	PG_EXIT_RUNTIME = 3,
};

#if defined(__GNUC__)
#define PG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PG_PRINTF(f, a)
#endif

/* Record a bad-input message; returns PG_EINPUT. */
int pg_error_input(const char *fmt, ...) PG_PRINTF(1, 2);

/* Record a runtime-failure message; returns PG_ERUNTIME. */
int pg_error_runtime(const char *fmt, ...) PG_PRINTF(1, 2);

/*
 * Record a message with an explicit code and a reason (enum pg_reason);
 * returns code.
 */
int pg_error_because(int reason, int code, const char *fmt, ...)
        PG_PRINTF(3, 4);

/*
 * Attach reason to the message recorded last (after a helper that
 * recorded it, such as store_git_error()); returns code.
 */
int pg_error_set_reason(int reason, int code);

/*
 * The reason of the last recorded message: PG_ENONE unless the code that
 * recorded it gave one.  Every pg_error_* call that records a new message
 * resets it, pg_error_wrap() keeps it, pg_error_clear() forgets it.
 */
int pg_error_reason(void);

/* Record a message with an explicit code; returns code. */
int pg_error_code(int code, const char *fmt, ...) PG_PRINTF(2, 3);
int pg_error_vcode(int code, const char *fmt, va_list ap) PG_PRINTF(2, 0);

/*
 * Prefix the recorded message with context ("config 'x': " + message) and
 * return code unchanged, so a caller can write
 * `return pg_error_wrap(err, "cannot read '%s'", path);`.
 */
int pg_error_wrap(int code, const char *fmt, ...) PG_PRINTF(2, 3);

/* The last recorded message ("" if none).  Borrowed; see above. */
const char *pg_error_last(void);

/* Forget the last message. */
void pg_error_clear(void);

/* Map an int status (0 or a negative code) to perfgate's exit status. */
int pg_exit_code(int status);

#endif
