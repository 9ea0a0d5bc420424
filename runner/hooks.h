/*
 * hooks.h - what the caller of a measurement adds to it: callbacks
 * (progress, soak sampling), a cancel flag and the instruction counter.
 *
 * Every measuring loop takes one (runner/suite.h, runner/invoke.h,
 * runner/loadtest.h, runner/stress.h, runner/icount.h, paired sessions),
 * so it sits below all of them.
 */
#ifndef PG_RUNNER_HOOKS_H
#define PG_RUNNER_HOOKS_H

#include <signal.h>

/*
 * Which counter runner/icount.h counts instructions with: chosen by the
 * caller (--counter), so it is a hook.
 */
enum runner_icount_source {
	RUNNER_ICOUNT_AUTO = 0, /* perf when it counts here, else valgrind */
	RUNNER_ICOUNT_PERF,
	RUNNER_ICOUNT_VALGRIND,
};

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
 * should run: i < total, or hooks->more_runs() says so.  hooks may be
 * NULL.
 */
int runner_hooks_more(const struct runner_hooks *hooks, long i, long total);

/* Copy the tick of hooks (may be NULL) into spec. */
struct runner_spec;
void runner_hooks_to_spec(const struct runner_hooks *hooks,
                          struct runner_spec *spec);

#endif
