/* JSON form of the results model; see docs/results-format.md. */
#include "model/result.h"
#include "model/result_fast.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_key(struct pg_buf *b, const char *key, int *first)
{
	if (!*first)
		pg_buf_addch(b, ',');
	*first = 0;
	pg_json_add_string(b, key);
	pg_buf_addch(b, ':');
}

static void add_str_member(struct pg_buf *b, const char *key, const char *v,
                           int *first)
{
	if (!v)
		return;
	add_key(b, key, first);
	pg_json_add_string(b, v);
}

static void metric_to_json(const struct result_metric *m, struct pg_buf *b)
{
	size_t i;

	pg_buf_addstr(b, "{\"unit\":");
	pg_json_add_string(b, m->unit);
	pg_buf_addf(b, ",\"direction\":\"%s\"",
	            result_direction_name(m->direction));
	if (m->aggregate)
		pg_buf_addstr(b, ",\"aggregate\":true");
	pg_buf_addstr(b, ",\"samples\":[");
	for (i = 0; i < m->n; i++) {
		if (i)
			pg_buf_addch(b, ',');
		pg_json_add_number(b, m->samples[i]);
	}
	pg_buf_addch(b, ']');
	if (m->summary.n) {
		pg_buf_addf(b,
		            ",\"summary\":{\"n\":%zu,\"mean\":", m->summary.n);
		pg_json_add_number(b, m->summary.mean);
		pg_buf_addstr(b, ",\"sd\":");
		pg_json_add_number(b, m->summary.sd);
		pg_buf_addstr(b, ",\"mad\":");
		pg_json_add_number(b, m->summary.mad);
		pg_buf_addch(b, '}');
	}
	pg_buf_addch(b, '}');
}

void result_bench_to_json(const struct result_bench *bn, struct pg_buf *b)
{
	int first = 1;
	size_t i;

	pg_buf_addch(b, '{');
	add_str_member(b, "name", bn->name, &first);
	if (bn->nparams) {
		add_key(b, "params", &first);
		pg_buf_addch(b, '{');
		for (i = 0; i < bn->nparams; i++) {
			if (i)
				pg_buf_addch(b, ',');
			pg_json_add_string(b, bn->params[i].key);
			pg_buf_addch(b, ':');
			pg_json_add_string(b, bn->params[i].value);
		}
		pg_buf_addch(b, '}');
	}
	add_str_member(b, "error", bn->error, &first);
	add_key(b, "metrics", &first);
	pg_buf_addch(b, '{');
	for (i = 0; i < bn->nmetrics; i++) {
		if (i)
			pg_buf_addch(b, ',');
		pg_json_add_string(b, bn->metrics[i].name);
		pg_buf_addch(b, ':');
		metric_to_json(&bn->metrics[i], b);
	}
	pg_buf_addstr(b, "}}");
}

void result_run_head_to_json(const struct result_run *run, struct pg_buf *b)
{
	const struct result_env *e = &run->env;
	int first = 1;
	size_t i;

	pg_buf_addch(b, '{');
	add_str_member(b, "id", run->id, &first);
	add_str_member(b, "timestamp", run->timestamp, &first);
	add_str_member(b, "label", run->label, &first);
	add_str_member(b, "perfgate_version", run->version, &first);
	add_str_member(b, "config_hash", run->config_hash, &first);
	add_str_member(b, "commit", run->commit, &first);
	add_key(b, "dirty", &first);
	pg_buf_addstr(b, run->dirty ? "true" : "false");
	add_str_member(b, "source", run->source, &first);
	add_str_member(b, "mode", run->mode, &first);
	add_str_member(b, "session", run->session, &first);
	add_str_member(b, "side", run->side, &first);
	if (run->summarised) {
		add_key(b, "summarised", &first);
		pg_buf_addstr(b, "true");
	}
	if (run->shard_count) {
		add_key(b, "shard", &first);
		pg_buf_addf(b, "{\"index\":%u,\"count\":%u}", run->shard_index,
		            run->shard_count);
	}
	add_key(b, "environment", &first);
	first = 1;
	pg_buf_addch(b, '{');
	add_str_member(b, "hostname", e->hostname, &first);
	add_str_member(b, "cpu_model", e->cpu_model, &first);
	add_str_member(b, "kernel", e->kernel, &first);
	add_key(b, "cores", &first);
	pg_buf_addf(b, "%ld", e->cores);
	add_key(b, "loadavg", &first);
	pg_buf_addch(b, '[');
	for (i = 0; i < 3; i++) {
		if (i)
			pg_buf_addch(b, ',');
		pg_json_add_number(b, e->loadavg[i]);
	}
	pg_buf_addstr(b, "]},\"benchmarks\":[");
}

