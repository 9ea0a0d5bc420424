/*
 * The fast reader of results documents; see model/result_fast.h.
 *
 * Every function returns 0 when it read what it expected, or DECLINE.  A
 * decline is not an error: result_doc_parse() then reads the text with
 * cJSON, so each check here only has to be at least as strict as cJSON and
 * model/result_json.c, never to explain anything; util/jscan.h says what
 * the scanner declines.
 */
#include "model/result_fast.h"
#include "util/buf.h"
#include "util/cancel.h"
#include "util/jscan.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DECLINE PG_JSCAN_DECLINE

struct reader {
	struct pg_jscan js;
	double *samples; /* scratch for one metric's samples */
	size_t nsamples, samples_alloc;
};

/* `true` is 1; any other value is 0 (cJSON_IsTrue). */
static int flag(struct reader *r, int *out)
{
	*out = pg_jscan_peek(&r->js) == 't';
	return pg_jscan_skip_value(&r->js);
}

/* An optional string: a string or null; absent leaves *out NULL. */
static int opt_string(struct reader *r, char **out)
{
	if (pg_jscan_peek(&r->js) == 'n')
		return pg_jscan_literal(&r->js, "null", 4);
	if (pg_jscan_string(&r->js, &r->js.val))
		return DECLINE;
	*out = pg_strndup(r->js.val.s, r->js.val.len);
	return 0;
}

static int samples(struct reader *r, struct result_metric *m)
{
	int first = 1, k;
	double v;

	if (pg_jscan_expect(&r->js, '['))
		return DECLINE;
	r->nsamples = 0;
	while ((k = pg_jscan_next_element(&r->js, &first)) == 0) {
		if (!pg_jscan_is_number_start(pg_jscan_peek(&r->js)) ||
		    pg_jscan_number(&r->js, &v) || !isfinite(v))
			return DECLINE;
		r->samples = pg_grow_array(r->samples, sizeof(double),
		                           r->nsamples + 1, &r->samples_alloc);
		r->samples[r->nsamples++] = v;
	}
	if (k > 0)
		return DECLINE;
	m->n = m->alloc = r->nsamples;
	m->samples = pg_malloc(r->nsamples * sizeof(double));
	if (r->nsamples)
		memcpy(m->samples, r->samples, r->nsamples * sizeof(double));
	return 0;
}

/*
 * The "summary" of a metric gc summarised: exactly n, mean, sd and mad,
 * finite, n a positive integer.  Anything else declines: the tree reader
 * says what is wrong.
 */
static int summary(struct reader *r, struct result_metric *m)
{
	static const char *const keys[] = {"n", "mean", "sd", "mad", NULL};
	double *slots[] = {NULL, &m->summary.mean, &m->summary.sd,
	                   &m->summary.mad};
	unsigned seen = 0;
	int first = 1, k, dup, i;
	double v;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		i = pg_jscan_known_key(&r->js, keys, &seen, &dup);
		if (i < 0 || dup ||
		    !pg_jscan_is_number_start(pg_jscan_peek(&r->js)) ||
		    pg_jscan_number(&r->js, &v) || !isfinite(v))
			return DECLINE;
		if (i > 0)
			*slots[i] = v;
		else if (v < 1 || v > RESULT_SUMMARY_MAX_N ||
		         v != (double)(size_t)v)
			return DECLINE;
		else
			m->summary.n = (size_t)v;
	}
	return k > 0 || seen != 15 ? DECLINE : 0;
}

static int metric(struct reader *r, struct result_metric *m)
{
	static const char *const keys[] = {"unit",      "direction", "samples",
	                                   "aggregate", "summary",   NULL};
	unsigned seen = 0;
	int first = 1, k, dup;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		switch (pg_jscan_known_key(&r->js, keys, &seen, &dup)) {
		case 0:
			if (dup || pg_jscan_peek(&r->js) != '"' ||
			    pg_jscan_string(&r->js, &r->js.val))
				return DECLINE;
			m->unit = pg_strndup(r->js.val.s, r->js.val.len);
			break;
		case 1:
			if (dup || pg_jscan_peek(&r->js) != '"' ||
			    pg_jscan_string(&r->js, &r->js.val))
				return DECLINE;
			if (!strcmp(r->js.val.s, "higher"))
				m->direction = RESULT_HIGHER_IS_BETTER;
			else if (strcmp(r->js.val.s, "lower"))
				return DECLINE;
			break;
		case 2:
			if (dup || samples(r, m))
				return DECLINE;
			break;
		case 3:
			if (dup || flag(r, &m->aggregate))
				return DECLINE;
			break;
		case 4:
			if (dup || summary(r, m))
				return DECLINE;
			break;
		default:
			if (pg_jscan_skip_value(&r->js))
				return DECLINE;
		}
	}
	/* unit and samples are required; a summary needs its points */
	if (m->summary.n && m->n != RESULT_SUMMARY_POINTS)
		return DECLINE;
	return k > 0 || (seen & 5) != 5 ? DECLINE : 0;
}

