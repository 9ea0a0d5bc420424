#include "gate/budget.h"
#include "gate/cells.h"
#include "gate/compare.h"
#include "gate/method.h"
#include "gate/stress.h"
#include "stats/mde.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Adjust the p-values of one family (gating or informational cells). */
static int adjust_family(struct gate_cells *x, int gating, double *padj,
                         double *pbadj)
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
static double cell_mde(const struct gate_cells *x, const struct gate_cell *cell,
                       size_t family)
{
	double alpha = cell->so.alpha *
	               (cell->c.alpha_scale > 0 ? cell->c.alpha_scale : 1);

	if (x->o->correction != STATS_CORRECTION_NONE && family > 1)
		alpha /= (double)family;
	return stats_mde(&cell->c, alpha, PG_MDE_POWER, cell->so.threshold);
}

/* The early stop of bench x metric in o, NULL when none. */
static const struct gate_stop *find_stop(const struct gate_compare_opts *o,
                                         const char *bench, const char *metric)
{
	size_t i;

	for (i = 0; i < o->nstops; i++)
		if (!strcmp(o->stops[i].bench, bench) &&
		    !strcmp(o->stops[i].metric, metric))
			return &o->stops[i];
	return NULL;
}

/* Why paired mode stopped a benchmark early without a verdict. */
static void stop_note(struct pg_buf *b, const struct gate_stop *f, double theta)
{
	pg_buf_addf(b, "%sstopped at %zu of %zu pairs", b->len ? "; " : "",
	            f->pairs, f->total);
	if (f->why == GATE_STOP_PASS) {
		pg_buf_addf(b,
		            ": the upper bound of its %g%% CI, %+.2f%%, was "
		            "below the threshold %.2f%% (a pass)",
		            100 * PG_PAIRED_PASS_CONFIDENCE, 100 * f->value,
		            100 * theta);
		return;
	}
	pg_buf_addf(b,
	            " (futility): had it slowed down by %.2f%% or more, the "
	            "remaining pairs would have shown it with ",
	            100 * theta);
	if (f->value < 0.01)
		pg_buf_addstr(b, "less than 1% chance");
	else
		pg_buf_addf(b, "only %.0f%% chance", 100 * f->value);
}

/*
 * Why cell's verdict is what it is (stats_classify()'s why), with what
 * more pairs would do for an open paired row and what the comparison adds
 * (c.detail), "; " between them.
 */
static void verdict_note(struct pg_buf *b, const struct gate_cells *x,
                         const struct gate_cell *cell, enum stats_verdict v,
                         const char *why)
{
	const struct gate_stop *f = NULL;

	pg_buf_addstr(b, why);
	if (x->o->paired && v == STATS_INCONCLUSIVE)
		f = find_stop(x->o, cell->bench->name, cell->metric->name);
	/* paired: neither worse nor unchanged yet, so more pairs would
	 * decide (docs/paired.md); a drift would not go away with them */
	if (f)
		stop_note(b, f, cell->so.threshold);
	else if (x->o->paired && v == STATS_INCONCLUSIVE && !cell->c.drift &&
	         !cell->so.deterministic)
		pg_buf_addf(b, "%smore pairs would decide (\"pairs\", e.g. %s)",
		            b->len ? "; " : "", PG_PAIRS_MORE_EXAMPLE);
	if (*cell->c.detail)
		pg_buf_addf(b, "%s%s", b->len ? "; " : "", cell->c.detail);
}

/* Note a load metric's method (it replaces any note), else the verdict's
 * reasons on a row that has no note yet. */
static void note_verdict(struct report_row *row, const struct gate_cells *x,
                         const struct gate_cell *cell, enum stats_verdict v,
                         const char *why)
{
	struct pg_buf b = PG_BUF_INIT;

	verdict_note(&b, x, cell, v, why);
	if (cell->method_note) {
		gate_clear_note(row);
		report_row_add_note(row, "%s%s%s", cell->method_note,
		                    b.len ? "; " : "", b.s);
	} else if (!row->note && b.len) {
		report_row_add_note(row, "%s", b.s);
	}
	pg_buf_release(&b);
}

