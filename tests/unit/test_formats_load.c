/*
 * Unit tests for the load-generator formats (locust, wrk, hey, k6,
 * autocannon) on the fixtures in tests/fixtures/load (real runs of wrk,
 * hey, Locust and autocannon against examples/httpserver; k6 written by
 * hand): metrics, units, aggregates, counts, detection, Locust's three
 * files, and truncated or corrupted input (PG_EINPUT, nothing left behind).
 */
#include "tests/unit/unit.h"

#define FORMATS_FIXTURE_DIR "tests/fixtures/load"
#include "tests/unit/formats_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "formats/internal.h"
#include "stats/describe.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "model/result.h"

/* The one value of an aggregate metric. */
static double value(const struct result_run *run, const char *bench,
                    const char *name)
{
	const struct result_metric *m = metric(run, bench, name);

	assert_int_equal(m->n, 1);
	assert_int_equal(m->aggregate, 1);
	return m->samples[0];
}

/* Every load benchmark: units, directions, error_rate = failures/requests. */
static void assert_load_shape(const struct result_run *run, const char *bench)
{
	static const char *const lat[] = {"latency_p50",  "latency_max",
	                                  "latency_mean", "latency_p90",
	                                  "latency_p95",  "latency_p99"};
	const struct result_bench *b;
	const struct result_metric *m;
	size_t i;

	for (i = 0; i < sizeof(lat) / sizeof(lat[0]); i++) {
		/* every tool has these three; the others where it has them */
		if (i >= 3 &&
		    !result_metric_find(result_bench_find(run, bench), lat[i]))
			continue;
		m = metric(run, bench, lat[i]);
		assert_string_equal(m->unit, "s");
		assert_int_equal(m->direction, RESULT_LOWER_IS_BETTER);
		assert_true(m->aggregate);
		/* a real HTTP request on 127.0.0.1: microseconds to seconds */
		assert_true(m->samples[0] > 1e-6 && m->samples[0] < 1);
	}
	m = metric(run, bench, "throughput");
	assert_string_equal(m->unit, "req/s");
	assert_int_equal(m->direction, RESULT_HIGHER_IS_BETTER);
	assert_string_equal(metric(run, bench, "error_rate")->unit, "ratio");
	assert_string_equal(metric(run, bench, "requests")->unit, "count");
	assert_int_equal(metric(run, bench, "failures")->direction,
	                 RESULT_LOWER_IS_BETTER);
	assert_close(value(run, bench, "error_rate"),
	             value(run, bench, "failures") /
	                     value(run, bench, "requests"),
	             1e-15);
	assert_true(value(run, bench, "latency_p50") <=
	            value(run, bench, "latency_max"));
	/* the primary (first) metric, which gates by default */
	b = result_bench_find(run, bench);
	assert_string_equal(b->metrics[0].name,
	                    result_metric_find(b, "latency_p95") ? "latency_p95"
	                    : result_metric_find(b, "latency_p99")
	                            ? "latency_p99"
	                            : "latency_p50");
}

static void test_wrk_text(void **state)
{
	struct result_run run;

	load(&run, "auto", "wrk.txt");
	assert_int_equal(run.nbenches, 1);
	assert_load_shape(&run, "wrk");
	/* as written: "50%  371.00us", "99%    3.35ms", "Max 12.40ms" */
	assert_close(value(&run, "wrk", "latency_p50"), 371e-6, 1e-18);
	assert_close(value(&run, "wrk", "latency_p99"), 3.35e-3, 1e-18);
	assert_close(value(&run, "wrk", "latency_max"), 12.40e-3, 1e-18);
	assert_close(value(&run, "wrk", "throughput"), 19107.01, 1e-9);
	assert_close(value(&run, "wrk", "requests"), 38228, 0);
	assert_close(value(&run, "wrk", "failures"), 382, 0);
	/* wrk has no p95 in its text */
	assert_null(result_metric_find(result_bench_find(&run, "wrk"),
	                               "latency_p95"));
	assert_string_equal(param(&run, "wrk", "threads"), "2");
	assert_string_equal(param(&run, "wrk", "connections"), "8");
	result_run_release(&run);
}

