#include "util/error.h"
#include "util/redact.h"

#include <stdio.h>
#include <string.h>

#define PG_ERROR_MAX 4096

static _Thread_local char last_error[PG_ERROR_MAX];
/* formatting goes here first: arguments may point into last_error */
static _Thread_local char scratch[PG_ERROR_MAX];

static _Thread_local int last_reason;

/* Every recorded message loses its credentials (util/redact.h). */
int pg_error_vcode(int code, const char *fmt, va_list ap)
{
	vsnprintf(scratch, sizeof(scratch), fmt, ap);
	pg_redact(last_error, sizeof(last_error), scratch);
	last_reason = PG_ENONE;
	return code;
}

int pg_error_because(int reason, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vcode(code, fmt, ap);
	va_end(ap);
	last_reason = reason;
	return code;
}

int pg_error_set_reason(int reason, int code)
{
	last_reason = reason;
	return code;
}

int pg_error_reason(void)
{
	return last_reason;
}

int pg_error_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vcode(code, fmt, ap);
	va_end(ap);
	return code;
}

int pg_error_input(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vcode(PG_EINPUT, fmt, ap);
	va_end(ap);
	return PG_EINPUT;
}

int pg_error_runtime(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pg_error_vcode(PG_ERUNTIME, fmt, ap);
	va_end(ap);
	return PG_ERUNTIME;
}

int pg_error_wrap(int code, const char *fmt, ...)
{
	char prefix[PG_ERROR_MAX];
	char old[PG_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(scratch, sizeof(scratch), fmt, ap);
	va_end(ap);
	pg_redact(prefix, sizeof(prefix), scratch);
	memcpy(old, last_error, sizeof(old));
	if (old[0] &&
	    snprintf(last_error, sizeof(last_error), "%s: %s", prefix, old) < 0)
		last_error[0] = '\0';
	else if (!old[0])
		memcpy(last_error, prefix, sizeof(prefix));
	return code;
}

const char *pg_error_last(void)
{
	return last_error;
}

void pg_error_clear(void)
{
	last_error[0] = '\0';
	last_reason = PG_ENONE;
}

int pg_exit_code(int status)
{
	switch (status) {
	case PG_OK:
		return PG_EXIT_PASS;
	case PG_EREGRESSION:
		return PG_EXIT_REGRESSION;
	case PG_EINPUT:
		return PG_EXIT_INPUT;
	default:
		return PG_EXIT_RUNTIME;
	}
}
