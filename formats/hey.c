/*
 * hey's CSV output (hey -o csv): one row per request,
 *
 *   response-time,DNS+dialup,DNS,Request-write,Response-delay,
 *   Response-read,status-code,offset
 *
 * times in seconds (hey prints them with 4 decimals: 0.1 ms resolution),
 * offset the start of the request since the start of the run.  One
 * benchmark, "hey": the raw latencies ("latency") and the percentiles
 * computed from them, throughput = rows / the end of the last request,
 * and a request whose status is not 2xx or 3xx counts as failed.  hey
 * leaves requests that failed before a response (connection errors) out
 * of the CSV, so they are not counted (its text summary has them).  The
 * parameter "shed" counts the 429 and 503 answers (load shed on purpose,
 * for stress tests) when there are any.
 */
#include "formats/internal.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEY_HEADER                                                             \
	"response-time,DNS+dialup,DNS,Request-write,Response-delay,"           \
	"Response-read,status-code,offset"
#define HEY_FIELDS 8

static int hey_detect(struct fmt_input *in)
{
	size_t len = sizeof(HEY_HEADER) - 1;

	return in->len >= len && !memcmp(in->data, HEY_HEADER, len) &&
	       (in->len == len || in->data[len] == '\n' ||
	        in->data[len] == '\r');
}

struct hey_rows {
	double *lat;
	size_t n, alloc;
	double end, failures;
	double shed; /* 429 and 503: load shed explicitly */
};

static int hey_row(struct fmt_ctx *c, char *line, struct hey_rows *r)
{
	char *f[HEY_FIELDS + 1];
	double v[HEY_FIELDS];
	int nf = fmt_csv_split(line, f, HEY_FIELDS + 1), i;

	if (nf != HEY_FIELDS)
		return fmt_error(c, "expected %d comma-separated fields",
		                 HEY_FIELDS);
	for (i = 0; i < HEY_FIELDS; i++) {
		if (fmt_parse_double(f[i], &v[i]) < 0 || v[i] < 0)
			return fmt_error(c,
			                 "field %d: '%s' is not a "
			                 "non-negative number",
			                 i + 1, f[i]);
	}
	if (fmt_parse_count(f[6], &v[6]) < 0 || v[6] < 100 || v[6] > 999)
		return fmt_error(c, "'%s' is not an HTTP status code", f[6]);
	r->lat = pg_grow_array(r->lat, sizeof(double), r->n + 1, &r->alloc);
	r->lat[r->n++] = v[0];
	if (v[0] + v[7] > r->end)
		r->end = v[0] + v[7];
	if (v[6] < 200 || v[6] >= 400)
		r->failures++;
	if (v[6] == 429 || v[6] == 503)
		r->shed++;
	return 0;
}

static int hey_parse(struct fmt_input *in, struct result_run *run)
{
	struct pg_buf line = PG_BUF_INIT;
	struct hey_rows r = {NULL, 0, 0, 0, 0, 0};
	struct result_bench *b;
	struct fmt_ctx c;
	size_t off = 0, lineno = 0;
	int err;

	while ((err = fmt_next_line(in, &off, &line, &lineno)) > 0) {
		fmt_ctx_init(&c, in->source, "");
		fmt_path_push(&c, "line %zu", lineno);
		if (lineno == 1) {
			if (strcmp(line.s, HEY_HEADER))
				err = fmt_error(&c,
				                "expected hey's CSV header "
				                "'%s'",
				                HEY_HEADER);
		} else if (line.len) {
			err = hey_row(&c, line.s, &r);
		}
		if (err < 0)
			break;
	}
	if (err < 0)
		goto out;
	fmt_ctx_init(&c, in->source, "");
	if (r.n == 0) {
		err = fmt_error(&c, "no requests (only the header)");
		goto out;
	}
	if ((err = fmt_bench_new(&c, run, "hey", &b)) < 0)
		goto out;
	fmt_load_latencies(b, r.lat, r.n);
	if (r.end > 0 && (err = fmt_load_stat(&c, b, "throughput",
	                                      (double)r.n / r.end, 1)) < 0)
		goto out;
	if (r.shed > 0) {
		char shed[32];

		snprintf(shed, sizeof(shed), "%.0f", r.shed);
		result_bench_set_param(b, "shed", shed);
	}
	err = fmt_load_order(b,
	                     fmt_load_counts(&c, b, (double)r.n, r.failures));
out:
	free(r.lat);
	pg_buf_release(&line);
	return err;
}

const struct fmt_ops fmt_hey = {"hey", 0, hey_detect, hey_parse};
