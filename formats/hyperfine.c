/*
 * hyperfine JSON (--export-json).  Each result is one benchmark named by
 * its command (or --command-name): "times" are the wall-time samples in
 * seconds, "parameters" become parameters, and the mean "user" and
 * "system" times become aggregate cpu_user / cpu_sys metrics.  Newer
 * hyperfine versions that write per-run "memory_usage_byte" give max_rss.
 */
#include "formats/internal.h"
#include "formats/lean.h"
#include "util/json.h"

#include <string.h>

static int hf_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);
	const cJSON *results = pg_json_get(root, "results");
	const cJSON *first;
	const double *vals; /* a list of numbers is not hyperfine's */

	if (!cJSON_IsObject(root) || !cJSON_IsArray(results))
		return 0;
	first = cJSON_GetArrayItem(results, 0);
	/* an empty list is still hyperfine's shape; parse reports it */
	return (!first && !fmt_lean_numbers(results, &vals)) ||
	       (cJSON_IsObject(first) &&
	        (pg_json_get(first, "command") || pg_json_get(first, "times")));
}

static int add_array(struct fmt_ctx *c, struct result_bench *b,
                     const cJSON *arr, const char *key, const char *metric,
                     const char *unit)
{
	struct result_metric *m;
	size_t plen = fmt_path_push(c, ".%s", key);
	int err;

	if (!cJSON_IsArray(arr))
		return fmt_error(c, "must be an array of numbers");
	m = result_metric_get(b, metric, unit, RESULT_LOWER_IS_BETTER);
	if ((err = fmt_push_numbers(c, m, arr)) < 0)
		return err;
	fmt_path_pop(c, plen);
	return 0;
}

static int add_mean(struct fmt_ctx *c, struct result_bench *b, const cJSON *res,
                    const char *key, const char *metric)
{
	struct result_metric *m;
	double v;
	int err = fmt_get_number(c, res, key, &v);

	if (err != 0)
		return err < 0 ? err : 0;
	m = result_metric_get(b, metric, "s", RESULT_LOWER_IS_BETTER);
	m->aggregate = 1;
	return fmt_push(c, m, v, 1);
}

static int add_result(struct fmt_ctx *c, struct result_run *run,
                      const cJSON *res)
{
	const cJSON *times, *params, *mem, *it;
	struct result_bench *b;
	const char *name;
	int err;

	if (!cJSON_IsObject(res))
		return fmt_error(c, "expected an object");
	if ((err = fmt_get_string(c, res, "command", &name)) < 0)
		return err;
	if (err > 0)
		return fmt_error(c, "missing 'command'");
	times = pg_json_get(res, "times");
	if (!times)
		return fmt_error(c, "missing 'times' (export with hyperfine "
		                    "--export-json)");
	if ((err = fmt_bench_new(c, run, name, &b)) < 0 ||
	    (err = add_array(c, b, times, "times", RESULT_WALL_TIME, "s")) < 0)
		return err;
	mem = pg_json_get(res, "memory_usage_byte");
	if (mem && (err = add_array(c, b, mem, "memory_usage_byte",
	                            RESULT_MAX_RSS, "B")) < 0)
		return err;
	if ((err = add_mean(c, b, res, "user", RESULT_CPU_USER)) < 0 ||
	    (err = add_mean(c, b, res, "system", RESULT_CPU_SYS)) < 0)
		return err;
	params = pg_json_get(res, "parameters");
	if (params && !cJSON_IsObject(params))
		return fmt_error(c, "'parameters' must be an object");
	cJSON_ArrayForEach(it, params)
	{
		fmt_param_json(b, it->string, it);
	}
	return 0;
}

static int hf_parse(struct fmt_input *in, struct result_run *run)
{
	return fmt_json_each(in, run, "results", add_result);
}

const struct fmt_ops fmt_hyperfine = {"hyperfine", 1, hf_detect, hf_parse};
