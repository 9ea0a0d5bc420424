/*
 * harness.h - benchmarks measured by their own harness.
 *
 * A config entry with "format" runs a harness (Google Benchmark, go test
 * -bench, ...) whose output formats/ parses: perfgate runs the command,
 * reads its stdout (or the "output" file) and records the harness's own
 * benchmarks rather than the process's wall time.
 */
#ifndef PG_RUNNER_HARNESS_H
#define PG_RUNNER_HARNESS_H

#include "runner/suite.h"
#include "util/config.h"
#include "util/result.h"

/*
 * Run cb's command warmup times (output ignored) and runs times, parsing
 * each measured invocation's output in cb->format: stdout, or the file
 * cb->output (relative to cb->cwd) which is removed before each invocation
 * so a stale file is never read.  Each inner benchmark X becomes
 * "<cb->name>/X" in run, its samples merged across invocations.
 *
 * A failing invocation is recorded like runner_run_bench() does, as an
 * error of the benchmark named cb->name (and of every inner benchmark seen
 * so far), and 0 is returned.  Returns PG_EINPUT for output that does not
 * parse (the message names the benchmark, the run and the path or line),
 * an inner name that collides with another benchmark of the suite, or a
 * metric that changes unit between invocations; PG_ERUNTIME when
 * cancelled.
 */
int runner_run_harness(struct result_run *run, const struct config_bench *cb,
                       long runs, long warmup,
                       const struct runner_hooks *hooks);

#endif
