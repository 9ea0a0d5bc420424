/*
 * summary.h - one commit's stored runs summarised for trend charts: per
 * benchmark's primary metric and runner class, the pooled median and the
 * run-level spread (struct history_row), paired-session runs left out.
 *
 * `perfgate log` pools every run of a commit into one row per benchmark;
 * the charts of `perfgate report --html` keep runner classes apart (a
 * laptop and a CI runner are different series) and keep paired sessions
 * out of history, as stored baselines do (gate/baseline.c).
 */
#ifndef PG_HISTORY_CLASSES_H
#define PG_HISTORY_CLASSES_H

#include <stddef.h>

#include "history/series.h"
#include "model/result.h"

/* Scratch kept across commits, so a long walk does not reallocate. */
struct history_classes {
	struct history_row *rows;
	size_t nrows, rows_alloc;
	char **envs; /* the runs' env keys (result_run_env_key()) */
	size_t nenvs, envs_alloc;
	double *pool, *medians;
	size_t pool_alloc, medians_alloc;
	int paired; /* the last commit summarised had paired-session runs */
};

void history_classes_init(struct history_classes *s);
void history_classes_release(struct history_classes *s);

/*
 * Benchmarks to keep: return 1 for name.  NULL keeps all.
 */
typedef int (*history_wanted_fn)(const char *name, void *arg);

/*
 * Summarise runs[0..n) of one commit into s->rows[0..s->nrows): one row
 * per wanted benchmark x runner class, in first-seen order, with the
 * primary metric (wall_time when measured, else the benchmark's first
 * metric), skipping failed benchmarks and paired-session runs (s->paired
 * says whether there were any).  The rows borrow names from runs and
 * env keys from s: valid until the next call or history_classes_release().
 */
void history_classes_summarise(struct history_classes *s,
                               const struct result_run *runs, size_t n,
                               history_wanted_fn wanted, void *arg);

#endif
