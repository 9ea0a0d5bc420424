/* Paired mode's building blocks: alpha spending, planning figures, the
 * stop rule and its futility stop, the coin, config keys, scratch
 * directories. */
#include "unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gate/paired.h"
#include "runner/pairs.h"
#include "runner/treecache.h"
#include "stats/sequential.h"
#include "model/config.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/mem.h"
#include "model/result.h"

static void test_spend_adds_up_to_one(void **state)
{
	static const long looks[] = {10, 20, 30};
	static const long uneven[] = {7, 12, 40, 41};
	double sum = 0;
	size_t k;

	(void)state;
	assert_close(paired_spend(looks, 3, 0), 1.0 / 9, 1e-12);
	assert_close(paired_spend(looks, 3, 1), 3.0 / 9, 1e-12);
	assert_close(paired_spend(looks, 3, 2), 5.0 / 9, 1e-12);
	for (k = 0; k < 4; k++) {
		assert_true(paired_spend(uneven, 4, k) > 0);
		sum += paired_spend(uneven, 4, k);
	}
	assert_close(sum, 1, 1e-12);
	assert_close(paired_spend(looks, 1, 0), 1, 0);
}

static void test_planning_figures(void **state)
{
	(void)state;
	/* Rscript -e 'x <- 0.04/sqrt(3/pi*30);
	 *   max(0.02, qnorm(1-0.01*5/9)*x) + qnorm(0.9)*x'  -> 0.02957745 */
	assert_close(stats_paired_mde90(0.04, 30, 0.02, 0.01 * 5 / 9),
	             0.02957745, 1e-7);
	/* noisier: significance binds, not theta */
	assert_true(stats_paired_mde90(0.2, 30, 0.02, 0.0055) > 0.1);
	assert_true(isnan(stats_paired_mde90(0.04, 0, 0.02, 0.01)));
	/* 2.539185 * 0.04 / sqrt(3/pi*30) = 0.01898 -> 2% */
	assert_close(
	        stats_paired_recommend_theta(0.04, 30, 0.01 * 5 / 9, 0, 0.005),
	        0.02, 1e-12);
	/* an A/A offset of 1.6% asks for theta >= 3.2% -> 3.5% */
	assert_close(stats_paired_recommend_theta(0.04, 30, 0.01 * 5 / 9,
	                                          -0.016, 0.005),
	             0.035, 1e-12);
	/* more pairs never hurt; the first that catches 3% at theta 2% */
	assert_int_equal(
	        stats_paired_recommend_pairs(0.04, 0.02, 0.0055, 0.03, 10, 200),
	        30);
	assert_int_equal(
	        stats_paired_recommend_pairs(1.0, 0.02, 0.0055, 0.03, 10, 200),
	        0);
}

/*
 * Reference values: SciPy 1.10 (python3), the formula of
 * stats/sequential.h:
 *   se = lambda k: spread / sqrt(3 / pi * k)
 *   c = max(lt, norm.isf(al) * se(N)); mu = max(lt, est); m = N - n
 *   norm.sf(((c * N - n * est) / m - mu) / se(m))
 * with lt = log(1.02), al = 0.01 * 5 / 9.
 */
static void test_conditional_power(void **state)
{
	double lt = log(1.02), al = 0.01 * 5 / 9;

	(void)state;
	assert_close(stats_paired_conditional_power(0.07, 10, 0, 30, lt, al),
	             0.030496303588097008, 1e-9);
	assert_close(stats_paired_conditional_power(0.07, 10, 0.03, 30, lt, al),
	             0.3819195091848362, 1e-9);
	assert_close(stats_paired_conditional_power(0.033, 10, 0, 30, lt, al),
	             0.09488968304645806, 1e-9);
	assert_close(
	        stats_paired_conditional_power(0.015, 20, 0.01, 30, lt, al),
	        2.6847162518445267e-05, 1e-12);
	/* at the last look it is the verdict itself */
	assert_close(stats_paired_conditional_power(0.01, 30, 0.05, 30, lt, al),
	             1, 0);
	assert_close(stats_paired_conditional_power(0.01, 30, 0.01, 30, lt, al),
	             0, 0);
	assert_true(
	        isnan(stats_paired_conditional_power(0, 10, 0, 30, lt, al)));
	assert_true(
	        isnan(stats_paired_conditional_power(NAN, 10, 0, 30, lt, al)));
	assert_true(
	        isnan(stats_paired_conditional_power(0.07, 10, 0, 30, lt, 0)));
}

