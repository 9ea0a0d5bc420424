/* A stress test's failure mode against the baseline's (stress.h). */
#include "gate/stress.h"
#include "stats/describe.h"
#include "stats/stress.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The worst severity of b's ramps; -1 when b has none. */
static double worst_of(const struct result_bench *b)
{
	const struct result_metric *m =
	        b && !b->error ? result_metric_find(b, GATE_STRESS_FAILURE_MODE)
	                       : NULL;
	double worst = -1;
	size_t i;

	for (i = 0; m && i < m->n; i++)
		worst = fmax(worst, m->samples[i]);
	return worst;
}

int gate_stress_failure_mode(struct report_row *row,
                             const struct result_bench *base,
                             const struct result_bench *cand,
                             const char *metric)
{
	double c = worst_of(cand), b = worst_of(base);
	const char *why = result_bench_param(cand, "stop_reason");
	struct pg_buf note = PG_BUF_INIT;
	int set = b >= 0;

	if (strcmp(metric, GATE_STRESS_FAILURE_MODE) || c < 0)
		return 0;
	if (!set)
		pg_buf_addf(&note, "failure mode %s",
		            stats_failure_mode_name(c));
	else
		pg_buf_addf(&note, "failure mode %s -> %s",
		            stats_failure_mode_name(b),
		            stats_failure_mode_name(c));
	if (set && c > b && c >= STATS_FAILURE_ERRORS) {
		row->verdict = REPORT_REGRESSION;
		pg_buf_addstr(&note, c == STATS_FAILURE_CRASH
		                             ? " (the service crashed under "
		                               "stress; the baseline's did not)"
		                             : " (errors broke the SLO; the "
		                               "baseline's did not fail so)");
	} else if (set) {
		row->verdict = c < b ? REPORT_IMPROVEMENT : REPORT_UNCHANGED;
		if (c == STATS_FAILURE_CRASH && b == STATS_FAILURE_CRASH)
			pg_buf_addstr(&note, " (both sides crashed: reported, "
			                     "not a regression)");
	}
	if (why)
		pg_buf_addf(&note, "; %s", why);
	free(row->note);
	row->note = pg_buf_detach(&note, NULL);
	row->base_value = b >= 0 ? b : NAN;
	row->cand_value = c;
	return set;
}

int gate_stress_budget_applies(const struct config_bench *cfgb,
                               const char *bench, const char *metric)
{
	static const char *const derived[] = {
	        "capacity",       "capacity_level",         "peak_throughput",
	        "breaking_point", GATE_STRESS_FAILURE_MODE, NULL};
	size_t i;

	if (!cfgb || !cfgb->stress)
		return 1;
	for (i = 0; derived[i]; i++)
		if (!strcmp(metric, derived[i]))
			break;
	return !strcmp(bench, cfgb->name) == (derived[i] != NULL);
}

char *gate_stress_single_ramp_note(const char *metric)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b,
	            "a side has one ramp (or one level's load), so its %s is "
	            "one number, not a sample, and the comparison is "
	            "inconclusive; more ramps (\"stress\": {\"ramps\": 5}) "
	            "compare ramps, a budget (\"capacity\": \">= X\") "
	            "gates each",
	            metric);
	return pg_buf_detach(&b, NULL);
}

/* The level of a level benchmark "<entry>/c=8" of e; 0 when it is not. */
static double level_of(const char *bench, const struct config_bench *e,
                       const char **axis)
{
	size_t len = strlen(e->name);
	const char *p = bench + len + 1;
	char *end;
	double v;

	if (strncmp(bench, e->name, len) || bench[len] != '/')
		return 0;
	if (!strncmp(p, "c=", 2))
		*axis = "c";
	else if (!strncmp(p, "rate=", 5))
		*axis = "rate";
	else
		return 0;
	v = strtod(strchr(p, '=') + 1, &end);
	return *end || !(v > 0) ? 0 : v;
}

/* The median of b's metric, NAN when b lacks it. */
static double median_of(const struct result_bench *b, const char *metric)
{
	const struct result_metric *m = result_metric_find(b, metric);

	return m && m->n ? stats_median(m->samples, m->n) : NAN;
}

/* One side of entry e's curve, from run (may be NULL). */
static void curve_side(struct report *rep, const struct result_run *run,
                       const struct config_bench *e, int base)
{
	const struct result_bench *own =
	        run ? result_bench_find(run, e->name) : NULL;
	struct report_curve *c;
	const char *axis = "c";
	size_t i;
	int k;

	if (!own || own->error)
		return;
	c = report_curve_get(rep, e->name,
	                     e->stress->kind == CONFIG_STRESS_RATE ? "rate"
	                                                           : "c");
	*(base ? &c->capacity_base : &c->capacity_cand) =
	        median_of(own, "capacity");
	*(base ? &c->capacity_level_base : &c->capacity_level_cand) =
	        median_of(own, "capacity_level");
	for (i = 0; !c->slo_name && i < e->stress->nslo; i++)
		if (e->stress->slo[i].quantile > 0) {
			c->slo_name = pg_strdup(e->stress->slo[i].name);
			c->slo_limit = e->stress->slo[i].limit;
		}
	if (worst_of(own) >= 0)
		*(base ? &c->failure_base : &c->failure_cand) =
		        pg_strdup(stats_failure_mode_name(worst_of(own)));
	for (i = 0; i < run->nbenches; i++) {
		const struct result_bench *b = &run->benches[i];
		double level = level_of(b->name, e, &axis);
		struct report_curve_point *p;

		if (!level || b->error)
			continue;
		p = report_curve_point(c, level);
		for (k = 0; k < REPORT_CURVE_NSTATS; k++)
			(base ? p->base : p->cand)[k] = median_of(
			        b,
			        report_curve_metric((enum report_curve_stat)k));
	}
}

/*
 * The newest run of runs (newest_first: runs[0]) whose ramp of entry name
 * completed: its benchmark has no error and a capacity.
 */
static const struct result_run *run_with(const struct result_run *runs,
                                         size_t n, const char *name,
                                         int newest_first)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct result_run *r =
		        &runs[newest_first ? i : n - 1 - i];
		const struct result_bench *b = result_bench_find(r, name);

		if (b && !b->error && result_metric_find(b, "capacity"))
			return r;
	}
	return NULL;
}

void gate_stress_curves(struct report *rep, const struct config *cfg,
                        const struct result_run *base, size_t nbase,
                        const struct result_run *cand, size_t ncand)
{
	size_t j;

	for (j = 0; cfg && j < cfg->nbenches; j++) {
		const struct config_bench *e = &cfg->benches[j];

		if (!e->stress)
			continue;
		curve_side(rep, run_with(cand, ncand, e->name, 0), e, 0);
		curve_side(rep, run_with(base, nbase, e->name, 1), e, 1);
	}
}
