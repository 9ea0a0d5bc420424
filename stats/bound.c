#include "stats/bound.h"
#include "stats/describe.h"
#include "stats/quantile.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

double stats_mean_bound(const double *x, size_t n, int upper, double confidence)
{
	double mean, half;

	if (n < 2)
		return upper ? INFINITY : -INFINITY;
	stats_init();
	mean = stats_mean(x, n);
	half = gsl_cdf_tdist_Pinv(confidence, (double)(n - 1)) *
	       stats_sd(x, n) / sqrt((double)n);
	return upper ? mean + half : mean - half;
}

double stats_bound(const double *x, size_t n, double q, int upper,
                   double confidence)
{
	double bound = NAN; /* not reached: the arguments are checked */

	if (q == 1 || q == 0) {
		double *s = stats_sorted_copy(x, n);

		bound = q == 1 ? s[n - 1] : s[0];
		free(s);
		return bound;
	}
	if (q < 0)
		return stats_mean_bound(x, n, upper, confidence);
	if (upper)
		stats_quantile_upper_bound(&bound, x, n, q, confidence);
	else
		stats_quantile_lower_bound(&bound, x, n, q, confidence);
	return bound;
}