static void test_wrk_socket_errors(void **state)
{
	struct result_run run;

	/* "10422 requests", "connect 0, read 4, write 40811, timeout 0" */
	load(&run, "wrk", "wrk-socket-errors.txt");
	assert_close(value(&run, "wrk", "requests"), 10422 + 40815, 0);
	assert_close(value(&run, "wrk", "failures"), 40815, 0);
	/* no --latency: no percentiles, but mean and max */
	assert_null(result_metric_find(result_bench_find(&run, "wrk"),
	                               "latency_p50"));
	assert_close(value(&run, "wrk", "latency_max"), 5.16e-3, 1e-18);
	result_run_release(&run);
}

static void test_wrk_lua(void **state)
{
	static const char *const files[] = {"wrk-lua.txt", "wrk.json"};
	size_t f, i;

	for (f = 0; f < 2; f++) {
		struct result_run run;
		const struct result_metric *m;

		load(&run, "auto", files[f]);
		assert_int_equal(run.nbenches, 1);
		assert_load_shape(&run, "wrk");
		assert_close(value(&run, "wrk", "latency_p95"), 1797e-6, 1e-18);
		assert_close(value(&run, "wrk", "requests"), 3228, 0);
		assert_close(value(&run, "wrk", "failures"), 32, 0);
		m = metric(&run, "wrk", "latency");
		assert_false(m->aggregate);
		assert_int_equal(m->n, 1000);
		assert_string_equal(param(&run, "wrk", "latency_grid"), "1000");
		for (i = 1; i < m->n; i++)
			assert_true(m->samples[i] >= m->samples[i - 1]);
		/* the grid's median is wrk's own median */
		assert_close(stats_quantile(m->samples, m->n, 0.5),
		             value(&run, "wrk", "latency_p50"), 20e-6);
		result_run_release(&run);
	}
}

