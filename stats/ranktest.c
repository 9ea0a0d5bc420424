#include "stats/ranktest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

#include "stats/describe.h"
#include "stats/nulldist.h"
#include "util/error.h"
#include "util/mem.h"

/* SciPy's method="auto" goes exact when one sample has <= 8 values. */
#define MWU_EXACT_MAX 8
/* The signed-rank test is exact (or exact permutation) up to this n. */
#define SIGNRANK_EXACT_MAX 50

const char *stats_method_name(enum stats_method m)
{
	switch (m) {
	case STATS_METHOD_EXACT:
		return "exact";
	case STATS_METHOD_ASYMPTOTIC:
		return "asymptotic";
	case STATS_METHOD_PERMUTATION:
		return "permutation";
	case STATS_METHOD_PARAMETRIC:
		return "parametric";
	}
	return "unknown";
}

double stats_midranks(double *rank, const double *x, size_t n)
{
	size_t *idx = pg_malloc((n ? n : 1) * sizeof(*idx));
	double ties = 0;
	size_t i = 0, j, k;

	gsl_sort_index(idx, x, 1, n);
	while (i < n) {
		double t;

		for (j = i + 1; j < n && x[idx[j]] == x[idx[i]]; j++)
			;
		/* positions i..j-1 (0-based) share rank (i + 1 + j) / 2 */
		for (k = i; k < j; k++)
			rank[idx[k]] = (double)(i + 1 + j) / 2;
		t = (double)(j - i);
		ties += t * t * t - t;
		i = j;
	}
	free(idx);
	return ties;
}

/* Normal tail P(Z >= z); z = +-inf and NaN handled. */
static double upper_normal(double num, double sigma)
{
	if (sigma > 0)
		return gsl_cdf_ugaussian_Q(num / sigma);
	return num > 0 ? 0.0 : 1.0;
}

static void mwu_exact(struct stats_test *out, size_t nx, size_t ny)
{
	double *pmf = stats_mwu_pmf(nx, ny);
	size_t len = nx * ny + 1, u = (size_t)out->statistic;

	out->method = STATS_METHOD_EXACT;
	out->p_value = stats_pmf_upper(pmf, len, u);
	out->p_other = stats_pmf_lower(pmf, len, u);
	out->min_p = pmf[len - 1];
	free(pmf);
}

int stats_mwu_test(struct stats_test *out, const double *x, size_t nx,
                   const double *y, size_t ny)
{
	size_t n = nx + ny, i;
	double *all, *rank, ties, rsum = 0, mu, sigma, m, nn;

	memset(out, 0, sizeof(*out));
	if (!nx || !ny)
		return pg_error_input("mann-whitney u needs two non-empty "
		                      "samples");
	stats_init();
	all = pg_malloc(n * sizeof(*all));
	rank = pg_malloc(n * sizeof(*rank));
	memcpy(all, x, nx * sizeof(*all));
	memcpy(all + nx, y, ny * sizeof(*all));
	ties = stats_midranks(rank, all, n);
	for (i = nx; i < n; i++)
		rsum += rank[i];
	free(all);
	free(rank);
	m = (double)nx;
	nn = (double)ny;
	out->statistic = rsum - nn * (nn + 1) / 2;
	if (ties == 0 && (nx <= MWU_EXACT_MAX || ny <= MWU_EXACT_MAX)) {
		mwu_exact(out, nx, ny);
		return 0;
	}
	out->method = STATS_METHOD_ASYMPTOTIC;
	mu = m * nn / 2;
	sigma = sqrt(m * nn / 12 *
	             ((double)n + 1 - ties / ((double)n * ((double)n - 1))));
	out->p_value = upper_normal(out->statistic - mu - 0.5, sigma);
	out->p_other = upper_normal(mu - out->statistic - 0.5, sigma);
	out->min_p = upper_normal(m * nn - mu - 0.5, sigma);
	return 0;
}

/* Exact (or permutation) p-values from the pmf of 2 T+ or T+. */
static void signrank_exact(struct stats_test *out, const double *rank,
                           const double *d, size_t n, int ties)
{
	size_t *rank2 = NULL, i, len, obs = 0;
	double *pmf;

	if (ties) {
		rank2 = pg_malloc(n * sizeof(*rank2));
		for (i = 0; i < n; i++)
			rank2[i] = (size_t)llround(2 * rank[i]);
	}
	for (i = 0; i < n; i++) {
		size_t r = ties ? rank2[i] : (size_t)llround(rank[i]);

		if (d[i] > 0)
			obs += r;
	}
	pmf = stats_signrank_pmf(n, rank2, &len);
	out->method = ties ? STATS_METHOD_PERMUTATION : STATS_METHOD_EXACT;
	out->p_value = stats_pmf_upper(pmf, len, obs);
	out->p_other = stats_pmf_lower(pmf, len, obs);
	out->min_p = pmf[len - 1];
	free(pmf);
	free(rank2);
}

