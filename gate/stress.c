/* A stress test's failure mode against the baseline's (stress.h). */
#include "gate/stress.h"
#include "stats/stress.h"
#include "util/buf.h"
#include "util/config.h"
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
