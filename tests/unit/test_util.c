/* Unit tests for util/ (buffers, JSON helpers) and model/ (results, config). */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "util/buf.h"
#include "model/config.h"
#include "util/error.h"
#include "util/json.h"
#include "model/quantity.h"
#include "model/result.h"

static void test_buf_addf_grows(void **state)
{
	struct pg_buf b = PG_BUF_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		pg_buf_addf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.s));
	assert_true(!strncmp(b.s, "0,1,2,", 6));
	assert_contains(b.s, "999,");
	pg_buf_release(&b);
	assert_int_equal(b.len, 0);
}

static void test_json_parse_reports_line_and_column(void **state)
{
	const char text[] = "{\n  \"a\": 1,\n  \"b\": ]\n}";
	cJSON *root = NULL;

	assert_int_equal(pg_json_parse(&root, text, strlen(text), "x.json"),
	                 PG_EINPUT);
	assert_null(root);
	assert_contains(pg_error_last(), "'x.json': invalid JSON at line 3, "
	                                 "column 8");
}

static void test_json_parse_rejects_trailing_garbage(void **state)
{
	const char text[] = "{\"a\": 1} x";
	cJSON *root = NULL;

	assert_int_equal(pg_json_parse(&root, text, strlen(text), "y.json"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "line 1, column 10");
}

static void test_json_number_round_trips(void **state)
{
	const double vals[] = {0.1, 1.0 / 3.0, 123456789.123456789, 1e-300,
	                       0.012345678901234567};
	size_t i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct pg_buf b = PG_BUF_INIT;

		pg_json_add_number(&b, vals[i]);
		assert_true(strtod(b.s, NULL) == vals[i]);
		pg_buf_release(&b);
	}
}

static void test_result_round_trip(void **state)
{
	struct result_run run, *back = NULL;
	struct result_bench *b;
	struct result_metric *m;
	struct pg_buf json = PG_BUF_INIT;
	size_t n = 0;

	result_run_init(&run);
	assert_int_equal(result_run_stamp(&run, "ci-linux"), 0);
	assert_int_equal(strlen(run.id), 32);
	b = result_bench_add(&run, "sort \"1m\"");
	result_bench_set_param(b, "threads", "4");
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	result_metric_push(m, 0.1);
	result_metric_push(m, 1.0 / 3.0);
	m = result_metric_get(b, "items_per_second", "items/s",
	                      RESULT_HIGHER_IS_BETTER);
	result_metric_push(m, 1e9);
	b = result_bench_add(&run, "broken");
	result_bench_set_error(b, "exited with status 1");
	run.shard_index = 2;
	run.shard_count = 3;
	result_doc_to_json(&run, 1, &json);

	assert_int_equal(result_doc_parse(&back, &n, json.s, json.len, "t"), 0);
	assert_int_equal(n, 1);
	assert_string_equal(back[0].id, run.id);
	assert_string_equal(back[0].label, "ci-linux");
	assert_int_equal(back[0].nbenches, 2);
	b = result_bench_find(&back[0], "sort \"1m\"");
	assert_non_null(b);
	assert_string_equal(b->params[0].value, "4");
	m = result_metric_find(b, RESULT_WALL_TIME);
	assert_non_null(m);
	assert_int_equal(m->n, 2);
	assert_true(m->samples[1] == 1.0 / 3.0);
	m = result_metric_find(b, "items_per_second");
	assert_int_equal(m->direction, RESULT_HIGHER_IS_BETTER);
	assert_string_equal(back[0].benches[1].error, "exited with status 1");
	assert_int_equal(back[0].shard_index, 2);
	assert_int_equal(back[0].shard_count, 3);
	result_runs_free(back, n);
	result_run_release(&run);
	pg_buf_release(&json);
}

