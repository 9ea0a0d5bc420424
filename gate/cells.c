#include "gate/cells.h"
#include "gate/load.h"
#include "gate/stress.h"
#include "stats/describe.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gate_cells_init(struct gate_cells *x, struct report *rep,
                     const struct config *cfg, const struct result_run *base,
                     size_t nbase, const struct gate_compare_opts *o)
{
	memset(x, 0, sizeof(*x));
	x->rep = rep;
	x->cfg = cfg;
	x->base = base;
	x->nbase = nbase;
	x->o = o;
	x->spend = o->spend > 0 && o->spend < 1 ? o->spend : 1.0;
}

void gate_cells_release(struct gate_cells *x)
{
	size_t i;

	for (i = 0; i < x->ncells; i++) {
		free(x->cells[i].runs);
		free(x->cells[i].run_n);
		free(x->cells[i].method_note);
	}
	free(x->cells);
	x->cells = NULL;
	x->ncells = x->cells_alloc = 0;
}

/* The report group (JUnit classname): a harness entry, else the suite. */
static char *group_of(const struct report *rep, const char *bench)
{
	const char *slash = strchr(bench, '/');

	if (slash && slash != bench)
		return pg_strndup(bench, (size_t)(slash - bench));
	return pg_strdup(rep->title ? rep->title : "perfgate");
}

void gate_clear_note(struct report_row *row)
{
	free(row->note);
	row->note = NULL;
}

struct report_row *gate_add_row(struct report *rep, const char *bench,
                                const char *metric)
{
	char *group = group_of(rep, bench);
	struct report_row *row = report_add_row(rep, group, bench, metric);

	free(group);
	return row;
}

static double median_of(const struct result_metric *m)
{
	double *x, med;

	if (!m->n)
		return NAN;
	x = pg_malloc(m->n * sizeof(double));
	memcpy(x, m->samples, m->n * sizeof(double));
	med = stats_median(x, m->n);
	free(x);
	return med;
}

static int all_positive(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			return 0;
	return 1;
}

/* Runs of one commit are next to each other in the baseline. */
static int same_commit(const struct result_run *a, const struct result_run *b)
{
	return a->commit && b->commit && !strcmp(a->commit, b->commit);
}

static int all_zero(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != 0)
			return 0;
	return 1;
}

/*
 * Instruction counts of different sources (perf, valgrind) differ by
 * more than any theta: 1 when base and cand used the same one (or one of
 * them does not say), else 0 with row made inconclusive.
 */
static int same_counter(const struct result_bench *base,
                        const struct result_bench *cand, struct report_row *row)
{
	const char *a = result_bench_param(base, RESULT_INSTRUCTIONS_SOURCE);
	const char *b = result_bench_param(cand, RESULT_INSTRUCTIONS_SOURCE);

	if (!a || !b || !strcmp(a, b))
		return 1;
	row->verdict = REPORT_INCONCLUSIVE;
	gate_clear_note(row);
	report_row_add_note(row,
	                    "counted by '%s' in the baseline and by '%s' here: "
	                    "counts of different sources are not comparable",
	                    a, b);
	return 0;
}

/*
 * Load metrics that the samples alone would compare wrongly (gate/load.h):
 * before the generic comparison the error rate (from the request counts),
 * after it (retry = 1, when the runs were too few for the rank test) a
 * latency percentile from the raw latencies.  Returns 1 when the cell was
 * compared here, 0 when not, a negative code on error.
 */
static int compare_load_cell(struct gate_cell *cell, struct report_row *row,
                             int retry)
{
	const char *name = cell->metric->name;
	char *note = NULL;
	int done;

	if (retry)
		done = gate_load_quantile(&cell->c, &note, cell->newest,
		                          cell->bench, name, &cell->so);
	else
		done = gate_load_error_rate(&cell->c, &note, cell->newest,
		                            cell->bench, name, &cell->so);
	if (done < 0)
		return pg_error_wrap(done, "benchmark '%s' metric '%s'",
		                     cell->bench->name, name);
	if (!done)
		return 0;
	/* counts and bootstraps carry no se: their MDE is unknown */
	cell->c.se = cell->c.df = NAN;
	cell->tested = 1;
	cell->method_note = note;
	row->base_value = cell->c.median_a;
	row->cand_value = cell->c.median_b;
	/* the method note replaces "samples are harness aggregates" */
	gate_clear_note(row);
	return 1;
}

