/*
 * run.h - measuring a suite: the flow of `perfgate run` (load the config,
 * select the benchmarks, measure them, keep the results, store them), also
 * used by the gate and by the paired gate for the entries that cannot run
 * in pairs.  What is shown while measuring is the caller's, through a
 * struct pipeline_run_view.
 */
#ifndef PG_PIPELINE_RUN_H
#define PG_PIPELINE_RUN_H

#include <signal.h>
#include <stddef.h>

#include "pipeline/target.h"
#include "runner/icount.h"
#include "model/config.h"
#include "model/result.h"

/* What to measure and where to keep it; every string borrowed. */
struct pipeline_run_opts {
	const char *config;
	const char *filter;
	const char *json;
	const char *label;
	const char *commit; /* --commit REV, NULL: HEAD */
	const char *notes_ref;
	long runs, warmup; /* -1: from the config */
	double timeout; /* <= 0: from the config */
	unsigned shard_index, shard_count; /* --shard I/N; 0/0: all */
	int no_store;
	int open_store; /* open the repository even with no_store (gate) */
	unsigned metrics; /* CONFIG_METRIC_* from --metric; 0: config */
	const char *counter; /* --counter, NULL: $PERFGATE_COUNTER or auto */
	char **adhoc; /* argv after -- */
	/*
	 * per benchmark of the config, 0 leaves it out (beside --filter and
	 * --shard); NULL: none left out.  The paired gate measures the
	 * entries that cannot run in pairs with it.
	 */
	const char *mask;
};

/* Runs and warmup -1 (from the config), label $PERFGATE_RUNNER. */
void pipeline_run_opts_init(struct pipeline_run_opts *o);

/*
 * What the caller shows while a suite is measured; every callback may be
 * NULL.  ctx is passed back to each.
 */
struct pipeline_run_view {
	void *ctx;
	/* with o->shard_count: n of the suite's total benchmarks are in
	 * this shard */
	void (*sharded)(void *ctx, const struct pipeline_run_opts *o, size_t n,
	                size_t total);
	/* before measuring: selected[i] for each benchmark of cfg */
	void (*start)(void *ctx, const struct config *cfg,
	              const struct pipeline_run_opts *o, const char *selected);
	/* before each invocation (runner_hooks.before_run) */
	void (*before_run)(void *ctx, const char *bench, int warmup, long i,
	                   long total);
	/* after each entry: its n results (one per inner benchmark of a
	 * harness) */
	void (*measured)(void *ctx, const struct result_bench *b, size_t n);
	/* after the suite, before storing (o->json): 0, or an error that
	 * is returned instead of storing */
	int (*done)(void *ctx, const struct pipeline_run_opts *o,
	            const struct result_run *run);
	/* set when the user interrupts: stops measuring and storing */
	volatile sig_atomic_t *cancel;
};

/*
 * Load the config (o->config, else perfgate.json at the work tree's root;
 * or a one-benchmark config for o->adhoc) into cfg, prepare storing,
 * measure the selected benchmarks into run, call view->done and store run
 * unless o->no_store.  cfg, run and target are initialised here and must
 * be released by the caller (config_release, result_run_release,
 * pipeline_target_release) whatever the result.  Returns 0, PG_EINPUT for
 * a bad config, filter or commit, PG_ERUNTIME when a benchmark failed (the
 * benchmarks that ran are still passed to done and stored).
 */
int pipeline_run_suite(const struct pipeline_run_opts *o, struct config *cfg,
                       struct result_run *run, struct pipeline_target *target,
                       const struct pipeline_run_view *view);

/*
 * How to count instructions: --counter, else $PERFGATE_COUNTER, else auto.
 * 0 or PG_EINPUT naming the bad value.
 */
int pipeline_run_counter(enum runner_icount_source *out,
                         const struct pipeline_run_opts *o);

/*
 * Load the config as pipeline_run_suite() does into cfg (released by the
 * caller in every case) and check its formats.  0 or PG_EINPUT.
 */
int pipeline_run_load_config(struct config *cfg,
                             const struct pipeline_run_opts *o);

/*
 * selected[i] = 1 for the benchmarks of cfg that filter (POSIX ERE, NULL:
 * all) matches.  0, or PG_EINPUT for a bad filter or one that matches
 * nothing.
 */
int pipeline_run_select(const struct config *cfg, const char *filter,
                        char *selected);

#endif
