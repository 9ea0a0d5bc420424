/*
 * perfgate's own JSON document (model/result.h, docs/results-format.md),
 * for custom harnesses: {"schema": 1, "runs": [{"benchmarks": [...]}]}.
 * The benchmarks of every run are read; a run's id, commit and
 * environment are not (the importing run has its own).
 */
#include "formats/internal.h"
#include "util/printable.h"
#include "util/json.h"
#include "util/mem.h"

#include <string.h>

static int pg_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);

	return cJSON_IsObject(root) && pg_json_get(root, "schema") &&
	       pg_json_get(root, "runs");
}

static int pg_parse(struct fmt_input *in, struct result_run *run)
{
	struct result_run *runs = NULL;
	struct fmt_ctx c;
	size_t n = 0, i, j;
	int err;

	err = result_doc_parse(&runs, &n, in->data, in->len, in->source);
	fmt_ctx_init(&c, in->source, "");
	for (i = 0; i < n && err == 0; i++) {
		for (j = 0; j < runs[i].nbenches && err == 0; j++) {
			struct result_bench *b = &runs[i].benches[j];

			if (!pg_utf8_valid(b->name)) {
				err = fmt_error(&c,
				                "$.runs[%zu].benchmarks[%zu]: "
				                "name '%s' is not valid UTF-8",
				                i, j, pg_printable(b->name));
				break;
			}
			if (result_bench_find(run, b->name)) {
				err = fmt_error(&c,
				                "$.runs[%zu].benchmarks[%zu]: "
				                "duplicate benchmark '%s'",
				                i, j, b->name);
				break;
			}
			run->benches = pg_grow_array(
			        run->benches, sizeof(*run->benches),
			        run->nbenches + 1, &run->benches_alloc);
			run->benches[run->nbenches++] = *b;
			memset(b, 0, sizeof(*b));
		}
	}
	result_runs_free(runs, n);
	return err;
}

const struct fmt_ops fmt_perfgate = {"perfgate", 1, pg_detect, pg_parse};