void result_run_to_json(const struct result_run *run, struct pg_buf *b)
{
	size_t i;

	result_run_head_to_json(run, b);
	for (i = 0; i < run->nbenches; i++) {
		if (i)
			pg_buf_addstr(b, RESULT_BENCH_SEPARATOR);
		result_bench_to_json(&run->benches[i], b);
	}
	pg_buf_addstr(b, RESULT_RUN_TAIL);
}

void result_doc_to_json(const struct result_run *runs, size_t n,
                        struct pg_buf *b)
{
	size_t i;

	pg_buf_addf(b, RESULT_DOC_HEAD_FMT, RESULT_SCHEMA);
	for (i = 0; i < n; i++) {
		if (i)
			pg_buf_addstr(b, ",\n");
		result_run_to_json(&runs[i], b);
	}
	pg_buf_addstr(b, RESULT_DOC_TAIL);
}

/* ---- parsing ---- */

struct parse_ctx {
	const char *what;
	char path[256];
};

static int bad(const struct parse_ctx *c, const char *msg)
{
	return pg_error_input("'%s': %s: %s", c->what, c->path, msg);
}

/* Optional string member: absent or null leaves *out NULL. */
static int opt_string(struct parse_ctx *c, const cJSON *obj, const char *key,
                      char **out)
{
	const cJSON *v = pg_json_get(obj, key);
	size_t plen = strlen(c->path);
	int err = 0;

	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		snprintf(c->path + plen, sizeof(c->path) - plen, ".%s", key);
		err = bad(c, "expected a string");
		c->path[plen] = '\0';
		return err;
	}
	free(*out);
	*out = pg_strdup(v->valuestring);
	return 0;
}

/* A finite number member key of obj into *out; 1 when absent or bad. */
static int summary_number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return 1;
	*out = v->valuedouble;
	return 0;
}

/* The "summary" of a metric gc summarised (model/result.h), if any. */
static int parse_summary(struct parse_ctx *c, const cJSON *js,
                         struct result_metric *m)
{
	double n;

	if (!js)
		return 0;
	if (!cJSON_IsObject(js) || summary_number(js, "n", &n) || n < 1 ||
	    n > RESULT_SUMMARY_MAX_N || n != (double)(size_t)n ||
	    summary_number(js, "mean", &m->summary.mean) ||
	    summary_number(js, "sd", &m->summary.sd) ||
	    summary_number(js, "mad", &m->summary.mad) ||
	    m->n != RESULT_SUMMARY_POINTS)
		return bad(c, "'summary' must be {\"n\":N,\"mean\":X,\"sd\":X,"
		              "\"mad\":X} beside the quantile samples");
	m->summary.n = (size_t)n;
	return 0;
}

static int parse_metric(struct parse_ctx *c, const cJSON *jm,
                        struct result_bench *b)
{
	const cJSON *unit = pg_json_get(jm, "unit");
	const cJSON *dir = pg_json_get(jm, "direction");
	const cJSON *samples = pg_json_get(jm, "samples");
	const cJSON *agg = pg_json_get(jm, "aggregate");
	enum result_direction d = RESULT_LOWER_IS_BETTER;
	struct result_metric *m;
	const cJSON *s;

