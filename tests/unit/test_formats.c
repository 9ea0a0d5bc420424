/*
 * Unit tests for formats/: every parser on the fixtures in tests/fixtures
 * (real tool output where Debian has the tool, see its README), unit
 * conversions, directions, aggregates, detection and the bad-input rules.
 */
#include "tests/unit/unit.h"

#define FORMATS_FIXTURE_DIR "tests/fixtures"
#include "tests/unit/formats_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "formats/internal.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

static void assert_metric(const struct result_metric *m, const char *unit,
                          enum result_direction dir, int aggregate, size_t n)
{
	assert_string_equal(m->unit, unit);
	assert_int_equal(m->direction, dir);
	assert_int_equal(m->aggregate, aggregate);
	assert_int_equal(m->n, n);
}

/* ---- the unit table ---- */

static void test_unit_table(void **state)
{
	static const struct {
		const char *name, *unit;
		double value, expect;
		enum result_direction dir;
	} cases[] = {
	        {"ns", "s", 1500, 1.5e-6, RESULT_LOWER_IS_BETTER},
	        {"us", "s", 2.5, 2.5e-6, RESULT_LOWER_IS_BETTER},
	        {"\xc2\xb5s", "s", 2.5, 2.5e-6, RESULT_LOWER_IS_BETTER},
	        {"\xce\xbcs", "s", 2.5, 2.5e-6, RESULT_LOWER_IS_BETTER},
	        {"ms", "s", 12, 0.012, RESULT_LOWER_IS_BETTER},
	        {"s", "s", 3, 3, RESULT_LOWER_IS_BETTER},
	        {"sec", "s", 3, 3, RESULT_LOWER_IS_BETTER},
	        {"min", "s", 2, 120, RESULT_LOWER_IS_BETTER},
	        {"ns/op", "s", 40, 4e-8, RESULT_LOWER_IS_BETTER},
	        {"us/op", "s", 40, 4e-5, RESULT_LOWER_IS_BETTER},
	        {"\xc2\xb5s/op", "s", 40, 4e-5, RESULT_LOWER_IS_BETTER},
	        {"\xce\xbcs/op", "s", 40, 4e-5, RESULT_LOWER_IS_BETTER},
	        {"ms/op", "s", 40, 0.04, RESULT_LOWER_IS_BETTER},
	        {"s/op", "s", 40, 40, RESULT_LOWER_IS_BETTER},
	        {"sec/op", "s", 40, 40, RESULT_LOWER_IS_BETTER},
	        {"ops/ns", "items/s", 2, 2e9, RESULT_HIGHER_IS_BETTER},
	        {"ops/us", "items/s", 2, 2e6, RESULT_HIGHER_IS_BETTER},
	        {"ops/\xc2\xb5s", "items/s", 2, 2e6, RESULT_HIGHER_IS_BETTER},
	        {"ops/\xce\xbcs", "items/s", 2, 2e6, RESULT_HIGHER_IS_BETTER},
	        {"ops/ms", "items/s", 2, 2e3, RESULT_HIGHER_IS_BETTER},
	        {"ops/s", "items/s", 2, 2, RESULT_HIGHER_IS_BETTER},
	        {"ops/sec", "items/s", 2, 2, RESULT_HIGHER_IS_BETTER},
	        {"ops/min", "items/s", 120, 2, RESULT_HIGHER_IS_BETTER},
	        {"items/s", "items/s", 7, 7, RESULT_HIGHER_IS_BETTER},
	        {"B/s", "B/s", 7, 7, RESULT_HIGHER_IS_BETTER},
	        {"kB/s", "B/s", 7, 7e3, RESULT_HIGHER_IS_BETTER},
	        {"KB/s", "B/s", 7, 7e3, RESULT_HIGHER_IS_BETTER},
	        {"MB/s", "B/s", 7, 7e6, RESULT_HIGHER_IS_BETTER},
	        {"GB/s", "B/s", 7, 7e9, RESULT_HIGHER_IS_BETTER},
	        {"KiB/s", "B/s", 2, 2048, RESULT_HIGHER_IS_BETTER},
	        {"MiB/s", "B/s", 2, 2097152, RESULT_HIGHER_IS_BETTER},
	        {"GiB/s", "B/s", 2, 2147483648.0, RESULT_HIGHER_IS_BETTER},
	        {"B", "B", 9, 9, RESULT_LOWER_IS_BETTER},
	        {"kB", "B", 9, 9e3, RESULT_LOWER_IS_BETTER},
	        {"KB", "B", 9, 9e3, RESULT_LOWER_IS_BETTER},
	        {"MB", "B", 9, 9e6, RESULT_LOWER_IS_BETTER},
	        {"GB", "B", 9, 9e9, RESULT_LOWER_IS_BETTER},
	        {"KiB", "B", 3, 3072, RESULT_LOWER_IS_BETTER},
	        {"MiB", "B", 3, 3145728, RESULT_LOWER_IS_BETTER},
	        {"GiB", "B", 3, 3221225472.0, RESULT_LOWER_IS_BETTER},
	        {"B/op", "B", 9, 9, RESULT_LOWER_IS_BETTER},
	        {"allocs/op", "count", 9, 9, RESULT_LOWER_IS_BETTER},
	        {"count", "count", 9, 9, RESULT_LOWER_IS_BETTER},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct fmt_unit *u = fmt_unit_find(cases[i].name);

		if (!u)
			fail_msg("unit '%s' unknown", cases[i].name);
		assert_string_equal(u->unit, cases[i].unit);
		assert_rel(cases[i].value * u->scale, cases[i].expect, 1e-12);
		assert_int_equal(u->direction, cases[i].dir);
	}
	assert_null(fmt_unit_find("fortnights"));
	assert_null(fmt_unit_find("NS"));
}

