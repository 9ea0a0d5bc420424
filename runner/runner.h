/*
 * runner.h - spawn one process and measure it.
 *
 * The child runs in its own process group with stdin from /dev/null,
 * stdout discarded (or captured when asked) and stderr captured in a memory
 * file so that a failure can be reported with its tail.  Wall time is
 * CLOCK_MONOTONIC taken immediately before posix_spawn() and immediately
 * after SIGCHLD arrives, so perfgate's own bookkeeping is outside the
 * measured interval.  CPU times and peak RSS come from wait4()'s rusage.
 */
#ifndef PG_RUNNER_RUNNER_H
#define PG_RUNNER_RUNNER_H

#include <signal.h>
#include <stddef.h>

#include "runner/perfcount.h"
#include "util/buf.h"
#include "util/defaults.h"

struct runner_spec {
	/* Exactly one of argv (PATH lookup, no shell) and shell is set. */
	char *const *argv;
	const char *shell; /* run as /bin/sh -c shell */
	const char *cwd; /* NULL: perfgate's own */
	char *const *envp; /* NULL: perfgate's environment */
	double timeout; /* seconds; <= 0 means none */
	int capture_stdout;
	/*
	 * Start the child with address-space randomisation off
	 * (personality ADDR_NO_RANDOMIZE), so that instruction counts
	 * repeat; its descendants inherit it.
	 */
	int no_aslr;
	/*
	 * Count this event of the child and its descendants from exec to
	 * exit (runner/perfcount.h) into runner_result.counted.  The child
	 * is then started with fork and held until the counter is attached,
	 * instead of posix_spawn.
	 */
	enum runner_perf_event count;
	/* When non-NULL and it becomes non-zero, the child is killed. */
	const volatile sig_atomic_t *cancel;
	/*
	 * When non-NULL, called about every tick_every seconds while the
	 * child runs (soak mode samples a service with it).  It runs
	 * inside the measured interval, so it must be quick.
	 */
	void (*tick)(void *ctx);
	void *tick_ctx;
	double tick_every;
};

struct runner_result {
	double wall; /* seconds */
	double user; /* seconds of user CPU, child and its waited-for kids */
	double sys; /* seconds of system CPU */
	double max_rss; /* bytes */
	double counted; /* the spec's count event; NAN without one */
	int exited; /* 1: normal exit, exit_code is valid */
	int exit_code;
	int signal; /* killing signal when !exited */
	int timed_out; /* killed by perfgate at the timeout */
	int cancelled; /* killed because *cancel became non-zero */
	struct pg_buf out; /* stdout, when capture_stdout */
	struct pg_buf err_tail; /* stderr tail, only after a failure */
};

void runner_result_init(struct runner_result *r);
void runner_result_release(struct runner_result *r);

/*
 * A runner holds what every run of one command shares: /dev/null, the
 * capture files, the blocked SIGCHLD it waits on.  Setting these up once
 * keeps per-run overhead to the spawn and two system calls.  While a
 * runner exists SIGCHLD is blocked in the calling thread; runner_free()
 * restores the signal mask.  Several runners may exist at once (paired
 * mode keeps one per side) when they are freed in the reverse order of
 * their creation; only one child runs at a time.
 */
struct runner;

/*
 * Prepare to run spec, which must stay valid until runner_free().  Returns
 * 0 or PG_ERUNTIME; *out is the caller's, freed with runner_free().
 */
int runner_new(struct runner **out, const struct runner_spec *spec);
void runner_free(struct runner *r);

/*
 * Run the command once and fill res (initialised by the caller; reset
 * here).  Returns 0 when the child ran, whatever its exit status: use
 * runner_succeeded().  Returns PG_ERUNTIME when it could not be started
 * (command not found, bad cwd), its counter could not be opened or read,
 * or waiting for it failed.
 */
int runner_exec(struct runner *r, struct runner_result *res);

/* 1 when the child exited with status 0 and was not killed. */
int runner_succeeded(const struct runner_result *res);

/*
 * Describe a failed run in one line ("exited with status 2", "killed by
 * signal 11 (Segmentation fault)", "timed out after 2s"), followed by the
 * stderr tail when there is one.  Appends to msg.
 */
void runner_describe_failure(const struct runner_result *res, double timeout,
                             struct pg_buf *msg);

/*
 * A NULL-terminated environment: perfgate's own, with extra ("KEY=VALUE",
 * n entries) added or replacing.  Free with runner_env_free().
 */
char **runner_env_build(char *const *extra, size_t n);
void runner_env_free(char **envp);

#endif