/* Push n samples of ln ratio d[i] (cand = base * exp(d[i])). */
static void add_pairs(struct result_run *base, struct result_run *cand,
                      const char *name, const double *d, size_t n)
{
	struct result_metric *bm, *cm;
	size_t i;

	bm = result_metric_get(result_bench_add(base, name), "wall_time", "s",
	                       RESULT_LOWER_IS_BETTER);
	cm = result_metric_get(result_bench_add(cand, name), "wall_time", "s",
	                       RESULT_LOWER_IS_BETTER);
	for (i = 0; i < n; i++) {
		result_metric_push(bm, 0.1);
		result_metric_push(cm, 0.1 * exp(d[i]));
	}
}

/*
 * The stop rule at the first of 10, 20, 30 pairs: a quiet benchmark is
 * unchanged; a noisy one with no slowdown stops for futility, and the
 * final comparison's row says so; one about 4% faster, not yet a
 * significant improvement, stops as a pass and says so; a noisy one that
 * looks 8% slower runs on; at the last look nothing is recorded.
 */
static void test_futility_stop(void **state)
{
	static const char *const json =
	        "{\"benchmarks\": [{\"name\": \"quiet\", \"command\": "
	        "\"true\"}, {\"name\": \"noisy\", \"command\": \"true\"},"
	        " {\"name\": \"slower\", \"command\": \"true\"},"
	        " {\"name\": \"faster\", \"command\": \"true\"}]}";
	static const double quiet[] = {0.001, -0.001, 0.002,  -0.002,  0,
	                               0.001, -0.001, 0.0005, -0.0005, 0};
	static const double noisy[] = {0.08, -0.08, 0.05,  -0.05, 0.1,
	                               -0.1, 0.03,  -0.03, 0.06,  -0.06};
	static const double slower[] = {0.16,  0,    0.13, 0.03, 0.18,
	                                -0.02, 0.11, 0.05, 0.14, 0.02};
	static const double faster[] = {-0.05, -0.03, -0.08, -0.02, -0.06,
	                                0.01,  -0.04, -0.07, -0.03, -0.05};
	static const long looks[] = {10, 20, 30};
	const struct config_bench *entries[4];
	struct paired_rule rule;
	struct result_run base, cand;
	struct config cfg;
	struct report rep;
	const struct report_row *row;
	char stop[4];
	size_t i;

	(void)state;
	assert_int_equal(config_parse(&cfg, json, strlen(json), "p.json"), 0);
	result_run_init(&base);
	result_run_init(&cand);
	add_pairs(&base, &cand, "quiet", quiet, 10);
	add_pairs(&base, &cand, "noisy", noisy, 10);
	add_pairs(&base, &cand, "slower", slower, 10);
	add_pairs(&base, &cand, "faster", faster, 10);
	memset(&rule, 0, sizeof(rule));
	rule.cfg = &cfg;
	gate_compare_opts_init(&rule.cmp);
	rule.cmp.alpha = PG_DEFAULT_ALPHA_PAIRED;
	rule.looks = looks;
	rule.nlooks = 3;
	for (i = 0; i < 4; i++)
		entries[i] = &cfg.benches[i];
	assert_int_equal(
	        paired_decide(&rule, 0, &base, &cand, entries, 4, stop), 0);
	assert_int_equal(stop[0], 1);
	assert_int_equal(stop[1], 1);
	assert_int_equal(stop[2], 0);
	assert_int_equal(stop[3], 1);
	assert_int_equal(rule.nstops, 2);
	assert_string_equal(rule.stops[0].bench, "noisy");
	assert_int_equal(rule.stops[0].why, GATE_STOP_FUTILE);
	assert_true(rule.stops[0].value < PG_PAIRED_FUTILITY_POWER);
	assert_string_equal(rule.stops[1].bench, "faster");
	assert_int_equal(rule.stops[1].why, GATE_STOP_PASS);
	assert_true(rule.stops[1].value < 0.02);
	assert_ptr_equal(rule.cmp.stops, rule.stops);
	/* the final comparison (at the spend of the last look taken, as
	 * pipeline's report does) says why they stopped */
	rule.cmp.paired = 1;
	rule.cmp.spend = paired_spend(looks, 3, 0);
	report_init(&rep);
	assert_int_equal(
	        gate_compare(&rep, &cfg, &base, 1, &cand, 1, NULL, &rule.cmp),
	        0);
	row = report_find_row(&rep, "noisy", "wall_time");
	assert_non_null(row);
	assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
	assert_contains(row->note, "stopped at 10 of 30 pairs (futility)");
	row = report_find_row(&rep, "faster", "wall_time");
	assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
	assert_contains(row->note, "stopped at 10 of 30 pairs: the upper "
	                           "bound of its 90% CI");
	assert_null(strstr(row->note, "more pairs would decide"));
	row = report_find_row(&rep, "slower", "wall_time");
	assert_null(row->note ? strstr(row->note, "stopped at") : NULL);
	report_release(&rep);
	paired_rule_release(&rule);
	assert_null(rule.stops);
	/* the last look records nothing */
	assert_int_equal(
	        paired_decide(&rule, 2, &base, &cand, entries, 4, stop), 0);
	assert_int_equal(stop[1], 0);
	assert_int_equal(stop[3], 1);
	assert_int_equal(rule.nstops, 0);
	paired_rule_release(&rule);
	result_run_release(&base);
	result_run_release(&cand);
	config_release(&cfg);
}

