/*
 * wrk: its text summary, or the JSON line that examples/wrk/perfgate.lua
 * prints from done() (alone, or after the text summary on stdout; the
 * JSON wins when both are there).
 *
 *   Running 2s test @ http://127.0.0.1:8080/
 *     2 threads and 8 connections
 *     Thread Stats   Avg      Stdev     Max   +/- Stdev
 *       Latency   487.72us  655.47us  12.40ms   96.32%
 *     Latency Distribution          (with --latency)
 *        50%  371.00us ...
 *     38228 requests in 2.00s, 2.56MB read
 *     Socket errors: connect 0, read 4, write 0, timeout 0
 *     Non-2xx or 3xx responses: 382
 *   Requests/sec:  19107.01
 *
 * One benchmark, "wrk".  wrk counts completed responses as requests and
 * socket errors (connect, read, write, timeout) as events on top of them:
 * perfgate counts each socket error as one more failed request, and a
 * response with status >= 400 (wrk's "Non-2xx or 3xx") as failed.  The
 * text gives latency_p50/p90/p99 (no p95) with --latency, latency_mean
 * and latency_max always; the JSON adds p95 and a grid of 1000 quantiles
 * of the per-request latencies as "latency" (wrk's Lua API has no raw
 * latencies), flagged with the parameter latency_grid.
 */
#include "formats/internal.h"
#include "util/json.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wrk_text {
	int have_requests, have_rps, have_latency;
	double requests, rps, socket_errors, status_errors;
	double mean, max;
	double pct[4]; /* 50, 75, 90, 99; negative when absent */
	char threads[32], connections[32];
};

static const char *skip_blank(const char *s)
{
	return s + strspn(s, " \t");
}

/* "371.00us", "3.35ms", "2.00s", "1.50m", "1.00h" in seconds; 0 or -1. */
static int wrk_time(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double scale;
	} units[] = {
	        {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}};
	char num[64];
	size_t i, len = strlen(s);

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t sl = strlen(units[i].suffix);

		if (len > sl && len - sl < sizeof(num) &&
		    !strcmp(s + len - sl, units[i].suffix)) {
			memcpy(num, s, len - sl);
			num[len - sl] = '\0';
			if (fmt_parse_double(num, out) < 0 || *out < 0)
				return -1;
			/* 371 / 1e6 is 0.000371, 371 * 1e-6 is not */
			if (units[i].scale < 1)
				*out /= 1 / units[i].scale;
			else
				*out *= units[i].scale;
			return 0;
		}
	}
	return -1;
}

static int text_line(struct fmt_ctx *c, const char *line, struct wrk_text *t)
{
	const char *s = skip_blank(line);
	char a[64], b[64], d[64];
	double v[4];
	int n;

	if (sscanf(s, "%31s threads and %31s connections", a, b) == 2) {
		memcpy(t->threads, a, sizeof(t->threads) - 1);
		memcpy(t->connections, b, sizeof(t->connections) - 1);
		return 0;
	}
	if (!strncmp(s, "Latency ", 8) && strstr(s, "%")) {
		if (sscanf(s + 8, "%63s %*s %63s", a, b) != 2 ||
		    wrk_time(a, &t->mean) < 0 || wrk_time(b, &t->max) < 0)
			return fmt_error(c, "cannot read the latency line");
		t->have_latency = 1;
		return 0;
	}
	if (sscanf(s, "%lf%% %63s", &v[0], a) == 2 && !strchr(s, ':')) {
		static const double at[] = {50, 75, 90, 99};
		size_t i;

		for (i = 0; i < 4; i++)
			if (v[0] == at[i])
				break;
		if (i == 4 || wrk_time(a, &t->pct[i]) < 0)
			return fmt_error(c,
			                 "cannot read the latency "
			                 "percentile '%s'",
			                 s);
		return 0;
	}
	if (strstr(s, " requests in ")) {
		if (sscanf(s, "%63s requests in", a) != 1 ||
		    fmt_parse_count(a, &t->requests) < 0)
			return fmt_error(c, "cannot read the request count");
		t->have_requests = 1;
		return 0;
	}
	if (!strncmp(s, "Socket errors:", 14)) {
		n = -1; /* %n is not set when the line stops before it */
		if (sscanf(s + 14,
		           " connect %63[0-9], read %63[0-9], write %63[0-9], "
		           "timeout %n",
		           a, b, d, &n) != 3 ||
		    n < 0 || fmt_parse_count(a, &v[0]) < 0 ||
		    fmt_parse_count(b, &v[1]) < 0 ||
		    fmt_parse_count(d, &v[2]) < 0 ||
		    fmt_parse_count(s + 14 + n, &v[3]) < 0)
			return fmt_error(c, "cannot read the socket errors");
		t->socket_errors = v[0] + v[1] + v[2] + v[3];
		return 0;
	}
	if (!strncmp(s, "Non-2xx or 3xx responses:", 25)) {
		if (fmt_parse_count(s + 25, &t->status_errors) < 0)
			return fmt_error(c, "cannot read the non-2xx count");
		return 0;
	}
	if (!strncmp(s, "Requests/sec:", 13)) {
		if (fmt_parse_double(s + 13, &t->rps) < 0 || t->rps < 0)
			return fmt_error(c, "cannot read requests/sec");
		t->have_rps = 1;
	}
	return 0;
}

