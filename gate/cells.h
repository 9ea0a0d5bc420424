/*
 * cells.h - the cells of a comparison (gate/compare.h): one per benchmark
 * x metric of the candidate, each with its row in the report, its options
 * (theta, alpha, gating), the baseline runs that measured it, and the
 * comparison of the two sides (stats/compare.h, stats/pooled.h, or
 * gate/load.h for load metrics).  Rows that cannot be compared get their
 * verdict and note here; the others are classified by gate/compare.c
 * once the suite's p-values are adjusted.
 */
#ifndef PG_GATE_CELLS_H
#define PG_GATE_CELLS_H

#include <stddef.h>

#include "gate/compare_opts.h"
#include "model/report.h"
#include "stats/compare.h"
#include "stats/pooled.h"
#include "model/config.h"
#include "model/result.h"

/* One benchmark x metric of the candidate and what it is compared with. */
struct gate_cell {
	const struct result_bench *bench;
	const struct result_metric *metric;
	const struct config_bench *cfgb;
	struct stats_compare_opts so; /* so.deterministic: instructions */
	struct stats_comparison c;
	int tested; /* c holds a comparison */
	int gating;
	size_t row; /* index in rep->rows */
	/* the baseline runs that measured it, newest first (borrowed) */
	const double **runs;
	size_t *run_n;
	size_t k; /* 0: nothing to compare (the row says why) */
	size_t nlevel; /* the newest runs that set the level (gate/compare.h) */
	int constant; /* every run, and the candidate, is constant */
	struct stats_pooled_prior prior; /* of its metric, over the suite */
	/* the newest baseline run's benchmark (borrowed), NULL: none */
	const struct result_bench *newest;
	char *method_note; /* how a load metric was compared (gate/load.h) */
};

/* The cells of one comparison; every pointer but cells is borrowed. */
struct gate_cells {
	struct report *rep;
	const struct config *cfg; /* may be NULL */
	const struct result_run *base;
	size_t nbase;
	const struct gate_compare_opts *o;
	double spend; /* the share of alpha this look spends, (0, 1] */
	struct gate_cell *cells;
	size_t ncells, cells_alloc;
	size_t max_runs; /* most baseline runs any comparison pooled */
};

/* Start x with no cells; the arguments are borrowed for x's lifetime. */
void gate_cells_init(struct gate_cells *x, struct report *rep,
                     const struct config *cfg, const struct result_run *base,
                     size_t nbase, const struct gate_compare_opts *o);

/*
 * Add a row and a cell for every metric of candidate benchmark b (one
 * "run" row with verdict error when b failed) and gather the baseline runs
 * that measured it.  Returns 0, or a negative code (PG_EINPUT: counts of
 * a load metric that are not whole numbers).
 */
int gate_cells_add(struct gate_cells *x, const struct result_bench *b);

/*
 * Fit the suite's prior of the between-run variance of each metric, then
 * compare every cell that has a baseline (cell->tested).  Returns 0, or a
 * negative code naming the benchmark and metric (PG_EINPUT: samples that
 * cannot be compared).
 */
int gate_cells_compare(struct gate_cells *x);

/* Free what x owns (not the borrowed report, config or runs). */
void gate_cells_release(struct gate_cells *x);

/*
 * A row for bench x metric in rep, in its group (JUnit classname): a
 * harness entry's name before the '/', else the report's title.
 */
struct report_row *gate_add_row(struct report *rep, const char *bench,
                                const char *metric);

/*
 * Drop row's note, before a note that replaces it
 * (report_row_add_note() keeps every earlier one).
 */
void gate_clear_note(struct report_row *row);

/*
 * 1 when metric m of benchmark b gates (its verdict can fail the build):
 * as the config says for that benchmark, else wall_time (or the first
 * metric without one) and instruction counts.  cfg may be NULL.
 */
int gate_metric_gating(const struct config *cfg, const struct result_bench *b,
                       const struct result_metric *m);

#endif
