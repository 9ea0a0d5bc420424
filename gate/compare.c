#include "gate/compare.h"
#include "gate/load.h"
#include "gate/stress.h"
#include "stats/compare.h"
#include "stats/describe.h"
#include "stats/mde.h"
#include "stats/pooled.h"
#include "stats/quantile.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/quantity.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One benchmark x metric of the candidate and what it is compared with. */
struct cell {
	const struct result_bench *bench;
	const struct result_metric *metric;
	const struct config_bench *cfgb;
	struct stats_compare_opts so;
	struct stats_comparison c;
	int tested; /* c holds a comparison */
	int gating;
	size_t row;
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

struct ctx {
	struct report *rep;
	const struct config *cfg;
	const struct result_run *base;
	size_t nbase;
	const struct gate_compare_opts *o;
	struct cell *cells;
	size_t ncells, cells_alloc;
	size_t max_runs; /* most baseline runs any comparison pooled */
};

void gate_compare_opts_init(struct gate_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->alpha = PG_DEFAULT_ALPHA;
	o->threshold = NAN;
	o->confidence = PG_DEFAULT_CONFIDENCE;
	o->correction = STATS_CORRECTION_BH;
	o->seed = PG_DEFAULT_SEED;
}

/* The report group (JUnit classname): a harness entry, else the suite. */
static char *group_of(const struct report *rep, const char *bench)
{
	const char *slash = strchr(bench, '/');

	if (slash && slash != bench)
		return pg_strndup(bench, (size_t)(slash - bench));
	return pg_strdup(rep->title ? rep->title : "perfgate");
}

static struct report_row *add_row(struct report *rep, const char *bench,
                                  const char *metric)
{
	char *group = group_of(rep, bench);
	struct report_row *row = report_add_row(rep, group, bench, metric);

	free(group);
	return row;
}

/* The newest run in runs[0..n) (later entries are newer) with bench. */
static const struct result_bench *newest_bench(const struct result_run *runs,
                                               size_t n, const char *name)
{
	const struct result_bench *b;
	size_t i;

	for (i = n; i-- > 0;)
		if ((b = result_bench_find(&runs[i], name)))
			return b;
	return NULL;
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
	char note[256];

	if (!a || !b || !strcmp(a, b))
		return 1;
	snprintf(note, sizeof(note),
	         "counted by '%s' in the baseline and by '%s' here: counts "
	         "of different sources are not comparable",
	         a, b);
	row->verdict = REPORT_INCONCLUSIVE;
	free(row->note);
	row->note = pg_strdup(note);
	return 0;
}

/*
 * Load metrics that the samples alone would compare wrongly (gate/load.h):
 * before the generic comparison the error rate (from the request counts),
 * after it (retry = 1, when the runs were too few for the rank test) a
 * latency percentile from the raw latencies.  Returns 1 when the cell was
 * compared here, 0 when not, a negative code on error.
 */
static int compare_load_cell(struct cell *cell, struct report_row *row,
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
	free(row->note);
	row->note = NULL;
	return 1;
}

/*
 * Gather the baseline runs that measured one cell (newest commit first);
 * rows that cannot be compared get their verdict here, and so do error
 * rates (compared on their counts).  Returns 0 or a negative code.
 */
static int gather_cell(struct ctx *x, struct cell *cell, struct report_row *row)
{
	const struct result_metric *m = cell->metric;
	const struct result_bench *newest = NULL;
	size_t i, k = 0, total = 0, commits = 0;
	int err, positive = all_positive(m->samples, m->n);
	int zero = all_zero(m->samples, m->n);
	int constant = m->n >= 2 && stats_is_constant(m->samples, m->n);

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
		if (!newest)
			newest = b;
		if (!x->o->level_commits || commits <= x->o->level_commits)
			cell->nlevel++;
		constant = constant && bm->n >= 2 &&
		           stats_is_constant(bm->samples, bm->n);
		positive = positive && all_positive(bm->samples, bm->n);
		zero = zero && all_zero(bm->samples, bm->n);
		cell->runs[k] = bm->samples;
		cell->run_n[k++] = bm->n;
		total += bm->n;
	}
	row->n_base = total;
	cell->newest = newest;
	if (gate_stress_failure_mode(row, newest, cell->bench, m->name))
		return 0;
	if (!k) {
		row->verdict = x->nbase ? REPORT_ADDED : REPORT_NO_BASELINE;
		return 0;
	}
	row->base_value = stats_median(cell->runs[0], cell->run_n[0]);
	if ((err = compare_load_cell(cell, row, 0)) != 0)
		return err < 0 ? err : 0;
	if (!positive) {
		row->verdict = zero ? REPORT_UNCHANGED : REPORT_INCONCLUSIVE;
		free(row->note); /* "samples are harness aggregates" */
		row->note = pg_strdup(zero ? "every sample is 0 on both sides"
		                           : "samples must be positive for a "
		                             "relative comparison");
		return 0;
	}
	if (cell->so.deterministic && !same_counter(newest, cell->bench, row))
		return 0;
	/* a count is a property of the commit, not a noisy draw: the
	 * newest baseline commit is the baseline, and pooling commits
	 * would only mix different programs */
	cell->constant = constant;
	if (cell->so.deterministic || constant)
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
static int pools(const struct ctx *x, const struct cell *cell)
{
	return cell->k && !x->o->paired && !cell->so.paired &&
	       !cell->so.deterministic && !cell->constant;
}

/*
 * The suite's prior of the between-run variance of metric name: fitted
 * over every benchmark of that metric with at least two baseline runs
 * (they share the runs, so the same runner noise).
 */
static int fit_prior(struct ctx *x, const char *name,
                     struct stats_pooled_prior *prior)
{
	struct stats_pooled_summary *s = pg_calloc(x->ncells + 1, sizeof(*s));
	size_t i, n = 0;
	int err = 0;