/* What every sample of a cell, candidate and baseline, has in common. */
struct sides {
	int positive, zero, constant;
};

static void sides_add(struct sides *s, const double *x, size_t n)
{
	s->constant = s->constant && n >= 2 && stats_is_constant(x, n);
	s->positive = s->positive && all_positive(x, n);
	s->zero = s->zero && all_zero(x, n);
}

/*
 * Collect the baseline runs that measured cell (newest commit first) into
 * cell->runs, run_n, nlevel and newest, and what their samples share into
 * *sides.  Returns how many runs; *total is their number of samples.
 */
static size_t collect_runs(struct gate_cells *x, struct gate_cell *cell,
                           struct sides *sides, size_t *total)
{
	const struct result_metric *m = cell->metric;
	size_t i, k = 0, commits = 0;

	cell->runs = pg_calloc(x->nbase + 1, sizeof(double *));
	cell->run_n = pg_calloc(x->nbase + 1, sizeof(size_t));
	for (i = 0; i < x->nbase; i++) {
		const struct result_bench *b =
		        result_bench_find(&x->base[i], cell->bench->name);
		const struct result_metric *bm =
		        b && !b->error ? result_metric_find(b, m->name) : NULL;

		commits += !i || !same_commit(&x->base[i - 1], &x->base[i]);
		if (!bm || !bm->n)
			continue;
		if (!cell->newest)
			cell->newest = b;
		if (!x->o->level_commits || commits <= x->o->level_commits)
			cell->nlevel++;
		sides_add(sides, bm->samples, bm->n);
		cell->runs[k] = bm->samples;
		cell->run_n[k++] = bm->n;
		*total += bm->n;
	}
	return k;
}

/*
 * Gather the baseline runs that measured one cell (newest commit first);
 * rows that cannot be compared get their verdict here, and so do error
 * rates (compared on their counts).  Returns 0 or a negative code.
 */
static int gather_cell(struct gate_cells *x, struct gate_cell *cell,
                       struct report_row *row)
{
	const struct result_metric *m = cell->metric;
	struct sides sides = {1, 1, 1};
	size_t k, total = 0;
	int err;

	sides_add(&sides, m->samples, m->n);
	k = collect_runs(x, cell, &sides, &total);
	row->n_base = total;
	if (gate_stress_failure_mode(row, cell->newest, cell->bench, m->name))
		return 0;
	if (!k) {
		row->verdict = x->nbase ? REPORT_ADDED : REPORT_NO_BASELINE;
		return 0;
	}
	row->base_value = stats_median(cell->runs[0], cell->run_n[0]);
	if ((err = compare_load_cell(cell, row, 0)) != 0)
		return err < 0 ? err : 0;
	if (!sides.positive) {
		row->verdict =
		        sides.zero ? REPORT_UNCHANGED : REPORT_INCONCLUSIVE;
		gate_clear_note(row); /* "samples are harness aggregates" */
		report_row_add_note(row, "%s",
		                    sides.zero
		                            ? "every sample is 0 on both sides"
		                            : "samples must be positive for a "
		                              "relative comparison");
		return 0;
	}
	if (cell->so.deterministic &&
	    !same_counter(cell->newest, cell->bench, row))
		return 0;
	/* a count is a property of the commit, not a noisy draw: the
	 * newest baseline commit is the baseline, and pooling commits
	 * would only mix different programs */
	cell->constant = sides.constant;
	if (cell->so.deterministic || sides.constant)
		k = 1;
	cell->so.paired = cell->so.paired && k == 1 && cell->run_n[0] == m->n &&
	                  result_metric_one_per_pair(cell->bench, m);
	cell->k = k;
	return 0;
}

/*
 * Whether cell is compared run against run (stats/pooled.h): every timing
 * metric of a stored baseline.  Not paired sessions (both sides were
 * measured interleaved in one session), counts and metrics constant in
 * every run (a count: compared with the newest run, stats/compare.h).
 */
static int pools(const struct gate_cells *x, const struct gate_cell *cell)
{
	return cell->k && !x->o->paired && !cell->so.paired &&
	       !cell->so.deterministic && !cell->constant;
}

/*
 * The suite's prior of the between-run variance of metric name: fitted
 * over every benchmark of that metric with at least two baseline runs
 * (they share the runs, so the same runner noise).
 */
