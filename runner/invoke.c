/* One benchmark entry, invoked one run at a time; see runner/invoke.h. */
#include "runner/invoke.h"
#include "formats/formats.h"
#include "runner/harness.h"
#include "runner/icount.h"
#include "runner/record.h"
#include "runner/runner.h"
#include "runner/service.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct runner_invoker {
	const struct config_bench *cb; /* the entry, or &sub */
	struct config_bench sub; /* with "{port}" replaced */
	int substituted;
	struct runner_hooks hooks;
	struct runner_service *svc;
	struct runner_spec spec;
	struct runner *runner;
	struct runner_result res;
	char **envp;
	char *outpath; /* a harness's output file, NULL: stdout */
	struct runner_invoker_state own, *state;
};

void runner_invoker_close(struct runner_invoker *v)
{
	if (!v)
		return;
	runner_free(v->runner);
	runner_service_stop(v->svc);
	runner_result_release(&v->res);
	runner_env_free(v->envp);
	if (v->substituted)
		runner_load_subst_release(&v->sub);
	free(v->outpath);
	free(v);
}

int runner_invoker_open(struct runner_invoker **out,
                        const struct config_bench *cb,
                        const struct runner_hooks *hooks,
                        struct runner_invoker_state *state)
{
	struct runner_invoker *v = pg_calloc(1, sizeof(*v));
	int err;

	*out = NULL;
	v->cb = cb;
	v->own = (struct runner_invoker_state)RUNNER_INVOKER_STATE_INIT;
	v->state = state ? state : &v->own;
	runner_result_init(&v->res);
	if (hooks)
		v->hooks = *hooks;
	if (cb->soak) {
		err = pg_error_input("benchmark '%s': a soak is one long "
		                     "load, it cannot be run one invocation "
		                     "at a time",
		                     cb->name);
		goto fail;
	}
	if (cb->stress) {
		err = pg_error_input("benchmark '%s': a stress test ramps one "
		                     "service through its levels, it cannot "
		                     "be run one invocation at a time (run it "
		                     "with --stored)",
		                     cb->name);
		goto fail;
	}
	if (cb->service) {
		err = runner_service_start(&v->svc, cb->service, cb->cwd,
		                           cb->name, v->hooks.cancel);
		if (err < 0)
			goto fail;
		runner_load_subst(&v->sub, cb, runner_service_port(v->svc));
		v->substituted = 1;
		v->cb = &v->sub;
	}
	cb = v->cb;
	if (cb->nenv)
		v->envp = runner_env_build(cb->env, cb->nenv);
	if (cb->format) {
		if ((err = formats_check_name(cb->format)) < 0) {
			err = pg_error_wrap(err, "benchmark '%s'", cb->name);
			goto fail;
		}
		v->outpath = runner_harness_output_path(cb);
		v->spec.capture_stdout = v->outpath == NULL;
	}
	v->spec.argv = cb->argv;
	v->spec.shell = cb->shell;
	v->spec.cwd = cb->cwd;
	v->spec.envp = v->envp;
	v->spec.timeout = cb->timeout;
	v->spec.cancel = v->hooks.cancel;
	runner_hooks_to_spec(&v->hooks, &v->spec);
	if ((err = runner_new(&v->runner, &v->spec)) < 0)
		goto fail;
	*out = v;
	return 0;
fail:
	runner_invoker_close(v);
	return err;
}

long runner_invoker_port(const struct runner_invoker *v)
{
	return v->svc ? runner_service_port(v->svc) : 0;
}

pid_t runner_invoker_service_pid(const struct runner_invoker *v)
{
	return v->svc ? runner_service_pid(v->svc) : 0;
}

const struct config_bench *runner_invoker_bench(const struct runner_invoker *v)
{
	return v->cb;
}

/* What a measured invocation adds to run. */
static int record(struct runner_invoker *v, struct result_run *run)
{
	const struct config_bench *cb = v->cb;
	struct result_bench *b;

	v->state->measured++;
	if (cb->format) {
		if (v->state->first == SIZE_MAX)
			v->state->first = run->nbenches;
		return runner_harness_collect(run, v->state->first, cb,
		                              v->outpath, &v->res,
		                              v->state->measured);
	}
	b = result_bench_find(run, cb->name);
	runner_record(b ? b : result_bench_add(run, cb->name), &v->res);
	return 0;
}

