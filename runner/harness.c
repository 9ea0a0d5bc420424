/* Benchmarks measured by their own harness; see runner/harness.h. */
#include "runner/harness.h"
#include "formats/formats.h"
#include "runner/runner.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

int runner_harness_collect(struct result_run *run, size_t first,
                           const struct config_bench *cb, const char *outpath,
                           const struct runner_result *res, long n)
{
	struct pg_buf src = PG_BUF_INIT, data = PG_BUF_INIT;
	struct pg_buf name = PG_BUF_INIT;
	struct result_run tmp;
	size_t i;
	int err;

	result_run_init(&tmp);
	if (outpath) {
		pg_buf_addstr(&src, outpath);
		if ((err = pg_buf_read_file(&data, outpath)) < 0) {
			err = pg_error_wrap(err, "benchmark '%s': run %ld",
			                    cb->name, n);
			goto out;
		}
	} else {
		pg_buf_addf(&src, "%s: stdout of run %ld", cb->name, n);
		pg_buf_add(&data, res->out.s, res->out.len);
	}
	err = formats_parse(cb->format, data.s, data.len, src.s, &tmp);
	if (err < 0) {
		err = pg_error_wrap(err, "benchmark '%s'", cb->name);
		goto out;
	}
	for (i = 0; i < tmp.nbenches; i++) {
		const struct result_bench *b;

		pg_buf_reset(&name);
		pg_buf_addf(&name, "%s/%s", cb->name, tmp.benches[i].name);
		b = result_bench_find(run, name.s);
		if (b && (size_t)(b - run->benches) < first) {
			err = pg_error_input("benchmark '%s': inner benchmark "
			                     "'%s' has the name of another "
			                     "benchmark of the suite",
			                     cb->name, name.s);
			goto out;
		}
	}
	err = formats_merge(run, &tmp, cb->name);
out:
	result_run_release(&tmp);
	pg_buf_release(&src);
	pg_buf_release(&data);
	pg_buf_release(&name);
	return err;
}

char *runner_harness_output_path(const struct config_bench *cb)
{
	struct pg_buf p = PG_BUF_INIT;

	if (!cb->output)
		return NULL;
	if (cb->output[0] == '/' || !cb->cwd)
		pg_buf_addstr(&p, cb->output);
	else
		pg_buf_addf(&p, "%s/%s", cb->cwd, cb->output);
	return pg_buf_detach(&p, NULL);
}