static int fit_prior(struct gate_cells *x, const char *name,
                     struct stats_pooled_prior *prior)
{
	struct stats_pooled_summary *s = pg_calloc(x->ncells + 1, sizeof(*s));
	size_t i, n = 0;
	int err = 0;

	for (i = 0; i < x->ncells && !err; i++) {
		const struct gate_cell *c = &x->cells[i];

		if (c->k < 2 || !pools(x, c) || strcmp(c->metric->name, name))
			continue;
		err = stats_pooled_summarize(&s[n++], c->runs, c->run_n, c->k,
		                             c->nlevel, &c->so);
	}
	if (!err)
		stats_pooled_fit_prior(prior, s, n, PG_POOLED_PRIOR_MIN_CELLS,
		                       PG_POOLED_PRIOR_MAX_DF);
	free(s);
	return err;
}

/*
 * The share of alpha a cell spends: this look's, but a stress entry's all
 * of it (one batch of ramp pairs, never looked at: runner/pairs_stress.c).
 */
static double spend_of(const struct gate_cells *x,
                       const struct config_bench *cfgb)
{
	return cfgb && cfgb->stress ? 1.0 : x->spend;
}

static int is_instructions(const char *metric)
{
	return !strcmp(metric, RESULT_INSTRUCTIONS);
}

/*
 * theta of one benchmark x metric: the config's, else --threshold, else
 * the default of the mode.  Instruction counts have no timing noise: their
 * theta is PG_DEFAULT_THRESHOLD_INSTRUCTIONS unless a threshold names them
 * ("threshold": {"instructions": "1%"}); a bare threshold is about time.
 */
static double cell_threshold(const struct gate_cells *x,
                             const struct config_bench *b, const char *metric)
{
	const struct gate_compare_opts *o = x->o;
	double fallback = isnan(o->threshold)
	                          ? (o->paired ? PG_DEFAULT_THRESHOLD_PAIRED
	                                       : PG_DEFAULT_THRESHOLD)
	                          : o->threshold;

	if (is_instructions(metric))
		return config_metric_threshold(
		        x->cfg, b, metric, PG_DEFAULT_THRESHOLD_INSTRUCTIONS);
	/* in rate points: 5% of a rate that was 0 means nothing */
	if (!strcmp(metric, GATE_LOAD_ERROR_RATE))
		return config_metric_threshold(x->cfg, b, metric,
		                               PG_DEFAULT_ERROR_RATE_THRESHOLD);
	return config_threshold(x->cfg, b, metric, fallback);
}

/*
 * After a comparison too weak to ever reach alpha: a latency percentile
 * from the raw latencies instead, or the note that says why one run a
 * side of an aggregate cannot decide.
 */
static int load_fallback(struct gate_cells *x, struct gate_cell *cell)
{
	struct report_row *row = &x->rep->rows[cell->row];
	const struct result_metric *m = cell->metric;
	int err;

	if (!cell->c.too_few)
		return 0;
	/* a stored baseline with too little history stays inconclusive: the
	 * raw latencies of two runs share nothing but the between-run noise
	 * that the history is needed for */
	if (pools(x, cell))
		return 0;
	if ((err = compare_load_cell(cell, row, 1)) != 0)
		return err < 0 ? err : 0;
	if (m->aggregate && (m->n < 2 || cell->run_n[0] < 2)) {
		gate_clear_note(row);
		row->note = cell->cfgb && cell->cfgb->stress
		                    ? gate_stress_single_ramp_note(m->name)
		                    : gate_load_single_run_note(m->name);
	}
	return 0;
}

/*
 * Compare one cell: a stored timing metric run against run, with the
 * between-run variance of its history (stats/pooled.h; too little history
 * is inconclusive, never a sample-by-sample test across two runs); a
 * paired session's pairs, a count or a constant metric against the newest
 * run (Wilcoxon signed-rank, or the range of ratios).
 */
static int compare_cell(struct gate_cells *x, struct gate_cell *cell)
{
	const struct result_metric *m = cell->metric;
	int err;

	if (pools(x, cell)) {
		if (cell->k > x->max_runs)
			x->max_runs = cell->k;
		err = stats_compare_pooled_prior(&cell->c, cell->runs,
		                                 cell->run_n, cell->k,
		                                 cell->nlevel, m->samples, m->n,
		                                 &cell->so, &cell->prior);
	} else {
		err = stats_compare(&cell->c, cell->runs[0], cell->run_n[0],
		                    m->samples, m->n, &cell->so);
		if (!err && cell->k > 1)
			snprintf(cell->c.detail, sizeof(cell->c.detail),
			         "newest of %zu baseline runs only", cell->k);
	}
	if (err < 0)
		return pg_error_wrap(err, "benchmark '%s' metric '%s'",
		                     cell->bench->name, m->name);
	cell->tested = 1;
	x->rep->rows[cell->row].base_value = cell->c.median_a;
	if (pools(x, cell)) {
		/* run against run: the reason and the pool replace "samples
		 * are harness aggregates" */
		gate_clear_note(&x->rep->rows[cell->row]);
	}
	return load_fallback(x, cell);
}

