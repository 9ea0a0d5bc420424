/* Named fault-injection points (util/testpoint.h). */
#include "util/testpoint.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pg_test_point(const char *name)
{
	const char *at = getenv("PERFGATE_TEST_KILL_AT");

	if (at && !strcmp(at, name))
		kill(getpid(), SIGKILL);
}

int pg_test_reject_push(void)
{
	static long rejected;
	const char *n = getenv("PERFGATE_TEST_REJECT");

	if (!n || rejected >= atol(n))
		return 0;
	rejected++;
	return 1;
}
