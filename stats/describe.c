#include "stats/describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "util/error.h"
#include "util/mem.h"

void stats_init(void)
{
	gsl_set_error_handler_off();
}

double *stats_sorted_copy(const double *x, size_t n)
{
	double *s = pg_malloc((n ? n : 1) * sizeof(*s));

	if (n) {
		memcpy(s, x, n * sizeof(*s));
		gsl_sort(s, 1, n);
	}
	return s;
}

double stats_mean(const double *x, size_t n)
{
	return n ? gsl_stats_mean(x, 1, n) : NAN;
}

double stats_sd(const double *x, size_t n)
{
	if (!n)
		return NAN;
	return n > 1 ? gsl_stats_sd(x, 1, n) : 0.0;
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	if (!n)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

double stats_quantile(const double *x, size_t n, double p)
{
	double *s, q;

	if (!n)
		return NAN;
	s = stats_sorted_copy(x, n);
	q = stats_quantile_sorted(s, n, p);
	free(s);
	return q;
}

double stats_median(const double *x, size_t n)
{
	return stats_quantile(x, n, 0.5);
}

int stats_is_constant(const double *x, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (x[i] != x[0])
			return 0;
	return 1;
}

double stats_mad(const double *x, size_t n)
{
	double *dev, med, mad;
	size_t i;

	if (!n)
		return NAN;
	med = stats_median(x, n);
	dev = pg_malloc(n * sizeof(*dev));
	for (i = 0; i < n; i++)
		dev[i] = fabs(x[i] - med);
	mad = 1.4826 * stats_median(dev, n);
	free(dev);
	return mad;
}

double stats_lag1(const double *x, size_t n)
{
	double mean, num = 0, den = 0;
	size_t i;

	if (n < 3)
		return 0.0;
	mean = stats_mean(x, n);
	for (i = 0; i < n; i++)
		den += (x[i] - mean) * (x[i] - mean);
	for (i = 1; i < n; i++)
		num += (x[i] - mean) * (x[i - 1] - mean);
	return den > 0 ? num / den : 0.0;
}

int stats_describe(struct stats_summary *out, const double *x, size_t n)
{
	double *s, lo1, hi1, lo3, hi3;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return pg_error_input("no samples to describe");
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return pg_error_input("sample %zu is not a finite "
			                      "number",
			                      i + 1);
	stats_init();
	s = stats_sorted_copy(x, n);
	out->n = n;
	out->mean = stats_mean(x, n);
	out->sd = stats_sd(x, n);
	out->cv = out->mean != 0 ? out->sd / out->mean : NAN;
	out->min = s[0];
	out->max = s[n - 1];
	out->median = stats_quantile_sorted(s, n, 0.5);
	out->q1 = stats_quantile_sorted(s, n, 0.25);
	out->q3 = stats_quantile_sorted(s, n, 0.75);
	out->iqr = out->q3 - out->q1;
	out->mad = stats_mad(x, n);
	lo1 = out->q1 - 1.5 * out->iqr;
	hi1 = out->q3 + 1.5 * out->iqr;
	lo3 = out->q1 - 3 * out->iqr;
	hi3 = out->q3 + 3 * out->iqr;
	for (i = 0; i < n; i++) {
		out->outliers_mild += s[i] < lo1 || s[i] > hi1;
		out->outliers_extreme += s[i] < lo3 || s[i] > hi3;
	}
	out->lag1 = stats_lag1(x, n);
	free(s);
	return 0;
}