static void test_result_parse_errors(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	        {"{\"schema\": 2, \"runs\": []}", "unknown schema 2"},
	        {"{\"runs\": []}", "missing \"schema\""},
	        {"{\"schema\": 1, \"runs\": [{\"benchmarks\": [{\"name\": "
	         "\"a\","
	         "\"metrics\": {\"wall_time\": {\"unit\": \"s\", \"samples\": "
	         "[1, \"x\"]}}}]}]}",
	         "$.runs[0].benchmarks[0].metrics.wall_time: samples must be "
	         "finite"},
	        {"{\"schema\": 1, \"runs\": [{\"benchmarks\": [{\"name\": "
	         "\"a\","
	         "\"metrics\": {}}, {\"name\": \"a\", \"metrics\": {}}]}]}",
	         "duplicate benchmark name"},
	        {"{\"schema\": 1, \"runs\": [{\"shard\": {\"index\": 4, "
	         "\"count\": 3}, \"benchmarks\": []}]}",
	         "$.runs[0]: 'shard' must be"},
	        {"{\"schema\": 1, \"runs\": [{\"shard\": \"1/3\", "
	         "\"benchmarks\": []}]}",
	         "'shard' must be"},
	};
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result_run *runs = NULL;

		assert_int_equal(result_doc_parse(&runs, &n, cases[i].doc,
		                                  strlen(cases[i].doc), "f"),
		                 PG_EINPUT);
		assert_null(runs);
		assert_contains(pg_error_last(), cases[i].msg);
	}
}

/*
 * Reference values: FNV-1a 64 of the name, modulo N, plus 1, computed
 * independently in Python:
 *   python3 -c "
 *   def f(s):
 *       h = 0xcbf29ce484222325
 *       for c in s.encode(): h ^= c; h = (h * 0x100000001b3) % 2**64
 *       return h
 *   for n in ['alpha','beta','gamma','delta','epsilon','slowme','sort-1m']:
 *       print(n, f(n) % 3 + 1, f(n) % 7 + 1)"
 */
static void test_result_shard_of(void **state)
{
	static const struct {
		const char *name;
		unsigned of3, of7;
	} cases[] = {
	        {"alpha", 1, 6},   {"beta", 3, 6},    {"gamma", 3, 5},
	        {"delta", 2, 1},   {"epsilon", 3, 7}, {"slowme", 1, 4},
	        {"sort-1m", 1, 5},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(result_shard_of(cases[i].name, 3),
		                 cases[i].of3);
		assert_int_equal(result_shard_of(cases[i].name, 7),
		                 cases[i].of7);
		assert_int_equal(result_shard_of(cases[i].name, 1), 1);
		assert_int_equal(result_shard_of(cases[i].name, 0), 1);
	}
}

static void test_config_defaults_and_overrides(void **state)
{
	const char text[] =
	        "{\"runs\": 7, \"warmup\": 0, \"benchmarks\": ["
	        "{\"name\": \"a\", \"command\": [\"./a\", \"1\"]},"
	        "{\"name\": \"b\", \"command\": \"echo hi | wc\", \"runs\": 3,"
	        " \"timeout\": 2.5, \"env\": {\"X\": \"1\"}, \"cwd\": \"sub\"}"
	        "]}";
	struct config cfg;

	assert_int_equal(
	        config_parse(&cfg, text, strlen(text), "/repo/perfgate.json"),
	        0);
	assert_int_equal(cfg.nbenches, 2);
	assert_int_equal(cfg.benches[0].runs, 7);
	assert_int_equal(cfg.benches[0].warmup, 0);
	assert_int_equal(cfg.benches[0].argc, 2);
	assert_string_equal(cfg.benches[0].argv[1], "1");
	assert_null(cfg.benches[0].argv[2]);
	assert_string_equal(cfg.benches[0].cwd, "/repo/.");
	assert_int_equal(cfg.benches[1].runs, 3);
	assert_close(cfg.benches[1].timeout, 2.5, 0);
	assert_string_equal(cfg.benches[1].shell, "echo hi | wc");
	assert_string_equal(cfg.benches[1].env[0], "X=1");
	assert_string_equal(cfg.benches[1].cwd, "/repo/sub");
	config_release(&cfg);
}

/*
 * "build" goes through the same command parser as a benchmark's
 * "command", and every relative "cwd" (a benchmark's, a service's)
 * through one resolver against the config's directory.
 */
