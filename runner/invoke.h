/*
 * invoke.h - one benchmark entry prepared for single invocations, and
 * the loop of warmups and measured runs over it (runner_run_invoker()):
 * for the suite runner (runner/suite.h), load tests and soaks
 * (runner/loadtest.h), and paired mode, which alternates the baseline's
 * and the candidate's copy of an entry.
 *
 * An invoker holds what every invocation of the entry shares: for a plain
 * command its runner; for a harness ("format") the entry itself; for a
 * load test its service, started in runner_invoker_open() on a port of its
 * own and stopped in runner_invoker_close(), with "{port}" replaced in the
 * load command.  This is the one place that starts a load test's
 * service.  Soak sampling is runner_run_service()'s, around an invoker:
 * an entry with "soak" is refused here.
 */
#ifndef PG_RUNNER_INVOKE_H
#define PG_RUNNER_INVOKE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "runner/hooks.h"
#include "util/buf.h"
#include "model/config.h"
#include "model/result.h"

struct runner_invoker;

/*
 * What invokers of one entry carry from one to the next, when a caller
 * opens a new invoker for the same entry and run (paired mode does, once
 * a look): where the entry's benchmarks begin in run, so its own earlier
 * benchmarks are not taken for another entry's, and the measured
 * invocations so far (numbered on in messages).  Start it with
 * RUNNER_INVOKER_STATE_INIT.
 */
struct runner_invoker_state {
	size_t first; /* SIZE_MAX: not yet known */
	long measured;
};
#define RUNNER_INVOKER_STATE_INIT                                              \
	{                                                                      \
		SIZE_MAX, 0                                                    \
	}

/*
 * Prepare cb (which must outlive the invoker; its cwd and its service's
 * cwd are used as given) with hooks (may be NULL; copied: cancel stops a
 * run, tick is called while one runs; the rest is the caller's) and state
 * (may be NULL: a fresh one; else the caller's, kept up to date until the
 * invoker is closed).  A service is started and awaited here; a cwd that
 * is not a directory is a failure of the first invocation (the caller
 * checks it beforehand where that is bad input).  Returns 0 with *out the
 * caller's (runner_invoker_close() frees it); PG_EINPUT for a soak entry
 * or an unknown format; PG_ERUNTIME when the process runner cannot be set
 * up or the service does not start (message: why, with the service's
 * stderr tail), or when cancelled.
 */
int runner_invoker_open(struct runner_invoker **out,
                        const struct config_bench *cb,
                        const struct runner_hooks *hooks,
                        struct runner_invoker_state *state);

/*
 * Invoke the entry once.  A measured invocation (warmup 0) adds what it
 * measured to run: wall_time, cpu_user, cpu_sys and max_rss of benchmark
 * cb->name for a plain command, the harness's benchmarks
 * "<cb->name>/<inner>" (samples appended) for a harness; a warmup adds
 * nothing.  When the invocation fails (non-zero exit, signal, timeout, a
 * service that exited) *failed is set to 1, why gets one line (with the
 * stderr tail) and run is not touched; otherwise *failed is 0.
 *
 * Returns 0 in both cases (a command that cannot be started is a failed
 * invocation); PG_EINPUT for harness output that does not parse or a
 * metric that changes unit; PG_ERUNTIME when cancelled (*failed is 1).
 */
int runner_invoker_run(struct runner_invoker *v, struct result_run *run,
                       int warmup, int *failed, struct pg_buf *why);

/* The service's port, or 0 without a service. */
long runner_invoker_port(const struct runner_invoker *v);

/* The service's process (group) id, or 0 without a service. */
pid_t runner_invoker_service_pid(const struct runner_invoker *v);

/* The entry as invoked: with "{port}" replaced for a load test. */
const struct config_bench *runner_invoker_bench(const struct runner_invoker *v);

/*
 * Stop the service (SIGTERM, then SIGKILL: runner_service_stop()) and free
 * v.  Accepts NULL.  Invokers that hold a process runner (plain commands)
 * must be closed in the reverse order of opening (runner.h).
 */
void runner_invoker_close(struct runner_invoker *v);

/*
 * runner_run_bench() (runner/suite.h) with the entry already prepared:
 * v's (runner_invoker_bench(), "{port}" replaced for a load test), whose
 * service keeps running.  Same results and returns.
 */
int runner_run_invoker(struct result_run *run, struct runner_invoker *v,
                       long runs, long warmup,
                       const struct runner_hooks *hooks);

#endif
