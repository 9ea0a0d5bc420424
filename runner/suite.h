/*
 * suite.h - measure the benchmarks of a config into a result_run.
 */
#ifndef PG_RUNNER_SUITE_H
#define PG_RUNNER_SUITE_H

#include <signal.h>

#include "runner/icount.h"
#include "model/config.h"
#include "model/result.h"

/* What the caller of runner_run_bench() adds: callbacks and options. */
struct runner_hooks {
	/*
	 * Called before each invocation (warmups first, then measured runs,
	 * i counting from 1 within each).  May be NULL.
	 */
	void (*before_run)(void *ctx, const char *bench, int warmup, long i,
	                   long total);
	void *ctx;
	/* When non-NULL and it becomes non-zero, measuring stops. */
	const volatile sig_atomic_t *cancel;
	/* How to count instructions (runner/icount.h); AUTO probes. */
	enum runner_icount_source icount;
	/*
	 * Soak mode (runner/loadtest.h), both may be NULL: after the
	 * requested runs, more measured runs follow while more_runs()
	 * returns 1; tick() is called about every tick_every seconds while
	 * a command runs (runner_spec.tick).
	 */
	int (*more_runs)(void *ctx);
	void (*tick)(void *ctx);
	double tick_every;
};

/*
 * 1 while invocation i (0-based, warmups first) of total requested ones
 * should run: i < total, or hooks->more_runs() says so.
 */
int runner_hooks_more(const struct runner_hooks *hooks, long i, long total);

/* Copy the tick of hooks (may be NULL) into spec. */
struct runner_spec;
void runner_hooks_to_spec(const struct runner_hooks *hooks,
                          struct runner_spec *spec);

/*
 * Append one measured run of a process to b: wall_time, cpu_user and
 * cpu_sys (seconds) and max_rss (bytes), all lower is better.
 */
struct runner_result;
void runner_record(struct result_bench *b, const struct runner_result *r);

/* PG_EINPUT (naming the benchmark) when cb's cwd is not a directory. */
int runner_check_cwd(const struct config_bench *cb);

/*
 * Record msg as the error of entry cb's benchmarks in run from index first
 * on: its own (cb->name) and, for a harness, its "<cb->name>/<inner>"
 * ones; when run has none of them yet, of cb->name (added).  The one place
 * a failure is recorded on an entry, for the suite and paired sessions.
 */
void runner_fail_entry(struct result_run *run, size_t first,
                       const struct config_bench *cb, const char *msg);

/*
 * Run cb's command warmup times unmeasured and runs times measured, and
 * add a benchmark named cb->name to run with metrics wall_time, cpu_user,
 * cpu_sys (seconds) and max_rss (bytes).  When cb->metrics has
 * CONFIG_METRIC_INSTRUCTIONS, the command then runs cb->instruction_runs
 * more times to count its instructions (runner_count_instructions(), with
 * hooks->icount resolved by runner_icount_resolve(); an unavailable
 * counter is the benchmark's error); without CONFIG_METRIC_WALL_TIME the
 * timing runs are skipped.  A failing invocation (non-zero
 * exit, signal, timeout) stops the benchmark and is recorded in the
 * benchmark's error with the tail of its stderr; the function still
 * returns 0 so the rest of the suite can run.  Returns PG_ERUNTIME when
 * measuring was cancelled (the benchmark is recorded as failed too) and
 * PG_EINPUT when cb's cwd is not a directory.
 *
 * An entry with a "format" is measured by its harness instead: each
 * measured invocation's output (stdout, or the file cb->output relative to
 * cb->cwd, removed before each invocation so a stale file is never read)
 * is parsed in cb->format, and each inner benchmark X becomes
 * "<cb->name>/X" in run, its samples merged across invocations.  A failure
 * is recorded on cb->name and on every inner benchmark seen so far;
 * output that does not parse (the message names the benchmark, the run
 * and the path or line), an inner name that collides with another
 * benchmark of the suite and a metric that changes unit between
 * invocations are PG_EINPUT.  An entry with a "service" is a load test:
 * see runner_run_service().
 */
int runner_run_bench(struct result_run *run, const struct config_bench *cb,
                     long runs, long warmup, const struct runner_hooks *hooks);

/*
 * runner_run_bench() with the entry already prepared: v's
 * (runner_invoker_bench(), "{port}" replaced for a load test), whose
 * service keeps running.  Same results and returns.
 */
struct runner_invoker;
int runner_run_invoker(struct result_run *run, struct runner_invoker *v,
                       long runs, long warmup,
                       const struct runner_hooks *hooks);

#endif
