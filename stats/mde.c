#include "stats/mde.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats/describe.h"

double stats_t_quantile(double p, double df)
{
	stats_init();
	if (!(df > 0) || !isfinite(df))
		return gsl_cdf_ugaussian_Pinv(p);
	return gsl_cdf_tdist_Pinv(p, df);
}

double stats_mde(const struct stats_comparison *c, double alpha, double power,
                 double theta)
{
	double qa, qp, stat, verdict;

	if (c->too_few || c->min_p >= alpha)
		return INFINITY;
	if (c->test && !strcmp(c->test, "range")) {
		double width = c->ci_high - c->ci_low;

		return width > theta ? width : theta;
	}
	if (!(c->se >= 0) || !isfinite(c->se))
		return NAN;
	qa = stats_t_quantile(1 - alpha, c->df);
	qp = stats_t_quantile(power, c->df);
	stat = (qa + qp) * c->se;
	verdict = log1p(theta) + qp * c->se;
	return expm1(stat > verdict ? stat : verdict);
}
