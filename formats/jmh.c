/*
 * JMH JSON (-rf json): an array of results.  Each is one benchmark named
 * "benchmark" plus "/key=value" for each of its "params" (which also
 * become parameters).  primaryMetric.rawData ([fork][iteration]) gives
 * the samples, in scoreUnit: a time per operation (s/op, ms/op, us/op,
 * ns/op: seconds, lower is better) or a throughput (ops/s, ops/ms, ...:
 * items/s, higher is better).  Without rawData the score is one aggregate
 * sample.  The metric is named after the mode: "throughput" (thrpt),
 * "avg_time" (avgt), "sample_time" (sample), "single_shot_time" (ss), so
 * one benchmark run in several modes keeps each.  secondaryMetrics with a
 * known unit are kept too (the leading "\u00b7" of profiler metrics is
 * dropped, and ".<mode>" is appended when another mode of the same
 * benchmark already has the name); JMH's gc profiler "MB/sec" (MiB per second)
 * is an allocation rate, lower is better.  No JMH is packaged in Debian: the
 * fixture is written after the JSON that JMH 1.37 writes.
 */
#include "formats/internal.h"
#include "util/buf.h"
#include "util/json.h"

#include <string.h>

static int jmh_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);
	const cJSON *first = cJSON_GetArrayItem(root, 0);

	return cJSON_IsArray(root) && cJSON_IsObject(first) &&
	       pg_json_get(first, "benchmark") &&
	       pg_json_get(first, "primaryMetric");
}

static const char *mode_metric(const char *mode)
{
	if (!strcmp(mode, "thrpt"))
		return "throughput";
	if (!strcmp(mode, "avgt"))
		return "avg_time";
	if (!strcmp(mode, "sample"))
		return "sample_time";
	if (!strcmp(mode, "ss"))
		return "single_shot_time";
	return NULL;
}

/* The unit of a JMH metric, or NULL with an error. */
static int jmh_unit(struct fmt_ctx *c, const cJSON *jm, int secondary,
                    struct fmt_unit *out)
{
	static const struct fmt_unit mib_rate = {"MB/sec", "B/s", 1048576.0,
	                                         RESULT_LOWER_IS_BETTER};
	static const struct fmt_unit counts = {"counts", "count", 1,
	                                       RESULT_LOWER_IS_BETTER};
	const struct fmt_unit *u;
	const char *unit;
	int err;

	if ((err = fmt_get_string(c, jm, "scoreUnit", &unit)) < 0)
		return err;
	if (err > 0)
		return fmt_error(c, "missing 'scoreUnit'");
	if (secondary && !strcmp(unit, "MB/sec"))
		u = &mib_rate;
	else if (secondary && !strcmp(unit, "counts"))
		u = &counts;
	else
		u = fmt_unit_find(unit);
	if (!u ||
	    (!secondary && strcmp(u->unit, "s") && strcmp(u->unit, "items/s")))
		return fmt_error(c, "unknown scoreUnit '%s'", unit);
	*out = *u;
	return 0;
}

static int add_raw(struct fmt_ctx *c, struct result_metric *m, const cJSON *raw,
                   double scale)
{
	const cJSON *fork, *v;
	size_t i = 0, j;
	int err;

	if (!cJSON_IsArray(raw))
		return fmt_error(c, "must be an array of arrays");
	cJSON_ArrayForEach(fork, raw)
	{
		size_t plen = fmt_path_push(c, "[%zu]", i++);

		if (!cJSON_IsArray(fork))
			return fmt_error(c, "must be an array of numbers");
		j = 0;
		cJSON_ArrayForEach(v, fork)
		{
			size_t ilen = fmt_path_push(c, "[%zu]", j++);

			if (!cJSON_IsNumber(v))
				return fmt_error(c, "must be a number");
			if ((err = fmt_push(c, m, v->valuedouble, scale)) < 0)
				return err;
			fmt_path_pop(c, ilen);
		}
		fmt_path_pop(c, plen);
	}
	return 0;
}

static int add_metric(struct fmt_ctx *c, struct result_bench *b,
                      const cJSON *jm, const char *name, int secondary)
{
	const cJSON *raw = pg_json_get(jm, "rawData");
	struct result_metric *m;
	struct fmt_unit u = {"", "", 1, RESULT_LOWER_IS_BETTER};
	double score;
	int err;

	if (!cJSON_IsObject(jm))
		return fmt_error(c, "must be an object");
	if ((err = jmh_unit(c, jm, secondary, &u)) < 0)
		return err;
	if (result_metric_find(b, name))
		return fmt_error(c, "metric '%s' appears twice", name);
	m = result_metric_get(b, name, u.unit, u.direction);
	if (raw && cJSON_GetArraySize(raw) > 0) {
		size_t plen = fmt_path_push(c, ".rawData");

		if ((err = add_raw(c, m, raw, u.scale)) < 0)
			return err;
		fmt_path_pop(c, plen);
		return 0;
	}
	if ((err = fmt_get_number(c, jm, "score", &score)) < 0)
		return err;
	if (err > 0)
		return fmt_error(c, "neither 'rawData' nor 'score'");
	m->aggregate = 1;
	return fmt_push(c, m, score, u.scale);
}

