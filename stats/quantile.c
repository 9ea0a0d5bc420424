#include "stats/quantile.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <string.h>

#include "stats/describe.h"
#include "util/error.h"
#include "util/mem.h"

#define THEIL_SEN_MAX 20000

static int check(size_t n, double p, double confidence)
{
	if (!n)
		return pg_error_input("no samples for a quantile bound");
	if (!(p > 0 && p < 1))
		return pg_error_input("quantile '%g' is not between 0 and 1",
		                      p);
	if (!(confidence > 0 && confidence < 1))
		return pg_error_input("confidence '%g' is not between 0 and 1",
		                      confidence);
	stats_init();
	return 0;
}

/* P(Bin(n, p) <= k) */
static double binom_cdf(size_t k, double p, size_t n)
{
	return gsl_cdf_binomial_P((unsigned)k, p, (unsigned)n);
}

/* The largest l in 1..n with binom_cdf(l - 1) <= level, or 0. */
static size_t largest_below(size_t n, double p, double level)
{
	size_t lo = 0, hi = n; /* answer in [lo, hi] */

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (binom_cdf(mid - 1, p, n) <= level)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The smallest u in 1..n with binom_cdf(u - 1) >= level, or n + 1. */
static size_t smallest_above(size_t n, double p, double level)
{
	size_t lo = 1, hi = n + 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (binom_cdf(mid - 1, p, n) >= level)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int stats_quantile_lower_bound(double *out, const double *x, size_t n, double p,
                               double confidence)
{
	double *s;
	size_t l;
	int err;

	if ((err = check(n, p, confidence)) < 0)
		return err;
	l = largest_below(n, p, 1 - confidence);
	if (!l) {
		*out = -INFINITY;
		return 0;
	}
	s = stats_sorted_copy(x, n);
	*out = s[l - 1];
	free(s);
	return 0;
}

int stats_quantile_upper_bound(double *out, const double *x, size_t n, double p,
                               double confidence)
{
	double *s;
	size_t u;
	int err;

	if ((err = check(n, p, confidence)) < 0)
		return err;
	u = smallest_above(n, p, confidence);
	if (u > n) {
		*out = INFINITY;
		return 0;
	}
	s = stats_sorted_copy(x, n);
	*out = s[u - 1];
	free(s);
	return 0;
}

int stats_quantile_ci(struct stats_interval *out, const double *x, size_t n,
                      double p, double confidence)
{
	double side = (1 + confidence) / 2;
	int err;

	if ((err = stats_quantile_lower_bound(&out->low, x, n, p, side)) < 0 ||
	    (err = stats_quantile_upper_bound(&out->high, x, n, p, side)) < 0)
		return err;
	out->estimate = stats_quantile(x, n, p);
	out->confidence = confidence;
	return 0;
}

/* sum over groups of equal values of k (k - 1) (2k + 5) */
static double tie_term(const double *v, size_t n)
{
	double *s = stats_sorted_copy(v, n), sum = 0;
	size_t i = 0, j;

	while (i < n) {
		double k;

		for (j = i + 1; j < n && s[j] == s[i]; j++)
			;
		k = (double)(j - i);
		if (k > 1)
			sum += k * (k - 1) * (2 * k + 5);
		i = j;
	}
	free(s);
	return sum;
}

int stats_theil_sen(struct stats_interval *slope, double *intercept,
                    const double *t, const double *y, size_t n,
                    double confidence)
{
	double *tt, *sl, z, sigma, nn = (double)n;
	size_t i, j, m = 0;
	long ru, rl;

	if (n < 2 || n > THEIL_SEN_MAX)
		return pg_error_input("theil-sen needs between 2 and %d points",
		                      THEIL_SEN_MAX);
	stats_init();
	tt = pg_malloc(n * sizeof(*tt));
	for (i = 0; i < n; i++)
		tt[i] = t ? t[i] : (double)i;
	sl = pg_malloc(n * (n - 1) / 2 * sizeof(*sl));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (tt[j] != tt[i])
				sl[m++] = (y[j] - y[i]) / (tt[j] - tt[i]);
	if (!m) {
		free(sl);
		free(tt);
		return pg_error_input("theil-sen needs two distinct times");
	}
	gsl_sort(sl, 1, m);
	slope->estimate = stats_quantile_sorted(sl, m, 0.5);
	z = gsl_cdf_ugaussian_Pinv((1 - confidence) / 2);
	sigma = sqrt((nn * (nn - 1) * (2 * nn + 5) - tie_term(tt, n) -
	              tie_term(y, n)) /
	             18);
	/* SciPy's indices (0-based; np.round rounds half to even) */
	ru = (long)nearbyint(((double)m - z * sigma) / 2);
	rl = (long)nearbyint(((double)m + z * sigma) / 2) - 1;
	ru = ru > (long)m - 1 ? (long)m - 1 : ru;
	rl = rl < 0 ? 0 : rl;
	slope->low = sl[rl];
	slope->high = sl[ru];
	slope->confidence = confidence;
	if (intercept)
		*intercept = stats_median(y, n) -
		             slope->estimate * stats_median(tt, n);
	free(sl);
	free(tt);
	return 0;
}

/*
 * The type-7 p-quantile of a resample of sorted[0..n): draw n indices,
 * count them, and walk the counts to the order statistics needed.
 */
static double resample_quantile(const double *sorted, size_t n, double p,
                                gsl_rng *r, size_t *count)
{
	double h = (double)(n - 1) * p, lo_v = 0, hi_v = 0;
	size_t lo = (size_t)floor(h), i, seen = 0;

	memset(count, 0, n * sizeof(*count));
	for (i = 0; i < n; i++)
		count[gsl_rng_uniform_int(r, n)]++;
	for (i = 0; i < n; i++) {
		if (seen <= lo && lo < seen + count[i])
			lo_v = sorted[i];
		if (seen <= lo + 1 && lo + 1 < seen + count[i]) {
			hi_v = sorted[i];
			break;
		}
		seen += count[i];
	}
	if (lo + 1 >= n)
		return lo_v;
	return lo_v + (h - (double)lo) * (hi_v - lo_v);
}

int stats_bootstrap_quantile_test(struct stats_quantile_test *out,
                                  const double *a, size_t na, const double *b,
                                  size_t nb, double p, double confidence,
                                  size_t resamples, unsigned long seed)
{
	double *as, *bs, *ratio, qa;
	size_t *count, i, le = 0, ge = 0;
	gsl_rng *r;
	int err = 0;

	if (!na || !nb || !(p >= 0 && p <= 1) || resamples < 10 ||
	    !(confidence > 0 && confidence < 1))
		return pg_error_input(
		        "a quantile bootstrap needs two non-empty "
		        "samples, 0 <= p <= 1, a confidence "
		        "between 0 and 1 and at least 10 "
		        "resamples");
	as = stats_sorted_copy(a, na);
	bs = stats_sorted_copy(b, nb);
	qa = stats_quantile_sorted(as, na, p);
	if (!(qa > 0)) {
		err = pg_error_input("the baseline's quantile %g is not "
		                     "positive: no ratio",
		                     qa);
		goto out_sorted;
	}
	stats_init();
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r) {
		err = pg_error_runtime("cannot allocate a random generator");
		goto out_sorted;
	}
	gsl_rng_set(r, seed);
	count = pg_malloc((na > nb ? na : nb) * sizeof(*count));
	ratio = pg_malloc(resamples * sizeof(*ratio));
	for (i = 0; i < resamples; i++) {
		double ra = resample_quantile(as, na, p, r, count);
		double rb = resample_quantile(bs, nb, p, r, count);

		/* a resample whose quantile is 0 gives an infinite ratio */
		ratio[i] = ra > 0 ? rb / ra : INFINITY;
		le += ratio[i] <= 1;
		ge += ratio[i] >= 1;
	}
	gsl_sort(ratio, 1, resamples);
	out->ratio.estimate = stats_quantile_sorted(bs, nb, p) / qa - 1;
	out->ratio.low =
	        stats_quantile_sorted(ratio, resamples, (1 - confidence) / 2) -
	        1;
	out->ratio.high =
	        stats_quantile_sorted(ratio, resamples, (1 + confidence) / 2) -
	        1;
	/* between two infinite ratios the interpolation gives NaN */
	if (isnan(out->ratio.high))
		out->ratio.high = INFINITY;
	out->ratio.confidence = confidence;
	out->p_worse = (double)(le + 1) / (double)(resamples + 1);
	out->p_better = (double)(ge + 1) / (double)(resamples + 1);
	out->quantile_a = qa;
	out->quantile_b = stats_quantile_sorted(bs, nb, p);
	free(count);
	free(ratio);
	gsl_rng_free(r);
out_sorted:
	free(as);
	free(bs);
	return err;
}

int stats_bootstrap_quantile_ratio(struct stats_interval *out, const double *a,
                                   size_t na, const double *b, size_t nb,
                                   double p, double confidence,
                                   size_t resamples, unsigned long seed)
{
	struct stats_quantile_test t;
	int err = stats_bootstrap_quantile_test(&t, a, na, b, nb, p, confidence,
	                                        resamples, seed);

	if (!err)
		*out = t.ratio;
	return err;
}
