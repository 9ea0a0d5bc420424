/*
 * Unit tests for pipeline/target.h: which commit a run is stored on
 * (HEAD, --commit, a GitHub pull request's head), nothing stored outside a
 * repository, and a run that cannot be stored kept in a file with the
 * command that stores it later.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/target.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"

static char tmpdir[256];
static char cwd[4096];

/* A repository r with two commits, and a directory "plain" outside it. */
static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-target.") < 0)
		return -1;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	sh("cd %s && mkdir plain && git init -q -b main r && cd r && echo 1 "
	   ">f && git add f && git commit -qm one && echo 2 >f && git commit "
	   "-qam two",
	   tmpdir);
	setenv("GIT_CEILING_DIRECTORIES", tmpdir, 1);
	unsetenv("GITHUB_EVENT_NAME");
	unsetenv("GITHUB_EVENT_PATH");
	return 0;
}

static int teardown(void **state)
{
	store_fx_leave(cwd, tmpdir);
	return 0;
}

/* The full SHA of rev in r, from git itself. */
static void git_sha(char sha[41], const char *rev)
{
	struct pg_buf cmd = PG_BUF_INIT;
	FILE *f;

	pg_buf_addf(&cmd, "git -C %s/r rev-parse %s", tmpdir, rev);
	f = popen(cmd.s, "r");
	assert_non_null(f);
	assert_non_null(fgets(sha, 41, f));
	pclose(f);
	pg_buf_release(&cmd);
}

static void test_outside_a_repository_stores_nothing(void **state)
{
	struct pipeline_target t;
	struct result_run r;

	store_fx_cd(tmpdir, "plain");
	assert_int_equal(pipeline_target_prepare(&t, NULL, NULL), 0);
	assert_null(t.store);
	store_fx_run(&r, NULL, "b", 0);
	assert_int_equal(pipeline_target_save(&t, &r), 0);
	assert_null(r.commit);
	result_run_release(&r);
	pipeline_target_release(&t);
	/* but a commit asked for outside a repository is an error */
	assert_true(pipeline_target_prepare(&t, "HEAD", NULL) < 0);
	assert_null(t.store);
	pg_error_clear();
}

static void test_head_and_commit(void **state)
{
	struct pipeline_target t;
	struct result_run r, *runs = NULL;
	char head[41], first[41], *warning = NULL;
	size_t n = 0;

	git_sha(head, "HEAD");
	git_sha(first, "HEAD~1");
	store_fx_cd(tmpdir, "r");
	assert_int_equal(pipeline_target_prepare(&t, NULL, NULL), 0);
	assert_non_null(t.store);
	assert_string_equal(t.sha, head);
	assert_int_equal(t.dirty, 0);
	pipeline_target_release(&t);

	sh("echo 3 >%s/r/f", tmpdir);
	assert_int_equal(pipeline_target_prepare(&t, "HEAD~1", NULL), 0);
	assert_string_equal(t.sha, first);
	assert_int_equal(t.dirty, 1);
	store_fx_run(&r, NULL, "b", 0);
	assert_int_equal(pipeline_target_save(&t, &r), 0);
	assert_string_equal(r.commit, first);
	assert_int_equal(r.dirty, 1);
	assert_int_equal(store_read_runs(t.store, first, &runs, &n, &warning),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].id, r.id);
	result_runs_free(runs, n);
	free(warning);
	result_run_release(&r);
	pipeline_target_release(&t);
}

static void test_pull_request_head(void **state)
{
	static const char pr[] = "0123456789abcdef0123456789abcdef01234567";
	struct pipeline_target t;
	struct pg_buf p = PG_BUF_INIT;

	sh("printf '{\"pull_request\": {\"head\": {\"sha\": \"%s\"}}}' "
	   ">%s/event.json",
	   pr, tmpdir);
	store_fx_cd(tmpdir, "r");
	setenv("GITHUB_EVENT_NAME", "pull_request", 1);
	pg_buf_addf(&p, "%s/event.json", tmpdir);
	setenv("GITHUB_EVENT_PATH", p.s, 1);
	pg_buf_release(&p);
	assert_int_equal(pipeline_target_prepare(&t, NULL, NULL), 0);
	unsetenv("GITHUB_EVENT_NAME");
	unsetenv("GITHUB_EVENT_PATH");
	assert_string_equal(t.sha, pr);
	pipeline_target_release(&t);
}

static void test_keep_writes_the_run_and_says_how(void **state)
{
	struct pipeline_target t;
	struct result_run r;
	struct pg_buf path = PG_BUF_INIT, doc = PG_BUF_INIT;
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

	store_fx_cd(tmpdir, "r");
	assert_int_equal(pipeline_target_prepare(&t, NULL, NULL), 0);
	store_fx_run(&r, NULL, "b", 0);
	setenv("TMPDIR", tmpdir, 1);
	pg_error_runtime("the notes ref is locked");
	assert_int_equal(pipeline_target_keep(&t, t.sha, &r, PG_ERUNTIME),
	                 PG_ERUNTIME);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	pg_buf_addf(&path, "%s/perfgate-unstored-%s.json", tmpdir, r.id);
	assert_int_equal(pg_buf_read_file(&doc, path.s), 0);
	assert_contains(doc.s, r.id);
	assert_non_null(t.save_error);
	assert_contains(t.save_error, "the notes ref is locked");
	assert_contains(t.save_error, path.s);
	assert_contains(t.save_error, "perfgate import --format perfgate");
	assert_contains(pg_error_last(), path.s);
	pg_error_clear();
	pg_buf_release(&path);
	pg_buf_release(&doc);
	result_run_release(&r);
	pipeline_target_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                test_outside_a_repository_stores_nothing, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(test_head_and_commit, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_pull_request_head, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_keep_writes_the_run_and_says_how, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
