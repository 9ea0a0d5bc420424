/*
 * service.h - the service a load benchmark drives ("service" in
 * perfgate.json, docs/load.md): a server started before the load and
 * stopped after it, on 127.0.0.1 only.
 *
 * The service runs in its own process group (so the terminal's SIGINT
 * reaches perfgate, not it, and stopping it stops its children too), with
 * stdin from /dev/null and stdout and stderr in memory files that are
 * read only for its port ("port": "stdout") and for the tail of its
 * stderr after a failure.
 */
#ifndef PG_RUNNER_SERVICE_H
#define PG_RUNNER_SERVICE_H

#include <signal.h>
#include <sys/types.h>

#include "util/buf.h"
#include "model/config.h"

struct runner_service;

/*
 * Start svc for the benchmark name: take its port (a free port of
 * 127.0.0.1 for "auto": bound, read and closed, so another process could
 * in principle take it before the service does), spawn it with "{port}"
 * replaced in its command and environment, in svc->cwd or else cwd (may
 * be NULL), and wait for it to be ready: the HTTP GET of svc->ready_url
 * answers 2xx, or (without a URL) 127.0.0.1:port accepts a connection,
 * at most svc->ready_timeout seconds.  cancel (may be NULL) aborts the
 * wait when it becomes non-zero.
 *
 * Returns 0 with *out the caller's (runner_service_stop() frees it), or
 * PG_ERUNTIME when the service cannot be started, exits or is not ready
 * in time (the message has the tail of its stderr; it has been stopped).
 */
int runner_service_start(struct runner_service **out,
                         const struct config_service *svc, const char *cwd,
                         const char *name, const volatile sig_atomic_t *cancel);

/* The service's port, and the process (group) id of its main process. */
long runner_service_port(const struct runner_service *s);
pid_t runner_service_pid(const struct runner_service *s);

/*
 * 0 while the service runs, PG_ERUNTIME when it has exited (message: how,
 * with the tail of its stderr).  Also keeps its capture files small.
 */
int runner_service_check(struct runner_service *s);

/*
 * After a burst of load (a stress level): 0 when the service still runs
 * and passes its readiness probe within timeout seconds (probed every
 * PG_SERVICE_READY_POLL_S); PG_ERUNTIME when it has exited or keeps
 * failing the probe (message: which, with the tail of its stderr).
 */
int runner_service_alive(struct runner_service *s, double timeout);

/*
 * Stop the service: SIGTERM to its process group, then SIGKILL after its
 * stop_timeout, then SIGKILL to whatever is left of the group; reap it and
 * free s.  Accepts NULL.
 */
void runner_service_stop(struct runner_service *s);

/* A copy of text with every "{port}" replaced by port; malloc'd. */
char *runner_subst_port(const char *text, long port);

/*
 * *sub: a shallow copy of cb for the load command of a service on port,
 * with "{port}" replaced in its command, output and env values, the entry
 * PERFGATE_PORT=port added to its env, and no service or soak.  The
 * replaced strings are sub's own: runner_load_subst_release() frees them
 * (not what sub shares with cb).
 */
void runner_load_subst(struct config_bench *sub, const struct config_bench *cb,
                       long port);
void runner_load_subst_release(struct config_bench *sub);

/*
 * One readiness probe of 127.0.0.1:port: with url (http://127.0.0.1:N/
 * or http://localhost:N/, "{port}" already replaced) a GET whose status
 * is 2xx, else a TCP connection.  At most timeout seconds.  1 when ready,
 * 0 when not (yet).
 */
int runner_probe(const char *url, long port, double timeout);

#endif