/* 200 ns is stored as 200 / 1e9 = 2e-07, not 200 * 1e-9 (2e-07 + 1 ulp). */
static void test_exact_scaling(void **state)
{
	struct result_run run;

	assert_int_equal(parse_str(&run, "go",
	                           "BenchmarkA 1 200 ns/op\n"
	                           "BenchmarkA 1 3 us/op\n"),
	                 0);
	assert_true(metric(&run, "BenchmarkA", "sec/op")->samples[0] == 2e-07);
	assert_true(metric(&run, "BenchmarkA", "sec/op")->samples[1] == 3e-06);
	result_run_release(&run);
}

/* ---- Google Benchmark ---- */

static void test_gbench_fixture(void **state)
{
	struct result_run run;
	const struct result_bench *b;

	load(&run, "google-benchmark", "google-benchmark.json");
	/* 4 families with 3 repetitions each, aggregates skipped */
	assert_int_equal(run.nbenches, 5);
	assert_metric(metric(&run, "BM_memcpy/64", "real_time"), "s",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BM_memcpy/64", "cpu_time"), "s",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BM_memcpy/64", "bytes_per_second"), "B/s",
	              RESULT_HIGHER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BM_accumulate", "items_per_second"),
	              "items/s", RESULT_HIGHER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BM_accumulate", "elements"), "count",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	/* a per-iteration time in seconds, not ns or us */
	assert_true(metric(&run, "BM_memcpy/4096", "real_time")->samples[0] <
	            1e-3);
	assert_true(metric(&run, "BM_accumulate", "real_time")->samples[0] <
	            1e-3);
	assert_string_equal(
	        param(&run, "BM_string_append/threads:2", "threads"), "2");
	b = result_bench_find(&run, "BM_fails");
	assert_non_null(b);
	assert_string_equal(b->error, "resource unavailable");
	assert_int_equal(b->nmetrics, 0);
	result_run_release(&run);
}

static void test_gbench_aggregates_only(void **state)
{
	struct result_run run;

	load(&run, "auto", "google-benchmark-aggregates.json");
	assert_int_equal(run.nbenches, 3);
	assert_metric(metric(&run, "BM_memcpy/64", "real_time"), "s",
	              RESULT_LOWER_IS_BETTER, 1, 1);
	assert_metric(metric(&run, "BM_accumulate", "items_per_second"),
	              "items/s", RESULT_HIGHER_IS_BETTER, 1, 1);
	result_run_release(&run);
}

#define GB_DOC(rows) "{\"context\": {}, \"benchmarks\": [" rows "]}"

static void test_gbench_time_units(void **state)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}};
	size_t i;

	for (i = 0; i < 4; i++) {
		char doc[512];
		struct result_run run;

		snprintf(
		        doc, sizeof(doc),
		        GB_DOC("{\"name\": \"a\", \"run_type\": \"iteration\", "
		               "\"real_time\": 2.5, \"cpu_time\": 2, "
		               "\"time_unit\": \"%s\"}"),
		        units[i].unit);
		assert_int_equal(parse_str(&run, "google-benchmark", doc), 0);
		assert_rel(metric(&run, "a", "real_time")->samples[0],
		           2.5 * units[i].scale, 1e-12);
		assert_rel(metric(&run, "a", "cpu_time")->samples[0],
		           2 * units[i].scale, 1e-12);
		result_run_release(&run);
	}
}

