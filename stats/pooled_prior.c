/*
 * pooled_prior.c - the suite's prior of the between-run variance
 * (stats/pooled.h): limma's fitFDist (Smyth 2004, "Linear models and
 * empirical Bayes methods for assessing differential expression in
 * microarray experiments", section 6.2) without covariates.
 */
#include "stats/pooled.h"

#include <math.h>

#include <gsl/gsl_sf_psi.h>

#include "stats/describe.h"

/* y with trigamma(y) = x, by Newton's method as limma's
 * trigammaInverse(). */
static double trigamma_inverse(double x)
{
	double y, dif;
	int iter;

	if (x > 1e7)
		return 1 / sqrt(x);
	if (x < 1e-6)
		return 1 / x;
	y = 0.5 + 1 / x;
	for (iter = 0; iter < 50; iter++) {
		double tri = gsl_sf_psi_1(y);

		dif = tri * (1 - tri / x) / gsl_sf_psi_n(2, y);
		y += dif;
		if (-dif / y < 1e-8)
			break;
	}
	return y;
}

void stats_pooled_fit_prior(struct stats_pooled_prior *out,
                            const struct stats_pooled_summary *s, size_t n,
                            size_t min_cells, double max_df)
{
	double emean = 0, evar = 0, tri = 0, dsum = 0, d0;
	size_t i, u = 0;

	out->var = 0;
	out->df = 0;
	out->cells = 0;
	stats_init();
	for (i = 0; i < n; i++) {
		if (!(s[i].df >= 1 && s[i].var > 0))
			continue;
		emean += log(s[i].var) - gsl_sf_psi(s[i].df / 2) +
		         log(s[i].df / 2);
		dsum += s[i].df;
		u++;
	}
	if (u < 2 || u < min_cells)
		return;
	emean /= (double)u;
	for (i = 0; i < n; i++) {
		double e;

		if (!(s[i].df >= 1 && s[i].var > 0))
			continue;
		e = log(s[i].var) - gsl_sf_psi(s[i].df / 2) + log(s[i].df / 2);
		evar += (e - emean) * (e - emean);
		tri += gsl_sf_psi_1(s[i].df / 2);
	}
	evar = evar / (double)(u - 1) - tri / (double)u;
	d0 = evar > 0 ? 2 * trigamma_inverse(evar) : INFINITY;
	/* a prior cannot carry more information than the data it came
	 * from (limma lets d0 be infinite; with 20 benchmarks, not 20,000
	 * genes, that would trust a noisy estimate of s0^2 as known) */
	if (d0 > dsum)
		d0 = dsum;
	if (d0 > max_df)
		d0 = max_df;
	out->df = d0;
	out->var = exp(emean + gsl_sf_psi(d0 / 2) - log(d0 / 2));
	out->cells = u;
}
