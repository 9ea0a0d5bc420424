/* The decisions of paired mode: see gate/paired.h. */
#include "gate/paired.h"
#include "stats/describe.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double paired_spread(const struct result_metric *base,
                     const struct result_metric *cand)
{
	double *d, sd = NAN;
	size_t i;

	if (base->n != cand->n || base->n < 2)
		return NAN;
	d = pg_malloc(base->n * sizeof(double));
	for (i = 0; i < base->n; i++) {
		if (!(base->samples[i] > 0 && cand->samples[i] > 0))
			goto out;
		d[i] = log(cand->samples[i] / base->samples[i]);
	}
	sd = stats_sd(d, base->n);
out:
	free(d);
	return sd;
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

/* 1 when every gating row of entry cb in rep is settled (pass: the CI). */
static int entry_settled(const struct report *rep, const struct report *pass,
                         const struct config_bench *cb,
                         const struct config *cfg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < rep->nrows; i++) {
		const struct report_row *row = &rep->rows[i];

		if (!config_entry_owns(cfg, cb, row->bench) ||
		    row->informational)
			continue;
		any = 1;
		if (!paired_row_settled(row, report_find_row(pass, row->bench,
		                                             row->metric)))
			return 0;
	}
	return any;
}

int paired_decide(void *rule, size_t look, const struct result_run *base,
                  const struct result_run *cand,
                  const struct config_bench *const *entries, size_t n,
                  char *stop)
{
	const struct paired_rule *r = rule;
	struct gate_compare_opts co = r->cmp, po;
	struct report rep, pass;
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
	for (i = 0; i < n && !err; i++)
		stop[i] = (char)entry_settled(&rep, &pass, entries[i], r->cfg);
	report_release(&rep);
	report_release(&pass);
	return err;
}