	for (i = 0; i < x->ncells && !err; i++) {
		const struct cell *c = &x->cells[i];

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

/* A stress entry is one batch of ramp pairs, not looked at: all of it. */
static double spend_of(const struct gate_compare_opts *o,
                       const struct config_bench *cfgb)
{
	if (cfgb && cfgb->stress)
		return 1.0;
	return o->spend > 0 && o->spend < 1 ? o->spend : 1.0;
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
static double cell_threshold(const struct ctx *x, const struct config_bench *b,
                             const char *metric)
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
static int load_fallback(struct ctx *x, struct cell *cell)
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
		free(row->note);
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
static int compare_cell(struct ctx *x, struct cell *cell)
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
		free(x->rep->rows[cell->row].note);
		x->rep->rows[cell->row].note = NULL;
	}
	return load_fallback(x, cell);
}

/* Fit one prior per metric name, then compare every cell. */
static int compare_all(struct ctx *x)
{
	size_t i, j;
	int err;

	for (i = 0; i < x->ncells; i++) {
		struct cell *c = &x->cells[i];

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

static int add_cells(struct ctx *x, const struct result_bench *b)
{
	const struct gate_compare_opts *o = x->o;
	size_t i;
	int err;

	if (b->error) {
		struct report_row *row = add_row(x->rep, b->name, "run");

		row->verdict = REPORT_ERROR;
		row->error = pg_strdup(b->error);
		return 0;
	}
	for (i = 0; i < b->nmetrics; i++) {
		const struct result_metric *m = &b->metrics[i];
		struct report_row *row = add_row(x->rep, b->name, m->name);
		struct cell *cell;

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
		                 spend_of(o, cell->cfgb);
		cell->so.confidence =
		        1 - (1 - o->confidence) * spend_of(o, cell->cfgb);
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

/* Adjust the p-values of one family (gating or informational cells). */
static int adjust_family(struct ctx *x, int gating, double *padj, double *pbadj)
{
	double *p = pg_calloc(x->ncells + 1, sizeof(double));
	double *pb = pg_calloc(x->ncells + 1, sizeof(double));
	size_t i;
	int err;

	for (i = 0; i < x->ncells; i++) {
		int in = x->cells[i].tested && x->cells[i].gating == gating;

		p[i] = in ? x->cells[i].c.p_value : NAN;
		pb[i] = in ? x->cells[i].c.p_better : NAN;
	}
	err = stats_adjust(p, p, x->ncells, x->o->correction);
	if (!err)
		err = stats_adjust(pb, pb, x->ncells, x->o->correction);
	for (i = 0; i < x->ncells && !err; i++) {
		if (x->cells[i].tested && x->cells[i].gating == gating) {
			padj[i] = p[i];
			pbadj[i] = pb[i];
		}
	}
	free(p);
	free(pb);
	return err;
}

static enum report_verdict map_verdict(enum stats_verdict v)
{
	switch (v) {
	case STATS_REGRESSION:
		return REPORT_REGRESSION;
	case STATS_IMPROVEMENT:
		return REPORT_IMPROVEMENT;
	case STATS_UNCHANGED:
		return REPORT_UNCHANGED;
	default:
		return REPORT_INCONCLUSIVE;
	}
}

/*
 * The MDE of a cell (stats/mde.h) at the level its row is tested at when
 * it alone changed: alpha (times the run-level scale) over the m
 * comparisons of its family, which is where Holm and Benjamini-Hochberg
 * put the smallest of m p-values.
 */
static double cell_mde(const struct ctx *x, const struct cell *cell,
                       size_t family)
{
	double alpha = cell->so.alpha *
	               (cell->c.alpha_scale > 0 ? cell->c.alpha_scale : 1);

	if (x->o->correction != STATS_CORRECTION_NONE && family > 1)
		alpha /= (double)family;
	return stats_mde(&cell->c, alpha, PG_MDE_POWER, cell->so.threshold);
}

static void classify(struct ctx *x, struct cell *cell, double padj,
                     double pbadj, size_t family,
                     const struct gate_accepts *accepts)
{
	struct report_row *row = &x->rep->rows[cell->row];
	const struct config_accept *acc;
	char why[512] = "";
	enum stats_verdict v;

	v = stats_classify(&cell->c, padj, pbadj, &cell->so, why, sizeof(why));
	/* paired: neither worse nor unchanged yet, so more pairs would
	 * decide (docs/paired.md); a drift would not go away with them */
	if (x->o->paired && v == STATS_INCONCLUSIVE && !cell->c.drift &&
	    !cell->so.deterministic)
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		         "%smore pairs would decide (\"pairs\", e.g. %s)",
		         *why ? "; " : "", PG_PAIRS_MORE_EXAMPLE);
	row->verdict = map_verdict(v);
	row->estimate = cell->c.estimate;
	row->ci_low = cell->c.ci_low;
	row->ci_high = cell->c.ci_high;
	row->confidence = cell->c.confidence;
	/* the p-value shown is the one that tested the verdict */
	row->p_value =
	        v == STATS_IMPROVEMENT ? cell->c.p_better : cell->c.p_value;
	row->p_adjusted = v == STATS_IMPROVEMENT ? pbadj : padj;
	row->mde = cell_mde(x, cell, family);
	row->n_base = cell->c.n_a;
	row->n_cand = cell->c.n_b;
	row->test = pg_strdup(cell->c.test);
	row->method = pg_strdup(cell->c.method);
	if (cell->method_note || (!row->note && (*why || *cell->c.detail))) {
		struct pg_buf b = PG_BUF_INIT;

		if (cell->method_note)
			pg_buf_addf(&b, "%s%s", cell->method_note,
			            *why || *cell->c.detail ? "; " : "");
		pg_buf_addf(&b, "%s%s%s", why,
		            *why && *cell->c.detail ? "; " : "",
		            cell->c.detail);
		free(row->note);
		row->note = pg_buf_detach(&b, NULL);
	}
	if (row->verdict != REPORT_REGRESSION || !accepts)
		return;
	acc = gate_accepts_find(accepts, row->bench, row->metric,
	                        row->estimate);
	if (!acc)
		return;
	row->verdict = REPORT_ACCEPTED;
	free(row->note);
	row->note = pg_malloc(512);
	snprintf(row->note, 512, "accepted up to +%g%% by %s%.12s%s%s",
	         acc->max_effect * 100,
	         acc->commit ? "commit " : "perfgate.json",
	         acc->commit ? acc->commit : "", acc->reason ? ": " : "",
	         acc->reason ? acc->reason : "");
}

/* Say on every instruction row what counts cannot see. */
static void note_instructions(struct ctx *x)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t i;

	for (i = 0; i < x->ncells; i++) {
		struct report_row *row = &x->rep->rows[x->cells[i].row];
		const char *src = result_bench_param(
		        x->cells[i].bench, RESULT_INSTRUCTIONS_SOURCE);

		if (!is_instructions(x->cells[i].metric->name))
			continue;
		pg_buf_reset(&b);
		if (row->note)
			pg_buf_addf(&b, "%s; ", row->note);
		pg_buf_addf(&b,
		            "instruction counts%s%s%s miss memory-bound and "
		            "I/O slowdowns",
		            src ? " (" : "", src ? src : "", src ? ")" : "");
		free(row->note);
		row->note = pg_strdup(b.s);
	}
	pg_buf_release(&b);
}

static int classify_all(struct ctx *x, const struct gate_accepts *accepts)
{
	double *padj = pg_calloc(x->ncells + 1, sizeof(double));
	double *pbadj = pg_calloc(x->ncells + 1, sizeof(double));
	size_t i, family[2] = {0, 0};
	int err;

	if ((err = adjust_family(x, 1, padj, pbadj)) < 0 ||
	    (err = adjust_family(x, 0, padj, pbadj)) < 0)
		goto out;
	for (i = 0; i < x->ncells; i++)
		family[x->cells[i].gating != 0] += x->cells[i].tested;
	for (i = 0; i < x->ncells; i++)
		if (x->cells[i].tested)
			classify(x, &x->cells[i], padj[i], pbadj[i],
			         family[x->cells[i].gating != 0], accepts);
	note_instructions(x);
out:
	free(padj);
	free(pbadj);
	return err;
}

/*
 * The bound of one statistic that a budget is checked against: for a
 * ceiling (lower is better) the lower confidence bound, so noise alone
 * never trips it; for a floor (higher is better) the upper bound.  min and
 * max have no interval: they are limits on every sample.
 */
static double budget_bound(const double *x, size_t n, double q, int floor,
                           double confidence)
{
	double bound, mean, half;

	if (q == 1 || q == 0) {
		double *s = stats_sorted_copy(x, n);

		bound = q == 1 ? s[n - 1] : s[0];
		free(s);
		return bound;
	}
	if (q < 0) {
		if (n < 2)
			return floor ? INFINITY : -INFINITY;
		mean = stats_mean(x, n);
		half = gsl_cdf_tdist_Pinv(confidence, (double)(n - 1)) *
		       stats_sd(x, n) / sqrt((double)n);
		return floor ? mean + half : mean - half;
	}
	if (floor)
		stats_quantile_upper_bound(&bound, x, n, q, confidence);
	else
		stats_quantile_lower_bound(&bound, x, n, q, confidence);
	return bound;
}

static struct report_row *find_row(struct report *rep, const char *bench,
                                   const char *metric)
{
	size_t i;

	for (i = 0; i < rep->nrows; i++)
		if (!strcmp(rep->rows[i].bench, bench) &&
		    !strcmp(rep->rows[i].metric, metric))
			return &rep->rows[i];
	return NULL;
}

/* Add a budget's description to row, beside any earlier one. */
static void add_budget_text(struct report_row *row, const char *text)
{
	if (row->budget) {
		char *both = pg_malloc(strlen(row->budget) + strlen(text) + 3);

		sprintf(both, "%s; %s", row->budget, text);
		free(row->budget);
		row->budget = both;
	} else {
		row->budget = pg_strdup(text);
	}
}

static int check_budget(struct ctx *x, const struct result_bench *b,
                        const struct config_budget *bud)
{
	const struct result_metric *m = result_metric_find(b, bud->metric);
	struct report_row *row = NULL;
	char *text = NULL;
	double bound;
	int floor, err;

	if (!gate_stress_budget_applies(
	            x->cfg ? config_find_bench(x->cfg, b->name) : NULL, b->name,
	            bud->metric))
		return 0;
	if (!m || !m->n)
		return pg_error_input("benchmark '%s': budget '%s' names "
		                      "metric '%s', which it does not measure",
		                      b->name, bud->text, bud->metric);
	if (!pg_quantity_fits((enum pg_quantity_kind)bud->kind, m->unit))
		return pg_error_input("benchmark '%s': budget '%s' does not "
		                      "fit metric '%s', measured in '%s'",
		                      b->name, bud->text, m->name, m->unit);
	if (!(row = find_row(x->rep, b->name, m->name)))
		return 0;
	/* an error rate is met only when its upper bound is within it */
	if (!strcmp(m->name, GATE_LOAD_ERROR_RATE) &&
	    (err = gate_load_error_budget(&bound, &text, b, bud->limit,
	                                  x->o->confidence)) != 0) {
		if (err < 0)
			return pg_error_wrap(err, "benchmark '%s'", b->name);
		add_budget_text(row, text);
		free(text);
		row->over_budget |= bound > bud->limit;
		return 0;
	}
	floor = m->direction == RESULT_HIGHER_IS_BETTER;
	if (bud->op && (bud->op == '>') != floor)
		return pg_error_input("benchmark '%s': budget '%s' is a %s, "
		                      "but %s is %s is better",
		                      b->name, bud->text,
		                      bud->op == '>' ? "floor" : "ceiling",
		                      m->name, floor ? "higher" : "lower");
	bound = budget_bound(m->samples, m->n, bud->quantile, floor,
	                     x->o->confidence);
	add_budget_text(row, bud->text);
	if (floor ? bound < bud->limit : bound > bud->limit)
		row->over_budget = 1;
	return 0;
}

/* A soak's memory growth against its max_rss_slope (gate/load.h). */
static void check_rss_slope(struct ctx *x, const struct result_bench *b)
{
	const struct config_bench *cfgb =
	        x->cfg ? config_find_bench(x->cfg, b->name) : NULL;
	struct report_row *row = find_row(x->rep, b->name, GATE_LOAD_RSS_SLOPE);
	char *text = NULL;
	int over = 0;

	if (!row || gate_load_rss_slope(&over, &text, b, cfgb) != 1)
		return;
	add_budget_text(row, text);
	free(text);
	row->over_budget |= over;
}

static int check_budgets(struct ctx *x, const struct result_bench *b)
{
	const struct config_bench *cfgb =
	        x->cfg ? config_find_bench(x->cfg, b->name) : NULL;
	const struct config_policy *pols[2] = {x->cfg ? &x->cfg->policy : NULL,
	                                       cfgb ? &cfgb->policy : NULL};
	size_t i, j;
	int err;

	if (b->error)
		return 0;
	check_rss_slope(x, b);
	for (j = 0; j < 2; j++) {
		for (i = 0; pols[j] && i < pols[j]->nbudgets; i++)
			if ((err = check_budget(x, b, &pols[j]->budgets[i])) <
			    0)
				return err;
	}
	return 0;
}

static void add_removed(struct ctx *x, const struct result_run *cand,
                        size_t ncand)
{
	size_t i, j;

	for (i = x->nbase; i-- > 0;) {
		for (j = 0; j < x->base[i].nbenches; j++) {
			const char *name = x->base[i].benches[j].name;
			size_t r;
			int seen = newest_bench(cand, ncand, name) != NULL;

			for (r = 0; r < x->rep->nrows && !seen; r++)
				seen = !strcmp(x->rep->rows[r].bench, name);
			if (!seen)
				add_row(x->rep, name, "wall_time")->verdict =
				        REPORT_REMOVED;
		}
	}
}

static void describe_method(struct ctx *x)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t i, family = 0;

	for (i = 0; i < x->ncells; i++)
		family += x->cells[i].tested && x->cells[i].gating;
	if (x->o->paired)
		pg_buf_addstr(&b, "Wilcoxon signed-rank on paired log ratios");
	else if (x->max_runs > 0)
		pg_buf_addf(
		        &b,
		        "run-level prediction interval: the newest level "
		        "of %s%zu baseline commits against the between-run "
		        "variance of up to %zu runs of history (successive "
		        "differences, moderated across the suite; at least "
		        "%d runs, else inconclusive), significant at alpha "
		        "x %g",
		        x->o->level_commits ? "up to " : "",
		        x->o->level_commits ? x->o->level_commits : x->max_runs,
		        x->max_runs, PG_STORED_MIN_RUNS, PG_POOLED_ALPHA_SCALE);
	else
		pg_buf_addf(&b, "%s on the newest baseline run",
		            x->nbase ? "range of ratios" : "no test");
	pg_buf_addf(&b,
	            "; %s effect with %.4g%% CI; %s across %zu "
	            "gating comparisons; alpha %g; MDE at %g%% power",
	            x->max_runs > 0 ? "run-level" : "Hodges-Lehmann",
	            (1 - (1 - x->o->confidence) * spend_of(x->o, NULL)) * 100,
	            stats_correction_name(x->o->correction), family,
	            x->o->alpha, 100 * PG_MDE_POWER);
	if (spend_of(x->o, NULL) < 1)
		pg_buf_addf(&b,
		            ", spent over sequential looks: this look tests "
		            "at %.3g",
		            x->o->alpha * spend_of(x->o, NULL));
	for (i = 0; i < x->ncells; i++)
		if (x->o->paired && x->cells[i].cfgb &&
		    x->cells[i].cfgb->stress)
			break;
	if (i < x->ncells)
		pg_buf_addstr(&b, "; stress entries: one batch of ramp pairs, "
		                  "tested at the whole alpha (docs/stress.md)");
	for (i = 0; i < x->ncells; i++)
		if (is_instructions(x->cells[i].metric->name))
			break;
	if (i < x->ncells)
		pg_buf_addf(&b,
		            "; instructions: deterministic counts compared by "
		            "the range of their ratios with the newest "
		            "baseline commit (default theta %g%%); they miss "
		            "memory-bound and I/O slowdowns",
		            100 * PG_DEFAULT_THRESHOLD_INSTRUCTIONS);
	for (i = 0; i < x->ncells; i++)
		if (x->cells[i].method_note)
			break;
	if (i < x->ncells)
		pg_buf_addstr(&b, "; load tests: error rates on request "
		                  "counts, percentiles of raw latencies by "
		                  "bootstrap where runs are too few "
		                  "(docs/load.md)");
	free(x->rep->method);
	x->rep->method = pg_buf_detach(&b, NULL);
}

int gate_compare(struct report *rep, const struct config *cfg,
                 const struct result_run *base, size_t nbase,
                 const struct result_run *cand, size_t ncand,
                 const struct gate_accepts *accepts,
                 const struct gate_compare_opts *o)
{
	struct ctx x = {rep, cfg, base, nbase, o, NULL, 0, 0, 0};
	size_t i, j;
	int err = 0;

	/* every benchmark once, from the newest candidate run that has it */
	for (i = 0; i < ncand && !err; i++) {
		for (j = 0; j < cand[i].nbenches && !err; j++) {
			const struct result_bench *b = newest_bench(
			        cand, ncand, cand[i].benches[j].name);

			if (b == &cand[i].benches[j])
				err = add_cells(&x, b);
		}
	}
	if (!err)
		err = compare_all(&x);
	if (!err)
		err = classify_all(&x, accepts);
	for (i = 0; i < ncand && !err; i++)
		for (j = 0; j < cand[i].nbenches && !err; j++)
			if (newest_bench(cand, ncand,
			                 cand[i].benches[j].name) ==
			    &cand[i].benches[j])
				err = check_budgets(&x, &cand[i].benches[j]);
	if (!err) {
		if (!o->partial)
			add_removed(&x, cand, ncand);
		describe_method(&x);
		gate_stress_curves(rep, cfg, base, nbase, cand, ncand);
		rep->alpha = o->alpha;
		free(rep->correction);
		rep->correction =
		        pg_strdup(stats_correction_name(o->correction));
	}
	for (i = 0; i < x.ncells; i++) {
		free(x.cells[i].runs);
		free(x.cells[i].run_n);
		free(x.cells[i].method_note);
	}
	free(x.cells);
	return err;
}
