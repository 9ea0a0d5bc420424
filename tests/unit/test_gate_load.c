/*
 * Unit tests for load tests: the gate's error-rate and percentile
 * comparisons (gate/load.h), the "service" and "soak" config, the
 * service's port substitution and readiness probe, soak sampling.
 */
#include "tests/unit/unit.h"

#include "gate/compare.h"
#include "gate/load.h"
#include "runner/service.h"
#include "runner/soak.h"
#include "stats/describe.h"
#include "stats/quantile.h"
#include "model/config.h"
#include "util/error.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A deterministic, skewed "latency" sample: 1 ms times exp(normal-ish). */
static void latencies(double *x, size_t n, double scale)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double u = ((double)i + 0.5) / (double)n;

		/* a logistic quantile function, shuffled by a stride */
		x[(i * 7919) % n] = scale * 1e-3 * exp(0.4 * log(u / (1 - u)));
	}
}

static struct result_bench *load_bench(struct result_run *run, const char *name,
                                       double requests, double failures,
                                       double scale)
{
	struct result_bench *b = result_bench_add(run, name);
	struct result_metric *m;
	double lat[400];
	size_t i;

	latencies(lat, N(lat), scale);
	m = result_metric_get(b, "latency_p95", "s", RESULT_LOWER_IS_BETTER);
	m->aggregate = 1;
	result_metric_push(m, stats_quantile(lat, N(lat), 0.95));
	m = result_metric_get(b, "throughput", "req/s",
	                      RESULT_HIGHER_IS_BETTER);
	m->aggregate = 1;
	result_metric_push(m, 1000 / scale);
	m = result_metric_get(b, "error_rate", "ratio", RESULT_LOWER_IS_BETTER);
	m->aggregate = 1;
	result_metric_push(m, failures / requests);
	m = result_metric_get(b, "requests", "count", RESULT_HIGHER_IS_BETTER);
	m->aggregate = 1;
	result_metric_push(m, requests);
	m = result_metric_get(b, "failures", "count", RESULT_LOWER_IS_BETTER);
	m->aggregate = 1;
	result_metric_push(m, failures);
	m = result_metric_get(b, "latency", "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < N(lat); i++)
		result_metric_push(m, lat[i]);
	return b;
}

static void test_error_rate_counts(void **state)
{
	struct result_run a, b;
	struct stats_compare_opts so;
	struct stats_comparison c;
	char *note = NULL;

	result_run_init(&a);
	result_run_init(&b);
	stats_compare_opts_init(&so, 0);
	load_bench(&a, "api", 1000, 3, 1);
	load_bench(&b, "api", 1000, 20, 1);
	assert_int_equal(gate_load_error_rate(&c, &note, &a.benches[0],
	                                      &b.benches[0], "error_rate", &so),
	                 1);
	assert_string_equal(c.test, "fisher-exact");
	/* R: fisher.test(matrix(c(20, 980, 3, 997), 2),
	 *                alternative = "greater")$p.value */
	assert_rel(c.p_value, 0.00022764513928249673, 1e-9);
	/* R: ... alternative = "less" */
	assert_rel(c.p_better, 0.99996973912800802, 1e-9);
	assert_close(c.estimate, 0.017, 1e-15);
	/*
	 * Newcombe's hybrid score interval from R's Wilson intervals:
	 * w1 <- prop.test(3, 1000, correct = FALSE, conf.level = 0.99)$conf.int
	 * w2 <- prop.test(20, 1000, correct = FALSE, conf.level =
	 * 0.99)$conf.int d <- 0.017; d - sqrt((0.02 - w2[1])^2 + (w1[2] -
	 * 0.003)^2) d + sqrt((w2[2] - 0.02)^2 + (0.003 - w1[1])^2)
	 */
	assert_rel(c.ci_low, 0.0046760988737150049, 1e-9);
	assert_rel(c.ci_high, 0.032128934493710723, 1e-9);
	assert_close(c.median_a, 0.003, 1e-15);
	assert_close(c.median_b, 0.02, 1e-15);
	assert_contains(note, "3 of 1000 requests failed -> 20 of 1000");
	free(note);
	note = NULL;
	/* not the error rate, or no counts: not handled */
	assert_int_equal(gate_load_error_rate(&c, &note, &a.benches[0],
	                                      &b.benches[0], "throughput", &so),
	                 0);
	assert_int_equal(gate_load_error_rate(&c, &note, NULL, &b.benches[0],
	                                      "error_rate", &so),
	                 0);
	assert_null(note);
	result_run_release(&a);
	result_run_release(&b);
}

static void test_error_budget_bound(void **state)
{
	struct result_run a;
	double bound;
	char *text = NULL;

	result_run_init(&a);
	load_bench(&a, "api", 400, 20, 1);
	assert_int_equal(gate_load_error_budget(&bound, &text, &a.benches[0],
	                                        0.001, 0.99),
	                 1);
	/* R: prop.test(20, 400, alternative = "less", correct = FALSE,
	 *              conf.level = 0.99)$conf.int[2] */
	assert_rel(bound, 0.081894725561927575, 1e-9);
	assert_contains(text, "20 of 400 requests failed");
	assert_contains(text, "99% Wilson upper bound 8.189%");
	free(text);
	result_run_release(&a);
}

static void test_quantile_bootstrap(void **state)
{
	struct result_run a, b, same;
	struct stats_compare_opts so;
	struct stats_comparison c;
	char *note = NULL;

	result_run_init(&a);
	result_run_init(&b);
	result_run_init(&same);
	stats_compare_opts_init(&so, 0);
	load_bench(&a, "api", 1000, 0, 1);
	load_bench(&b, "api", 1000, 0, 1.5);
	load_bench(&same, "api", 1000, 0, 1);
	assert_int_equal(gate_load_quantile(&c, &note, &a.benches[0],
	                                    &b.benches[0], "latency_p95", &so),
	                 1);
	assert_string_equal(c.test, "bootstrap-quantile");
	/* every sample 1.5 times larger: so is the p95, exactly */
	assert_close(c.estimate, 0.5, 1e-12);
	assert_true(c.ci_low < 0.5 && c.ci_high > 0.5);
	assert_true(c.ci_low > 0); /* excludes "no change" */
	/* no resample ratio at or below 1: the smallest p-value */
	assert_close(c.p_value, 1.0 / 2001, 1e-15);
	assert_contains(note, "p95 of the raw latencies");
	free(note);
	note = NULL;
	/* identical samples: estimate 0, no evidence either way */
	assert_int_equal(gate_load_quantile(&c, &note, &a.benches[0],
	                                    &same.benches[0], "latency_p95",
	                                    &so),
	                 1);
	assert_close(c.estimate, 0, 1e-15);
	assert_true(c.p_value > 0.2 && c.p_better > 0.2);
	free(note);
	note = NULL;
	/* not a percentile, or no raw latencies */
	assert_int_equal(gate_load_quantile(&c, &note, &a.benches[0],
	                                    &b.benches[0], "latency_max", &so),
	                 0);
	assert_int_equal(gate_load_quantile(&c, &note, &a.benches[0],
	                                    &b.benches[0], "latency_p100", &so),
	                 0);
	assert_null(note);
	result_run_release(&a);
	result_run_release(&b);
	result_run_release(&same);
}

static const struct report_row *row_of(const struct report *r,
                                       const char *metric)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].metric, metric))
			return &r->rows[i];
	fail_msg("no row for '%s'", metric);
	return NULL;
}

