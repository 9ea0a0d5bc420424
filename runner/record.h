/*
 * record.h - what a measurement writes into a result_run: one measured
 * process run, or the failure of a config entry.
 *
 * The invoker (runner/invoke.h), the suite, load tests, stress ramps and
 * paired sessions all record through these two, so they sit below all of
 * them.
 */
#ifndef PG_RUNNER_RECORD_H
#define PG_RUNNER_RECORD_H

#include <stddef.h>

#include "model/config.h"
#include "model/result.h"

/*
 * Append one measured run of a process to b: wall_time, cpu_user and
 * cpu_sys (seconds) and max_rss (bytes), all lower is better.
 */
struct runner_result;
void runner_record(struct result_bench *b, const struct runner_result *r);

/*
 * Record msg as the error of entry cb's benchmarks in run from index first
 * on: its own (cb->name) and, for a harness, its "<cb->name>/<inner>"
 * ones; when run has none of them yet, of cb->name (added).  The one place
 * a failure is recorded on an entry, for the suite and paired sessions.
 * msg is copied.
 */
void runner_fail_entry(struct result_run *run, size_t first,
                       const struct config_bench *cb, const char *msg);

#endif
