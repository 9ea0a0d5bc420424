/* The gate's statistics for load-test metrics; see gate/load.h. */
#include "gate/load.h"
#include "stats/proportion.h"
#include "stats/quantile.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fewer raw latencies than this are not worth a bootstrap. */
#define GATE_LOAD_MIN_RAW 20

static void comparison_init(struct stats_comparison *c, double confidence)
{
	memset(c, 0, sizeof(*c));
	c->runs_a = 1;
	c->statistic = NAN;
	c->boot_low = c->boot_high = NAN;
	c->lag1_a = c->lag1_b = NAN;
	c->confidence = confidence;
}

/* The sum of a metric's samples (one per run); 0 when it is absent. */
static int sum_of(double *out, const struct result_bench *b, const char *name)
{
	const struct result_metric *m = result_metric_find(b, name);
	size_t i;

	*out = 0;
	if (!m || !m->n)
		return 0;
	for (i = 0; i < m->n; i++)
		*out += m->samples[i];
	return 1;
}

static int counts_of(double *failures, double *requests,
                     const struct result_bench *b)
{
	return sum_of(requests, b, "requests") &&
	       sum_of(failures, b, "failures") && *requests > 0;
}

/* Two-sided Wilson interval of x / n at level confidence. */
static int wilson(double *lo, double *hi, double x, double n, double confidence)
{
	double side = (1 + confidence) / 2, up_rest;
	int err;

	if ((err = stats_wilson_upper(hi, x, n, side)) < 0 ||
	    (err = stats_wilson_upper(&up_rest, n - x, n, side)) < 0)
		return err;
	*lo = 1 - up_rest;
	return 0;
}

int gate_load_error_rate(struct stats_comparison *c, char **note,
                         const struct result_bench *base,
                         const struct result_bench *cand, const char *metric,
                         const struct stats_compare_opts *so)
{
	struct stats_prop_test t;
	double x1, n1, x2, n2, l1, u1, l2, u2, d;
	struct pg_buf b = PG_BUF_INIT;
	int err;

	if (strcmp(metric, GATE_LOAD_ERROR_RATE) || !base ||
	    !counts_of(&x1, &n1, base) || !counts_of(&x2, &n2, cand))
		return 0;
	if ((err = stats_prop_compare(&t, x1, n1, x2, n2)) < 0 ||
	    (err = wilson(&l1, &u1, x1, n1, so->confidence)) < 0 ||
	    (err = wilson(&l2, &u2, x2, n2, so->confidence)) < 0)
		return err;
	comparison_init(c, so->confidence);
	c->test = strcmp(t.method, "fisher") ? "two-proportion-score"
	                                     : "fisher-exact";
	c->method = strcmp(t.method, "fisher") ? "asymptotic" : "exact";
	c->n_a = (size_t)n1;
	c->n_b = (size_t)n2;
	c->p_value = t.p_value;
	c->p_better = t.p_better;
	d = t.diff;
	/* Newcombe (1998) method 10: the hybrid score interval */
	c->estimate = d;
	c->ci_low = d - sqrt((t.p_cand - l2) * (t.p_cand - l2) +
	                     (u1 - t.p_base) * (u1 - t.p_base));
	c->ci_high = d + sqrt((u2 - t.p_cand) * (u2 - t.p_cand) +
	                      (t.p_base - l1) * (t.p_base - l1));
	c->median_a = t.p_base;
	c->median_b = t.p_cand;
	pg_buf_addf(&b,
	            "%.0f of %.0f requests failed -> %.0f of %.0f (%s test "
	            "on the counts; effect and threshold in rate points)",
	            x1, n1, x2, n2,
	            strcmp(t.method, "fisher") ? "score" : "Fisher exact");
	*note = pg_buf_detach(&b, NULL);
	return 1;
}

/* "latency_p95" -> 0.95; 0 for anything else. */
static double latency_quantile(const char *metric)
{
	const char *prefix = "latency_p";
	char *end;
	double q;

	if (strncmp(metric, prefix, strlen(prefix)))
		return 0;
	q = strtod(metric + strlen(prefix), &end);
	if (*end || end == metric + strlen(prefix) || !(q > 0 && q < 100))
		return 0;
	return q / 100;
}

static const struct result_metric *raw_latency(const struct result_bench *b)
{
	const struct result_metric *m =
	        b ? result_metric_find(b, "latency") : NULL;

	return m && !m->aggregate && m->n >= GATE_LOAD_MIN_RAW ? m : NULL;
}

