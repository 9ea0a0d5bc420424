#include "stats/sequential.h"
#include "stats/describe.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

/* Efficiency of Hodges-Lehmann relative to the mean, normal noise. */
#define HL_EFFICIENCY (3.0 / M_PI)

double stats_paired_se(double spread, size_t n)
{
	return n ? spread / sqrt(HL_EFFICIENCY * (double)n) : NAN;
}

double stats_paired_mde90(double spread, size_t n, double theta,
                          double alpha_last)
{
	double se = stats_paired_se(spread, n), za;

	if (!n || !(alpha_last > 0))
		return NAN;
	stats_init();
	za = gsl_cdf_ugaussian_Qinv(alpha_last);
	return fmax(theta, za * se) + gsl_cdf_ugaussian_Qinv(0.1) * se;
}

double stats_paired_recommend_theta(double spread, size_t n, double alpha_last,
                                    double aa_offset, double step)
{
	double se = stats_paired_se(spread, n), za, want;

	stats_init();
	za = gsl_cdf_ugaussian_Qinv(alpha_last);
	want = fmax(za * se, 2 * fabs(aa_offset));
	return fmax(step, ceil(want / step - 1e-9) * step);
}

size_t stats_paired_recommend_pairs(double spread, double theta,
                                    double alpha_last, double target,
                                    size_t step, size_t max)
{
	size_t n;

	for (n = step; n <= max; n += step)
		if (stats_paired_mde90(spread, n, theta, alpha_last) <= target)
			return n;
	return 0;
}

double stats_paired_conditional_power(double spread, size_t n, double est,
                                      size_t total, double log_theta,
                                      double alpha_last)
{
	double need, mu, rest, se_rest;

	if (!(spread > 0) || !isfinite(spread) || !(alpha_last > 0) ||
	    !(alpha_last < 1) || !isfinite(est) || !total)
		return NAN;
	stats_init();
	need = fmax(log_theta, gsl_cdf_ugaussian_Qinv(alpha_last) *
	                               stats_paired_se(spread, total));
	if (n >= total)
		return est >= need ? 1 : 0;
	mu = fmax(log_theta, est);
	rest = (double)(total - n);
	se_rest = stats_paired_se(spread, total - n);
	/* the final estimate reaches need when rest's estimate reaches
	 * (need total - n est) / rest */
	return gsl_cdf_ugaussian_Q(
	        ((need * (double)total - (double)n * est) / rest - mu) /
	        se_rest);
}