static int add_secondary(struct fmt_ctx *c, struct result_bench *b,
                         const cJSON *sec, const char *mode)
{
	struct pg_buf alt = PG_BUF_INIT;
	const cJSON *it;
	int err = 0;

	if (!sec)
		return 0;
	if (!cJSON_IsObject(sec))
		return fmt_error(c, "'secondaryMetrics' must be an object");
	cJSON_ArrayForEach(it, sec)
	{
		const char *name = it->string;
		size_t plen = fmt_path_push(c, ".secondaryMetrics.%s", name);

		if (!strncmp(name, "\xc2\xb7", 2))
			name += 2;
		/* the same profiler metric of another mode */
		if (result_metric_find(b, name)) {
			pg_buf_reset(&alt);
			pg_buf_addf(&alt, "%s.%s", name, mode);
			name = alt.s;
		}
		if ((err = add_metric(c, b, it, name, 1)) < 0)
			break;
		fmt_path_pop(c, plen);
	}
	pg_buf_release(&alt);
	return err;
}

/* The benchmark of result jr: found (another mode) or created. */
static int get_bench(struct fmt_ctx *c, struct result_run *run, const cJSON *jr,
                     struct result_bench **out)
{
	struct pg_buf name = PG_BUF_INIT;
	const cJSON *params, *it;
	const char *bench;
	double threads;
	int err;

	if ((err = fmt_get_string(c, jr, "benchmark", &bench)) != 0)
		return err < 0 ? err : fmt_error(c, "missing 'benchmark'");
	if (!*bench)
		return fmt_error(c, "empty benchmark name");
	params = pg_json_get(jr, "params");
	if (params && !cJSON_IsObject(params))
		return fmt_error(c, "'params' must be an object");
	pg_buf_addstr(&name, bench);
	cJSON_ArrayForEach(it, params)
	{
		if (!cJSON_IsString(it)) {
			pg_buf_release(&name);
			return fmt_error(c, "'params' values must be strings");
		}
		pg_buf_addf(&name, "/%s=%s", it->string, it->valuestring);
	}
	*out = result_bench_find(run, name.s);
	if (!*out) {
		*out = result_bench_add(run, name.s);
		cJSON_ArrayForEach(it, params)
		{
			result_bench_set_param(*out, it->string,
			                       it->valuestring);
		}
		if (fmt_get_number(c, jr, "threads", &threads) == 0 &&
		    threads != 1)
			fmt_param_json(*out, "threads",
			               pg_json_get(jr, "threads"));
	}
	pg_buf_release(&name);
	return 0;
}

static int add_result(struct fmt_ctx *c, struct result_run *run,
                      const cJSON *jr)
{
	const char *mode, *metric;
	struct result_bench *b = NULL;
	size_t plen;
	int err;

	if (!cJSON_IsObject(jr))
		return fmt_error(c, "expected an object");
	if ((err = fmt_get_string(c, jr, "mode", &mode)) != 0)
		return err < 0 ? err : fmt_error(c, "missing 'mode'");
	metric = mode_metric(mode);
	if (!metric)
		return fmt_error(c, "unknown mode '%s'", mode);
	if ((err = get_bench(c, run, jr, &b)) < 0)
		return err;
	plen = fmt_path_push(c, ".primaryMetric");
	if ((err = add_metric(c, b, pg_json_get(jr, "primaryMetric"), metric,
	                      0)) < 0)
		return err;
	fmt_path_pop(c, plen);
	return add_secondary(c, b, pg_json_get(jr, "secondaryMetrics"), mode);
}

static int jmh_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root, *jr;
	struct fmt_ctx c;
	size_t i = 0;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	fmt_ctx_init(&c, in->source, "$");
	if (!cJSON_IsArray(root))
		return fmt_error(&c, "expected an array of results");
	cJSON_ArrayForEach(jr, root)
	{
		size_t plen = fmt_path_push(&c, "[%zu]", i++);

		if ((err = add_result(&c, run, jr)) < 0)
			return err;
		fmt_path_pop(&c, plen);
	}
	return 0;
}

const struct fmt_ops fmt_jmh = {"jmh", 1, jmh_detect, jmh_parse};