static void test_config_build_and_cwd(void **state)
{
	const char text[] =
	        "{\"build\": [\"make\", \"-j2\"], \"benchmarks\": ["
	        "{\"name\": \"a\", \"command\": \"x\", \"cwd\": \"/abs\"},"
	        "{\"name\": \"b\", \"command\": \"x\", \"service\": "
	        "{\"command\": \"srv\", \"cwd\": \"svc\"}}]}";
	static const struct {
		const char *build, *msg;
	} bad[] = {
	        {"\"\"", "'p.json': $.build: is empty"},
	        {"5", "'p.json': $.build: must be a string (run by /bin/sh "
	              "-c) or a non-empty array of strings"},
	        {"[]", "$.build: must be a string"},
	        {"[\"make\", 3]", "'p.json': $.build[1]: must be a string"},
	        {"[\"\"]", "$.build[0]: must be a non-empty string"},
	};
	struct pg_buf doc = PG_BUF_INIT;
	struct config cfg;
	size_t i;

	assert_int_equal(
	        config_parse(&cfg, text, strlen(text), "/repo/perfgate.json"),
	        0);
	assert_int_equal(cfg.build_argc, 2);
	assert_string_equal(cfg.build_argv[1], "-j2");
	assert_null(cfg.build_argv[2]);
	assert_null(cfg.build_shell);
	assert_string_equal(cfg.benches[0].cwd, "/abs");
	assert_string_equal(cfg.benches[1].cwd, "/repo/.");
	assert_non_null(cfg.benches[1].service);
	assert_string_equal(cfg.benches[1].service->cwd, "/repo/svc");
	config_release(&cfg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pg_buf_reset(&doc);
		pg_buf_addf(&doc,
		            "{\"build\": %s, \"benchmarks\": [{\"name\": "
		            "\"a\", \"command\": \"x\"}]}",
		            bad[i].build);
		assert_int_equal(config_parse(&cfg, doc.s, doc.len, "p.json"),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), bad[i].msg);
		config_release(&cfg);
	}
	pg_buf_release(&doc);
}

static void test_config_errors(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	        {"{\"benchmarks\": []}", "the suite is empty"},
	        {"{}", "missing \"benchmarks\""},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"rnus\": 3}]}",
	         "benchmarks[0]: unknown key 'rnus'"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"runs\": 0}]}",
	         "benchmarks[0].runs: must be a whole number >= 1"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": 5}]}",
	         "benchmarks[0].command: must be a string"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\"}, "
	         "{\"name\": \"a\", \"command\": \"y\"}]}",
	         "benchmarks[1]: duplicate benchmark name 'a'"},
	        {"{\"benchmarks\": [{\"command\": \"x\"}]}",
	         "benchmarks[0]: missing \"name\""},
	        {"{\"benchmarks\": [{\"name\": 3, \"command\": \"x\"}]}",
	         "benchmarks[0].name: must be a non-empty string"},
	        {"{\"timeout\": -1, \"benchmarks\": []}", "$.timeout"},
	        {"[1]", "must be a JSON object"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;

		assert_int_equal(config_parse(&cfg, cases[i].doc,
		                              strlen(cases[i].doc), "p.json"),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), cases[i].msg);
		assert_contains(pg_error_last(), "'p.json'");
		config_release(&cfg);
	}
}

static void test_quantities(void **state)
{
	static const struct {
		const char *text;
		double value;
		enum pg_quantity_kind kind;
	} ok[] = {
	        {"250ms", 0.25, PG_QTY_TIME},
	        {"2 s", 2, PG_QTY_TIME},
	        {"500us", 5e-4, PG_QTY_TIME},
	        {"1.5min", 90, PG_QTY_TIME},
	        {"512MiB", 536870912, PG_QTY_BYTES},
	        {"1GB", 1e9, PG_QTY_BYTES},
	        {"0.1%", 0.001, PG_QTY_FRACTION},
	        {"42", 42, PG_QTY_NUMBER},
	        {"10MB/s", 1e7, PG_QTY_RATE},
	        {"1000/s", 1000, PG_QTY_RATE},
	};
	static const char *const bad[] = {"ms", "12 parsecs", "1e999", "",
	                                  "5%/s"};
	struct pg_quantity q;
	double f;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(pg_quantity_parse(&q, ok[i].text), 0);
		assert_rel(q.value, ok[i].value, 1e-12);
		assert_int_equal(q.kind, ok[i].kind);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pg_quantity_parse(&q, bad[i]), PG_EINPUT);
	assert_true(pg_quantity_fits(PG_QTY_TIME, "s"));
	assert_false(pg_quantity_fits(PG_QTY_TIME, "B"));
	assert_true(pg_quantity_fits(PG_QTY_RATE, "items/s"));
	assert_int_equal(pg_fraction_parse(&f, "5%", 1), 0);
	assert_close(f, 0.05, 1e-15);
	assert_int_equal(pg_fraction_parse(&f, "0.02", 1), 0);
	assert_close(f, 0.02, 1e-15);
	assert_int_equal(pg_fraction_parse(&f, "150%", 1), PG_EINPUT);
	assert_int_equal(pg_fraction_parse(&f, "5ms", 1), PG_EINPUT);
}