	if (!cJSON_IsObject(jm))
		return bad(c, "expected an object");
	if (!cJSON_IsString(unit))
		return bad(c, "'unit' must be a string");
	if (dir) {
		if (!cJSON_IsString(dir) ||
		    (strcmp(dir->valuestring, "lower") &&
		     strcmp(dir->valuestring, "higher")))
			return bad(
			        c,
			        "'direction' must be \"lower\" or \"higher\"");
		if (!strcmp(dir->valuestring, "higher"))
			d = RESULT_HIGHER_IS_BETTER;
	}
	if (!cJSON_IsArray(samples))
		return bad(c, "'samples' must be an array of numbers");
	if (result_metric_find(b, jm->string))
		return bad(c, "duplicate metric");
	m = result_metric_get(b, jm->string, unit->valuestring, d);
	m->aggregate = cJSON_IsTrue(agg);
	cJSON_ArrayForEach(s, samples)
	{
		if (!cJSON_IsNumber(s) || !isfinite(s->valuedouble))
			return bad(c, "samples must be finite numbers");
		result_metric_push(m, s->valuedouble);
	}
	return parse_summary(c, pg_json_get(jm, "summary"), m);
}

static int parse_bench(struct parse_ctx *c, const cJSON *jb,
                       struct result_run *run)
{
	const cJSON *name = pg_json_get(jb, "name");
	const cJSON *params, *metrics, *it;
	struct result_bench *b;
	size_t plen = strlen(c->path);
	int err;

	if (!cJSON_IsObject(jb))
		return bad(c, "expected an object");
	if (!cJSON_IsString(name) || !*name->valuestring)
		return bad(c, "'name' must be a non-empty string");
	if (result_bench_find(run, name->valuestring))
		return bad(c, "duplicate benchmark name");
	b = result_bench_add(run, name->valuestring);
	if ((err = opt_string(c, jb, "error", &b->error)) < 0)
		return err;
	params = pg_json_get(jb, "params");
	if (params && !cJSON_IsObject(params))
		return bad(c, "'params' must be an object");
	cJSON_ArrayForEach(it, params)
	{
		if (!cJSON_IsString(it))
			return bad(c, "'params' values must be strings");
		result_bench_set_param(b, it->string, it->valuestring);
	}
	metrics = pg_json_get(jb, "metrics");
	if (!cJSON_IsObject(metrics))
		return bad(c, "'metrics' must be an object");
	cJSON_ArrayForEach(it, metrics)
	{
		snprintf(c->path + plen, sizeof(c->path) - plen, ".metrics.%s",
		         it->string);
		if ((err = parse_metric(c, it, b)) < 0)
			return err;
		c->path[plen] = '\0';
	}
	return 0;
}

static int parse_env(struct parse_ctx *c, const cJSON *je, struct result_env *e)
{
	const cJSON *cores, *load;
	int err, i;

	if (!je)
		return 0;
	if (!cJSON_IsObject(je))
		return bad(c, "'environment' must be an object");
	if ((err = opt_string(c, je, "hostname", &e->hostname)) < 0 ||
	    (err = opt_string(c, je, "cpu_model", &e->cpu_model)) < 0 ||
	    (err = opt_string(c, je, "kernel", &e->kernel)) < 0)
		return err;
	cores = pg_json_get(je, "cores");
	/* converting a double out of long's range is undefined */
	if (cJSON_IsNumber(cores) && fabs(cores->valuedouble) < 9e18)
		e->cores = (long)cores->valuedouble;
	load = pg_json_get(je, "loadavg");
	for (i = 0; cJSON_IsArray(load) && i < 3; i++) {
		const cJSON *v = cJSON_GetArrayItem(load, i);

		if (cJSON_IsNumber(v))
			e->loadavg[i] = v->valuedouble;
	}
	return 0;
}

/* "shard": {"index": I, "count": N} with 1 <= I <= N. */
static int parse_shard(struct parse_ctx *c, const cJSON *js,
                       struct result_run *run)
{
	const cJSON *i = pg_json_get(js, "index"),
	            *n = pg_json_get(js, "count");

	if (!js)
		return 0;
	if (!cJSON_IsObject(js) || !cJSON_IsNumber(i) || !cJSON_IsNumber(n) ||
	    n->valuedouble != floor(n->valuedouble) ||
	    i->valuedouble != floor(i->valuedouble) || i->valuedouble < 1 ||
	    i->valuedouble > n->valuedouble || n->valuedouble > 1e6)
		return bad(c, "'shard' must be {\"index\": I, \"count\": N} "
		              "with 1 <= I <= N");
	run->shard_index = (unsigned)i->valuedouble;
	run->shard_count = (unsigned)n->valuedouble;
	return 0;
}