int gate_load_quantile(struct stats_comparison *c, char **note,
                       const struct result_bench *base,
                       const struct result_bench *cand, const char *metric,
                       const struct stats_compare_opts *so)
{
	const struct result_metric *ma = raw_latency(base);
	const struct result_metric *mb = raw_latency(cand);
	double q = latency_quantile(metric);
	struct stats_quantile_test t;
	struct pg_buf b = PG_BUF_INIT;
	char va[32], vb[32];
	int err;

	if (!q || !ma || !mb)
		return 0;
	err = stats_bootstrap_quantile_test(
	        &t, ma->samples, ma->n, mb->samples, mb->n, q, so->confidence,
	        PG_DEFAULT_BOOTSTRAP, (unsigned long)so->seed);
	if (err < 0)
		return err;
	comparison_init(c, so->confidence);
	c->test = "bootstrap-quantile";
	c->method = "percentile-bootstrap";
	c->n_a = ma->n;
	c->n_b = mb->n;
	c->p_value = t.p_worse;
	c->p_better = t.p_better;
	c->min_p = 1.0 / (PG_DEFAULT_BOOTSTRAP + 1);
	c->estimate = t.ratio.estimate;
	c->ci_low = t.ratio.low;
	c->ci_high = t.ratio.high;
	c->median_a = t.quantile_a;
	c->median_b = t.quantile_b;
	pg_buf_addf(&b,
	            "p%g of the raw latencies, %s -> %s (%zu vs %zu values, "
	            "%d bootstrap resamples; one load test's requests are "
	            "correlated: repeat it for a firmer verdict)",
	            q * 100, pg_format_value(va, sizeof(va), t.quantile_a, "s"),
	            pg_format_value(vb, sizeof(vb), t.quantile_b, "s"), ma->n,
	            mb->n, PG_DEFAULT_BOOTSTRAP);
	*note = pg_buf_detach(&b, NULL);
	return 1;
}

char *gate_load_single_run_note(const char *metric)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b,
	            "samples are harness aggregates, not raw measurements: "
	            "a side has one run, so its %s is one number, not a "
	            "sample, and the comparison is inconclusive; repeat the "
	            "load test (\"runs\": 5) to compare runs",
	            metric);
	return pg_buf_detach(&b, NULL);
}

int gate_load_error_budget(double *bound, char **text,
                           const struct result_bench *cand, double limit,
                           double confidence)
{
	struct pg_buf b = PG_BUF_INIT;
	double x, n;
	int err;

	if (!counts_of(&x, &n, cand))
		return 0;
	if ((err = stats_wilson_upper(bound, x, n, confidence)) < 0)
		return err;
	pg_buf_addf(&b,
	            "error_rate <= %.4g%%: %.0f of %.0f requests failed, "
	            "%g%% Wilson upper bound %.4g%%",
	            limit * 100, x, n, confidence * 100, *bound * 100);
	*text = pg_buf_detach(&b, NULL);
	return 1;
}

int gate_load_rss_slope(int *over, char **text, const struct result_bench *cand,
                        const struct config_bench *cfgb)
{
	const struct result_metric *m =
	        result_metric_find(cand, GATE_LOAD_RSS_SLOPE);
	struct pg_buf b = PG_BUF_INIT;
	const char *lo_s = NULL, *hi_s = NULL, *conf_s = NULL;
	char est[32], lo[32], hi[32], lim[32];
	double low, high, conf;
	size_t i;

	if (!m || !m->n || !cfgb || !cfgb->soak ||
	    isnan(cfgb->soak->max_rss_slope))
		return 0;
	for (i = 0; i < cand->nparams; i++) {
		if (!strcmp(cand->params[i].key, "rss_slope_low"))
			lo_s = cand->params[i].value;
		else if (!strcmp(cand->params[i].key, "rss_slope_high"))
			hi_s = cand->params[i].value;
		else if (!strcmp(cand->params[i].key, "rss_slope_confidence"))
			conf_s = cand->params[i].value;
	}
	if (!lo_s || !hi_s || !conf_s)
		return 0;
	low = strtod(lo_s, NULL);
	high = strtod(hi_s, NULL);
	conf = strtod(conf_s, NULL);
	*over = low > cfgb->soak->max_rss_slope;
	pg_buf_addf(
	        &b, "rss_slope <= %s (%s): Theil-Sen %s, %g%% CI [%s, %s]",
	        cfgb->soak->max_rss_slope_text,
	        pg_format_value(lim, sizeof(lim), cfgb->soak->max_rss_slope,
	                        "B/s"),
	        pg_format_value(est, sizeof(est), m->samples[m->n - 1], "B/s"),
	        conf * 100, pg_format_value(lo, sizeof(lo), low, "B/s"),
	        pg_format_value(hi, sizeof(hi), high, "B/s"));
	*text = pg_buf_detach(&b, NULL);
	return 1;
}
