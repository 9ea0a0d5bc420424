/*
 * Bencher Metric Format (https://bencher.dev/docs/reference/bencher-
 * metric-format): {"<benchmark>": {"<measure>": {"value": v,
 * "lower_value": l, "upper_value": u}}}.  BMF carries one value per
 * measure, so every metric is a single aggregate sample (lower_value and
 * upper_value are checked but not kept).  The measure decides the unit:
 * Bencher's built-in latency (nanoseconds) and throughput (operations per
 * second), the build-time (seconds) and file-size (bytes) of its
 * adapters, and its instruction-count measures.  Any other measure has no
 * known unit and is an error: write perfgate's own JSON instead.
 */
#include "formats/internal.h"
#include "util/json.h"

#include <string.h>

static const struct fmt_unit measures[] = {
        {"latency", "s", 1e-9, RESULT_LOWER_IS_BETTER},
        {"throughput", "items/s", 1, RESULT_HIGHER_IS_BETTER},
        {"build-time", "s", 1, RESULT_LOWER_IS_BETTER},
        {"file-size", "B", 1, RESULT_LOWER_IS_BETTER},
        {"instructions", "count", 1, RESULT_LOWER_IS_BETTER},
        {"cycles", "count", 1, RESULT_LOWER_IS_BETTER},
        {"estimated-cycles", "count", 1, RESULT_LOWER_IS_BETTER},
        {"l1-hits", "count", 1, RESULT_LOWER_IS_BETTER},
        {"l2-hits", "count", 1, RESULT_LOWER_IS_BETTER},
        {"ram-hits", "count", 1, RESULT_LOWER_IS_BETTER},
        {"total-read-write", "count", 1, RESULT_LOWER_IS_BETTER},
};

const struct fmt_unit *fmt_bmf_measure(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
		if (!strcmp(measures[i].name, name))
			return &measures[i];
	return NULL;
}

/*
 * BMF has no marker: the whole document must have its shape, an object of
 * objects of objects that each hold a "value".
 */
static int bmf_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in), *b, *m;

	if (!cJSON_IsObject(root) || !root->child)
		return 0;
	cJSON_ArrayForEach(b, root)
	{
		if (!cJSON_IsObject(b) || !b->child)
			return 0;
		cJSON_ArrayForEach(m, b)
		{
			if (!cJSON_IsObject(m) || !pg_json_get(m, "value"))
				return 0;
		}
	}
	return 1;
}

static int add_measure(struct fmt_ctx *c, struct result_bench *b,
                       const cJSON *jm)
{
	const struct fmt_unit *u = fmt_bmf_measure(jm->string);
	struct result_metric *m;
	double v, lo, hi;
	int err;

	if (!u)
		return fmt_error(c,
		                 "unknown measure '%s' (its unit is not "
		                 "known; write perfgate's JSON for custom "
		                 "measures)",
		                 jm->string);
	if (!cJSON_IsObject(jm))
		return fmt_error(c, "must be an object");
	if ((err = fmt_get_number(c, jm, "value", &v)) != 0)
		return err < 0 ? err : fmt_error(c, "missing 'value'");
	if ((err = fmt_get_number(c, jm, "lower_value", &lo)) < 0 ||
	    (err = fmt_get_number(c, jm, "upper_value", &hi)) < 0)
		return err;
	if (result_metric_find(b, jm->string))
		return fmt_error(c, "duplicate measure");
	m = result_metric_get(b, jm->string, u->unit, u->direction);
	m->aggregate = 1;
	return fmt_push(c, m, v, u->scale);
}

static int bmf_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root, *jb, *jm;
	struct fmt_ctx c;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	fmt_ctx_init(&c, in->source, "$");
	if (!cJSON_IsObject(root))
		return fmt_error(&c, "expected an object of benchmarks");
	cJSON_ArrayForEach(jb, root)
	{
		size_t plen = fmt_path_push(&c, "[\"%s\"]", jb->string);
		struct result_bench *b;

		if (!cJSON_IsObject(jb))
			return fmt_error(&c, "must be an object of measures");
		if ((err = fmt_bench_new(&c, run, jb->string, &b)) < 0)
			return err;
		cJSON_ArrayForEach(jm, jb)
		{
			size_t mlen = fmt_path_push(&c, ".%s", jm->string);

			if ((err = add_measure(&c, b, jm)) < 0)
				return err;
			fmt_path_pop(&c, mlen);
		}
		fmt_path_pop(&c, plen);
	}
	return 0;
}

const struct fmt_ops fmt_bmf = {"bmf", 1, bmf_detect, bmf_parse};