static int metrics(struct reader *r, struct result_bench *b)
{
	int first = 1, k;
	size_t i;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		struct result_metric *m;

		for (i = 0; i < b->nmetrics; i++)
			if (!strcmp(b->metrics[i].name, r->js.key.s))
				return DECLINE; /* duplicate metric */
		b->metrics =
		        pg_grow_array_small(b->metrics, sizeof(*b->metrics),
		                            b->nmetrics + 1, &b->metrics_alloc);
		m = &b->metrics[b->nmetrics++];
		memset(m, 0, sizeof(*m));
		m->name = pg_strndup(r->js.key.s, r->js.key.len);
		if (metric(r, m))
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int params(struct reader *r, struct result_bench *b)
{
	int first = 1, k;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		if (pg_jscan_peek(&r->js) != '"' ||
		    pg_jscan_string(&r->js, &r->js.val))
			return DECLINE;
		result_bench_set_param(b, r->js.key.s, r->js.val.s);
	}
	return k > 0 ? DECLINE : 0;
}

/* Fields of one benchmark; the caller checks name and uniqueness. */
static int bench(struct reader *r, struct result_bench *b, unsigned *seen)
{
	static const char *const keys[] = {"name", "error", "params", "metrics",
	                                   NULL};
	int first = 1, k, dup;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		switch (pg_jscan_known_key(&r->js, keys, seen, &dup)) {
		case 0:
			if (dup || pg_jscan_peek(&r->js) != '"' ||
			    pg_jscan_string(&r->js, &r->js.val))
				return DECLINE;
			b->name = pg_strndup(r->js.val.s, r->js.val.len);
			break;
		case 1:
			if (dup || opt_string(r, &b->error))
				return DECLINE;
			break;
		case 2:
			if (dup || params(r, b))
				return DECLINE;
			break;
		case 3:
			if (dup || metrics(r, b))
				return DECLINE;
			break;
		default:
			if (pg_jscan_skip_value(&r->js))
				return DECLINE;
		}
	}
	return k > 0 ? DECLINE : 0;
}

static int benchmarks(struct reader *r, struct result_run *run)
{
	int first = 1, k;

	if (pg_jscan_expect(&r->js, '['))
		return DECLINE;
	while ((k = pg_jscan_next_element(&r->js, &first)) == 0) {
		struct result_bench *b;
		unsigned seen = 0;

		run->benches =
		        pg_grow_array(run->benches, sizeof(*run->benches),
		                      run->nbenches + 1, &run->benches_alloc);
		b = &run->benches[run->nbenches++];
		memset(b, 0, sizeof(*b));
		if (bench(r, b, &seen))
			return DECLINE;
		/* name and metrics are required, names are unique */
		if (!b->name || !*b->name || !(seen & 8))
			return DECLINE;
		if (result_bench_find(run, b->name) != b)
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int loadavg(struct reader *r, double load[3])
{
	int first = 1, k, i = 0;

	if (pg_jscan_peek(&r->js) != '[')
		return pg_jscan_skip_value(
		        &r->js); /* ignored unless an array */
	r->js.p++;
	while ((k = pg_jscan_next_element(&r->js, &first)) == 0) {
		if (i < 3 && pg_jscan_is_number_start(pg_jscan_peek(&r->js))) {
			if (pg_jscan_number(&r->js, &load[i]))
				return DECLINE;
		} else if (pg_jscan_skip_value(&r->js)) {
			return DECLINE;
		}
		i++;
	}
	return k > 0 ? DECLINE : 0;
}

static int environment(struct reader *r, struct result_env *e)
{
	static const char *const keys[] = {"hostname", "cpu_model", "kernel",
	                                   "cores",    "loadavg",   NULL};
	unsigned seen = 0;
	int first = 1, k, dup, i;
	double v;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		i = pg_jscan_known_key(&r->js, keys, &seen, &dup);
		if (dup)
			return DECLINE;
		if (i == 0 || i == 1 || i == 2) {
			char **f[] = {&e->hostname, &e->cpu_model, &e->kernel};

			if (opt_string(r, f[i]))
				return DECLINE;
		} else if (i == 3 &&
		           pg_jscan_is_number_start(pg_jscan_peek(&r->js))) {
			/* a long converts only in range: leave others */
			if (pg_jscan_number(&r->js, &v) || !(fabs(v) < 9e18))
				return DECLINE;
			e->cores = (long)v;
		} else if (i == 4) {
			if (loadavg(r, e->loadavg))
				return DECLINE;
		} else if (pg_jscan_skip_value(&r->js)) {
			return DECLINE;
		}
	}
	return k > 0 ? DECLINE : 0;
}

static int run(struct reader *r, struct result_run *run)
{
	static const char *const keys[] = {
	        "id",          "timestamp", "label",      "perfgate_version",
	        "config_hash", "commit",    "source",     "mode",
	        "session",     "side",      "dirty",      "environment",
	        "benchmarks",  "shard",     "summarised", NULL};
	char **strings[] = {&run->id,      &run->timestamp,   &run->label,
	                    &run->version, &run->config_hash, &run->commit,
	                    &run->source,  &run->mode,        &run->session,
	                    &run->side};
	unsigned seen = 0;
	int first = 1, k, dup, i;

	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		i = pg_jscan_known_key(&r->js, keys, &seen, &dup);
		if (dup)
			return DECLINE;
		if (i >= 0 && i < 10) {
			if (opt_string(r, strings[i]))
				return DECLINE;
		} else if (i == 10) {
			if (flag(r, &run->dirty))
				return DECLINE;
		} else if (i == 11) {
			if (environment(r, &run->env))
				return DECLINE;
		} else if (i == 12) {
			if (benchmarks(r, run))
				return DECLINE;
		} else if (i == 13) {
			/* the shard object: model/result_json.c reads it */
			return DECLINE;
		} else if (i == 14) {
			if (flag(r, &run->summarised))
				return DECLINE;
		} else if (pg_jscan_skip_value(&r->js)) {
			return DECLINE;
		}
	}
	return k > 0 || !(seen & (1u << 12)) ? DECLINE : 0;
}

