/*
 * describe.h - descriptive statistics of one sample.
 *
 * Pure computation on `const double *x, size_t n`: no I/O.  Nothing here
 * reorders its input (GSL's median and quantile functions do; we sort a
 * copy).  Quantiles use R's default definition (type 7, linear
 * interpolation between order statistics), which is also GSL's.
 *
 * Functions returning double return NAN when n == 0.
 */
#ifndef PG_STATS_DESCRIBE_H
#define PG_STATS_DESCRIBE_H

#include <stddef.h>

/*
 * Switch off GSL's default error handler (which aborts the process) so
 * that GSL functions return error codes instead.  Idempotent and cheap;
 * every stats_ entry point that calls GSL calls it, so callers need not.
 */
void stats_init(void);

struct stats_summary {
	size_t n;
	double mean, sd; /* sd: sample standard deviation (n - 1) */
	double cv; /* sd / mean; NAN when the mean is 0 */
	double min, max;
	double median;
	double mad; /* median absolute deviation x 1.4826 (R's mad()) */
	double q1, q3, iqr; /* type-7 quartiles */
	/* Samples beyond the Tukey fences q1 - k IQR, q3 + k IQR, for
	 * k = 1.5 (mild, including the extreme ones) and k = 3 (extreme).
	 * They are counted and reported, never dropped. */
	size_t outliers_mild, outliers_extreme;
	/* Lag-1 autocorrelation in the given (run) order, R's acf(x)[1];
	 * 0 when n < 3 or the sample has zero variance. */
	double lag1;
};

/*
 * Describe x[0..n).  Returns 0, or PG_EINPUT when n == 0 or a value is
 * not finite (message names the index).
 */
int stats_describe(struct stats_summary *out, const double *x, size_t n);

/* A malloc'd sorted copy of x (caller frees); pg_malloc aborts on OOM. */
double *stats_sorted_copy(const double *x, size_t n);

double stats_mean(const double *x, size_t n);
/* Sample standard deviation (denominator n - 1); 0 when n == 1. */
double stats_sd(const double *x, size_t n);
double stats_median(const double *x, size_t n);
/* Type-7 quantile of x for 0 <= p <= 1. */
double stats_quantile(const double *x, size_t n, double p);
/* The same on data already sorted ascending. */
double stats_quantile_sorted(const double *sorted, size_t n, double p);
/* Scaled MAD: 1.4826 * median(|x - median(x)|). */
double stats_mad(const double *x, size_t n);
/* 1 when every x[i] equals x[0] (n <= 1 too). */
int stats_is_constant(const double *x, size_t n);
/* Lag-1 autocorrelation as in struct stats_summary. */
double stats_lag1(const double *x, size_t n);

#endif
