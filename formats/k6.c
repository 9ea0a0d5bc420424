/*
 * k6 --summary-export JSON (and the same metrics in handleSummary()'s
 * data, where each metric's numbers sit under "values"):
 *
 *   {"root_group": {...}, "metrics": {
 *     "http_req_duration": {"avg": 2.3, "min": 1.0, "med": 2.0, "max": 25,
 *                           "p(90)": 3.1, "p(95)": 3.9, "p(99)": 6.2},
 *     "http_req_failed": {"passes": 30, "fails": 2964, "value": 0.01},
 *     "http_reqs": {"count": 2994, "rate": 598.8}, ...}}
 *
 * Trend times are milliseconds.  http_req_failed is a rate metric of
 * "failed" booleans: its "passes" are the failed requests, "fails" the
 * others.  p(99) is there only with --summary-trend-stats including it.
 * One benchmark, "k6"; without http_req_failed (k6 < 0.31) there are no
 * failure counts and no error_rate.  k6 is not packaged in Debian: the
 * fixtures are written after k6's documented summary schema.
 */
#include "formats/internal.h"
#include "util/json.h"

#include <string.h>

static int k6_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);
	const cJSON *m = pg_json_get(root, "metrics");

	return cJSON_IsObject(root) && cJSON_IsObject(m) &&
	       (pg_json_get(m, "http_reqs") || pg_json_get(m, "iterations"));
}

/* The numbers of metric name: the object itself, or its "values". */
static int k6_metric(struct fmt_ctx *c, const cJSON *metrics, const char *name,
                     const cJSON **out)
{
	const cJSON *m = pg_json_get(metrics, name), *v;

	*out = NULL;
	if (!m)
		return 1;
	fmt_path_push(c, ".metrics[\"%s\"]", name);
	if (!cJSON_IsObject(m))
		return fmt_error(c, "must be an object");
	v = pg_json_get(m, "values");
	if (v) {
		fmt_path_push(c, ".values");
		if (!cJSON_IsObject(v))
			return fmt_error(c, "must be an object");
		m = v;
	}
	*out = m;
	return 0;
}

static int k6_duration(struct fmt_ctx *c, struct result_bench *b,
                       const cJSON *d)
{
	static const struct {
		const char *key, *metric;
		int required;
	} keys[] = {{"med", "latency_p50", 1},   {"p(90)", "latency_p90", 0},
	            {"p(95)", "latency_p95", 0}, {"p(99)", "latency_p99", 0},
	            {"max", "latency_max", 1},   {"avg", "latency_mean", 1}};
	size_t i;
	double v;
	int err;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		err = fmt_get_number(c, d, keys[i].key, &v);
		if (err > 0 && keys[i].required)
			return fmt_error(c, "missing '%s'", keys[i].key);
		if (err == 0)
			err = fmt_load_stat(c, b, keys[i].metric, v, 1e-3);
		if (err < 0)
			return err;
	}
	return 0;
}

static int k6_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root, *metrics, *m;
	struct result_bench *b;
	struct fmt_ctx c;
	double count, rate, passes, fails;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	fmt_ctx_init(&c, in->source, "$");
	metrics = pg_json_get(root, "metrics");
	if ((err = k6_metric(&c, metrics, "http_reqs", &m)) != 0)
		return err < 0 ? err
		               : fmt_error(&c, "no 'http_reqs' metric (did "
		                               "the script make HTTP "
		                               "requests?)");
	if ((err = fmt_get_number(&c, m, "count", &count)) != 0 ||
	    (err = fmt_get_number(&c, m, "rate", &rate)) != 0)
		return err < 0 ? err
		               : fmt_error(&c, "needs 'count' and 'rate'");
	fmt_ctx_init(&c, in->source, "$");
	if ((err = fmt_bench_new(&c, run, "k6", &b)) < 0)
		return err;
	if ((err = fmt_load_stat(&c, b, "throughput", rate, 1)) < 0)
		return err;
	if ((err = k6_metric(&c, metrics, "http_req_duration", &m)) < 0 ||
	    (err == 0 && (err = k6_duration(&c, b, m)) < 0))
		return err;
	fmt_ctx_init(&c, in->source, "$");
	if ((err = k6_metric(&c, metrics, "http_req_failed", &m)) < 0)
		return err;
	if (err > 0) {
		if (!fmt_is_count(count))
			return fmt_error(&c, "'count' must be a whole number");
		result_metric_get(b, "requests", "count",
		                  RESULT_HIGHER_IS_BETTER)
		        ->aggregate = 1;
		result_metric_push(result_metric_find(b, "requests"), count);
		return fmt_load_order(b, 0);
	}
	if ((err = fmt_get_number(&c, m, "passes", &passes)) != 0 ||
	    (err = fmt_get_number(&c, m, "fails", &fails)) != 0)
		return err < 0 ? err
		               : fmt_error(&c, "needs 'passes' (failed "
		                               "requests) and 'fails'");
	return fmt_load_order(b,
	                      fmt_load_counts(&c, b, passes + fails, passes));
}

const struct fmt_ops fmt_k6 = {"k6", 1, k6_detect, k6_parse};
