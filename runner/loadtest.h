/*
 * loadtest.h - a benchmark with a "service": start the service, run the
 * load command against it (with "{port}" replaced), sample it in soak
 * mode, stop it (docs/load.md).
 */
#ifndef PG_RUNNER_LOADTEST_H
#define PG_RUNNER_LOADTEST_H

#include "runner/hooks.h"
#include "model/config.h"
#include "model/result.h"

/*
 * Measure cb (cb->service set) as runner_run_bench() would, with its
 * service running: started before the first warmup, stopped after the
 * last run, whatever happened.  "{port}" is replaced by the service's
 * port in cb's command, env values and output, and PERFGATE_PORT is set
 * in the load command's environment.
 *
 * With cb->soak, measured runs repeat until soak.duration seconds have
 * passed since the first one (at least `runs` of them), and the service
 * is sampled every soak.sample_every seconds; a benchmark named
 * "<cb->name>/service" then holds the soak's metrics (runner/soak.h).
 *
 * A service that cannot start, is not ready in time, or exits during the
 * load is recorded as the benchmark's error (with its stderr tail) and 0
 * is returned, like a failing command.  Returns PG_ERUNTIME when
 * cancelled, and the errors of runner_run_bench().
 */
int runner_run_service(struct result_run *run, const struct config_bench *cb,
                       long runs, long warmup,
                       const struct runner_hooks *hooks);

#endif
