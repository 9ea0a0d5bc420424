/*
 * stress.h - a stress test (an entry with "stress", docs/stress.md): ramp
 * the load on one service instance level by level until its SLO is
 * clearly broken or it crashes, and record what each level measured and
 * what the ramp says: capacity, peak throughput, breaking point, failure
 * mode (the judgement of a level and the capacity are stats/stress.h's).
 */
#ifndef PG_RUNNER_STRESS_H
#define PG_RUNNER_STRESS_H

#include "runner/hooks.h"
#include "model/config.h"
#include "model/result.h"

/*
 * Run cb->stress->ramps ramps of cb (cb->service and cb->stress set), each
 * against a newly started service.  A level replaces "{concurrency}" or
 * "{rate}" (and "{port}") in the load command, runs it once, then checks
 * that the service still runs and passes its readiness probe, and reads
 * its RSS and CPU time.  The ramp stops at the first level that is
 * clearly broken or crashes the service.
 *
 * Adds to run the benchmark cb->name with the aggregates capacity,
 * capacity_level, peak_throughput, breaking_point (only for ramps that
 * broke) and failure_mode (one sample per ramp), and one benchmark
 * "<cb->name>/c=L" (or "/rate=L") per level with the load tool's metrics
 * and service_rss, service_cpu.
 *
 * A service that does not start, or a load command that fails at the
 * first level, is the benchmark's error (0 is returned, like a failing
 * command).  Returns PG_ERUNTIME when cancelled, PG_EINPUT for output
 * that does not parse.
 */
int runner_run_stress(struct result_run *run, const struct config_bench *cb,
                      const struct runner_hooks *hooks);

/*
 * One ramp of cb on a newly started service (cb->stress->ramps is not
 * read): adds to run what runner_run_stress() adds for one ramp (cb->name
 * is added when run does not have it; the derived metrics get one more
 * sample each).  For paired mode (runner/pairs.h), which alternates the
 * two sides' ramps.  Returns 0; < 0 with the message recorded when the
 * service does not start or the first level's load fails (PG_EINPUT when
 * its output does not parse), or PG_ERUNTIME when cancelled (the service
 * is stopped in every case).  Nothing is marked failed in run: the caller
 * records the error.
 */
int runner_stress_ramp(struct result_run *run, const struct config_bench *cb,
                       const struct runner_hooks *hooks);

#endif
