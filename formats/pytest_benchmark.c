/*
 * pytest-benchmark JSON (--benchmark-json).  Each benchmark is named by
 * its "fullname" (file::test[param]); "params" become parameters.
 * stats.data holds the per-round times in seconds (each already divided
 * by the iterations of a round): those are the samples.  Without it the
 * stats.mean is one aggregate sample.
 */
#include "formats/internal.h"
#include "util/json.h"

#include <string.h>

static int pb_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);

	return cJSON_IsObject(root) && pg_json_get(root, "benchmarks") &&
	       (pg_json_get(root, "machine_info") ||
	        pg_json_get(root, "commit_info")) &&
	       !pg_json_get(root, "context");
}

static int add_stats(struct fmt_ctx *c, struct result_bench *b,
                     const cJSON *stats)
{
	const cJSON *data;
	struct result_metric *m;
	size_t plen;
	double mean;
	int err;

	plen = fmt_path_push(c, ".stats");
	if (!cJSON_IsObject(stats))
		return fmt_error(c, "must be an object");
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	data = pg_json_get(stats, "data");
	if (data && !cJSON_IsNull(data)) {
		fmt_path_push(c, ".data");
		if (!cJSON_IsArray(data))
			return fmt_error(c, "must be an array of numbers");
		if ((err = fmt_push_numbers(c, m, data)) < 0)
			return err;
	} else {
		if ((err = fmt_get_number(c, stats, "mean", &mean)) < 0)
			return err;
		if (err > 0)
			return fmt_error(c, "neither 'data' nor 'mean'");
		m->aggregate = 1;
		if ((err = fmt_push(c, m, mean, 1)) < 0)
			return err;
	}
	fmt_path_pop(c, plen);
	return 0;
}

static int add_bench(struct fmt_ctx *c, struct result_run *run, const cJSON *jb)
{
	const cJSON *params, *it;
	struct result_bench *b;
	const char *name;
	int err;

	if (!cJSON_IsObject(jb))
		return fmt_error(c, "expected an object");
	if ((err = fmt_get_string(c, jb, "fullname", &name)) < 0)
		return err;
	if (err > 0 && (err = fmt_get_string(c, jb, "name", &name)) != 0)
		return err < 0 ? err : fmt_error(c, "missing 'fullname'");
	if ((err = fmt_bench_new(c, run, name, &b)) < 0 ||
	    (err = add_stats(c, b, pg_json_get(jb, "stats"))) < 0)
		return err;
	params = pg_json_get(jb, "params");
	if (params && !cJSON_IsNull(params) && !cJSON_IsObject(params))
		return fmt_error(c, "'params' must be an object");
	cJSON_ArrayForEach(it, params)
	{
		fmt_param_json(b, it->string, it);
	}
	return 0;
}

static int pb_parse(struct fmt_input *in, struct result_run *run)
{
	return fmt_json_each(in, run, "benchmarks", add_bench);
}

const struct fmt_ops fmt_pytest_benchmark = {"pytest-benchmark", 1, pb_detect,
                                             pb_parse};
