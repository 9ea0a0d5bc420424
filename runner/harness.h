/*
 * harness.h - benchmarks measured by their own harness.
 *
 * A config entry with "format" runs a harness (Google Benchmark, go test
 * -bench, ...) whose output formats/ parses: perfgate runs the command,
 * reads its stdout (or the "output" file) and records the harness's own
 * benchmarks rather than the process's wall time.  The invocations are
 * runner/invoke.c's; this is how their output becomes benchmarks.
 */
#ifndef PG_RUNNER_HARNESS_H
#define PG_RUNNER_HARNESS_H

#include "model/config.h"
#include "model/result.h"

/*
 * The file harness cb writes (its "output", relative to its cwd), malloc'd;
 * NULL when it writes to stdout.
 */
char *runner_harness_output_path(const struct config_bench *cb);

/*
 * Parse the output of measured invocation n of harness cb (res->out, or
 * the file outpath when not NULL) and merge its benchmarks into run as
 * "<cb->name>/<inner>".  The benchmarks of run before index first belong
 * to other entries: an inner name among them is an error.  Returns 0, or
 * PG_EINPUT (unparsable output, a name collision, a changed unit).
 */
struct runner_result;
int runner_harness_collect(struct result_run *run, size_t first,
                           const struct config_bench *cb, const char *outpath,
                           const struct runner_result *res, long n);

#endif
