/* Summaries of raw samples for gc; see model/result_summary.h. */
#include "model/result_summary.h"
#include "stats/describe.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>

/* v rounded to RESULT_SUMMARY_DIGITS significant digits. */
static double round_digits(double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*g", RESULT_SUMMARY_DIGITS, v);
	return strtod(buf, NULL);
}

void result_summary_compute(struct result_summary *s,
                            double points[RESULT_SUMMARY_POINTS],
                            const double *x, size_t n)
{
	static const double probs[RESULT_SUMMARY_POINTS] = RESULT_SUMMARY_PROBS;
	double *sorted = stats_sorted_copy(x, n);
	size_t i;

	for (i = 0; i < RESULT_SUMMARY_POINTS; i++)
		points[i] = round_digits(
		        stats_quantile_sorted(sorted, n, probs[i]));
	s->n = n;
	s->mean = round_digits(stats_mean(x, n));
	s->sd = round_digits(stats_sd(x, n));
	s->mad = round_digits(stats_mad(x, n));
	free(sorted);
}

int result_metric_summarisable(const struct result_metric *m)
{
	return !m->summary.n && m->n > RESULT_SUMMARY_POINTS;
}

int result_metric_summarise(struct result_metric *m)
{
	double points[RESULT_SUMMARY_POINTS];
	size_t i;

	if (!result_metric_summarisable(m))
		return 0;
	result_summary_compute(&m->summary, points, m->samples, m->n);
	for (i = 0; i < RESULT_SUMMARY_POINTS; i++)
		m->samples[i] = points[i];
	m->n = RESULT_SUMMARY_POINTS;
	return 1;
}

size_t result_run_summarise(struct result_run *run)
{
	size_t i, j, k = 0;

	for (i = 0; i < run->nbenches; i++)
		for (j = 0; j < run->benches[i].nmetrics; j++)
			k += (size_t)result_metric_summarise(
			        &run->benches[i].metrics[j]);
	if (k)
		run->summarised = 1;
	return k;
}

size_t result_metric_count(const struct result_metric *m)
{
	return m->summary.n ? m->summary.n : m->n;
}