static void test_gate_compare_load(void **state)
{
	static const char doc[] =
	        "{\"benchmarks\": [{\"name\": \"api\", \"format\": \"hey\", "
	        "\"command\": \"true\", \"gate\": [\"latency_p95\", "
	        "\"throughput\", \"error_rate\"], \"budget\": {\"error_rate\": "
	        "\"1%\"}}]}";
	struct config cfg;
	struct result_run base, cand;
	struct gate_compare_opts o;
	struct report rep;
	const struct report_row *row;

	assert_int_equal(config_parse(&cfg, doc, strlen(doc), "p.json"), 0);
	result_run_init(&base);
	result_run_init(&cand);
	load_bench(&base, "api/hey", 1000, 3, 1);
	load_bench(&cand, "api/hey", 1000, 20, 2);
	report_init(&rep);
	gate_compare_opts_init(&o);
	assert_int_equal(gate_compare(&rep, &cfg, &base, 1, &cand, 1, NULL, &o),
	                 0);
	row = row_of(&rep, "error_rate");
	assert_int_equal(row->verdict, REPORT_REGRESSION);
	assert_string_equal(row->test, "fisher-exact");
	assert_close(row->threshold, 0.001, 1e-15);
	assert_close(row->cand_value, 0.02, 1e-15);
	/* R: prop.test(20, 1000, alternative = "less", correct = FALSE,
	 *              conf.level = 0.99)$conf.int[2] is 0.0327 > 1% */
	assert_true(row->over_budget);
	assert_contains(row->budget, "Wilson upper bound");
	/* a stored baseline of one run: a percentile is a timing metric,
	 * and the raw latencies of two runs say nothing of the between-run
	 * noise: inconclusive with the reason (docs/statistics.md) */
	row = row_of(&rep, "latency_p95");
	assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
	assert_string_equal(row->test, "run-median-moderated");
	assert_contains(row->note, "1 stored run of history");
	report_release(&rep);
	/* measured interleaved in one session (paired), the raw latencies
	 * are comparable: the percentile bootstrap decides */
	report_init(&rep);
	o.paired = 1;
	assert_int_equal(gate_compare(&rep, &cfg, &base, 1, &cand, 1, NULL, &o),
	                 0);
	row = row_of(&rep, "latency_p95");
	assert_int_equal(row->verdict, REPORT_REGRESSION);
	assert_string_equal(row->test, "bootstrap-quantile");
	assert_close(row->estimate, 1, 1e-12);
	/* one aggregate per side and no raw data to fall back on */
	row = row_of(&rep, "throughput");
	assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
	assert_contains(row->note, "a side has one run, so its throughput "
	                           "is one number");
	report_release(&rep);
	result_run_release(&base);
	result_run_release(&cand);
	config_release(&cfg);
}