static int runs(struct reader *r, struct result_run **out, size_t *n)
{
	size_t alloc = 0;
	int first = 1, k;

	if (pg_jscan_expect(&r->js, '['))
		return DECLINE;
	while ((k = pg_jscan_next_element(&r->js, &first)) == 0) {
		*out = pg_grow_array(*out, sizeof(**out), *n + 1, &alloc);
		result_run_init(&(*out)[(*n)++]);
		if (run(r, &(*out)[*n - 1]))
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int document(struct reader *r, struct result_run **out, size_t *n)
{
	static const char *const keys[] = {"schema", "runs", NULL};
	unsigned seen = 0;
	int first = 1, k, dup;
	double schema;

	pg_jscan_ws(&r->js);
	if (pg_jscan_expect(&r->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&r->js, &first)) == 0) {
		switch (pg_jscan_known_key(&r->js, keys, &seen, &dup)) {
		case 0:
			if (dup ||
			    !pg_jscan_is_number_start(pg_jscan_peek(&r->js)) ||
			    pg_jscan_number(&r->js, &schema) ||
			    schema != RESULT_SCHEMA)
				return DECLINE;
			break;
		case 1:
			if (dup || runs(r, out, n))
				return DECLINE;
			break;
		default:
			if (pg_jscan_skip_value(&r->js))
				return DECLINE;
		}
	}
	if (k > 0 || seen != 3)
		return DECLINE;
	pg_jscan_ws(&r->js);
	return r->js.p == r->js.end ? 0 : DECLINE;
}

int result_doc_parse_fast(struct result_run **out, size_t *nout,
                          const char *text, size_t len)
{
	struct reader r;
	struct result_run *runs = NULL;
	size_t n = 0;
	int err;

	memset(&r, 0, sizeof(r));
	pg_jscan_init(&r.js, text, len);
	err = document(&r, &runs, &n);
	pg_jscan_release(&r.js);
	free(r.samples);
	if (err) {
		result_runs_free(runs, n);
		runs = NULL;
		n = 0;
	} else if (!runs) {
		/* callers may index runs[0] of an empty array, as before */
		runs = pg_calloc(1, sizeof(*runs));
	}
	*out = runs;
	*nout = n;
	if (r.js.cancelled)
		return pg_cancel_check();
	return err ? DECLINE : 0;
}

int result_bench_parse_fast(struct result_bench *b, const char *text,
                            size_t len)
{
	struct reader r;
	unsigned seen = 0;
	int err;

	memset(&r, 0, sizeof(r));
	memset(b, 0, sizeof(*b));
	pg_jscan_init(&r.js, text, len);
	err = bench(&r, b, &seen);
	/* as benchmarks() requires: a name and metrics */
	if (!err && (!b->name || !*b->name || !(seen & 8)))
		err = DECLINE;
	if (!err && (pg_jscan_ws(&r.js), r.js.p != r.js.end))
		err = DECLINE;
	pg_jscan_release(&r.js);
	free(r.samples);
	result_bench_release(b);
	if (r.js.cancelled)
		return pg_cancel_check();
	return err ? DECLINE : 0;
}
