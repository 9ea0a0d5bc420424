/*
 * Google Benchmark JSON (--benchmark_format=json, --benchmark_out).
 *
 * Each "iteration" row is one repetition: its real_time and cpu_time (per
 * iteration, in time_unit) and its counters are one sample each.  Rows
 * with the same run_name are the repetitions of one benchmark.  Aggregate
 * rows (mean, median, stddev, cv, BigO, RMS) are skipped when the
 * repetitions are there; with --benchmark_report_aggregates_only the mean
 * (or else the median) becomes a single aggregate sample.  A row with
 * error_occurred makes the benchmark an error, never a sample.
 */
#include "formats/internal.h"
#include "util/json.h"

#include <string.h>

/* Members that are not counters. */
static const char *const known_keys[] = {
        "name",
        "family_index",
        "per_family_instance_index",
        "run_name",
        "run_type",
        "repetitions",
        "repetition_index",
        "threads",
        "iterations",
        "real_time",
        "cpu_time",
        "time_unit",
        "error_occurred",
        "error_message",
        "aggregate_name",
        "aggregate_unit",
        "label",
        "big_o",
        "rms",
        "skipped",
        "skip_message",
        NULL,
};

static int is_known(const char *key)
{
	size_t i;

	for (i = 0; known_keys[i]; i++)
		if (!strcmp(known_keys[i], key))
			return 1;
	return 0;
}

static int gb_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);

	return cJSON_IsObject(root) && pg_json_get(root, "context") &&
	       pg_json_get(root, "benchmarks");
}

static int add_counter(const struct fmt_ctx *c, struct result_bench *b,
                       const char *key, double v, int aggregate)
{
	struct result_metric *m;
	size_t klen = strlen(key);

	if (!strcmp(key, "bytes_per_second"))
		m = result_metric_get(b, key, "B/s", RESULT_HIGHER_IS_BETTER);
	else if (!strcmp(key, "items_per_second") ||
	         (klen > 11 && !strcmp(key + klen - 11, "_per_second")))
		m = result_metric_get(b, key, "items/s",
		                      RESULT_HIGHER_IS_BETTER);
	else
		m = result_metric_get(b, key, "count", RESULT_LOWER_IS_BETTER);
	m->aggregate |= aggregate;
	return fmt_push(c, m, v, 1);
}

static int add_time(const struct fmt_ctx *c, struct result_bench *b,
                    const cJSON *row, const char *key, double scale,
                    int aggregate)
{
	struct result_metric *m;
	double v;
	int err = fmt_get_number(c, row, key, &v);

	if (err > 0)
		return fmt_error(c, "missing '%s'", key);
	if (err < 0)
		return err;
	m = result_metric_get(b, key, "s", RESULT_LOWER_IS_BETTER);
	m->aggregate |= aggregate;
	return fmt_push(c, m, v, scale);
}

/* Add one row (an iteration row, or an aggregate with aggregate set). */
static int add_row(struct fmt_ctx *c, struct result_run *run, const cJSON *row,
                   const char *name, int aggregate)
{
	struct result_bench *b;
	const char *unit = "ns", *msg = NULL, *label = NULL;
	const struct fmt_unit *u;
	const cJSON *it;
	double threads;
	int err;

	if ((err = fmt_bench_get(c, run, name, &b)) < 0)
		return err;
	if (cJSON_IsTrue(pg_json_get(row, "error_occurred")) ||
	    cJSON_IsTrue(pg_json_get(row, "skipped"))) {
		if ((err = fmt_get_string(c, row, "error_message", &msg)) < 0 ||
		    (err = fmt_get_string(c, row, "skip_message", &msg)) < 0)
			return err;
		result_bench_set_error(b,
		                       msg && *msg ? msg : "benchmark failed");
		return 0;
	}
	if (b->error)
		return 0;
	if ((err = fmt_get_string(c, row, "time_unit", &unit)) < 0)
		return err;
	u = fmt_unit_find(unit);
	if (!u || strcmp(u->unit, "s") || strchr(unit, '/'))
		return fmt_error(c, "unknown time_unit '%s'", unit);
	if ((err = add_time(c, b, row, "real_time", u->scale, aggregate)) < 0 ||
	    (err = add_time(c, b, row, "cpu_time", u->scale, aggregate)) < 0)
		return err;
	if ((err = fmt_get_number(c, row, "threads", &threads)) < 0)
		return err;
	if (err == 0 && threads != 1)
		fmt_param_json(b, "threads", pg_json_get(row, "threads"));
	if ((err = fmt_get_string(c, row, "label", &label)) < 0)
		return err;
	if (label && *label)
		result_bench_set_param(b, "label", label);
	cJSON_ArrayForEach(it, row)
	{
		if (!it->string || is_known(it->string) || !cJSON_IsNumber(it))
			continue;
		if ((err = add_counter(c, b, it->string, it->valuedouble,
		                       aggregate)) < 0)
			return err;
	}
	return 0;
}

/* The benchmark name of a row, or NULL with an error. */
static int row_name(const struct fmt_ctx *c, const cJSON *row,
                    const char **name)
{
	int err;

	*name = NULL;
	if (!cJSON_IsObject(row))
		return fmt_error(c, "expected an object");
	if ((err = fmt_get_string(c, row, "run_name", name)) < 0)
		return err;
	if (err == 0)
		return 0;
	if ((err = fmt_get_string(c, row, "name", name)) < 0)
		return err;
	if (err > 0)
		return fmt_error(c, "missing 'name'");
	return 0;
}

/*
 * One pass over the rows.  want NULL takes the iteration rows; otherwise
 * the aggregate rows named want, for benchmarks that have no row yet.
 */
static int pass(struct fmt_ctx *c, struct result_run *run, const cJSON *rows,
                const char *want)
{
	const cJSON *row;
	size_t i = 0;
	int err = 0;

	cJSON_ArrayForEach(row, rows)
	{
		size_t plen = fmt_path_push(c, "[%zu]", i++);
		const char *name, *type = "iteration", *agg = NULL;

		if ((err = row_name(c, row, &name)) < 0 ||
		    (err = fmt_get_string(c, row, "run_type", &type)) < 0 ||
		    (err = fmt_get_string(c, row, "aggregate_name", &agg)) < 0)
			return err;
		if (!want && strcmp(type, "aggregate"))
			err = add_row(c, run, row, name, 0);
		else if (want && !strcmp(type, "aggregate") && agg &&
		         !strcmp(agg, want) && !result_bench_find(run, name))
			err = add_row(c, run, row, name, 1);
		if (err < 0)
			return err;
		fmt_path_pop(c, plen);
	}
	return 0;
}

static int gb_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root, *rows;
	struct fmt_ctx c;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	fmt_ctx_init(&c, in->source, "$.benchmarks");
	rows = pg_json_get(root, "benchmarks");
	if (!cJSON_IsArray(rows))
		return fmt_error(&c, "must be an array");
	if ((err = pass(&c, run, rows, NULL)) < 0 ||
	    (err = pass(&c, run, rows, "mean")) < 0 ||
	    (err = pass(&c, run, rows, "median")) < 0)
		return err;
	return 0;
}

const struct fmt_ops fmt_google_benchmark = {"google-benchmark", 1, gb_detect,
                                             gb_parse};