static void test_rand_is_seeded(void **state)
{
	uint64_t a = 42, b = 42, c = 43;
	int heads = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		uint64_t x = runner_pairs_rand(&a);

		assert_true(x == runner_pairs_rand(&b));
		heads += (int)(x & 1);
	}
	assert_true(runner_pairs_rand(&c) != runner_pairs_rand(&a));
	/* a fair coin: binom(1000, 0.5) within 4.5 sd */
	assert_true(heads > 430 && heads < 570);
}

static void test_config_build_and_pairs(void **state)
{
	static const char *const good =
	        "{\"build\": [\"make\", \"-j2\"], \"pairs\": [8, 16],"
	        " \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}";
	static const char *const shell =
	        "{\"build\": \"make\", \"benchmarks\": [{\"name\": \"a\","
	        " \"command\": \"true\"}]}";
	static const char *const bad[] = {
	        "{\"build\": 1, \"benchmarks\": []}",
	        "{\"build\": [], \"benchmarks\": []}",
	        "{\"build\": [\"\"], \"benchmarks\": []}",
	        "{\"pairs\": [10, 10], \"benchmarks\": []}",
	        "{\"pairs\": [4], \"benchmarks\": []}",
	        "{\"pairs\": [10.5], \"benchmarks\": []}",
	};
	struct config cfg;
	size_t i;

	(void)state;
	assert_int_equal(config_parse(&cfg, good, strlen(good), "/r/p.json"),
	                 0);
	assert_int_equal(cfg.build_argc, 2);
	assert_string_equal(cfg.build_argv[1], "-j2");
	assert_null(cfg.build_argv[2]);
	assert_int_equal(cfg.npairs, 2);
	assert_int_equal(cfg.pairs[1], 16);
	config_release(&cfg);
	assert_int_equal(config_parse(&cfg, shell, strlen(shell), "/r/p.json"),
	                 0);
	assert_string_equal(cfg.build_shell, "make");
	config_release(&cfg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		        config_parse(&cfg, bad[i], strlen(bad[i]), "p.json"),
		        PG_EINPUT);
		assert_contains(pg_error_last(), "p.json");
		config_release(&cfg);
	}
}

static void test_scratch_dirs_are_removed(void **state)
{
	char *dir = NULL, path[4096];
	struct stat st;
	FILE *f;

	(void)state;
	assert_int_equal(pg_mkdtemp(&dir, "perfgate-unit."), 0);
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/a/b/file", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a/link", dir);
	assert_int_equal(symlink("/etc", path), 0);
	/* a read-only directory, as some build tools leave them */
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(chmod(path, 0500), 0);
	assert_int_equal(pg_remove_tree(dir), 0);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(stat("/etc/passwd", &st), 0);
	assert_int_equal(pg_remove_tree(dir), 0); /* gone: not an error */
	free(dir);
}