int stats_signrank_test(struct stats_test *out, const double *d, size_t n)
{
	double *nz, *abs_d, *rank, ties, tplus = 0, nn, mu, sigma;
	size_t m = 0, i;

	memset(out, 0, sizeof(*out));
	if (!n)
		return pg_error_input("signed-rank test needs at least one "
		                      "pair");
	stats_init();
	nz = pg_malloc(n * sizeof(*nz));
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			nz[m++] = d[i];
	out->n_used = m;
	if (!m) {
		/* all differences zero: no evidence either way */
		out->method = STATS_METHOD_PERMUTATION;
		out->p_value = out->p_other = out->min_p = 1;
		free(nz);
		return 0;
	}
	abs_d = pg_malloc(m * sizeof(*abs_d));
	rank = pg_malloc(m * sizeof(*rank));
	for (i = 0; i < m; i++)
		abs_d[i] = fabs(nz[i]);
	ties = stats_midranks(rank, abs_d, m);
	for (i = 0; i < m; i++)
		if (nz[i] > 0)
			tplus += rank[i];
	out->statistic = tplus;
	if (m <= SIGNRANK_EXACT_MAX) {
		signrank_exact(out, rank, nz, m, ties > 0 || m < n);
	} else {
		nn = (double)m;
		mu = nn * (nn + 1) / 4;
		sigma = sqrt(nn * (nn + 1) * (2 * nn + 1) / 24 - ties / 48);
		out->method = STATS_METHOD_ASYMPTOTIC;
		out->p_value = upper_normal(tplus - mu - 0.5, sigma);
		out->p_other = upper_normal(mu - tplus - 0.5, sigma);
		out->min_p = upper_normal(nn * (nn + 1) / 2 - mu - 0.5, sigma);
	}
	free(rank);
	free(abs_d);
	free(nz);
	return 0;
}

/* p-values and CI of a t statistic for a shift est with standard error se. */
static void t_result(struct stats_test *out, struct stats_interval *ci,
                     double est, double se, double df, double confidence)
{
	out->method = STATS_METHOD_PARAMETRIC;
	out->df = df;
	out->min_p = 0;
	if (se > 0) {
		out->statistic = est / se;
		out->p_value = gsl_cdf_tdist_Q(out->statistic, df);
		out->p_other = gsl_cdf_tdist_P(out->statistic, df);
	} else {
		/* no spread at all: the sign of the shift decides */
		out->statistic = est > 0 ? INFINITY : est < 0 ? -INFINITY : 0;
		out->p_value = est > 0 ? 0.0 : 1.0;
		out->p_other = est < 0 ? 0.0 : 1.0;
	}
	if (ci) {
		double q = se > 0 ? gsl_cdf_tdist_Qinv((1 - confidence) / 2, df)
		                  : 0;

		ci->estimate = est;
		ci->low = est - q * se;
		ci->high = est + q * se;
		ci->confidence = confidence;
	}
}

int stats_welch_test(struct stats_test *out, struct stats_interval *ci,
                     const double *x, size_t nx, const double *y, size_t ny,
                     double confidence)
{
	double vx, vy, se2, df;

	memset(out, 0, sizeof(*out));
	if (nx < 2 || ny < 2)
		return pg_error_input("welch t-test needs at least 2 samples "
		                      "per side");
	stats_init();
	vx = stats_sd(x, nx) * stats_sd(x, nx) / (double)nx;
	vy = stats_sd(y, ny) * stats_sd(y, ny) / (double)ny;
	se2 = vx + vy;
	df = se2 > 0 ? se2 * se2 /
	                       (vx * vx / (double)(nx - 1) +
	                        vy * vy / (double)(ny - 1))
	             : (double)(nx + ny - 2);
	t_result(out, ci, stats_mean(y, ny) - stats_mean(x, nx), sqrt(se2), df,
	         confidence);
	return 0;
}

int stats_t1_test(struct stats_test *out, struct stats_interval *ci,
                  const double *d, size_t n, double confidence)
{
	memset(out, 0, sizeof(*out));
	if (n < 2)
		return pg_error_input("t-test needs at least 2 pairs");
	stats_init();
	t_result(out, ci, stats_mean(d, n), stats_sd(d, n) / sqrt((double)n),
	         (double)(n - 1), confidence);
	out->n_used = n;
	return 0;
}