int runner_invoker_run(struct runner_invoker *v, struct result_run *run,
                       int warmup, int *failed, struct pg_buf *why)
{
	const struct config_bench *cb = v->cb;
	int err;

	*failed = 1;
	if (v->outpath && unlink(v->outpath) < 0 && errno != ENOENT) {
		pg_buf_addf(why, "cannot remove '%s': %s", v->outpath,
		            strerror(errno));
		return 0;
	}
	err = runner_exec(v->runner, &v->res);
	/* a service that died under the load spoils the run, whatever the
	 * load generator made of it, and explains a failed one best */
	if (v->svc && runner_service_check(v->svc) < 0) {
		pg_buf_addstr(why, pg_error_last());
		return v->res.cancelled ? pg_error_runtime("interrupted") : 0;
	}
	if (err < 0) {
		pg_buf_addstr(why, pg_error_last());
		return 0;
	}
	if (!runner_succeeded(&v->res)) {
		runner_describe_failure(&v->res, cb->timeout, why);
		return v->res.cancelled ? pg_error_runtime("interrupted") : 0;
	}
	*failed = 0;
	return warmup ? 0 : record(v, run);
}

/*
 * The timing runs of v's entry cb: warmups, then measured runs, until the
 * first failure (recorded on cb's benchmark and on whatever its harness
 * added from index first on).
 */
static int invoke_runs(struct result_run *run, size_t first,
                       struct runner_invoker *v, const struct config_bench *cb,
                       long runs, long warmup, const struct runner_hooks *hooks)
{
	struct pg_buf why = PG_BUF_INIT, msg = PG_BUF_INIT;
	long i, total = warmup + runs;
	int err = 0, failed = 0;

	for (i = 0; !err && !failed && runner_hooks_more(hooks, i, total);
	     i++) {
		int is_warmup = i < warmup;
		long n = is_warmup ? i + 1 : i - warmup + 1;

		if (hooks && hooks->before_run)
			hooks->before_run(hooks->ctx, cb->name, is_warmup, n,
			                  is_warmup ? warmup : runs);
		err = runner_invoker_run(v, run, is_warmup, &failed, &why);
		if (!failed)
			continue;
		pg_buf_addf(&msg, "%s run %ld %s",
		            is_warmup ? "warmup" : "measured", n, why.s);
		runner_fail_entry(run, first, cb, msg.s);
	}
	pg_buf_release(&why);
	pg_buf_release(&msg);
	return err;
}

static int count_runs(struct result_bench *b, const struct config_bench *cb,
                      const struct runner_hooks *hooks)
{
	enum runner_icount_source src;

	if (runner_icount_resolve(&src, hooks ? hooks->icount
	                                      : RUNNER_ICOUNT_AUTO) < 0) {
		result_bench_set_error(b, pg_error_last());
		return 0;
	}
	return runner_count_instructions(b, cb, cb->instruction_runs, src,
	                                 hooks);
}

int runner_run_invoker(struct result_run *run, struct runner_invoker *v,
                       long runs, long warmup, const struct runner_hooks *hooks)
{
	const struct config_bench *cb = runner_invoker_bench(v);
	size_t first = run->nbenches;
	struct result_bench *b;
	int err = 0;

	if (cb->format)
		return invoke_runs(run, first, v, cb, runs, warmup, hooks);
	if (!result_bench_find(run, cb->name))
		result_bench_add(run, cb->name);
	if (cb->metrics & CONFIG_METRIC_WALL_TIME)
		err = invoke_runs(run, first, v, cb, runs, warmup, hooks);
	b = result_bench_find(run, cb->name);
	if (!err && !b->error && (cb->metrics & CONFIG_METRIC_INSTRUCTIONS))
		err = count_runs(b, cb, hooks);
	return err;
}
