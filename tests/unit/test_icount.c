/*
 * Unit tests for the instructions metric: parsing valgrind's output files
 * (real files in tests/fixtures/valgrind, see its README for the commands
 * that made them), the perf counting path of the runner and ASLR.
 */
#include "tests/unit/unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/icount.h"
#include "runner/runner.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

static char path_buf[4096];

static const char *fixture(const char *name)
{
	const char *top = getenv("PERFGATE_TOP");

	snprintf(path_buf, sizeof(path_buf), "%s/tests/fixtures/valgrind/%s",
	         top ? top : ".", name);
	return path_buf;
}

static int parse_fixture(double *out, const char *name)
{
	struct pg_buf b = PG_BUF_INIT;
	int err;

	assert_int_equal(pg_buf_read_file(&b, fixture(name)), 0);
	err = runner_icount_parse(out, b.s, b.len, name);
	pg_buf_release(&b);
	return err;
}

/* Values: the "totals:"/"summary:" lines of the fixtures (grep them). */
static void test_parse_callgrind_and_cachegrind(void **state)
{
	double n;

	(void)state;
	assert_int_equal(parse_fixture(&n, "callgrind-cpuwork.out"), 0);
	assert_close(n, 1326137, 0);
	/* "events: Ir sysCount sysTime": Ir is the first column */
	assert_int_equal(parse_fixture(&n, "callgrind-systime.out"), 0);
	assert_close(n, 1326137, 0);
	/* cachegrind has only "summary:" */
	assert_int_equal(parse_fixture(&n, "cachegrind-nosim.out"), 0);
	assert_close(n, 1327293, 0);
	/* nine events and a trailing space on the events line */
	assert_int_equal(parse_fixture(&n, "cachegrind-sim.out"), 0);
	assert_close(n, 1327293, 0);
}