static int parse_run(struct parse_ctx *c, const cJSON *jr,
                     struct result_run *run)
{
	const cJSON *benches, *it, *dirty;
	size_t plen = strlen(c->path), i = 0;
	int err;

	if (!cJSON_IsObject(jr))
		return bad(c, "expected an object");
	if ((err = opt_string(c, jr, "id", &run->id)) < 0 ||
	    (err = opt_string(c, jr, "timestamp", &run->timestamp)) < 0 ||
	    (err = opt_string(c, jr, "label", &run->label)) < 0 ||
	    (err = opt_string(c, jr, "perfgate_version", &run->version)) < 0 ||
	    (err = opt_string(c, jr, "config_hash", &run->config_hash)) < 0 ||
	    (err = opt_string(c, jr, "commit", &run->commit)) < 0 ||
	    (err = opt_string(c, jr, "source", &run->source)) < 0 ||
	    (err = opt_string(c, jr, "mode", &run->mode)) < 0 ||
	    (err = opt_string(c, jr, "session", &run->session)) < 0 ||
	    (err = opt_string(c, jr, "side", &run->side)) < 0)
		return err;
	dirty = pg_json_get(jr, "dirty");
	run->dirty = cJSON_IsTrue(dirty);
	run->summarised = cJSON_IsTrue(pg_json_get(jr, "summarised"));
	if ((err = parse_shard(c, pg_json_get(jr, "shard"), run)) < 0)
		return err;
	if ((err = parse_env(c, pg_json_get(jr, "environment"), &run->env)) < 0)
		return err;
	benches = pg_json_get(jr, "benchmarks");
	if (!cJSON_IsArray(benches))
		return bad(c, "'benchmarks' must be an array");
	cJSON_ArrayForEach(it, benches)
	{
		snprintf(c->path + plen, sizeof(c->path) - plen,
		         ".benchmarks[%zu]", i++);
		if ((err = pg_cancel_check()) < 0 ||
		    (err = parse_bench(c, it, run)) < 0)
			return err;
		c->path[plen] = '\0';
	}
	return 0;
}

int result_doc_parse_tree(struct result_run **out, size_t *nout,
                          const char *text, size_t len, const char *what)
{
	struct parse_ctx c = {what, "$"};
	struct result_run *runs = NULL;
	const cJSON *schema, *jruns, *it;
	cJSON *root = NULL;
	size_t n = 0, i = 0;
	int err;

	*out = NULL;
	*nout = 0;
	if ((err = pg_json_parse(&root, text, len, what)) < 0)
		return err;
	if (!cJSON_IsObject(root)) {
		err = bad(&c,
		          "expected an object with \"schema\" and \"runs\"");
		goto out;
	}
	schema = pg_json_get(root, "schema");
	if (!cJSON_IsNumber(schema)) {
		err = bad(&c, "missing \"schema\" number");
		goto out;
	}
	if (schema->valuedouble != RESULT_SCHEMA) {
		err = pg_error_input("'%s': unknown schema %g (this perfgate "
		                     "reads schema %d)",
		                     what, schema->valuedouble, RESULT_SCHEMA);
		goto out;
	}
	jruns = pg_json_get(root, "runs");
	if (!cJSON_IsArray(jruns)) {
		err = bad(&c, "\"runs\" must be an array");
		goto out;
	}
	n = (size_t)cJSON_GetArraySize(jruns);
	runs = pg_calloc(n ? n : 1, sizeof(*runs));
	cJSON_ArrayForEach(it, jruns)
	{
		snprintf(c.path, sizeof(c.path), "$.runs[%zu]", i);
		if ((err = parse_run(&c, it, &runs[i++])) < 0)
			goto out;
	}
out:
	cJSON_Delete(root);
	if (err < 0) {
		result_runs_free(runs, n);
		return err;
	}
	*out = runs;
	*nout = n;
	return 0;
}

int result_doc_parse(struct result_run **out, size_t *nout, const char *text,
                     size_t len, const char *what)
{
	/*
	 * The fast reader accepts only what the tree reader accepts, with
	 * the same result; whatever it declines (bad input among it) gets
	 * the tree reader's verdict and error message.
	 */
	int err = result_doc_parse_fast(out, nout, text, len);

	if (err <= 0) /* read, or interrupted */
		return err;
	return result_doc_parse_tree(out, nout, text, len, what);
}
