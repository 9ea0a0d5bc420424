/*
 * Unit tests for runner/explain.h without running anything: the entry a
 * harness benchmark runs (--benchmark_filter for google-benchmark), the
 * "why" line and the "explains little" note.
 */
#include "tests/unit/unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runner/explain.h"

static void test_entry_gbench_argv(void **state)
{
	char *argv[] = {"./bench", "--benchmark_format=json", NULL};
	struct config_bench cb = {0}, out;
	char **nargv, *shell;
	int filtered;

	(void)state;
	cb.name = "micro";
	cb.argv = argv;
	cb.argc = 2;
	cb.format = "google-benchmark";
	runner_explain_entry(&out, &nargv, &shell, &filtered, &cb,
	                     "micro/BM_parse/8");
	assert_int_equal(filtered, 1);
	assert_int_equal(out.argc, 3);
	assert_string_equal(out.argv[0], "./bench");
	assert_string_equal(out.argv[2], "--benchmark_filter=^BM_parse/8$");
	assert_null(out.argv[3]);
	runner_explain_entry_release(nargv, shell);
	/* regex characters are escaped */
	runner_explain_entry(&out, &nargv, &shell, &filtered, &cb,
	                     "micro/BM_x<int>(1.5)");
	assert_string_equal(out.argv[2],
	                    "--benchmark_filter=^BM_x<int>\\(1\\.5\\)$");
	runner_explain_entry_release(nargv, shell);
}

static void test_entry_shell_and_others(void **state)
{
	struct config_bench cb = {0}, out;
	char **nargv, *shell;
	int filtered;

	(void)state;
	cb.name = "micro";
	cb.shell = "make bench";
	cb.format = "google-benchmark";
	runner_explain_entry(&out, &nargv, &shell, &filtered, &cb,
	                     "micro/BM_a'b");
	assert_int_equal(filtered, 1);
	assert_null(nargv);
	assert_string_equal(out.shell,
	                    "make bench '--benchmark_filter=^BM_a'\\''b$'");
	runner_explain_entry_release(nargv, shell);
	/* another format: the whole entry runs */
	cb.format = "hyperfine";
	runner_explain_entry(&out, &nargv, &shell, &filtered, &cb, "micro/x");
	assert_int_equal(filtered, 0);
	assert_string_equal(out.shell, "make bench");
	/* a plain benchmark: itself */
	cb.format = NULL;
	runner_explain_entry(&out, &nargv, &shell, &filtered, &cb, "micro");
	assert_int_equal(filtered, 0);
	assert_ptr_equal(out.shell, cb.shell);
}

static void test_why_and_little(void **state)
{
	struct runner_explanation e;
	struct runner_cg_delta d[3] = {
	        {"prog", "p.c", "hot", 1000000, 3100000, 0, 0, 0, 0},
	        {"prog", "p.c", "fresh", 0, 900000, 0, 0, 0, 1},
	        {"prog", "p.c", "cold", 500, 400, 0, 0, 0, 0},
	};
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	runner_explanation_init(&e);
	e.base.total = 10000000;
	e.cand.total = 13000000; /* +3 M, of which hot +2.1 M = 70% */
	e.deltas = d;
	e.ndeltas = 3;
	runner_explain_why(&b, &e, 5);
	assert_string_equal(b.s, "`hot` +2.1 M instructions (+210%), 70% of "
	                         "the change; `fresh` +900.0 k instructions "
	                         "(new), 30% of the change");
	pg_buf_reset(&b);
	runner_explain_why(&b, &e, 1);
	assert_null(strstr(b.s, "fresh"));
	/* +30% instructions explain little of +80% wall time, not of +40% */
	pg_buf_reset(&b);
	assert_int_equal(runner_explain_little(&b, &e, 0.8), 1);
	assert_non_null(strstr(b.s, "explains little"));
	pg_buf_reset(&b);
	assert_int_equal(runner_explain_little(&b, &e, 0.4), 0);
	assert_int_equal(runner_explain_little(&b, &e, NAN), 0);
	assert_int_equal(b.len, 0);
	pg_buf_release(&b);
	e.deltas = NULL; /* borrowed above */
	runner_explanation_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_entry_gbench_argv),
	        cmocka_unit_test(test_entry_shell_and_others),
	        cmocka_unit_test(test_why_and_little),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
