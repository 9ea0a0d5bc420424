/*
 * summary.h - one benchmark's result on one commit, as a history point:
 * the median of its samples pooled over the commit's runs.
 *
 * `perfgate log` summarises every run of a commit on its primary metric;
 * the history alert of `perfgate gate` (history/alert.h) summarises each
 * gating metric over the clean runs of one runner class only, since a
 * shift between two machines is not a change of the code.
 *
 * Errors and ownership: nothing here can fail; names in a summarised row
 * are borrowed from the runs, and the pool's scratch memory belongs to the
 * caller (history_pool_release()).
 */
#ifndef PG_HISTORY_SUMMARY_H
#define PG_HISTORY_SUMMARY_H

#include <stddef.h>

#include "history/series.h"
#include "model/result.h"

/* Scratch memory of history_summarise(), reused across calls. */
struct history_pool {
	double *x;
	size_t alloc;
};

/* Free the scratch memory.  The pool may be reused after. */
void history_pool_release(struct history_pool *p);

/* Which runs count; a zeroed filter takes every run. */
struct history_filter {
	const char *env_key; /* result_run_env_key() must equal it; NULL: any */
	int clean_only; /* skip dirty runs and runs of paired sessions */
};

/* The metric a plain `log` shows: wall_time when measured, else the first. */
const struct result_metric *history_primary(const struct result_bench *b);

/*
 * Pool benchmark name's metric (NULL: each run's primary metric, which
 * must agree across runs) over the runs of runs[0..n) that pass f (NULL:
 * all) into *row (names borrowed from runs; change NULL).  Returns 1 when
 * there were samples, 0 when none.
 */
int history_summarise(struct history_row *row, struct history_pool *pool,
                      const struct result_run *runs, size_t n, const char *name,
                      const char *metric, const struct history_filter *f);

/*
 * The rows of one commit's note, as `perfgate log` shows them: one per
 * benchmark of runs[0..n), in order of first appearance, pooled on its
 * primary metric by history_summarise(); only the benchmarks named in
 * names[0..nnames) when nnames > 0.  The rows go into *rows, grown as
 * needed with *alloc (the caller frees *rows; the rows' names are
 * borrowed from runs).  Returns how many rows there are.
 */
size_t history_summarise_note(struct history_row **rows, size_t *alloc,
                              struct history_pool *pool,
                              const struct result_run *runs, size_t n,
                              char *const *names, size_t nnames);

#endif
