#include "stats/pooled.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>

#include "stats/describe.h"
#include "util/error.h"
#include "util/mem.h"

/* Oriented log median of x and the variance of that median. */
static void run_stats(double *med, double *var, const double *x, size_t n,
                      double sign)
{
	double *l = pg_malloc(n * sizeof(*l)), mad;
	size_t i;

	for (i = 0; i < n; i++)
		l[i] = sign * log(x[i]);
	*med = stats_median(l, n);
	mad = stats_mad(l, n);
	*var = M_PI / 2 * mad * mad / (double)n;
	free(l);
}

static int check_runs(const double *const *runs, const size_t *run_n,
                      size_t nruns)
{
	char what[64];
	size_t i;
	int err;

	if (!nruns)
		return pg_error_input("no baseline runs to compare with");
	for (i = 0; i < nruns; i++) {
		snprintf(what, sizeof(what), "baseline run %zu", i + 1);
		if ((err = stats_check_positive(runs[i], run_n[i], what)) < 0)
			return err;
	}
	return 0;
}

static void fill(struct stats_comparison *out, double shift, double se,
                 double df, const struct stats_compare_opts *o)
{
	double q = gsl_cdf_tdist_Qinv((1 - o->confidence) / 2, df);

	out->test = "run-median-t";
	out->method = "parametric";
	if (se > 0) {
		out->statistic = shift / se;
		out->p_value = gsl_cdf_tdist_Q(out->statistic, df);
		out->p_better = gsl_cdf_tdist_P(out->statistic, df);
	} else {
		/* no spread at all (deterministic values): the shift is
		 * exact, and 0/0 must not turn "no change" into NaN */
		out->statistic = shift > 0   ? INFINITY
		                 : shift < 0 ? -INFINITY
		                             : 0;
		out->p_value = shift > 0 ? 0 : 1;
		out->p_better = shift < 0 ? 0 : 1;
	}
	out->min_p = 0;
	out->estimate = expm1(shift);
	out->ci_low = expm1(shift - q * se);
	out->ci_high = expm1(shift + q * se);
	out->confidence = o->confidence;
}

int stats_compare_pooled(struct stats_comparison *out,
                         const double *const *runs, const size_t *run_n,
                         size_t nruns, const double *b, size_t nb,
                         const struct stats_compare_opts *opts)
{
	struct stats_compare_opts o = *opts;
	double sign = opts->higher_is_better ? -1 : 1, *m, vw = 0, c, vc, s2;
	double k = (double)nruns, mean;
	size_t i, total = 0;
	int err;

	o.paired = 0;
	o.welch = 0;
	if ((err = check_runs(runs, run_n, nruns)) < 0)
		return err;
	if (nruns == 1) {
		err = stats_compare(out, runs[0], run_n[0], b, nb, &o);
		if (!err) {
			size_t len = strlen(out->note);

			snprintf(out->note + len, sizeof(out->note) - len,
			         "%sone baseline run: between-run variance "
			         "unknown, samples treated as independent",
			         len ? "; " : "");
		}
		return err;
	}
	/* the sample-level comparison fills medians, drift and checks */
	if ((err = stats_compare(out, runs[0], run_n[0], b, nb, &o)) < 0)
		return err;
	stats_init();
	m = pg_malloc(nruns * sizeof(*m));
	for (i = 0; i < nruns; i++) {
		double v;

		run_stats(&m[i], &v, runs[i], run_n[i], sign);
		vw += v / k;
		total += run_n[i];
	}
	run_stats(&c, &vc, b, nb, sign);
	mean = stats_mean(m, nruns);
	s2 = stats_sd(m, nruns) * stats_sd(m, nruns);
	s2 = s2 > vw ? s2 : vw;
	fill(out, c - mean, sqrt(s2 * (1 + 1 / k)), k - 1, opts);
	out->n_a = total;
	out->runs_a = nruns;
	out->median_a = exp(sign * mean);
	out->too_few = 0;
	/* only the candidate run's drift matters: between-run shifts of
	 * the baseline are what s^2 measures */
	out->note[0] = '\0';
	out->drift = stats_drifts(out->lag1_b, nb);
	if (out->drift)
		snprintf(out->note, sizeof(out->note),
		         "the candidate samples drift (lag-1 autocorrelation "
		         "%.2f)",
		         out->lag1_b);
	free(m);
	return 0;
}
