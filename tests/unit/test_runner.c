/* Unit tests for runner/: one process, measured. */
#include "tests/unit/unit.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/runner.h"
#include "util/error.h"

static int exec_shell(const char *cmd, struct runner_result *res, int capture,
                      char **envp, double timeout)
{
	struct runner_spec spec = {0};
	struct runner *r = NULL;
	int err;

	spec.shell = cmd;
	spec.capture_stdout = capture;
	spec.envp = envp;
	spec.timeout = timeout;
	err = runner_new(&r, &spec);
	if (!err)
		err = runner_exec(r, res);
	runner_free(r);
	return err;
}

static void test_success_and_stdout_capture(void **state)
{
	struct runner_result res;

	runner_result_init(&res);
	assert_int_equal(
	        exec_shell("printf 'a\\nb'; echo oops >&2", &res, 1, NULL, 5),
	        0);
	assert_true(runner_succeeded(&res));
	assert_string_equal(res.out.s, "a\nb");
	/* stderr is only read after a failure */
	assert_int_equal(res.err_tail.len, 0);
	assert_true(res.wall > 0 && res.wall < 5);
	runner_result_release(&res);
}

static void test_stderr_tail_is_bounded(void **state)
{
	struct runner_result res;
	struct pg_buf msg = PG_BUF_INIT;

	runner_result_init(&res);
	assert_int_equal(exec_shell("i=0; while [ $i -lt 2000 ]; do "
	                            "echo line $i >&2; i=$((i+1)); done; "
	                            "exit 7",
	                            &res, 0, NULL, 10),
	                 0);
	assert_false(runner_succeeded(&res));
	assert_int_equal(res.exit_code, 7);
	assert_true(res.err_tail.len <= PG_STDERR_TAIL_BYTES);
	assert_contains(res.err_tail.s, "line 1999\n");
	assert_null(strstr(res.err_tail.s, "line 10\n"));
	runner_describe_failure(&res, 10, &msg);
	assert_contains(msg.s, "exited with status 7; stderr ends with:");
	pg_buf_release(&msg);
	runner_result_release(&res);
}

static void test_reused_runner_reports_only_its_own_stderr(void **state)
{
	struct runner_spec spec = {0};
	struct runner_result res;
	struct runner *r = NULL;
	static char *argv[] = {"sh", "-c",
	                       "echo run-$(cat count 2>/dev/null) >&2; "
	                       "echo x >>count; test $(wc -l <count) -lt 3",
	                       NULL};
	char dir[] = "/tmp/perfgate-runner-XXXXXX";

	assert_non_null(mkdtemp(dir));
	spec.argv = argv;
	spec.cwd = dir;
	runner_result_init(&res);
	assert_int_equal(runner_new(&r, &spec), 0);
	assert_int_equal(runner_exec(r, &res), 0);
	assert_true(runner_succeeded(&res));
	assert_int_equal(runner_exec(r, &res), 0);
	assert_true(runner_succeeded(&res));
	assert_int_equal(runner_exec(r, &res), 0);
	assert_false(runner_succeeded(&res));
	assert_contains(res.err_tail.s, "run-x x");
	assert_null(strstr(res.err_tail.s, "run-x\n"));
	runner_free(r);
	runner_result_release(&res);
	spec.argv = NULL;
	spec.shell = "rm -f count";
	assert_int_equal(exec_shell("true", &res, 0, NULL, 1), 0);
	assert_int_equal(runner_new(&r, &spec), 0);
	assert_int_equal(runner_exec(r, &res), 0);
	runner_free(r);
	runner_result_release(&res);
	assert_int_equal(rmdir(dir), 0);
}

static void test_env_is_passed(void **state)
{
	struct runner_result res;
	char *extra[] = {"PG_TEST_VALUE=42", "PATH=/usr/bin:/bin"};
	char **envp = runner_env_build(extra, 2);

	runner_result_init(&res);
	assert_int_equal(
	        exec_shell("test \"$PG_TEST_VALUE\" = 42", &res, 0, envp, 5),
	        0);
	assert_true(runner_succeeded(&res));
	runner_env_free(envp);
	runner_result_release(&res);
}

static void test_timeout_and_signal(void **state)
{
	struct runner_result res;

	runner_result_init(&res);
	assert_int_equal(exec_shell("sleep 5", &res, 0, NULL, 0.2), 0);
	assert_true(res.timed_out);
	assert_false(runner_succeeded(&res));
	assert_true(res.wall >= 0.2 && res.wall < 2);
	assert_int_equal(exec_shell("kill -ABRT $$", &res, 0, NULL, 5), 0);
	assert_false(res.exited);
	assert_int_equal(res.signal, SIGABRT);
	runner_result_release(&res);
}

static void test_missing_program_is_runtime_error(void **state)
{
	struct runner_spec spec = {0};
	struct runner_result res;
	struct runner *r = NULL;
	static char *argv[] = {"/nonexistent/prog", NULL};
	int err;

	spec.argv = argv;
	runner_result_init(&res);
	assert_int_equal(runner_new(&r, &spec), 0);
	err = runner_exec(r, &res);
	if (err == 0) {
		/* valgrind emulates posix_spawn with fork: exec fails late */
		assert_int_equal(res.exit_code, 127);
	} else {
		assert_int_equal(err, PG_ERUNTIME);
		assert_contains(pg_error_last(),
		                "cannot run '/nonexistent/prog'");
	}
	runner_free(r);
	runner_result_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_success_and_stdout_capture),
	        cmocka_unit_test(test_stderr_tail_is_bounded),
	        cmocka_unit_test(
	                test_reused_runner_reports_only_its_own_stderr),
	        cmocka_unit_test(test_env_is_passed),
	        cmocka_unit_test(test_timeout_and_signal),
	        cmocka_unit_test(test_missing_program_is_runtime_error),
	};

	return cmocka_run_group_tests_name("runner", tests, NULL, NULL);
}