/* Both readers of results documents keep the paired fields (and shards). */
static void test_paired_fields_read_back(void **state)
{
	struct result_run run, *back = NULL;
	struct pg_buf doc = PG_BUF_INIT;
	size_t n = 0;

	(void)state;
	result_run_init(&run);
	run.id = pg_strdup("0123456789abcdef0123456789abcdef");
	run.mode = pg_strdup(RESULT_MODE_PAIRED);
	run.session = pg_strdup("fedcba9876543210fedcba9876543210");
	run.side = pg_strdup("base");
	result_metric_push(result_metric_get(result_bench_add(&run, "b"),
	                                     RESULT_WALL_TIME, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   0.5);
	result_doc_to_json(&run, 1, &doc);
	assert_int_equal(result_doc_parse(&back, &n, doc.s, doc.len, "t"), 0);
	assert_int_equal(n, 1);
	assert_string_equal(back[0].mode, "paired");
	assert_string_equal(back[0].session, run.session);
	assert_string_equal(back[0].side, "base");
	result_runs_free(back, n);
	back = NULL;
	run.shard_index = 2;
	run.shard_count = 3;
	pg_buf_reset(&doc);
	result_doc_to_json(&run, 1, &doc);
	assert_int_equal(result_doc_parse(&back, &n, doc.s, doc.len, "t"), 0);
	assert_int_equal(back[0].shard_index, 2);
	assert_int_equal(back[0].shard_count, 3);
	assert_string_equal(back[0].side, "base");
	result_runs_free(back, n);
	result_run_release(&run);
	pg_buf_release(&doc);
}

/* Put n bytes into a file of entry c's tree. */
static void fill(const struct runner_treecache *c, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/data", runner_treecache_path(c));
	f = fopen(path, "w");
	assert_non_null(f);
	while (n--)
		fputc('x', f);
	fclose(f);
}

static void test_tree_cache(void **state)
{
	struct runner_treecache *a = NULL, *b = NULL, *again = NULL;
	char *dir = NULL, path[4096];
	int ready = -1;

	(void)state;
	assert_int_equal(pg_mkdtemp(&dir, "perfgate-unit."), 0);
	/* a new entry is empty and not ready; a second open finds it held */
	assert_int_equal(runner_treecache_open(&a, dir, "a", &ready), 0);
	assert_non_null(a);
	assert_int_equal(ready, 0);
	assert_int_equal(runner_treecache_open(&again, dir, "a", &ready), 0);
	assert_null(again);
	fill(a, 100000);
	assert_int_equal(runner_treecache_done(a), 0);
	assert_int_equal(runner_treecache_close(a, (size_t)1 << 30), 0);
	/* done: ready next time, with its files */
	assert_int_equal(runner_treecache_open(&a, dir, "a", &ready), 0);
	assert_int_equal(ready, 1);
	snprintf(path, sizeof(path), "%s/data", runner_treecache_path(a));
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(runner_treecache_close(a, (size_t)1 << 30), 0);
	/* not done (a failed build): removed on close */
	assert_int_equal(runner_treecache_open(&b, dir, "b", &ready), 0);
	fill(b, 10);
	assert_int_equal(runner_treecache_close(b, (size_t)1 << 30), 0);
	snprintf(path, sizeof(path), "%s/b", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	/* over the size limit: the least recently used entry goes, the
	 * one just used stays */
	assert_int_equal(runner_treecache_open(&b, dir, "b", &ready), 0);
	fill(b, 100000);
	assert_int_equal(runner_treecache_done(b), 0);
	assert_int_equal(runner_treecache_close(b, 150000), 0);
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/b/ready", dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(pg_remove_tree(dir), 0);
	free(dir);
}

/* A stress entry's ramp pairs: its "ramps", else the paired default. */
static void test_stress_ramp_pairs(void **state)
{
	static const char *const fmt =
	        "{\"benchmarks\": [{\"name\": \"api\", \"format\": \"hey\","
	        " \"service\": {\"command\": \"srv {port}\"},"
	        " \"command\": \"hey -c {concurrency} "
	        "http://127.0.0.1:{port}/\","
	        " \"stress\": {\"levels\": [4, 8], \"slo\": {\"p95\": "
	        "\"25ms\"}%s}},"
	        " {\"name\": \"plain\", \"command\": \"true\"}]}";
	const char *const extra[] = {"", ", \"ramps\": 3"};
	const long want[] = {PG_DEFAULT_STRESS_RAMPS_PAIRED, 3};
	const long stored[] = {PG_DEFAULT_STRESS_RAMPS, 3};
	char text[512];
	struct config cfg;
	size_t i;

	(void)state;
	/* 7 pairs: the exact signed-rank test reaches 2^-7 < 0.01, 6 do not */
	assert_true(ldexp(1, -PG_DEFAULT_STRESS_RAMPS_PAIRED) <
	            PG_DEFAULT_ALPHA_PAIRED);
	assert_true(ldexp(1, 1 - PG_DEFAULT_STRESS_RAMPS_PAIRED) >=
	            PG_DEFAULT_ALPHA_PAIRED);
	for (i = 0; i < 2; i++) {
		snprintf(text, sizeof(text), fmt, extra[i]);
		assert_int_equal(config_parse(&cfg, text, strlen(text),
		                              "/r/perfgate.json"),
		                 0);
		assert_int_equal(runner_pairs_stress_ramps(&cfg.benches[0]),
		                 want[i]);
		assert_int_equal(cfg.benches[0].stress->ramps, stored[i]);
		assert_int_equal(runner_pairs_stress_ramps(&cfg.benches[1]), 0);
		config_release(&cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_spend_adds_up_to_one),
	        cmocka_unit_test(test_planning_figures),
	        cmocka_unit_test(test_conditional_power),
	        cmocka_unit_test(test_futility_stop),
	        cmocka_unit_test(test_rand_is_seeded),
	        cmocka_unit_test(test_config_build_and_pairs),
	        cmocka_unit_test(test_scratch_dirs_are_removed),
	        cmocka_unit_test(test_paired_fields_read_back),
	        cmocka_unit_test(test_tree_cache),
	        cmocka_unit_test(test_stress_ramp_pairs),
	};

	return cmocka_run_group_tests_name("paired", tests, NULL, NULL);
}