static void test_gbench_mean_then_median(void **state)
{
	struct result_run run;
	const char *doc = GB_DOC(
	        "{\"name\": \"a_median\", \"run_name\": \"a\", \"run_type\": "
	        "\"aggregate\", \"aggregate_name\": \"median\", \"real_time\": "
	        "7, \"cpu_time\": 7, \"time_unit\": \"ns\"},"
	        "{\"name\": \"a_mean\", \"run_name\": \"a\", \"run_type\": "
	        "\"aggregate\", \"aggregate_name\": \"mean\", \"real_time\": "
	        "5, "
	        "\"cpu_time\": 5, \"time_unit\": \"ns\"},"
	        "{\"name\": \"b_median\", \"run_name\": \"b\", \"run_type\": "
	        "\"aggregate\", \"aggregate_name\": \"median\", \"real_time\": "
	        "9, \"cpu_time\": 9, \"time_unit\": \"ns\"},"
	        "{\"name\": \"b_stddev\", \"run_name\": \"b\", \"run_type\": "
	        "\"aggregate\", \"aggregate_name\": \"stddev\", \"real_time\": "
	        "1, \"cpu_time\": 1, \"time_unit\": \"ns\"}");

	assert_int_equal(parse_str(&run, "google-benchmark", doc), 0);
	assert_rel(metric(&run, "a", "real_time")->samples[0], 5e-9, 1e-12);
	assert_rel(metric(&run, "b", "real_time")->samples[0], 9e-9, 1e-12);
	assert_int_equal(metric(&run, "b", "real_time")->n, 1);
	assert_true(metric(&run, "b", "real_time")->aggregate);
	result_run_release(&run);
}

static void test_gbench_bad_rows(void **state)
{
	struct result_run run;

	assert_int_equal(
	        parse_str(&run, "google-benchmark",
	                  GB_DOC("{\"name\": \"a\", \"real_time\": 1, "
	                         "\"cpu_time\": 1, \"time_unit\": \"fs\"}")),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "'inline': $.benchmarks[0]: unknown "
	                                 "time_unit 'fs'");
	assert_int_equal(run.nbenches, 0);
	assert_int_equal(
	        parse_str(&run, "google-benchmark",
	                  GB_DOC("{\"name\": \"a\", \"real_time\": 1, "
	                         "\"cpu_time\": 1},{\"name\": \"a\", "
	                         "\"real_time\": \"x\", \"cpu_time\": 1}")),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "$.benchmarks[1]: 'real_time' must "
	                                 "be a number");
	assert_int_equal(
	        parse_str(&run, "google-benchmark",
	                  GB_DOC("{\"name\": \"a\", \"real_time\": -1, "
	                         "\"cpu_time\": 1}")),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "negative");
	assert_int_equal(
	        parse_str(&run, "google-benchmark",
	                  GB_DOC("{\"name\": \"a\", \"real_time\": 1e999, "
	                         "\"cpu_time\": 1}")),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "not a finite number");
	assert_int_equal(parse_str(&run, "google-benchmark",
	                           GB_DOC("{\"name\": \"a\"}")),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "missing 'real_time'");
	assert_int_equal(parse_str(&run, "google-benchmark", GB_DOC("")),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "no benchmarks found");
}

/* ---- hyperfine ---- */

static void test_hyperfine(void **state)
{
	struct result_run run;
	const struct result_metric *m;

	load(&run, "hyperfine", "hyperfine.json");
	assert_int_equal(run.nbenches, 2);
	m = metric(&run, "sleep 0.01", RESULT_WALL_TIME);
	assert_metric(m, "s", RESULT_LOWER_IS_BETTER, 0, 5);
	/* hyperfine reports seconds: sleep 0.01 takes at least 10 ms */
	assert_true(m->samples[0] >= 0.01 && m->samples[0] < 1);
	assert_metric(metric(&run, "sleep 0.01", RESULT_CPU_USER), "s",
	              RESULT_LOWER_IS_BETTER, 1, 1);
	assert_metric(metric(&run, "true", RESULT_CPU_SYS), "s",
	              RESULT_LOWER_IS_BETTER, 1, 1);
	result_run_release(&run);

	load(&run, "auto", "hyperfine-params.json");
	assert_int_equal(run.nbenches, 2);
	assert_string_equal(param(&run, "seq 1000000 > /dev/null", "n"), "1");
	assert_string_equal(param(&run, "seq 2000000 > /dev/null", "n"), "2");
	assert_int_equal(
	        metric(&run, "seq 2000000 > /dev/null", RESULT_WALL_TIME)->n,
	        3);
	result_run_release(&run);
}