/* Fit one prior per metric name, then compare every cell. */
int gate_cells_compare(struct gate_cells *x)
{
	size_t i, j;
	int err;

	for (i = 0; i < x->ncells; i++) {
		struct gate_cell *c = &x->cells[i];

		for (j = 0; j < i; j++)
			if (!strcmp(x->cells[j].metric->name, c->metric->name))
				break;
		if (j < i)
			c->prior = x->cells[j].prior;
		else if ((err = fit_prior(x, c->metric->name, &c->prior)) < 0)
			return err;
	}
	for (i = 0; i < x->ncells; i++)
		if (x->cells[i].k && (err = compare_cell(x, &x->cells[i])) < 0)
			return err;
	return 0;
}

/*
 * Which metrics gate when the config does not say: wall time for a
 * measured process (CPU time and peak RSS are reported); for a harness's
 * benchmark, which has no wall time, its primary (first) metric, such as
 * Google Benchmark's real_time or go's sec/op; instruction counts always.
 */
static int gates_by_default(const struct result_bench *b,
                            const struct result_metric *m)
{
	if (is_instructions(m->name))
		return 1;
	if (result_metric_find(b, RESULT_WALL_TIME))
		return !strcmp(m->name, RESULT_WALL_TIME);
	return m == &b->metrics[0];
}

int gate_metric_gating(const struct config *cfg, const struct result_bench *b,
                       const struct result_metric *m)
{
	const struct config_bench *cb =
	        cfg ? config_find_bench(cfg, b->name) : NULL;

	return config_has_gate_policy(cfg, cb)
	               ? config_metric_gates(cfg, cb, m->name)
	               : gates_by_default(b, m);
}

int gate_cells_add(struct gate_cells *x, const struct result_bench *b)
{
	const struct gate_compare_opts *o = x->o;
	size_t i;
	int err;

	if (b->error) {
		struct report_row *row = gate_add_row(x->rep, b->name, "run");

		row->verdict = REPORT_ERROR;
		row->error = pg_strdup(b->error);
		return 0;
	}
	for (i = 0; i < b->nmetrics; i++) {
		const struct result_metric *m = &b->metrics[i];
		struct report_row *row = gate_add_row(x->rep, b->name, m->name);
		struct gate_cell *cell;

		x->cells = pg_grow_array(x->cells, sizeof(*x->cells),
		                         x->ncells + 1, &x->cells_alloc);
		cell = &x->cells[x->ncells++];
		memset(cell, 0, sizeof(*cell));
		cell->bench = b;
		cell->metric = m;
		cell->cfgb = x->cfg ? config_find_bench(x->cfg, b->name) : NULL;
		cell->row = x->rep->nrows - 1;
		cell->gating = gate_metric_gating(x->cfg, b, m);
		stats_compare_opts_init(&cell->so, o->paired);
		cell->so.higher_is_better =
		        m->direction == RESULT_HIGHER_IS_BETTER;
		cell->so.threshold = cell_threshold(x, cell->cfgb, m->name);
		cell->so.deterministic = is_instructions(m->name);
		cell->so.alpha = config_alpha(x->cfg, cell->cfgb, o->alpha) *
		                 spend_of(x, cell->cfgb);
		cell->so.confidence =
		        1 - (1 - o->confidence) * spend_of(x, cell->cfgb);
		cell->so.seed = o->seed;
		row->unit = pg_strdup(m->unit);
		row->direction = m->direction;
		row->n_cand = m->n;
		row->cand_value = median_of(m);
		row->threshold = cell->so.threshold;
		row->informational = !cell->gating;
		if (m->aggregate)
			row->note = pg_strdup("samples are harness aggregates, "
			                      "not raw measurements");
		if ((err = gather_cell(x, cell, row)) < 0)
			return err;
	}
	return 0;
}