/* A regression that accepts (may be NULL) covers becomes "accepted". */
static void accept_row(struct report_row *row,
                       const struct gate_accepts *accepts)
{
	const struct config_accept *acc;

	if (row->verdict != REPORT_REGRESSION || !accepts)
		return;
	acc = gate_accepts_find(accepts, row->bench, row->metric,
	                        row->estimate);
	if (!acc)
		return;
	row->verdict = REPORT_ACCEPTED;
	gate_clear_note(row);
	report_row_add_note(row, "accepted up to +%g%% by %s%.12s%s%s",
	                    acc->max_effect * 100,
	                    acc->commit ? "commit " : "perfgate.json",
	                    acc->commit ? acc->commit : "",
	                    acc->reason ? ": " : "",
	                    acc->reason ? acc->reason : "");
}

static void classify(struct gate_cells *x, struct gate_cell *cell, double padj,
                     double pbadj, size_t family,
                     const struct gate_accepts *accepts)
{
	struct report_row *row = &x->rep->rows[cell->row];
	char why[STATS_WHY_MAX] = "";
	enum stats_verdict v;

	v = stats_classify(&cell->c, padj, pbadj, &cell->so, why, sizeof(why));
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
	note_verdict(row, x, cell, v, why);
	accept_row(row, accepts);
}

/* Say on every instruction row what counts cannot see. */
static void note_instructions(struct gate_cells *x)
{
	size_t i;

	for (i = 0; i < x->ncells; i++) {
		struct report_row *row = &x->rep->rows[x->cells[i].row];
		const char *src = result_bench_param(
		        x->cells[i].bench, RESULT_INSTRUCTIONS_SOURCE);

		if (!x->cells[i].so.deterministic) /* not instructions */
			continue;
		report_row_add_note(
		        row,
		        "instruction counts%s%s%s miss memory-bound "
		        "and I/O slowdowns",
		        src ? " (" : "", src ? src : "", src ? ")" : "");
	}
}

static int classify_all(struct gate_cells *x,
                        const struct gate_accepts *accepts)
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

static void add_removed(struct gate_cells *x, const struct result_run *cand,
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
				gate_add_row(x->rep, name, "wall_time")
				        ->verdict = REPORT_REMOVED;
		}
	}
}

/* The report's method line (gate/method.h). */
static void describe_method(const struct gate_cells *x)
{
	struct gate_method m = {0};
	size_t i;

	m.paired = x->o->paired;
	m.nbase = x->nbase;
	m.max_runs = x->max_runs;
	m.level_commits = x->o->level_commits;
	m.alpha = x->o->alpha;
	m.confidence = x->o->confidence;
	m.spend = x->spend;
	m.correction = x->o->correction;
	for (i = 0; i < x->ncells; i++) {
		m.family += x->cells[i].tested && x->cells[i].gating;
		m.instructions |= x->cells[i].so.deterministic;
		m.load |= x->cells[i].method_note != NULL;
		m.stress_pairs |= x->o->paired && x->cells[i].cfgb &&
		                  x->cells[i].cfgb->stress;
	}
	free(x->rep->method);
	x->rep->method = gate_method_describe(&m);
}

/* Apply f to every benchmark once, from the newest candidate run that
 * has it, until f fails. */
static int
each_bench(struct gate_cells *x, const struct result_run *cand, size_t ncand,
           int (*f)(struct gate_cells *x, const struct result_bench *b))
{
	size_t i, j;
	int err = 0;

	for (i = 0; i < ncand && !err; i++)
		for (j = 0; j < cand[i].nbenches && !err; j++)
			if (newest_bench(cand, ncand,
			                 cand[i].benches[j].name) ==
			    &cand[i].benches[j])
				err = f(x, &cand[i].benches[j]);
	return err;
}

static int check_budgets(struct gate_cells *x, const struct result_bench *b)
{
	return gate_check_budgets(x->rep, x->cfg, b, x->o->confidence);
}

int gate_compare(struct report *rep, const struct config *cfg,
                 const struct result_run *base, size_t nbase,
                 const struct result_run *cand, size_t ncand,
                 const struct gate_accepts *accepts,
                 const struct gate_compare_opts *o)
{
	struct gate_cells x;
	int err;

	gate_cells_init(&x, rep, cfg, base, nbase, o);
	err = each_bench(&x, cand, ncand, gate_cells_add);
	if (!err)
		err = gate_cells_compare(&x);
	if (!err)
		err = classify_all(&x, accepts);
	if (!err)
		err = each_bench(&x, cand, ncand, check_budgets);
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
	gate_cells_release(&x);
	return err;
}
