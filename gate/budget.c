#include "gate/budget.h"
#include "gate/load.h"
#include "gate/stress.h"
#include "stats/bound.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <stdlib.h>
#include <string.h>

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
	struct pg_buf b = PG_BUF_INIT;

	if (row->budget)
		pg_buf_addf(&b, "%s; ", row->budget);
	pg_buf_addstr(&b, text);
	free(row->budget);
	row->budget = pg_buf_detach(&b, NULL);
}

/* An error rate is met only when its upper bound is within it: 1 when
 * checked, 0 when the metric is not such a rate, a negative code. */
static int check_error_rate(struct report_row *row,
                            const struct result_bench *b,
                            const struct config_budget *bud, double confidence)
{
	char *text = NULL;
	double bound;
	int err;

	if (strcmp(bud->metric, GATE_LOAD_ERROR_RATE))
		return 0;
	err = gate_load_error_budget(&bound, &text, b, bud->limit, confidence);
	if (err < 0)
		return pg_error_wrap(err, "benchmark '%s'", b->name);
	if (!err)
		return 0;
	add_budget_text(row, text);
	free(text);
	row->over_budget |= bound > bud->limit;
	return 1;
}

static int check_budget(struct report *rep, const struct config *cfg,
                        const struct result_bench *b,
                        const struct config_budget *bud, double confidence)
{
	const struct result_metric *m = result_metric_find(b, bud->metric);
	struct report_row *row = NULL;
	double bound;
	int floor, err;

	if (!gate_stress_budget_applies(cfg ? config_find_bench(cfg, b->name)
	                                    : NULL,
	                                b->name, bud->metric))
		return 0;
	if (!m || !m->n)
		return pg_error_input("benchmark '%s': budget '%s' names "
		                      "metric '%s', which it does not measure",
		                      b->name, bud->text, bud->metric);
	if (!pg_quantity_fits((enum pg_quantity_kind)bud->kind, m->unit))
		return pg_error_input("benchmark '%s': budget '%s' does not "
		                      "fit metric '%s', measured in '%s'",
		                      b->name, bud->text, m->name, m->unit);
	if (!(row = find_row(rep, b->name, m->name)))
		return 0;
	if ((err = check_error_rate(row, b, bud, confidence)) != 0)
		return err < 0 ? err : 0;
	floor = m->direction == RESULT_HIGHER_IS_BETTER;
	if (bud->op && (bud->op == '>') != floor)
		return pg_error_input("benchmark '%s': budget '%s' is a %s, "
		                      "but %s is %s is better",
		                      b->name, bud->text,
		                      bud->op == '>' ? "floor" : "ceiling",
		                      m->name, floor ? "higher" : "lower");
	bound = stats_bound(m->samples, m->n, bud->quantile, floor, confidence);
	add_budget_text(row, bud->text);
	if (floor ? bound < bud->limit : bound > bud->limit)
		row->over_budget = 1;
	return 0;
}

/* A soak's memory growth against its max_rss_slope (gate/load.h). */
static void check_rss_slope(struct report *rep, const struct config_bench *cfgb,
                            const struct result_bench *b)
{
	struct report_row *row = find_row(rep, b->name, GATE_LOAD_RSS_SLOPE);
	char *text = NULL;
	int over = 0;

	if (!row || gate_load_rss_slope(&over, &text, b, cfgb) != 1)
		return;
	add_budget_text(row, text);
	free(text);
	row->over_budget |= over;
}

int gate_check_budgets(struct report *rep, const struct config *cfg,
                       const struct result_bench *b, double confidence)
{
	const struct config_bench *cfgb =
	        cfg ? config_find_bench(cfg, b->name) : NULL;
	const struct config_policy *pols[2] = {cfg ? &cfg->policy : NULL,
	                                       cfgb ? &cfgb->policy : NULL};
	size_t i, j;
	int err;

	if (b->error)
		return 0;
	check_rss_slope(rep, cfgb, b);
	for (j = 0; j < 2; j++) {
		for (i = 0; pols[j] && i < pols[j]->nbudgets; i++)
			if ((err = check_budget(rep, cfg, b,
			                        &pols[j]->budgets[i],
			                        confidence)) < 0)
				return err;
	}
	return 0;
}