/* The status codes of hey.csv, counted here from the file itself. */
static void hey_expect(size_t *rows, size_t *bad, double *first)
{
	struct pg_buf b = PG_BUF_INIT;
	char *line, *save = NULL;

	assert_int_equal(pg_buf_read_file(&b, fixture("hey.csv")), 0);
	*rows = *bad = 0;
	for (line = strtok_r(b.s, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *c = line;
		int i;

		if (!strncmp(line, "response-time", 13))
			continue;
		if ((*rows)++ == 0)
			*first = strtod(line, NULL);
		for (i = 0; i < 6; i++)
			c = strchr(c, ',') + 1;
		*bad += strncmp(c, "2", 1) != 0;
	}
	pg_buf_release(&b);
}

static void test_hey(void **state)
{
	struct result_run run;
	const struct result_metric *m;
	size_t rows, bad;
	double first = 0;

	hey_expect(&rows, &bad, &first);
	load(&run, "auto", "hey.csv");
	assert_load_shape(&run, "hey");
	m = metric(&run, "hey", "latency");
	assert_false(m->aggregate);
	assert_int_equal(m->n, rows);
	assert_close(m->samples[0], first, 0);
	assert_close(value(&run, "hey", "requests"), (double)rows, 0);
	assert_close(value(&run, "hey", "failures"), (double)bad, 0);
	assert_true(bad > 0); /* the server failed 2% on purpose */
	assert_close(value(&run, "hey", "latency_p95"),
	             stats_quantile(m->samples, m->n, 0.95), 0);
	assert_close(value(&run, "hey", "latency_mean"),
	             stats_mean(m->samples, m->n), 1e-15);
	result_run_release(&run);
}

static void test_hey_reduced(void **state)
{
	struct pg_buf csv = PG_BUF_INIT;
	struct result_run run;
	const struct result_metric *m;
	size_t i, n = PG_MAX_RAW_LATENCIES + 5000;

	pg_buf_addstr(&csv, "response-time,DNS+dialup,DNS,Request-write,"
	                    "Response-delay,Response-read,status-code,"
	                    "offset\n");
	for (i = 0; i < n; i++)
		pg_buf_addf(&csv, "%.4f,0,0,0,0,0,%d,%.4f\n",
		            0.001 + (double)(i % 1000) * 1e-5,
		            i % 100 ? 200 : 503, (double)i * 1e-4);
	result_run_init(&run);
	assert_int_equal(formats_parse("hey", csv.s, csv.len, "big", &run), 0);
	m = metric(&run, "hey", "latency");
	assert_int_equal(m->n, PG_MAX_RAW_LATENCIES);
	assert_string_equal(param(&run, "hey", "latency_reduced_from"),
	                    "25000");
	/* the grid keeps the distribution: its median is the median */
	assert_close(stats_quantile(m->samples, m->n, 0.5),
	             value(&run, "hey", "latency_p50"), 2e-5);
	assert_close(value(&run, "hey", "requests"), (double)n, 0);
	assert_close(value(&run, "hey", "failures"), (double)n / 100, 0);
	result_run_release(&run);
	pg_buf_release(&csv);
}

static void check_locust(const struct result_run *run)
{
	assert_int_equal(run->nbenches, 3);
	assert_string_equal(run->benches[0].name, "GET /");
	assert_string_equal(run->benches[1].name, "GET /health");
	assert_string_equal(run->benches[2].name, "Aggregated");
	assert_load_shape(run, "GET /");
	assert_load_shape(run, "Aggregated");
	/* the stats row: "GET,/,4508,90,..." */
	assert_close(value(run, "GET /", "requests"), 4508, 0);
	assert_close(value(run, "GET /", "failures"), 90, 0);
	assert_close(value(run, "GET /health", "failures"), 0, 0);
	assert_close(value(run, "Aggregated", "requests"), 5651, 0);
	assert_close(value(run, "GET /", "latency_p95"), 3e-3, 1e-18);
}

static void test_locust_paths(void **state)
{
	static const char *const paths[] = {"locust_stats.csv", "locust", "."};
	size_t i;

	for (i = 0; i < 3; i++) {
		struct result_run run;

		load(&run, i == 2 ? "locust" : "auto", paths[i]);
		check_locust(&run);
		/* the siblings: failures and history */
		assert_contains(param(&run, "GET /", "top_error"),
		                "500 Server Error");
		assert_contains(param(&run, "Aggregated", "top_error"),
		                "500 Server Error");
		assert_null(param(&run, "GET /health", "top_error"));
		assert_string_equal(param(&run, "Aggregated", "users"), "4");
		result_run_release(&run);
	}
}

static void test_locust_content(void **state)
{
	static const char head[] =
	        "Type,Name,Request Count,Failure Count,Median Response Time,"
	        "Average Response Time,Min Response Time,Max Response Time,"
	        "Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,"
	        "90%,95%,98%,99%,99.9%,99.99%,100%\n";
	struct pg_buf b = PG_BUF_INIT;
	struct result_run run;

	/* content alone (a config entry's "output"): no siblings */
	assert_int_equal(pg_buf_read_file(&b, fixture("locust_stats.csv")), 0);
	result_run_init(&run);
	assert_int_equal(formats_parse("auto", b.s, b.len, "x", &run), 0);
	check_locust(&run);
	assert_null(param(&run, "GET /", "users"));
	result_run_release(&run);
	pg_buf_reset(&b);
	/* a row without requests is skipped; quoted names are read */
	pg_buf_addf(&b,
	            "%sGET,/never,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,"
	            "N/A,N/A,N/A,N/A,N/A,N/A\r\n"
	            "POST,\"/a,b\",10,1,5,5.5,1,9,3,2,0.2,5,6,6,7,8,9,9,9,"
	            "9,9,9\r\n",
	            head);
	assert_int_equal(formats_parse("locust", b.s, b.len, "x", &run), 0);
	assert_int_equal(run.nbenches, 1);
	assert_close(value(&run, "POST /a,b", "error_rate"), 0.1, 1e-15);
	assert_close(value(&run, "POST /a,b", "latency_mean"), 5.5e-3, 1e-18);
	result_run_release(&run);
	/* N/A where there were requests, more failures than requests */
	pg_buf_reset(&b);
	pg_buf_addf(&b,
	            "%sGET,/,3,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,"
	            "N/A,N/A,N/A,N/A,N/A\n",
	            head);
	assert_int_equal(parse_str(&run, "locust", b.s), PG_EINPUT);
	assert_contains(pg_error_last(), "'inline': line 2: '50%': 'N/A'");
	pg_buf_reset(&b);
	pg_buf_addf(&b, "%sGET,/,3,4,1,1,1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1\n",
	            head);
	assert_int_equal(parse_str(&run, "locust", b.s), PG_EINPUT);
	assert_contains(pg_error_last(), "4 failures out of 3 requests");
	assert_int_equal(run.nbenches, 0);
	pg_buf_release(&b);
}

static void test_locust_other_files(void **state)
{
	struct result_run run;

	result_run_init(&run);
	assert_int_equal(formats_parse_path(
	                         "auto", fixture("locust_failures.csv"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "Locust's failures file: import "
	                                 "PREFIX_stats.csv");
	assert_int_equal(formats_parse_path("locust", fixture("nothing"), &run),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "cannot read '");
	/* a broken sibling fails the whole import */
	assert_int_equal(
	        formats_parse_path("auto",
	                           fixture("corrupt/locust-bad-history"), &run),
	        PG_EINPUT);
	assert_contains(pg_error_last(),
	                "locust-bad-history_stats_history.csv': line 3: ");
	assert_int_equal(run.nbenches, 0);
	result_run_release(&run);
}

static void test_autocannon(void **state)
{
	struct result_run run;
	const char *titled =
	        "{\"title\": \"api\", \"errors\": 2, "
	        "\"non2xx\": 9, \"4xx\": 1, \"5xx\": 3, "
	        "\"latency\": {\"p50\": 2, \"p90\": 3, \"p97_5\": 4,"
	        " \"p99\": 5, \"max\": 9, \"mean\": 2.5},"
	        " \"requests\": {\"average\": 50, \"total\": 98}}";

	load(&run, "auto", "autocannon.json");
	assert_load_shape(&run, "autocannon");
	/* "requests": {"total": 3229}, "5xx": 32, "errors": 0 */
	assert_close(value(&run, "autocannon", "requests"), 3229, 0);
	assert_close(value(&run, "autocannon", "failures"), 32, 0);
	assert_close(value(&run, "autocannon", "latency_p99"), 5e-3, 1e-18);
	assert_string_equal(param(&run, "autocannon", "connections"), "4");
	result_run_release(&run);
	assert_int_equal(parse_str(&run, "auto", titled), 0);
	/* 4xx + 5xx + connection errors, of responses + errors */
	assert_close(value(&run, "api", "failures"), 1 + 3 + 2, 0);
	assert_close(value(&run, "api", "requests"), 98 + 2, 0);
	result_run_release(&run);
}

static void test_k6(void **state)
{
	static const char *const files[] = {"k6-summary.json",
	                                    "k6-handle-summary.json"};
	const char *old = "{\"metrics\": {\"http_reqs\": {\"count\": 10, "
	                  "\"rate\": 5}, \"http_req_duration\": {\"avg\": 1,"
	                  " \"med\": 1, \"max\": 2}}}";
	struct result_run run;
	size_t i;

	for (i = 0; i < 2; i++) {
		load(&run, "auto", files[i]);
		assert_load_shape(&run, "k6");
		/* http_req_failed: passes 30 (failed), fails 2964 */
		assert_close(value(&run, "k6", "requests"), 2994, 0);
		assert_close(value(&run, "k6", "failures"), 30, 0);
		assert_close(value(&run, "k6", "latency_p95"), 3.9412e-3,
		             1e-18);
		assert_close(value(&run, "k6", "throughput"), 598.6942, 1e-12);
		/* p(99) only with --summary-trend-stats asking for it */
		assert_int_equal(result_metric_find(&run.benches[0],
		                                    "latency_p99") != NULL,
		                 i == 0);
		result_run_release(&run);
	}
	/* without http_req_failed: requests, but no failure counts */
	assert_int_equal(parse_str(&run, "k6", old), 0);
	assert_close(value(&run, "k6", "requests"), 10, 0);
	assert_null(result_metric_find(&run.benches[0], "error_rate"));
	assert_null(result_metric_find(&run.benches[0], "latency_p95"));
	result_run_release(&run);
}

static void test_detect_load_fixtures(void **state)
{
	static const struct {
		const char *file, *format;
	} cases[] = {
	        {"wrk.txt", "wrk"},
	        {"wrk-socket-errors.txt", "wrk"},
	        {"wrk-lua.txt", "wrk"},
	        {"wrk.json", "wrk"},
	        {"hey.csv", "hey"},
	        {"locust_stats.csv", "locust"},
	        {"locust_failures.csv", "locust"},
	        {"locust_stats_history.csv", "locust"},
	        {"autocannon.json", "autocannon"},
	        {"k6-summary.json", "k6"},
	        {"k6-handle-summary.json", "k6"},
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

/* Parse and check the contract: 0 or PG_EINPUT, nothing left on error. */
static int try_parse(const char *format, const char *data, size_t len)
{
	struct result_run run;
	int err;

	result_run_init(&run);
	err = formats_parse(format, data, len, "corrupt", &run);
	if (err != 0 && err != PG_EINPUT)
		fail_msg("status %d: %s", err, pg_error_last());
	if (err == PG_EINPUT &&
	    (run.nbenches != 0 || strncmp(pg_error_last(), "'corrupt'", 9)))
		fail_msg("bad error contract: %s", pg_error_last());
	result_run_release(&run);
	return err;
}

/* Text fixtures cut at every byte: anything but a line end is an error. */
static void test_truncated_text(void **state)
{
	static const struct {
		const char *file, *format;
	} cases[] = {{"wrk.txt", "wrk"},
	             {"wrk-lua.txt", "wrk"},
	             {"hey.csv", "hey"},
	             {"locust_stats.csv", "locust"}};
	size_t i, cut;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_buf b = PG_BUF_INIT;
		size_t stride;

		assert_int_equal(pg_buf_read_file(&b, fixture(cases[i].file)),
		                 0);
		assert_int_equal(try_parse(cases[i].format, b.s, b.len), 0);
		/* hey.csv is long: every line end, and bytes in between */
		stride = b.len > 4000 ? 7 : 1;
		for (cut = 0; cut < b.len; cut += stride) {
			int err = try_parse(cases[i].format, b.s, cut);

			try_parse("auto", b.s, cut);
			if (err == 0 && cut > 0 && b.s[cut - 1] != '\n')
				fail_msg("%s cut at %zu: accepted",
				         cases[i].file, cut);
		}
		pg_buf_release(&b);
	}
}

/* Each field of each data row of a CSV fixture replaced by garbage. */
static void test_csv_garbage(void **state)
{
	static const struct {
		const char *file, *format;
		size_t rows;
	} cases[] = {{"hey.csv", "hey", 5}, {"locust_stats.csv", "locust", 3}};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_buf b = PG_BUF_INIT, copy = PG_BUF_INIT;
		size_t pos, line = 0, start, field = 0;

		assert_int_equal(pg_buf_read_file(&b, fixture(cases[i].file)),
		                 0);
		for (pos = 0; pos < b.len && line <= cases[i].rows; pos++) {
			if (b.s[pos] == '\n') {
				line++;
				field = 0;
				continue;
			}
			if (pos && b.s[pos - 1] == ',')
				field++;
			if (line == 0 || (pos && !strchr(",\n", b.s[pos - 1])))
				continue;
			start = pos;
			while (pos < b.len && !strchr(",\n", b.s[pos]))
				pos++;
			if (pos == start) /* an empty field */
				continue;
			pg_buf_reset(&copy);
			pg_buf_add(&copy, b.s, start);
			pg_buf_addstr(&copy, "-x!");
			pg_buf_add(&copy, b.s + pos, b.len - pos);
			/* Locust's Type and Name may be anything */
			if (try_parse(cases[i].format, copy.s, copy.len) == 0 &&
			    !(cases[i].rows == 3 && field < 2))
				fail_msg("%s: garbage at %zu accepted",
				         cases[i].file, start);
			pos--;
		}
		pg_buf_release(&b);
		pg_buf_release(&copy);
	}
}

static void test_csv_split(void **state)
{
	char line[] = "a,\"b,\"\"c\"\"\",,d";
	char line2[] = "a,\"b,\"\"c\"\"\",,d";
	char bad[] = "a,\"b";
	char junk[] = "\"a\"x,b";
	char *f[8];

	assert_int_equal(fmt_csv_split(line, f, 8), 4);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "b,\"c\"");
	assert_string_equal(f[2], "");
	assert_string_equal(f[3], "d");
	assert_int_equal(fmt_csv_split(bad, f, 8), -1);
	assert_int_equal(fmt_csv_split(junk, f, 8), -1);
	assert_int_equal(fmt_csv_split(line2, f, 2), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_wrk_text),
	        cmocka_unit_test(test_wrk_socket_errors),
	        cmocka_unit_test(test_wrk_lua),
	        cmocka_unit_test(test_hey),
	        cmocka_unit_test(test_hey_reduced),
	        cmocka_unit_test(test_locust_paths),
	        cmocka_unit_test(test_locust_content),
	        cmocka_unit_test(test_locust_other_files),
	        cmocka_unit_test(test_autocannon),
	        cmocka_unit_test(test_k6),
	        cmocka_unit_test(test_detect_load_fixtures),
	        cmocka_unit_test(test_truncated_text),
	        cmocka_unit_test(test_csv_garbage),
	        cmocka_unit_test(test_csv_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