static void test_gate_rss_slope(void **state)
{
	static const char doc[] =
	        "{\"benchmarks\": [{\"name\": \"api\", \"command\": \"true\", "
	        "\"service\": {\"command\": \"true\"}, \"soak\": "
	        "{\"duration\": \"20s\", \"max_rss_slope\": \"1MiB/min\"}}]}";
	struct config cfg;
	struct result_run cand;
	struct result_bench *b;
	struct gate_compare_opts o;
	struct report rep;
	const struct report_row *row;
	double lows[2] = {17000, 18000}; /* 1 MiB/min is 17476.3 B/s */
	int i;

	assert_int_equal(config_parse(&cfg, doc, strlen(doc), "p.json"), 0);
	assert_close(cfg.benches[0].soak->max_rss_slope, 1048576.0 / 60, 1e-9);
	for (i = 0; i < 2; i++) {
		char low[32];

		result_run_init(&cand);
		b = result_bench_add(&cand, "api/service");
		result_metric_push(result_metric_get(b, "rss_slope", "B/s",
		                                     RESULT_LOWER_IS_BETTER),
		                   20000);
		snprintf(low, sizeof(low), "%g", lows[i]);
		result_bench_set_param(b, "rss_slope_low", low);
		result_bench_set_param(b, "rss_slope_high", "30000");
		result_bench_set_param(b, "rss_slope_confidence", "0.99");
		report_init(&rep);
		gate_compare_opts_init(&o);
		assert_int_equal(
		        gate_compare(&rep, &cfg, NULL, 0, &cand, 1, NULL, &o),
		        0);
		row = row_of(&rep, "rss_slope");
		assert_int_equal(row->over_budget, i == 1);
		assert_contains(row->budget, "rss_slope <= 1MiB/min");
		report_release(&rep);
		result_run_release(&cand);
	}
	config_release(&cfg);
}

static void test_config_service(void **state)
{
	static const char good[] =
	        "{\"benchmarks\": [{\"name\": \"api\", \"command\": [\"hey\", "
	        "\"http://127.0.0.1:{port}/\"], \"service\": {\"command\": "
	        "[\"./server\", \"--port\", \"{port}\"], \"ready\": {\"http\": "
	        "\"http://127.0.0.1:{port}/health\", \"timeout\": \"2s\"}, "
	        "\"port\": \"auto\", \"env\": {\"A\": \"{port}\"}, "
	        "\"stop_timeout\": 1}, \"soak\": {\"duration\": \"1m\", "
	        "\"sample_every\": \"500ms\"}}]}";
	static const struct {
		const char *doc, *msg;
	} bad[] = {
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\", \"prot\": 1}}]}",
	         "benchmarks[0].service: unknown key 'prot'"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"port\": \"auto\"}}]}",
	         "benchmarks[0].service: missing \"command\""},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\", \"port\": 70000}}]}",
	         "benchmarks[0].service.port: must be \"auto\""},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\", \"ready\": {\"http\": "
	         "\"http://example.com:{port}/\"}}}]}",
	         "must be http://127.0.0.1:{port}/PATH"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\", \"ready\": {\"timeout\": "
	         "\"soon\"}}}]}",
	         "benchmarks[0].service.timeout: must be a number of seconds"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"soak\": {\"duration\": \"10s\"}}]}",
	         "benchmarks[0].soak: needs a \"service\""},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\"}, \"soak\": "
	         "{\"sample_every\": \"1s\"}}]}",
	         "benchmarks[0].soak: missing \"duration\""},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\"}, \"soak\": "
	         "{\"duration\": \"10s\", \"max_rss_slope\": \"1MiB/day\"}}]}",
	         "benchmarks[0].soak.max_rss_slope: must be a growth rate"},
	        {"{\"benchmarks\": [{\"name\": \"a\", \"command\": \"x\", "
	         "\"service\": {\"command\": \"s\"}, \"soak\": "
	         "{\"duration\": \"2s\", \"sample_every\": \"1s\"}}]}",
	         "must leave at least 3 samples"},
	};
	struct config cfg;
	const struct config_service *s;
	size_t i;

	assert_int_equal(config_parse(&cfg, good, strlen(good), "/r/p.json"),
	                 0);
	s = cfg.benches[0].service;
	assert_non_null(s);
	assert_int_equal(s->port_mode, CONFIG_PORT_AUTO);
	assert_int_equal(s->ready_kind, CONFIG_READY_HTTP);
	assert_close(s->ready_timeout, 2, 0);
	assert_close(s->stop_timeout, 1, 0);
	assert_string_equal(s->argv[2], "{port}");
	assert_string_equal(s->env[0], "A={port}");
	assert_close(cfg.benches[0].soak->duration, 60, 0);
	assert_close(cfg.benches[0].soak->sample_every, 0.5, 0);
	/* the default limit on memory growth */
	assert_string_equal(cfg.benches[0].soak->max_rss_slope_text,
	                    "1MiB/min");
	/* "api/service" finds its entry's policy */
	assert_ptr_equal(config_find_bench(&cfg, "api/service"),
	                 &cfg.benches[0]);
	config_release(&cfg);
	for (i = 0; i < N(bad); i++) {
		assert_int_equal(config_parse(&cfg, bad[i].doc,
		                              strlen(bad[i].doc), "p.json"),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), bad[i].msg);
		config_release(&cfg);
	}
}

