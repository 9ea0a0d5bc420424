/* The decisions of paired mode: see gate/paired.h. */
#include "gate/paired.h"
#include "stats/describe.h"
#include "stats/sequential.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ln(cand_i / base_i) into a new array; NULL when not comparable. */
static double *log_ratios(const struct result_metric *base,
                          const struct result_metric *cand)
{
	double *d;
	size_t i;

	if (base->n != cand->n || base->n < 2)
		return NULL;
	d = pg_malloc(base->n * sizeof(double));
	for (i = 0; i < base->n; i++) {
		if (!(base->samples[i] > 0 && cand->samples[i] > 0)) {
			free(d);
			return NULL;
		}
		d[i] = log(cand->samples[i] / base->samples[i]);
	}
	return d;
}

double paired_spread(const struct result_metric *base,
                     const struct result_metric *cand)
{
	double *d = log_ratios(base, cand), sd;

	if (!d)
		return NAN;
	sd = stats_sd(d, base->n);
	free(d);
	return sd;
}

double paired_robust_spread(const struct result_metric *base,
                            const struct result_metric *cand)
{
	double *d = log_ratios(base, cand), s;

	if (!d)
		return NAN;
	s = stats_mad(d, base->n);
	if (!(s > 0))
		s = stats_sd(d, base->n);
	free(d);
	return s;
}

double paired_spend(const long *looks, size_t nlooks, size_t k)
{
	double t, t0;

	if (nlooks <= 1 || k >= nlooks)
		return 1;
	t = (double)looks[k] / (double)looks[nlooks - 1];
	t0 = k ? (double)looks[k - 1] / (double)looks[nlooks - 1] : 0;
	return t * t - t0 * t0;
}

int paired_row_settled(const struct report_row *row,
                       const struct report_row *pass)
{
	if (row->verdict == REPORT_REGRESSION ||
	    row->verdict == REPORT_IMPROVEMENT ||
	    row->verdict == REPORT_UNCHANGED)
		return 1;
	return pass && isfinite(pass->ci_high) &&
	       pass->ci_high < pass->threshold;
}

int paired_row_futile(const struct report_row *row, double spread, size_t total,
                      double alpha_last, double *power)
{
	double cp = NAN;

	if (row->n_base == row->n_cand && row->n_base < total &&
	    isfinite(row->estimate) && row->estimate > -1 &&
	    isfinite(row->threshold))
		cp = stats_paired_conditional_power(
		        spread, row->n_base, log1p(row->estimate), total,
		        log1p(row->threshold), alpha_last);
	if (power)
		*power = cp;
	return isfinite(cp) && cp < PG_PAIRED_FUTILITY_POWER;
}

/* row's futility (paired_row_futile()) from the samples in base and
 * cand; 0 when they do not have it. */
static int row_futile(const struct paired_rule *r, const struct report_row *row,
                      const struct result_run *base,
                      const struct result_run *cand, double *power)
{
	const struct result_bench *bb = result_bench_find(base, row->bench);
	const struct result_bench *cb = result_bench_find(cand, row->bench);
	const struct result_metric *bm, *cm;
	size_t last = r->nlooks - 1;

	if (!bb || !cb || !(bm = result_metric_find(bb, row->metric)) ||
	    !(cm = result_metric_find(cb, row->metric)))
		return 0;
	return paired_row_futile(
	        row, paired_robust_spread(bm, cm), (size_t)r->looks[last],
	        r->cmp.alpha * paired_spend(r->looks, r->nlooks, last), power);
}

static void add_stop(struct paired_rule *r, const struct report_row *row,
                     enum gate_stop_why why, double value)
{
	struct gate_stop *f;

	r->stops = pg_realloc(r->stops, (r->nstops + 1) * sizeof(*f));
	f = &r->stops[r->nstops++];
	f->bench = pg_strdup(row->bench);
	f->metric = pg_strdup(row->metric);
	f->why = why;
	f->pairs = row->n_base;
	f->total = (size_t)r->looks[r->nlooks - 1];
	f->value = value;
	r->cmp.stops = r->stops;
	r->cmp.nstops = r->nstops;
}