/* "totals:" wins over "summary:" in callgrind files (they can differ). */
static void test_totals_preferred_and_columns(void **state)
{
	const char doc[] = "version: 1\ncreator: callgrind-3.19.0\n"
	                   "cmd: x\nevents: Dr Ir\n"
	                   "summary: 5 100\nfn=main\n0 5 100\ntotals: 5 101\n";
	const char no_ir[] = "events: Dr\nsummary: 5\n";
	const char short_totals[] = "events: Dr Ir\ntotals: 5\n";
	double n;

	(void)state;
	assert_int_equal(runner_icount_parse(&n, doc, strlen(doc), "x"), 0);
	assert_close(n, 101, 0);
	assert_int_equal(runner_icount_parse(&n, no_ir, strlen(no_ir), "f"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'f': no \"events:\" line with Ir");
	/* callgrind leaves trailing zero columns out */
	assert_int_equal(runner_icount_parse(&n, short_totals,
	                                     strlen(short_totals), "x"),
	                 0);
	assert_close(n, 0, 0);
}

static void test_truncated_and_foreign_files(void **state)
{
	struct pg_buf b = PG_BUF_INIT;
	const char bad[] = "events: Ir\ntotals: 12x\n";
	double n;

	(void)state;
	assert_int_equal(pg_buf_read_file(&b, fixture("callgrind-cpuwork.out")),
	                 0);
	/* killed while writing: the totals line at the end is missing */
	assert_int_equal(runner_icount_parse(&n, b.s, b.len / 2, "cut"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'cut': no \"totals:\" or "
	                                 "\"summary:\" line");
	assert_int_equal(runner_icount_parse(&n, "hello\n", 6, "h"), PG_EINPUT);
	assert_int_equal(runner_icount_parse(&n, bad, strlen(bad), "bad"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'bad': bad Ir total");
	pg_buf_release(&b);
}

/* Copy the fixture directory fork/ into a fresh temporary directory. */
static void copy_fork_fixture(char *dir)
{
	struct pg_buf cmd = PG_BUF_INIT;

	assert_non_null(mkdtemp(dir));
	pg_buf_addf(&cmd, "cp '%s'/* '%s'", fixture("fork"), dir);
	assert_int_equal(system(cmd.s), 0);
	pg_buf_release(&cmd);
}

/*
 * The files of `sh -c 'x=$(echo hi); y=$(echo ho); true'` with a dump
 * before every fork: the shell's parts and its two subshells'.  Sum of
 * the totals lines: 4268 + 228521 + 42 + 2325 + 42 + 4099 + 4099.
 */
static void test_collect_sums_and_deletes(void **state)
{
	char dir[] = "/tmp/perfgate-icount-test-XXXXXX";
	double n;
	DIR *d;
	struct dirent *e;
	int left = 0;

	(void)state;
	copy_fork_fixture(dir);
	assert_int_equal(runner_icount_collect(&n, dir), 0);
	assert_close(n, 243396, 0);
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)))
		left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	assert_int_equal(left, 0);
	/* nothing written: a runtime failure, not a zero count */
	assert_int_equal(runner_icount_collect(&n, dir), PG_ERUNTIME);
	assert_contains(pg_error_last(), "wrote no output file");
	assert_int_equal(rmdir(dir), 0);
}

static void test_source_names(void **state)
{
	enum runner_icount_source s;

	(void)state;
	assert_int_equal(runner_icount_source_parse(&s, "valgrind"), 0);
	assert_int_equal(s, RUNNER_ICOUNT_VALGRIND);
	assert_string_equal(runner_icount_source_name(s), "valgrind");
	assert_int_equal(runner_icount_source_parse(&s, "perf"), 0);
	assert_string_equal(runner_icount_source_name(s), "perf");
	assert_int_equal(runner_icount_source_parse(&s, "papi"), PG_EINPUT);
	assert_contains(pg_error_last(), "unknown instruction counter 'papi'");
}

/* Without valgrind on PATH and without hardware counters: say so. */
static void test_resolve_without_valgrind(void **state)
{
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	enum runner_icount_source s;
	int perf = runner_perf_usable(RUNNER_PERF_INSTRUCTIONS);

	(void)state;
	setenv("PATH", "/nonexistent", 1);
	if (perf) {
		assert_int_equal(runner_icount_resolve(&s, RUNNER_ICOUNT_AUTO),
		                 0);
		assert_int_equal(s, RUNNER_ICOUNT_PERF);
	} else {
		assert_int_equal(runner_icount_resolve(&s, RUNNER_ICOUNT_AUTO),
		                 PG_ERUNTIME);
		assert_contains(pg_error_last(), "apt-get install valgrind");
		assert_int_equal(runner_icount_resolve(&s, RUNNER_ICOUNT_PERF),
		                 PG_ERUNTIME);
	}
	if (old)
		setenv("PATH", old, 1);
	free(old);
}

static int exec_spec(struct runner_spec *spec, struct runner_result *res)
{
	struct runner *r = NULL;
	int err = runner_new(&r, spec);

	if (!err)
		err = runner_exec(r, res);
	runner_free(r);
	return err;
}

/*
 * The fork-and-hold path with a software event every kernel has: every
 * run counts its grandchild (an inherited counter on perfgate itself
 * counted nothing in some runs).
 */
static void test_counter_covers_descendants_every_run(void **state)
{
	struct runner_spec spec = {0};
	struct runner_result res;
	int i;

	(void)state;
	if (!runner_perf_usable(RUNNER_PERF_TASK_CLOCK)) {
		skip();
		return;
	}
	spec.shell = "sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); "
	             "done'; true";
	spec.count = RUNNER_PERF_TASK_CLOCK;
	spec.timeout = 20;
	runner_result_init(&res);
	for (i = 0; i < 6; i++) {
		assert_int_equal(exec_spec(&spec, &res), 0);
		assert_true(runner_succeeded(&res));
		/* the loop takes milliseconds of user CPU: >= 1 ms in ns */
		if (!(res.counted >= 1e6))
			fail_msg("run %d counted %g ns", i, res.counted);
	}
	runner_result_release(&res);
}

static void test_counted_start_failures(void **state)
{
	struct runner_spec spec = {0};
	struct runner_result res;
	static char *argv[] = {"/nonexistent/prog", NULL};

	(void)state;
	if (!runner_perf_usable(RUNNER_PERF_TASK_CLOCK)) {
		skip();
		return;
	}
	runner_result_init(&res);
	spec.argv = argv;
	spec.count = RUNNER_PERF_TASK_CLOCK;
	assert_int_equal(exec_spec(&spec, &res), PG_ERUNTIME);
	assert_contains(pg_error_last(), "cannot run '/nonexistent/prog'");
	spec.argv = NULL;
	spec.shell = "sleep 5";
	spec.timeout = 0.2;
	assert_int_equal(exec_spec(&spec, &res), 0);
	assert_true(res.timed_out);
	assert_true(res.wall < 2);
	/* no stray SIGCHLD left over: the next run ends at its exit */
	spec.shell = "true";
	spec.timeout = 5;
	assert_int_equal(exec_spec(&spec, &res), 0);
	assert_true(runner_succeeded(&res));
	assert_true(res.wall < 1);
	runner_result_release(&res);
}

static void test_no_aslr_persona(void **state)
{
	struct runner_spec spec = {0};
	struct runner_result res;

	(void)state;
	runner_result_init(&res);
	spec.shell = "cat /proc/self/personality";
	spec.capture_stdout = 1;
	spec.no_aslr = 1;
	assert_int_equal(exec_spec(&spec, &res), 0);
	/* ADDR_NO_RANDOMIZE is 0x0040000 */
	assert_contains(res.out.s, "00040000");
	spec.no_aslr = 0;
	assert_int_equal(exec_spec(&spec, &res), 0);
	assert_null(strstr(res.out.s, "00040000"));
	runner_result_release(&res);
}

/* Three runs under valgrind count the same, and the source is named. */
static void test_valgrind_counts_repeat(void **state)
{
	struct config_bench cb;
	struct result_run run;
	struct result_bench *b;
	const struct result_metric *m;
	enum runner_icount_source s;

	(void)state;
	if (runner_icount_resolve(&s, RUNNER_ICOUNT_VALGRIND) < 0) {
		skip();
		return;
	}
	memset(&cb, 0, sizeof(cb));
	cb.name = "loop";
	cb.shell = "i=0; while [ $i -lt 300 ]; do i=$((i+1)); done";
	cb.timeout = 10;
	result_run_init(&run);
	b = result_bench_add(&run, "loop");
	assert_int_equal(runner_count_instructions(b, &cb, 3, s, NULL), 0);
	assert_null(b->error);
	assert_string_equal(result_bench_param(b, RESULT_INSTRUCTIONS_SOURCE),
	                    "valgrind");
	assert_non_null(m = result_metric_find(b, RESULT_INSTRUCTIONS));
	assert_string_equal(m->unit, "count");
	assert_int_equal(m->n, 3);
	assert_true(m->samples[0] > 100000);
	assert_close(m->samples[1], m->samples[0], 0);
	assert_close(m->samples[2], m->samples[0], 0);
	/* a failing command is the benchmark's error, with its stderr */
	cb.shell = "echo broken >&2; exit 3";
	b = result_bench_add(&run, "fails");
	assert_int_equal(runner_count_instructions(b, &cb, 3, s, NULL), 0);
	assert_non_null(b->error);
	assert_contains(b->error, "instruction-count run 1 exited with "
	                          "status 3");
	assert_contains(b->error, "broken");
	result_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_callgrind_and_cachegrind),
	        cmocka_unit_test(test_totals_preferred_and_columns),
	        cmocka_unit_test(test_truncated_and_foreign_files),
	        cmocka_unit_test(test_collect_sums_and_deletes),
	        cmocka_unit_test(test_source_names),
	        cmocka_unit_test(test_resolve_without_valgrind),
	        cmocka_unit_test(test_counter_covers_descendants_every_run),
	        cmocka_unit_test(test_counted_start_failures),
	        cmocka_unit_test(test_no_aslr_persona),
	        cmocka_unit_test(test_valgrind_counts_repeat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
