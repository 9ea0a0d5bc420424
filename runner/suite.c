#include "runner/suite.h"
#include "runner/harness.h"
#include "runner/icount.h"
#include "runner/runner.h"
#include "runner/loadtest.h"
#include "util/buf.h"
#include "util/error.h"

#include <string.h>
#include <sys/stat.h>

void runner_record(struct result_bench *b, const struct runner_result *r)
{
	result_metric_push(result_metric_get(b, RESULT_WALL_TIME, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->wall);
	result_metric_push(result_metric_get(b, RESULT_CPU_USER, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->user);
	result_metric_push(result_metric_get(b, RESULT_CPU_SYS, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->sys);
	result_metric_push(result_metric_get(b, RESULT_MAX_RSS, "B",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->max_rss);
}

static int check_cwd(const struct config_bench *cb)
{
	struct stat st;

	if (cb->cwd && (stat(cb->cwd, &st) < 0 || !S_ISDIR(st.st_mode)))
		return pg_error_input("benchmark '%s': cwd '%s' is not a "
		                      "directory",
		                      cb->name, cb->cwd);
	return 0;
}

int runner_hooks_more(const struct runner_hooks *hooks, long i, long total)
{
	if (i < total)
		return 1;
	/* total is 0 when the command could not be prepared */
	return total > 0 && hooks && hooks->more_runs &&
	       hooks->more_runs(hooks->ctx);
}

void runner_hooks_to_spec(const struct runner_hooks *hooks,
                          struct runner_spec *spec)
{
	if (!hooks || !hooks->tick)
		return;
	spec->tick = hooks->tick;
	spec->tick_ctx = hooks->ctx;
	spec->tick_every = hooks->tick_every;
}

/* The timing runs of a plain command: warmups, then measured runs. */
static int time_runs(struct result_run *run, const struct config_bench *cb,
                     long runs, long warmup, const struct runner_hooks *hooks)
{
	struct runner_spec spec = {0};
	struct runner *runner = NULL;
	struct runner_result res;
	struct result_bench *b = result_bench_find(run, cb->name);
	struct pg_buf msg = PG_BUF_INIT;
	char **envp = NULL;
	long i, total = warmup + runs;
	int err = 0;

	if (cb->nenv)
		envp = runner_env_build(cb->env, cb->nenv);
	spec.argv = cb->argv;
	spec.shell = cb->shell;
	spec.cwd = cb->cwd;
	spec.envp = envp;
	spec.timeout = cb->timeout;
	spec.cancel = hooks ? hooks->cancel : NULL;
	runner_hooks_to_spec(hooks, &spec);
	runner_result_init(&res);
	if ((err = runner_new(&runner, &spec)) < 0) {
		result_bench_set_error(b, pg_error_last());
		err = 0;
		total = 0;
	}
	for (i = 0; runner_hooks_more(hooks, i, total); i++) {
		int is_warmup = i < warmup;

		if (hooks && hooks->before_run)
			hooks->before_run(hooks->ctx, cb->name, is_warmup,
			                  is_warmup ? i + 1 : i - warmup + 1,
			                  is_warmup ? warmup : runs);
		err = runner_exec(runner, &res);
		if (err < 0) {
			result_bench_set_error(b, pg_error_last());
			err = 0;
			break;
		}
		if (!runner_succeeded(&res)) {
			pg_buf_addf(&msg, "%s run %ld ",
			            is_warmup ? "warmup" : "measured",
			            is_warmup ? i + 1 : i - warmup + 1);
			runner_describe_failure(&res, cb->timeout, &msg);
			result_bench_set_error(b, msg.s);
			if (res.cancelled)
				err = pg_error_runtime("interrupted");
			break;
		}
		if (!is_warmup)
			runner_record(b, &res);
	}
	runner_free(runner);
	runner_result_release(&res);
	runner_env_free(envp);
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

int runner_run_bench(struct result_run *run, const struct config_bench *cb,
                     long runs, long warmup, const struct runner_hooks *hooks)
{
	struct result_bench *b;
	int err = 0;

	if ((err = check_cwd(cb)) < 0)
		return err;
	if (cb->service)
		return runner_run_service(run, cb, runs, warmup, hooks);
	if (cb->format)
		return runner_run_harness(run, cb, runs, warmup, hooks);
	b = result_bench_add(run, cb->name);
	if (cb->metrics & CONFIG_METRIC_WALL_TIME)
		err = time_runs(run, cb, runs, warmup, hooks);
	if (!err && !b->error && (cb->metrics & CONFIG_METRIC_INSTRUCTIONS))
		err = count_runs(b, cb, hooks);
	return err;
}