static void test_hyperfine_zero_samples(void **state)
{
	struct result_run run;

	assert_int_equal(
	        parse_str(
	                &run, "hyperfine",
	                "{\"results\": [{\"command\": \"x\", \"times\": []}]}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "'x'");
	assert_contains(pg_error_last(), "no samples");
}

/* ---- go ---- */

static void test_go_fixture(void **state)
{
	struct result_run run;
	const struct result_metric *m;

	load(&run, "go", "go.txt");
	assert_int_equal(run.nbenches, 4);
	assert_metric(metric(&run, "BenchmarkJoin", "sec/op"), "s",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BenchmarkJoin", "B/op"), "B",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	assert_metric(metric(&run, "BenchmarkJoin", "allocs/op"), "count",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	m = metric(&run, "BenchmarkCopy", "B/s");
	assert_metric(m, "B/s", RESULT_HIGHER_IS_BETTER, 0, 3);
	assert_true(m->samples[0] > 1e9); /* MB/s became bytes per second */
	assert_metric(metric(&run, "BenchmarkCopy", "bytes/copy"), "bytes/copy",
	              RESULT_LOWER_IS_BETTER, 0, 3);
	assert_rel(metric(&run, "BenchmarkCopy", "bytes/copy")->samples[2],
	           4096.0, 0);
	assert_string_equal(param(&run, "BenchmarkSort/size=1000", "size"),
	                    "1000");
	assert_string_equal(param(&run, "BenchmarkJoin", "procs"), "2");
	assert_string_equal(param(&run, "BenchmarkJoin", "pkg"),
	                    "example.com/fixtures");
	result_run_release(&run);
}

static void test_go_cpu_and_failure(void **state)
{
	struct result_run run;
	const struct result_bench *b;

	load(&run, "auto", "go-cpu-fail.txt");
	/* -cpu 1,2: both variants are kept apart */
	assert_non_null(result_bench_find(&run, "BenchmarkJoin"));
	assert_non_null(result_bench_find(&run, "BenchmarkJoin-2"));
	b = result_bench_find(&run, "BenchmarkFail");
	assert_non_null(b);
	assert_non_null(b->error);
	result_run_release(&run);
}

static void test_go_lines(void **state)
{
	struct result_run run;

	assert_int_equal(parse_str(&run, "go",
	                           "BenchmarkA-4 100 1.5 ms/op 3 MB/s 2 "
	                           "widgets/s\nBenchmarkA-4 100 2.5 ms/op 4 "
	                           "MB/s 1 widgets/s\n"),
	                 0);
	assert_rel(metric(&run, "BenchmarkA", "sec/op")->samples[1], 2.5e-3,
	           1e-12);
	assert_rel(metric(&run, "BenchmarkA", "B/s")->samples[0], 3e6, 1e-12);
	assert_metric(metric(&run, "BenchmarkA", "widgets/s"), "widgets/s",
	              RESULT_HIGHER_IS_BETTER, 0, 2);
	result_run_release(&run);

	/* a name printed alone, its numbers after the benchmark's output */
	assert_int_equal(parse_str(&run, "go",
	                           "BenchmarkB\nsome log line\n     10  20 "
	                           "ns/op\n"),
	                 0);
	assert_rel(metric(&run, "BenchmarkB", "sec/op")->samples[0], 2e-8,
	           1e-12);
	result_run_release(&run);

	assert_int_equal(parse_str(&run, "go", "BenchmarkA 100 -5 ns/op\n"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'inline': line 1: 'sec/op' value -5 "
	                                 "is negative");
	assert_int_equal(
	        parse_str(&run, "go", "ok\nBenchmarkA 100 5 ns/op 3\n"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "line 2: 'BenchmarkA': expected value "
	                                 "and unit pairs");
	assert_int_equal(parse_str(&run, "go",
	                           "BenchmarkA 100 5 ns/op 6 "
	                           "ns/op\n"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "appears twice");
	assert_int_equal(parse_str(&run, "go", "BenchmarkA 100 5x ns/op\n"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'5x' is not a number");
	assert_int_equal(parse_str(&run, "go",
	                           "pkg: a\nBenchmarkA 1 5 ns/op\n"
	                           "pkg: b\nBenchmarkA 1 5 "
	                           "ns/op\n"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "packages 'a' and 'b'");
	assert_int_equal(parse_str(&run, "go", "BenchmarkA 100 5 ns/op"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "truncated");
}

/* ---- pytest-benchmark ---- */

static void test_pytest(void **state)
{
	struct result_run run;
	const struct result_metric *m;
	size_t i;

	load(&run, "pytest-benchmark", "pytest-benchmark.json");
	assert_int_equal(run.nbenches, 3);
	m = metric(&run, "test_bench.py::test_sorted[10]", RESULT_WALL_TIME);
	assert_string_equal(m->unit, "s");
	assert_false(m->aggregate);
	assert_true(m->n >= 5); /* --benchmark-min-rounds=5 */
	for (i = 0; i < m->n; i++)
		assert_true(m->samples[i] > 0 && m->samples[i] < 0.1);
	assert_string_equal(
	        param(&run, "test_bench.py::test_sorted[1000]", "size"),
	        "1000");
	result_run_release(&run);

	load(&run, "auto", "pytest-benchmark-nodata.json");
	assert_int_equal(run.nbenches, 3);
	assert_metric(metric(&run, "test_bench.py::test_fib", RESULT_WALL_TIME),
	              "s", RESULT_LOWER_IS_BETTER, 1, 1);
	result_run_release(&run);
}

/* ---- criterion ---- */

static void test_criterion_dir(void **state)
{
	struct result_run run;
	const struct result_metric *m;

	load(&run, "auto", "criterion");
	/* fib/base and the report directories are not benchmarks */
	assert_int_equal(run.nbenches, 2);
	m = metric(&run, "fib", "time");
	assert_metric(m, "s", RESULT_LOWER_IS_BETTER, 0, 10);
	/* sample.json: iters[1] = 2, times[1] = 2398 ns */
	assert_rel(m->samples[1], 2398e-9 / 2, 1e-12);
	m = metric(&run, "sort/std/100", "throughput");
	assert_metric(m, "items/s", RESULT_HIGHER_IS_BETTER, 0, 5);
	/* 100 elements per iteration of 410000 ns / 500 iterations */
	assert_rel(m->samples[0], 100 / (410000e-9 / 500), 1e-12);
	assert_string_equal(param(&run, "sort/std/100", "input"), "100");
	result_run_release(&run);
}

static void test_criterion_single_file(void **state)
{
	struct result_run run;
	const char *doc = "{\"sampling_mode\": \"Flat\", \"iters\": [4, 4], "
	                  "\"times\": [400, 440]}";

	result_run_init(&run);
	assert_int_equal(formats_parse("auto", doc, strlen(doc),
	                               "target/criterion/parse/new/sample.json",
	                               &run),
	                 0);
	assert_rel(metric(&run, "parse", "time")->samples[1], 110e-9, 1e-12);
	result_run_release(&run);
	assert_int_equal(parse_str(&run, "criterion",
	                           "{\"iters\": [1, 2], \"times\": [1]}"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'iters' has 2 entries but 'times' 1");
	assert_int_equal(parse_str(&run, "criterion",
	                           "{\"iters\": [0], \"times\": [1]}"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "$.iters[0]: must be a positive");
	assert_int_equal(
	        parse_str(&run, "criterion", "{\"iters\": [], \"times\": []}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "no samples");
}

/* ---- JMH ---- */

static void test_jmh(void **state)
{
	struct result_run run;
	const char *al = "org.example.ListBench.arrayList/size=100";
	const struct result_metric *m;

	load(&run, "jmh", "jmh.json");
	assert_int_equal(run.nbenches, 3);
	m = metric(&run, al, "throughput");
	assert_metric(m, "items/s", RESULT_HIGHER_IS_BETTER, 0, 6);
	assert_rel(m->samples[0], 3400.0 * 1e3, 1e-12); /* ops/ms */
	m = metric(&run, al, "avg_time");
	assert_metric(m, "s", RESULT_LOWER_IS_BETTER, 0, 6);
	assert_rel(m->samples[3], 295e-9, 1e-12); /* second fork, ns/op */
	m = metric(&run, al, "gc.alloc.rate");
	assert_metric(m, "B/s", RESULT_LOWER_IS_BETTER, 0, 6);
	assert_rel(m->samples[0], 500.0 * 1048576, 1e-12);
	assert_metric(metric(&run, al, "gc.alloc.rate.norm"), "B",
	              RESULT_LOWER_IS_BETTER, 0, 6);
	assert_metric(metric(&run, al, "gc.count"), "count",
	              RESULT_LOWER_IS_BETTER, 0, 6);
	assert_string_equal(param(&run, al, "size"), "100");
	assert_rel(metric(&run, "org.example.ListBench.linkedList/size=100",
	                  "avg_time")
	                   ->samples[1],
	           0.8e-6, 1e-12);
	assert_string_equal(param(&run,
	                          "org.example.ListBench.linkedList/size=100",
	                          "threads"),
	                    "4");
	/* no rawData: the score, flagged as an aggregate */
	m = metric(&run, "org.example.StartupBench.boot", "single_shot_time");
	assert_metric(m, "s", RESULT_LOWER_IS_BETTER, 1, 1);
	assert_rel(m->samples[0], 0.125, 0);
	result_run_release(&run);

	assert_int_equal(
	        parse_str(&run, "jmh",
	                  "[{\"benchmark\": \"a\", \"mode\": \"avgt\", "
	                  "\"primaryMetric\": {\"score\": 1, "
	                  "\"scoreUnit\": \"parsecs/op\"}}]"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "$[0].primaryMetric: unknown "
	                                 "scoreUnit 'parsecs/op'");
	assert_int_equal(
	        parse_str(&run, "jmh",
	                  "[{\"benchmark\": \"a\", \"mode\": \"avgt\", "
	                  "\"primaryMetric\": {\"score\": 1, "
	                  "\"scoreUnit\": \"s/op\"}},"
	                  "{\"benchmark\": \"a\", \"mode\": \"avgt\", "
	                  "\"primaryMetric\": {\"score\": 1, "
	                  "\"scoreUnit\": \"s/op\"}}]"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "$[1].primaryMetric: metric "
	                                 "'avg_time' appears twice");
}

/* ---- BMF and perfgate ---- */

static void test_bmf(void **state)
{
	struct result_run run;
	const struct result_metric *m;

	load(&run, "bmf", "bmf.json");
	assert_int_equal(run.nbenches, 3);
	m = metric(&run, "parse/small", "latency");
	assert_metric(m, "s", RESULT_LOWER_IS_BETTER, 1, 1);
	assert_rel(m->samples[0], 88e-9, 1e-12);
	assert_metric(metric(&run, "parse/small", "throughput"), "items/s",
	              RESULT_HIGHER_IS_BETTER, 1, 1);
	assert_metric(metric(&run, "my_binary", "file-size"), "B",
	              RESULT_LOWER_IS_BETTER, 1, 1);
	assert_metric(metric(&run, "/bin/sh -c ./build.sh", "build-time"), "s",
	              RESULT_LOWER_IS_BETTER, 1, 1);
	result_run_release(&run);

	assert_int_equal(parse_str(&run, "bmf",
	                           "{\"a\": {\"happiness\": {\"value\": 1}}}"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "$[\"a\"].happiness: unknown measure "
	                                 "'happiness'");
	assert_int_equal(
	        parse_str(&run, "bmf",
	                  "{\"a\": {\"latency\": {\"value\": \"1\"}}}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "'value' must be a number");
}

static void test_perfgate(void **state)
{
	struct result_run run;

	load(&run, "perfgate", "perfgate.json");
	assert_int_equal(run.nbenches, 2);
	assert_metric(metric(&run, "parse-config", "throughput"), "items/s",
	              RESULT_HIGHER_IS_BETTER, 0, 3);
	assert_string_equal(param(&run, "parse-config", "size"), "large");
	result_run_release(&run);

	assert_int_equal(
	        parse_str(
	                &run, "perfgate",
	                "{\"schema\": 1, \"runs\": [{\"benchmarks\": [{\"name\""
	                ": \"a\", \"metrics\": {\"t\": {\"unit\": \"s\", "
	                "\"samples\": [-1]}}}]}]}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "'a': metric 't': sample 0 is "
	                                 "negative");
	assert_int_equal(
	        parse_str(
	                &run, "perfgate",
	                "{\"schema\": 1, \"runs\": [{\"benchmarks\": [{\"name\""
	                ": \"a\", \"metrics\": {}}]}, {\"benchmarks\": "
	                "[{\"name\": \"a\", \"metrics\": {}}]}]}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "duplicate benchmark 'a'");
}

/* ---- detection, wrong format, duplicates, merging ---- */

static void test_detect_every_fixture(void **state)
{
	static const struct {
		const char *file, *format;
	} cases[] = {
	        {"google-benchmark.json", "google-benchmark"},
	        {"google-benchmark-aggregates.json", "google-benchmark"},
	        {"hyperfine.json", "hyperfine"},
	        {"go.txt", "go"},
	        {"go-cpu-fail.txt", "go"},
	        {"pytest-benchmark.json", "pytest-benchmark"},
	        {"criterion/fib/new/sample.json", "criterion"},
	        {"jmh.json", "jmh"},
	        {"bmf.json", "bmf"},
	        {"perfgate.json", "perfgate"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_buf b = PG_BUF_INIT;
		const char *got;

		assert_int_equal(pg_buf_read_file(&b, fixture(cases[i].file)),
		                 0);
		got = formats_detect(b.s, b.len, cases[i].file);
		if (!got || strcmp(got, cases[i].format))
			fail_msg("%s detected as %s: %s", cases[i].file,
			         got ? got : "nothing", pg_error_last());
		pg_buf_release(&b);
	}
}

static void test_detect_never_guesses(void **state)
{
	const char *amb = "{\"schema\": 1, \"runs\": [], \"results\": []}";
	const char *amb2 = "{\"context\": {}, \"benchmarks\": [], "
	                   "\"iters\": [1], \"times\": [1]}";
	struct result_run run;

	assert_null(formats_detect(amb, strlen(amb), "amb.json"));
	assert_contains(pg_error_last(), "'amb.json': ambiguous format: the "
	                                 "content matches both hyperfine and "
	                                 "perfgate");
	assert_null(formats_detect(amb2, strlen(amb2), "amb2.json"));
	assert_contains(pg_error_last(), "google-benchmark and criterion");
	assert_int_equal(parse_str(&run, "auto", "hello world\n"), PG_EINPUT);
	assert_contains(pg_error_last(), "'inline': cannot detect the format");
	assert_int_equal(parse_str(&run, "auto", "{\"a\": [1, 2]}"), PG_EINPUT);
	assert_contains(pg_error_last(), "cannot detect the format");
	/* broken JSON: say where, not just "unknown" */
	assert_int_equal(parse_str(&run, "auto", "{\"results\": [\n{"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'inline': invalid JSON at line 2");
	assert_int_equal(parse_str(&run, "auto", ""), PG_EINPUT);
}

static void test_wrong_format(void **state)
{
	struct result_run run;

	result_run_init(&run);
	assert_int_equal(formats_parse_path("hyperfine",
	                                    fixture("google-benchmark.json"),
	                                    &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "not hyperfine output (it looks like "
	                                 "google-benchmark output)");
	assert_int_equal(formats_parse_path("jmh", fixture("go.txt"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "invalid JSON");
	assert_int_equal(formats_parse_path("go", fixture("bmf.json"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "not go output (it looks like bmf");
	assert_int_equal(formats_parse_path("google-benchmark",
	                                    fixture("criterion"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "is a directory");
	assert_int_equal(formats_parse_path("yaml", fixture("bmf.json"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "unknown format 'yaml' (known: "
	                                 "google-benchmark, hyperfine");
	assert_int_equal(
	        formats_parse_path("auto", fixture("missing.json"), &run),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "missing.json");
	assert_int_equal(run.nbenches, 0);
}

static void test_names_match_table(void **state)
{
	const char *const *names = formats_names();
	size_t i;

	for (i = 0; names[i]; i++)
		assert_int_equal(formats_check_name(names[i]), 0);
	assert_int_equal(i, 13);
	assert_int_equal(formats_check_name("auto"), 0);
	assert_int_equal(formats_check_name("Go"), PG_EINPUT);
}

static void test_duplicates_leave_out_unchanged(void **state)
{
	struct result_run run;

	load(&run, "auto", "hyperfine.json");
	assert_int_equal(
	        formats_parse_path("auto", fixture("hyperfine.json"), &run),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "duplicate benchmark 'sleep 0.01'");
	assert_int_equal(run.nbenches, 2);
	/* another format: added as a whole */
	assert_int_equal(formats_parse_path("auto", fixture("bmf.json"), &run),
	                 0);
	assert_int_equal(run.nbenches, 5);
	result_run_release(&run);

	assert_int_equal(
	        parse_str(&run, "bmf",
	                  "{\"a\": {\"latency\": {\"value\": 1}}, \"a\": "
	                  "{\"latency\": {\"value\": 2}}}"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "duplicate benchmark 'a'");
}

static void test_merge_invocations(void **state)
{
	struct result_run all, one;
	const char *inv1 = GB_DOC("{\"name\": \"x\", \"real_time\": 1, "
	                          "\"cpu_time\": 1}");
	const char *inv2 = GB_DOC("{\"name\": \"x\", \"real_time\": 2, "
	                          "\"cpu_time\": 2},{\"name\": \"y\", "
	                          "\"real_time\": 3, \"cpu_time\": 3}");

	result_run_init(&all);
	assert_int_equal(parse_str(&one, "auto", inv1), 0);
	assert_int_equal(formats_merge(&all, &one, "gb"), 0);
	assert_int_equal(one.nbenches, 0);
	assert_int_equal(parse_str(&one, "auto", inv2), 0);
	assert_int_equal(formats_merge(&all, &one, "gb"), 0);
	assert_int_equal(all.nbenches, 2);
	assert_int_equal(metric(&all, "gb/x", "real_time")->n, 2);
	assert_rel(metric(&all, "gb/x", "real_time")->samples[1], 2e-9, 1e-12);
	assert_int_equal(metric(&all, "gb/y", "cpu_time")->n, 1);
	/* a metric may not change unit between invocations */
	result_run_init(&one);
	result_metric_push(result_metric_get(result_bench_add(&one, "x"),
	                                     "real_time", "B",
	                                     RESULT_LOWER_IS_BETTER),
	                   1);
	assert_int_equal(formats_merge(&all, &one, "gb"), PG_EINPUT);
	assert_contains(pg_error_last(), "metric 'real_time' changed from "
	                                 "'s'");
	assert_int_equal(one.nbenches, 0);
	result_run_release(&all);
}

static void test_validate(void **state)
{
	struct result_run run;
	struct result_bench *b;

	result_run_init(&run);
	b = result_bench_add(&run, "empty");
	assert_int_equal(formats_validate(&run, "v"), PG_EINPUT);
	assert_contains(pg_error_last(), "'v': benchmark 'empty' has no "
	                                 "samples");
	result_bench_set_error(b, "failed");
	assert_int_equal(formats_validate(&run, "v"), 0);
	b = result_bench_add(&run, "nan");
	result_metric_push(result_metric_get(b, "t", "s", 0), NAN);
	assert_int_equal(formats_validate(&run, "v"), PG_EINPUT);
	assert_contains(pg_error_last(), "not a finite number");
	result_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_unit_table),
	        cmocka_unit_test(test_exact_scaling),
	        cmocka_unit_test(test_gbench_fixture),
	        cmocka_unit_test(test_gbench_aggregates_only),
	        cmocka_unit_test(test_gbench_time_units),
	        cmocka_unit_test(test_gbench_mean_then_median),
	        cmocka_unit_test(test_gbench_bad_rows),
	        cmocka_unit_test(test_hyperfine),
	        cmocka_unit_test(test_hyperfine_zero_samples),
	        cmocka_unit_test(test_go_fixture),
	        cmocka_unit_test(test_go_cpu_and_failure),
	        cmocka_unit_test(test_go_lines),
	        cmocka_unit_test(test_pytest),
	        cmocka_unit_test(test_criterion_dir),
	        cmocka_unit_test(test_criterion_single_file),
	        cmocka_unit_test(test_jmh),
	        cmocka_unit_test(test_bmf),
	        cmocka_unit_test(test_perfgate),
	        cmocka_unit_test(test_detect_every_fixture),
	        cmocka_unit_test(test_detect_never_guesses),
	        cmocka_unit_test(test_wrong_format),
	        cmocka_unit_test(test_names_match_table),
	        cmocka_unit_test(test_duplicates_leave_out_unchanged),
	        cmocka_unit_test(test_merge_invocations),
	        cmocka_unit_test(test_validate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