static int text_finish(struct fmt_ctx *c, struct result_run *run,
                       const struct wrk_text *t)
{
	static const char *const names[] = {"latency_p50", NULL, "latency_p90",
	                                    "latency_p99"};
	struct result_bench *b;
	size_t i;
	int err;

	if (!t->have_requests || !t->have_rps)
		return fmt_error(c, "no '%s' line (is the output truncated?)",
		                 t->have_requests ? "Requests/sec:"
		                                  : "N requests in");
	if ((err = fmt_bench_new(c, run, "wrk", &b)) < 0)
		return err;
	if (t->threads[0])
		result_bench_set_param(b, "threads", t->threads);
	if (t->connections[0])
		result_bench_set_param(b, "connections", t->connections);
	if (t->requests > 0) {
		for (i = 0; i < 4; i++)
			if (names[i] && t->pct[i] >= 0 &&
			    (err = fmt_load_stat(c, b, names[i], t->pct[i],
			                         1)) < 0)
				return err;
		if (t->have_latency &&
		    ((err = fmt_load_stat(c, b, "latency_max", t->max, 1)) <
		             0 ||
		     (err = fmt_load_stat(c, b, "latency_mean", t->mean, 1)) <
		             0))
			return err;
	}
	if ((err = fmt_load_stat(c, b, "throughput", t->rps, 1)) < 0)
		return err;
	return fmt_load_order(
	        b, fmt_load_counts(c, b, t->requests + t->socket_errors,
	                           t->status_errors + t->socket_errors));
}

static int json_count(struct fmt_ctx *c, const cJSON *obj, const char *key,
                      double *out)
{
	int err = fmt_get_number(c, obj, key, out);

	if (err > 0)
		return fmt_error(c, "missing '%s'", key);
	if (err == 0 && !fmt_is_count(*out))
		return fmt_error(c, "'%s' must be a whole number", key);
	return err;
}

static int json_latency(struct fmt_ctx *c, struct result_bench *b,
                        const cJSON *lat)
{
	static const struct {
		const char *key, *metric;
	} pct[] = {{"50", "latency_p50"},
	           {"90", "latency_p90"},
	           {"95", "latency_p95"},
	           {"99", "latency_p99"}};
	const cJSON *p, *grid, *v;
	struct result_metric *m;
	double x;
	size_t i, plen = fmt_path_push(c, ".latency_us");
	char tmp[32];
	int err;

	if (!cJSON_IsObject(lat))
		return fmt_error(c, "must be an object");
	p = pg_json_get(lat, "percentiles");
	if (!cJSON_IsObject(p))
		return fmt_error(c, "'percentiles' must be an object");
	for (i = 0; i < sizeof(pct) / sizeof(pct[0]); i++) {
		if ((err = fmt_get_number(c, p, pct[i].key, &x)) < 0)
			return err;
		if (err == 0 &&
		    (err = fmt_load_stat(c, b, pct[i].metric, x, 1e-6)) < 0)
			return err;
	}
	if ((err = fmt_get_number(c, lat, "max", &x)) != 0 ||
	    (err = fmt_load_stat(c, b, "latency_max", x, 1e-6)) < 0)
		return err < 0 ? err : fmt_error(c, "missing 'max'");
	if ((err = fmt_get_number(c, lat, "mean", &x)) != 0 ||
	    (err = fmt_load_stat(c, b, "latency_mean", x, 1e-6)) < 0)
		return err < 0 ? err : fmt_error(c, "missing 'mean'");
	grid = pg_json_get(lat, "grid");
	if (grid) {
		fmt_path_push(c, ".grid");
		if (!cJSON_IsArray(grid))
			return fmt_error(c, "must be an array");
		m = result_metric_get(b, "latency", "s",
		                      RESULT_LOWER_IS_BETTER);
		i = 0;
		cJSON_ArrayForEach(v, grid)
		{
			size_t ilen = fmt_path_push(c, "[%zu]", i++);

			if (!cJSON_IsNumber(v))
				return fmt_error(c, "must be a number");
			if ((err = fmt_push(c, m, v->valuedouble, 1e-6)) < 0)
				return err;
			fmt_path_pop(c, ilen);
		}
		snprintf(tmp, sizeof(tmp), "%zu", i);
		if (i)
			result_bench_set_param(b, "latency_grid", tmp);
	}
	fmt_path_pop(c, plen);
	return 0;
}

