/* Benchmarks measured by their own harness; see runner/harness.h. */
#include "runner/harness.h"
#include "formats/formats.h"
#include "runner/runner.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Record msg as the error of the entry and of its inner benchmarks. */
static void fail_all(struct result_run *run, size_t first,
                     const struct config_bench *cb, const char *msg)
{
	struct result_bench *b = result_bench_find(run, cb->name);
	size_t i;

	if (!b)
		b = result_bench_add(run, cb->name);
	result_bench_set_error(b, msg);
	for (i = first; i < run->nbenches; i++)
		result_bench_set_error(&run->benches[i], msg);
}

/* Parse one invocation's output and merge it into run. */
static int collect(struct result_run *run, size_t first,
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

static char *output_path(const struct config_bench *cb)
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

int runner_run_harness(struct result_run *run, const struct config_bench *cb,
                       long runs, long warmup, const struct runner_hooks *hooks)
{
	struct runner_spec spec = {0};
	struct runner *runner = NULL;
	struct runner_result res;
	struct pg_buf msg = PG_BUF_INIT;
	size_t first = run->nbenches;
	char *outpath = output_path(cb);
	char **envp = NULL;
	long i, total = warmup + runs;
	int err = 0;

	if ((err = formats_check_name(cb->format)) < 0) {
		err = pg_error_wrap(err, "benchmark '%s'", cb->name);
		goto out_nores;
	}
	if (cb->nenv)
		envp = runner_env_build(cb->env, cb->nenv);
	spec.argv = cb->argv;
	spec.shell = cb->shell;
	spec.cwd = cb->cwd;
	spec.envp = envp;
	spec.timeout = cb->timeout;
	spec.capture_stdout = outpath == NULL;
	spec.cancel = hooks ? hooks->cancel : NULL;
	runner_hooks_to_spec(hooks, &spec);
	runner_result_init(&res);
	if ((err = runner_new(&runner, &spec)) < 0) {
		fail_all(run, first, cb, pg_error_last());
		err = 0;
		total = 0;
	}
	for (i = 0; err == 0 && runner_hooks_more(hooks, i, total); i++) {
		int is_warmup = i < warmup;
		long n = is_warmup ? i + 1 : i - warmup + 1;

		if (hooks && hooks->before_run)
			hooks->before_run(hooks->ctx, cb->name, is_warmup, n,
			                  is_warmup ? warmup : runs);
		if (outpath && unlink(outpath) < 0 && errno != ENOENT) {
			err = pg_error_runtime("benchmark '%s': cannot remove "
			                       "'%s': %s",
			                       cb->name, outpath,
			                       strerror(errno));
			break;
		}
		if ((err = runner_exec(runner, &res)) < 0) {
			fail_all(run, first, cb, pg_error_last());
			err = 0;
			break;
		}
		if (!runner_succeeded(&res)) {
			pg_buf_addf(&msg, "%s run %ld ",
			            is_warmup ? "warmup" : "measured", n);
			runner_describe_failure(&res, cb->timeout, &msg);
			fail_all(run, first, cb, msg.s);
			if (res.cancelled)
				err = pg_error_runtime("interrupted");
			break;
		}
		if (!is_warmup)
			err = collect(run, first, cb, outpath, &res, n);
	}
	runner_free(runner);
	runner_result_release(&res);
out_nores:
	runner_env_free(envp);
	pg_buf_release(&msg);
	free(outpath);
	return err;
}