static void test_subst_port(void **state)
{
	char *s = runner_subst_port("http://127.0.0.1:{port}/{port}{", 8080);

	assert_string_equal(s, "http://127.0.0.1:8080/8080{");
	free(s);
	s = runner_subst_port("", 1);
	assert_string_equal(s, "");
	free(s);
}

/* A server for one probe per status in codes; returns its pid. */
static pid_t serve(int fd, const int *codes, size_t n)
{
	pid_t pid = fork();
	char buf[512], resp[64];
	size_t i;

	if (pid)
		return pid;
	for (i = 0; i < n; i++) {
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			_exit(1);
		if (read(c, buf, sizeof(buf)) <= 0)
			_exit(1);
		snprintf(resp, sizeof(resp), "HTTP/1.1 %d X\r\n\r\n", codes[i]);
		if (write(c, resp, strlen(resp)) < 0)
			_exit(1);
		close(c);
	}
	_exit(0);
}

static void test_probe(void **state)
{
	static const int codes[] = {503, 200};
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), status;
	char url[64];
	pid_t pid;
	long port;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%ld/health", port);
	pid = serve(fd, codes, N(codes));
	assert_int_equal(runner_probe(url, port, 2), 0); /* 503 */
	assert_int_equal(runner_probe(url, port, 2), 1); /* 200 */
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* TCP readiness: the listening socket accepts */
	assert_int_equal(runner_probe(NULL, port, 2), 1);
	close(fd);
	/* nothing listens any more */
	assert_int_equal(runner_probe(NULL, port, 0.5), 0);
}

static void test_soak_slope(void **state)
{
	struct runner_soak *k;
	struct result_run run;
	struct result_bench *b;
	const struct result_metric *m;
	struct timespec pause = {0, 20 * 1000 * 1000};
	char *blocks[8];
	size_t i, mib = 1024 * 1024;

	/* our own process group: other tests' processes are not sampled */
	setpgid(0, 0);
	k = runner_soak_new(getpgrp());
	result_run_init(&run);
	runner_soak_start(k);
	for (i = 0; i < N(blocks); i++) {
		blocks[i] = malloc(4 * mib);
		memset(blocks[i], 1, 4 * mib); /* touched: resident */
		nanosleep(&pause, NULL);
		runner_soak_sample(k);
	}
	b = result_bench_add(&run, "x/service");
	assert_int_equal(runner_soak_finish(k, b, 100), 0);
	m = result_metric_find(b, "rss_slope");
	assert_non_null(m);
	/* 4 MiB every 20 ms or a little more: well over 50 MiB/s */
	assert_true(m->samples[0] > 50.0 * mib);
	assert_non_null(result_metric_find(b, "cpu_per_request"));
	assert_true(b->nparams >= 3);
	for (i = 0; i < N(blocks); i++)
		free(blocks[i]);
	runner_soak_free(k);
	result_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_error_rate_counts),
	        cmocka_unit_test(test_error_budget_bound),
	        cmocka_unit_test(test_quantile_bootstrap),
	        cmocka_unit_test(test_gate_compare_load),
	        cmocka_unit_test(test_gate_rss_slope),
	        cmocka_unit_test(test_config_service),
	        cmocka_unit_test(test_subst_port),
	        cmocka_unit_test(test_probe),
	        cmocka_unit_test(test_soak_slope),
	};

	return cmocka_run_group_tests_name("gate_load", tests, NULL, NULL);
}