void paired_rule_release(struct paired_rule *rule)
{
	size_t i;

	for (i = 0; i < rule->nstops; i++) {
		free(rule->stops[i].bench);
		free(rule->stops[i].metric);
	}
	free(rule->stops);
	rule->stops = NULL;
	rule->nstops = 0;
	rule->cmp.stops = NULL;
	rule->cmp.nstops = 0;
}

/* What one look says of an entry's gating rows. */
struct entry_look {
	const struct report *rep, *pass; /* at this look's alpha; pass CI */
	const struct result_run *base, *cand;
	int early; /* not the last look */
	int may_futile; /* early, and not a stress entry */
};

/*
 * 1 when row is settled, or futile where l allows; with record, an open
 * verdict settled early is added to r->stops.
 */
static int row_done(struct paired_rule *r, const struct entry_look *l,
                    const struct report_row *row, int record)
{
	const struct report_row *pass =
	        report_find_row(l->pass, row->bench, row->metric);
	int open = row->verdict != REPORT_REGRESSION &&
	           row->verdict != REPORT_IMPROVEMENT &&
	           row->verdict != REPORT_UNCHANGED;
	double power;

	if (paired_row_settled(row, pass)) {
		if (record && open && l->early)
			add_stop(r, row, GATE_STOP_PASS, pass->ci_high);
		return 1;
	}
	if (!l->may_futile || !row_futile(r, row, l->base, l->cand, &power))
		return 0;
	if (record)
		add_stop(r, row, GATE_STOP_FUTILE, power);
	return 1;
}

/* 1 when every gating row of entry cb is done (row_done()). */
static int entry_rows_done(struct paired_rule *r, const struct entry_look *l,
                           const struct config_bench *cb, int record)
{
	size_t i;
	int any = 0;

	for (i = 0; i < l->rep->nrows; i++) {
		const struct report_row *row = &l->rep->rows[i];

		if (!config_entry_owns(r->cfg, cb, row->bench) ||
		    row->informational)
			continue;
		any = 1;
		if (!row_done(r, l, row, record))
			return 0;
	}
	return any;
}

/* 1 when every gating row of entry cb is settled or, where allowed,
 * futile; the open ones are then recorded in r. */
static int entry_settled(struct paired_rule *r, const struct entry_look *l,
                         const struct config_bench *cb)
{
	struct entry_look one = *l;

	one.may_futile = l->early && !cb->stress;
	if (!entry_rows_done(r, &one, cb, 0))
		return 0;
	if (one.early)
		entry_rows_done(r, &one, cb, 1);
	return 1;
}

int paired_decide(void *rule, size_t look, const struct result_run *base,
                  const struct result_run *cand,
                  const struct config_bench *const *entries, size_t n,
                  char *stop)
{
	struct paired_rule *r = rule;
	struct gate_compare_opts co = r->cmp, po;
	struct report rep, pass;
	struct entry_look l;
	size_t i;
	int err;

	co.paired = 1;
	co.spend = paired_spend(r->looks, r->nlooks, look);
	co.partial = 1;
	po = co;
	po.spend = 1;
	po.confidence = PG_PAIRED_PASS_CONFIDENCE;
	report_init(&rep);
	report_init(&pass);
	err = gate_compare(&rep, r->cfg, base, 1, cand, 1, NULL, &co);
	if (!err)
		err = gate_compare(&pass, r->cfg, base, 1, cand, 1, NULL, &po);
	l.rep = &rep;
	l.pass = &pass;
	l.base = base;
	l.cand = cand;
	l.early = look + 1 < r->nlooks;
	for (i = 0; i < n && !err; i++)
		stop[i] = (char)entry_settled(r, &l, entries[i]);
	report_release(&rep);
	report_release(&pass);
	return err;
}