static int json_parse(struct fmt_ctx *c, struct result_run *run,
                      const cJSON *root)
{
	static const char *const errs[] = {"connect", "read", "write",
	                                   "timeout"};
	const cJSON *errors;
	const char *s;
	struct result_bench *b;
	double requests, duration, status, e, socket = 0, version;
	size_t i, plen;
	int err;

	if (!cJSON_IsObject(root))
		return fmt_error(c, "expected an object");
	if ((err = fmt_get_number(c, root, "perfgate_wrk", &version)) != 0 ||
	    version != 1)
		return err < 0 ? err
		               : fmt_error(c,
		                           "'perfgate_wrk' must be 1 (a "
		                           "newer examples/wrk/perfgate.lua?)");
	if ((err = json_count(c, root, "requests", &requests)) < 0 ||
	    (err = json_count(c, root, "duration_us", &duration)) < 0)
		return err;
	errors = pg_json_get(root, "errors");
	plen = fmt_path_push(c, ".errors");
	if (!cJSON_IsObject(errors))
		return fmt_error(c, "must be an object");
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		if ((err = json_count(c, errors, errs[i], &e)) < 0)
			return err;
		socket += e;
	}
	if ((err = json_count(c, errors, "status", &status)) < 0)
		return err;
	fmt_path_pop(c, plen);
	if ((err = fmt_bench_new(c, run, "wrk", &b)) < 0)
		return err;
	if (fmt_get_string(c, root, "method", &s) == 0)
		result_bench_set_param(b, "method", s);
	if (fmt_get_string(c, root, "path", &s) == 0)
		result_bench_set_param(b, "path", s);
	if (requests > 0 &&
	    (err = json_latency(c, b, pg_json_get(root, "latency_us"))) < 0)
		return err;
	if (duration > 0 && (err = fmt_load_stat(c, b, "throughput",
	                                         requests / duration, 1e6)) < 0)
		return err;
	return fmt_load_order(
	        b, fmt_load_counts(c, b, requests + socket, status + socket));
}

static int wrk_parse(struct fmt_input *in, struct result_run *run)
{
	struct wrk_text t;
	struct pg_buf line = PG_BUF_INIT;
	const cJSON *root = fmt_json(in);
	struct fmt_ctx c;
	size_t off = 0, lineno = 0, i;
	int err, json = 0;

	fmt_ctx_init(&c, in->source, "$");
	if (root)
		return json_parse(&c, run, root);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 4; i++)
		t.pct[i] = -1;
	while ((err = fmt_next_line(in, &off, &line, &lineno)) > 0) {
		fmt_ctx_init(&c, in->source, "");
		fmt_path_push(&c, "line %zu", lineno);
		if (*skip_blank(line.s) == '{') {
			struct pg_buf what = PG_BUF_INIT;
			cJSON *doc = NULL;

			/* "'out.txt: line 9': invalid JSON at ..., column 7" */
			pg_buf_addf(&what, "%s: line %zu", in->source, lineno);
			err = pg_json_parse(&doc, line.s, line.len, what.s);
			pg_buf_release(&what);
			if (err < 0)
				break;
			fmt_path_push(&c, ": $");
			err = json_parse(&c, run, doc);
			cJSON_Delete(doc);
			json = 1;
			break;
		}
		if ((err = text_line(&c, line.s, &t)) < 0)
			break;
	}
	if (err == 0 && !json) {
		fmt_ctx_init(&c, in->source, "");
		err = text_finish(&c, run, &t);
	}
	pg_buf_release(&line);
	return err;
}

/* Whether the len bytes at p contain needle. */
static int has(const char *p, size_t len, const char *needle)
{
	size_t i, nl = strlen(needle);

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(p + i, needle, nl))
			return 1;
	return 0;
}

/* The Lua script's JSON, alone or on a line of its own, or wrk's text. */
static int wrk_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);
	const char *p = in->data, *end = in->data + in->len;

	if (root)
		return cJSON_IsObject(root) &&
		       pg_json_get(root, "perfgate_wrk") != NULL;
	if (fmt_looks_like_json(in->data, in->len))
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if ((len > 8 && !memcmp(p, "Running ", 8) &&
		     has(p, len, " test @ ")) ||
		    (len >= 13 && !memcmp(p, "Requests/sec:", 13)) ||
		    (len >= 15 && !memcmp(p, "{\"perfgate_wrk\"", 15)))
			return 1;
		p += len + 1;
	}
	return 0;
}

const struct fmt_ops fmt_wrk = {"wrk", 0, wrk_detect, wrk_parse};
