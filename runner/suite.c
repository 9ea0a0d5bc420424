#include "runner/suite.h"
#include "runner/invoke.h"
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

int runner_check_cwd(const struct config_bench *cb)
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

/* 1 when benchmark name is entry cb's own or, for a harness, its inner. */
static int owned_by(const char *name, const struct config_bench *cb)
{
	size_t n = strlen(cb->name);

	return !strncmp(name, cb->name, n) &&
	       (name[n] == '\0' || (cb->format && name[n] == '/'));
}

void runner_fail_entry(struct result_run *run, size_t first,
                       const struct config_bench *cb, const char *msg)
{
	size_t i;
	int any = 0;

	for (i = first; i < run->nbenches; i++) {
		if (!owned_by(run->benches[i].name, cb))
			continue;
		result_bench_set_error(&run->benches[i], msg);
		any = 1;
	}
	if (!any)
		result_bench_set_error(result_bench_add(run, cb->name), msg);
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

int runner_run_bench(struct result_run *run, const struct config_bench *cb,
                     long runs, long warmup, const struct runner_hooks *hooks)
{
	struct runner_invoker *v;
	int err;

	if ((err = runner_check_cwd(cb)) < 0)
		return err;
	if (cb->service)
		return runner_run_service(run, cb, runs, warmup, hooks);
	if ((err = runner_invoker_open(&v, cb, hooks, NULL)) < 0) {
		if (err == PG_EINPUT)
			return err;
		runner_fail_entry(run, run->nbenches, cb, pg_error_last());
		return 0;
	}
	err = runner_run_invoker(run, v, runs, warmup, hooks);
	runner_invoker_close(v);
	return err;
}
