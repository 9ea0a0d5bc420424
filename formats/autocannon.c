/*
 * autocannon --json: one object per run with "latency" (ms: average, max,
 * p50, p90, p97_5, p99, ...; no p95), "requests" (per-second samples:
 * average, total), "errors" (connection errors and timeouts), "non2xx" and
 * the per-class counts "2xx" ... "5xx".  One benchmark named by "title"
 * (--title), else "autocannon".  Completed responses are in
 * requests.total; each connection error counts as one more failed
 * request, as does a 4xx or 5xx response (non2xx when the classes are
 * absent).
 */
#include "formats/internal.h"
#include "util/json.h"

#include <string.h>

static int ac_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);
	const cJSON *lat = pg_json_get(root, "latency");
	const cJSON *req = pg_json_get(root, "requests");

	return cJSON_IsObject(root) && cJSON_IsObject(lat) &&
	       cJSON_IsObject(req) && pg_json_get(lat, "p97_5") &&
	       pg_json_get(req, "total");
}

static int need(struct fmt_ctx *c, const cJSON *obj, const char *key,
                double *out)
{
	int err = fmt_get_number(c, obj, key, out);

	return err > 0 ? fmt_error(c, "missing '%s'", key) : err;
}

static int ac_latency(struct fmt_ctx *c, struct result_bench *b,
                      const cJSON *lat)
{
	static const struct {
		const char *key, *metric;
	} keys[] = {{"p50", "latency_p50"},
	            {"p90", "latency_p90"},
	            {"p99", "latency_p99"},
	            {"max", "latency_max"},
	            {"mean", "latency_mean"}};
	size_t i, plen = fmt_path_push(c, ".latency");
	double v;
	int err;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if ((err = need(c, lat, keys[i].key, &v)) < 0 ||
		    (err = fmt_load_stat(c, b, keys[i].metric, v, 1e-3)) < 0)
			return err;
	fmt_path_pop(c, plen);
	return 0;
}

static int ac_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root, *req;
	const char *title = NULL;
	struct result_bench *b;
	struct fmt_ctx c;
	double total, rps, errors, non2xx, c4 = 0, c5 = 0, v;
	int err, classes;
	size_t plen;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	fmt_ctx_init(&c, in->source, "$");
	req = pg_json_get(root, "requests");
	plen = fmt_path_push(&c, ".requests");
	if ((err = need(&c, req, "total", &total)) < 0 ||
	    (err = need(&c, req, "average", &rps)) < 0)
		return err;
	fmt_path_pop(&c, plen);
	if ((err = need(&c, root, "errors", &errors)) < 0 ||
	    (err = need(&c, root, "non2xx", &non2xx)) < 0)
		return err;
	classes = fmt_get_number(&c, root, "4xx", &c4) == 0 &&
	          fmt_get_number(&c, root, "5xx", &c5) == 0;
	if ((err = fmt_get_string(&c, root, "title", &title)) < 0 ||
	    (err = fmt_bench_new(&c, run, title ? title : "autocannon", &b)) <
	            0)
		return err;
	if (fmt_get_number(&c, root, "connections", &v) == 0)
		fmt_param_json(b, "connections",
		               pg_json_get(root, "connections"));
	if (fmt_get_number(&c, root, "pipelining", &v) == 0)
		fmt_param_json(b, "pipelining",
		               pg_json_get(root, "pipelining"));
	if (total > 0 &&
	    (err = ac_latency(&c, b, pg_json_get(root, "latency"))) < 0)
		return err;
	if ((err = fmt_load_stat(&c, b, "throughput", rps, 1)) < 0)
		return err;
	return fmt_load_order(
	        b, fmt_load_counts(&c, b, total + errors,
	                           (classes ? c4 + c5 : non2xx) + errors));
}

const struct fmt_ops fmt_autocannon = {"autocannon", 1, ac_detect, ac_parse};
