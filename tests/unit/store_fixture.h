/*
 * store_fixture.h - what the store's unit tests share: shell commands that
 * build real repositories with the git binary, a scratch directory with a
 * fixed git identity, and a small run to store.  Header-only (static), as
 * report_fixture.h; include it after unit.h.
 */
#ifndef PG_TESTS_STORE_FIXTURE_H
#define PG_TESTS_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model/result.h"

/* Run a shell command (printf-style); a failure fails the test. */
static inline void sh(const char *fmt, ...) PG_PRINTF(1, 2);
static inline void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

/*
 * A new directory $TMPDIR/<prefix>XXXXXX into dir (size bytes) and git's
 * identity and config isolated from the machine's.  0, or -1 when the
 * directory cannot be made.
 */
static inline int store_fx_scratch(char *dir, size_t size, const char *prefix)
{
	snprintf(dir, size, "%s/%sXXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", prefix);
	if (!mkdtemp(dir))
		return -1;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "A", 1);
	setenv("GIT_AUTHOR_EMAIL", "a@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C", 1);
	setenv("GIT_COMMITTER_EMAIL", "c@example.com", 1);
	unsetenv("PERFGATE_NOTES_REF");
	return 0;
}

/* chdir to dir/sub; a failure fails the test. */
static inline void store_fx_cd(const char *dir, const char *sub)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if (chdir(path) != 0)
		fail_msg("cannot chdir to '%s'", path);
}

/*
 * Leave a scratch directory made by store_fx_scratch() for cwd, forget
 * GIT_CEILING_DIRECTORIES and remove dir.
 */
static inline void store_fx_leave(const char *cwd, const char *dir)
{
	if (chdir(cwd) != 0)
		fail_msg("cannot chdir back to '%s'", cwd);
	unsetenv("GIT_CEILING_DIRECTORIES");
	sh("rm -rf %s", dir);
}

/*
 * A stamped run (label may be NULL) with one benchmark name whose
 * wall_time samples are base + 1, base + 2, base + 3.
 */
static inline void store_fx_run(struct result_run *run, const char *label,
                                const char *name, double base)
{
	struct result_bench *b;
	struct result_metric *m;
	int i;

	result_run_init(run);
	assert_int_equal(result_run_stamp(run, label), 0);
	b = result_bench_add(run, name);
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	for (i = 1; i <= 3; i++)
		result_metric_push(m, base + i);
}

#endif
