/*
 * suite.h - measure the benchmarks of a config into a result_run.
 */
#ifndef PG_RUNNER_SUITE_H
#define PG_RUNNER_SUITE_H

#include "runner/hooks.h"
#include "model/config.h"
#include "model/result.h"

/* PG_EINPUT (naming the benchmark) when cb's cwd is not a directory. */
int runner_check_cwd(const struct config_bench *cb);

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

#endif
