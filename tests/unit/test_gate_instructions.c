/*
 * Unit tests for how the gate treats the instructions metric: its own
 * theta, the newest baseline commit instead of a pooled window, counter
 * sources, gating by default and the caveat in reports.
 */
#include "tests/unit/unit.h"

#include "gate/compare.h"
#include "model/report.h"
#include "model/config.h"
#include "util/error.h"
#include "model/result.h"

/* A run with bench "cpu": count (x3) instructions and 3 wall times. */
static void make_run(struct result_run *run, double count, const char *src)
{
	struct result_bench *b;
	struct result_metric *m;
	int i;

	result_run_init(run);
	b = result_bench_add(run, "cpu");
	m = result_metric_get(b, RESULT_INSTRUCTIONS, "count",
	                      RESULT_LOWER_IS_BETTER);
	for (i = 0; i < 3; i++)
		result_metric_push(m, count);
	if (src)
		result_bench_set_param(b, RESULT_INSTRUCTIONS_SOURCE, src);
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < 3; i++)
		result_metric_push(m, 0.010 + 0.0001 * i);
}

static const struct report_row *row_of(const struct report *rep,
                                       const char *metric)
{
	size_t i;

	for (i = 0; i < rep->nrows; i++)
		if (!strcmp(rep->rows[i].metric, metric))
			return &rep->rows[i];
	fail_msg("no row for metric '%s'", metric);
	return NULL;
}

/* Compare cand (count c, source cs) with baseline counts base[0..n). */
static void compare(struct report *rep, const struct config *cfg, double c,
                    const char *cs, const double *base, size_t n,
                    const char *bs)
{
	struct result_run runs[6], cand;
	struct gate_compare_opts o;
	size_t i;

	assert_true(n <= 6);
	for (i = 0; i < n; i++)
		make_run(&runs[i], base[i], bs);
	make_run(&cand, c, cs);
	gate_compare_opts_init(&o);
	report_init(rep);
	assert_int_equal(gate_compare(rep, cfg, runs, n, &cand, 1, NULL, &o),
	                 0);
	for (i = 0; i < n; i++)
		result_run_release(&runs[i]);
	result_run_release(&cand);
}

static void parse_config(struct config *cfg, const char *json)
{
	int err = config_parse(cfg, json, strlen(json), "perfgate.json");

	if (err)
		fail_msg("%s", pg_error_last());
}

/*
 * Five baseline commits (newest first) whose counts differ: the newest
 * one is the baseline; pooling would make the 1% increase inconclusive.
 */
static void test_one_percent_against_newest_commit(void **state)
{
	const double base[5] = {2000000, 1900000, 2100000, 1800000, 2200000};
	struct report rep;
	const struct report_row *row;

	(void)state;
	compare(&rep, NULL, 2020000, "valgrind", base, 5, "valgrind");
	row = row_of(&rep, RESULT_INSTRUCTIONS);
	assert_int_equal(row->verdict, REPORT_REGRESSION);
	assert_close(row->threshold, 0.005, 0);
	assert_close(row->estimate, 0.01, 1e-12);
	assert_close(row->base_value, 2000000, 0);
	assert_int_equal(row->n_base, 3);
	assert_string_equal(row->test, "range");
	assert_false(row->informational);
	assert_contains(row->note, "instruction counts (valgrind) miss "
	                           "memory-bound and I/O slowdowns");
	assert_contains(rep.method, "miss memory-bound and I/O slowdowns");
	/* wall time keeps its own theta */
	assert_close(row_of(&rep, RESULT_WALL_TIME)->threshold, 0.05, 0);
	report_release(&rep);
	compare(&rep, NULL, 2000000, "valgrind", base, 5, "valgrind");
	assert_int_equal(row_of(&rep, RESULT_INSTRUCTIONS)->verdict,
	                 REPORT_UNCHANGED);
	report_release(&rep);
}

/* A bare threshold is about time; one that names instructions counts. */
static void test_threshold_rules(void **state)
{
	const double base[1] = {2000000};
	struct config cfg;
	struct report rep;

	(void)state;
	parse_config(&cfg, "{\"threshold\": \"5%\", \"benchmarks\": "
	                   "[{\"name\": \"cpu\", \"command\": \"true\"}]}");
	compare(&rep, &cfg, 2020000, "perf", base, 1, "perf");
	assert_close(row_of(&rep, RESULT_INSTRUCTIONS)->threshold, 0.005, 0);
	assert_int_equal(row_of(&rep, RESULT_INSTRUCTIONS)->verdict,
	                 REPORT_REGRESSION);
	report_release(&rep);
	config_release(&cfg);
	parse_config(&cfg, "{\"benchmarks\": [{\"name\": \"cpu\", "
	                   "\"command\": \"true\", \"threshold\": "
	                   "{\"instructions\": \"2%\"}}]}");
	compare(&rep, &cfg, 2020000, "perf", base, 1, "perf");
	assert_close(row_of(&rep, RESULT_INSTRUCTIONS)->threshold, 0.02, 0);
	assert_int_equal(row_of(&rep, RESULT_INSTRUCTIONS)->verdict,
	                 REPORT_UNCHANGED);
	report_release(&rep);
	config_release(&cfg);
}

static void test_gate_list_can_exclude_instructions(void **state)
{
	const double base[1] = {2000000};
	struct config cfg;
	struct report rep;

	(void)state;
	parse_config(&cfg, "{\"gate\": [\"wall_time\"], \"benchmarks\": "
	                   "[{\"name\": \"cpu\", \"command\": \"true\"}]}");
	compare(&rep, &cfg, 2020000, "perf", base, 1, "perf");
	assert_true(row_of(&rep, RESULT_INSTRUCTIONS)->informational);
	assert_int_equal(report_exit_code(&rep, 0), 0);
	report_release(&rep);
	config_release(&cfg);
	assert_true(config_metric_gates(NULL, NULL, RESULT_INSTRUCTIONS));
}

static void test_sources_must_match(void **state)
{
	const double base[1] = {2000000};
	struct report rep;
	const struct report_row *row;

	(void)state;
	compare(&rep, NULL, 2300000, "valgrind", base, 1, "perf");
	row = row_of(&rep, RESULT_INSTRUCTIONS);
	assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
	assert_contains(row->note, "counted by 'perf' in the baseline and by "
	                           "'valgrind' here");
	report_release(&rep);
	/* a side that does not say (imported results) is compared */
	compare(&rep, NULL, 2300000, "valgrind", base, 1, NULL);
	assert_int_equal(row_of(&rep, RESULT_INSTRUCTIONS)->verdict,
	                 REPORT_REGRESSION);
	report_release(&rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_one_percent_against_newest_commit),
	        cmocka_unit_test(test_threshold_rules),
	        cmocka_unit_test(test_gate_list_can_exclude_instructions),
	        cmocka_unit_test(test_sources_must_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