static void test_config_policy(void **state)
{
	const char text[] =
	        "{\"gate\": [\"wall_time\", \"max_rss\"], \"threshold\": "
	        "\"3%\","
	        " \"alpha\": 0.01,"
	        " \"accept\": [{\"benchmark\": \"a\", \"max\": \"+15%\","
	        " \"commit\": \"abc\"}],"
	        " \"benchmarks\": ["
	        "{\"name\": \"a\", \"command\": \"x\", \"threshold\": "
	        "{\"max_rss\": 0.1},"
	        " \"budget\": {\"p95\": \"250ms\", \"max_rss\": \"512MiB\","
	        " \"cpu_user\": {\"max\": \"2s\"}}},"
	        "{\"name\": \"b\", \"command\": \"x\", \"gate\": "
	        "[\"cpu_user\"]}"
	        "]}";
	struct config cfg;
	const struct config_bench *a, *b;

	assert_int_equal(config_parse(&cfg, text, strlen(text), "p.json"), 0);
	a = config_find_bench(&cfg, "a");
	b = config_find_bench(&cfg, "b");
	assert_true(config_metric_gates(&cfg, a, "max_rss"));
	assert_false(config_metric_gates(&cfg, a, "cpu_user"));
	assert_true(config_metric_gates(&cfg, b, "cpu_user"));
	assert_false(config_metric_gates(&cfg, b, "wall_time"));
	assert_close(config_threshold(&cfg, a, "max_rss", 0.05), 0.1, 0);
	assert_close(config_threshold(&cfg, a, "wall_time", 0.05), 0.03, 1e-15);
	assert_close(config_alpha(&cfg, a, 0.05), 0.01, 0);
	assert_int_equal(a->policy.nbudgets, 3);
	assert_string_equal(a->policy.budgets[0].metric, "wall_time");
	assert_close(a->policy.budgets[0].quantile, 0.95, 1e-15);
	assert_close(a->policy.budgets[0].limit, 0.25, 1e-15);
	assert_string_equal(a->policy.budgets[1].metric, "max_rss");
	assert_string_equal(a->policy.budgets[1].stat, "median");
	assert_string_equal(a->policy.budgets[2].metric, "cpu_user");
	assert_close(a->policy.budgets[2].quantile, 1, 0);
	assert_int_equal(cfg.naccepts, 1);
	assert_close(cfg.accepts[0].max_effect, 0.15, 1e-15);
	assert_string_equal(cfg.accepts[0].metric, "wall_time");
	config_release(&cfg);
}

static void test_config_policy_errors(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	        {"{\"threshold\": \"5ms\", \"benchmarks\": []}",
	         "$.threshold: '5ms' is not a fraction"},
	        {"{\"alpha\": 0.7, \"benchmarks\": []}", "$.alpha"},
	        {"{\"gate\": [], \"benchmarks\": []}", "$.gate: must be a "
	                                               "non-empty array"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"budget\": {\"p95\": \"250 parsecs\"}}]}",
	         "benchmarks[0].budget.p95: '250 parsecs': unknown unit"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"budget\": {\"wall_time\": {\"p101\": \"1s\"}}}]}",
	         "unknown statistic 'p101'"},
	        {"{\"accept\": [{\"benchmark\": \"a\"}], \"benchmarks\": []}",
	         "accept[0]: needs \"benchmark\" and \"max\""},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;

		assert_int_equal(config_parse(&cfg, cases[i].doc,
		                              strlen(cases[i].doc), "p.json"),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), cases[i].msg);
		config_release(&cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_buf_addf_grows),
	        cmocka_unit_test(test_json_parse_reports_line_and_column),
	        cmocka_unit_test(test_json_parse_rejects_trailing_garbage),
	        cmocka_unit_test(test_json_number_round_trips),
	        cmocka_unit_test(test_result_round_trip),
	        cmocka_unit_test(test_result_parse_errors),
	        cmocka_unit_test(test_result_shard_of),
	        cmocka_unit_test(test_config_defaults_and_overrides),
	        cmocka_unit_test(test_config_errors),
	        cmocka_unit_test(test_config_build_and_cwd),
	        cmocka_unit_test(test_quantities),
	        cmocka_unit_test(test_config_policy),
	        cmocka_unit_test(test_config_policy_errors),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
