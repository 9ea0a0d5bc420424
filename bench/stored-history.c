/*
 * bench/stored-history: seeded simulation of the stored-baseline gate with
 * one stored run per commit (no timing).  A suite of BENCHES benchmarks;
 * main's history holds H runs, one per commit, each at a level
 * N(0, sd_b^2) on the log scale with N samples of log-normal within-run
 * noise (CV 3%); the newest LEVEL runs set the level; the candidate run
 * is one more draw, benchmark 0 slowed by delta.  Each benchmark is
 * compared by stats_compare_pooled_prior() with the suite prior, the
 * p-values BH-adjusted, verdicts by stats_classify(); the MDE is
 * stats_mde() at alpha * 0.2 / BENCHES, as the gate computes it.
 *
 * Prints: A/A suites with a false regression (target <= 1%, with its
 * Clopper-Pearson 95% upper bound), power at several delta, the mean
 * reported MDE of benchmark 0, and the power at that MDE (90% if the
 * MDE is honest).
 *
 * Usage: bench/stored-history [A/A-suites [power-suites [sd_b [H]]]]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/compare.h"
#include "stats/mde.h"
#include "stats/pooled.h"
#include "stats/verdict.h"
#include "util/defaults.h"

#define BENCHES 20
#define N 10
#define LEVEL 5
#define MAXH 60

static double runs[BENCHES][MAXH][N], cand[BENCHES][N];

static void draw(gsl_rng *r, size_t h, double sd_b, double delta)
{
	size_t j, i, s;

	for (j = 0; j < BENCHES; j++) {
		for (i = 0; i <= h; i++) {
			double level = gsl_ran_gaussian(r, sd_b);
			double *x = i < h ? runs[j][i] : cand[j];

			if (i == h && j == 0)
				level += log1p(delta);
			for (s = 0; s < N; s++)
				x[s] = 0.01 *
				       exp(level + gsl_ran_gaussian(r, 0.03));
		}
	}
}

/* One suite: 1 when benchmark 0 is a regression; *others: false ones. */
static int suite(size_t h, double *mde0, size_t *others)
{
	struct stats_pooled_summary sum[BENCHES];
	struct stats_pooled_prior prior;
	struct stats_comparison c[BENCHES];
	struct stats_compare_opts o;
	const double *rp[BENCHES][MAXH];
	size_t rn[MAXH], j, i;
	double p[BENCHES], q[BENCHES];
	int hit = 0;

	stats_compare_opts_init(&o, 0);
	for (i = 0; i < h; i++)
		rn[i] = N;
	for (j = 0; j < BENCHES; j++) {
		for (i = 0; i < h; i++)
			rp[j][i] = runs[j][i];
		if (stats_pooled_summarize(&sum[j], rp[j], rn, h, LEVEL, &o))
			abort();
	}
	stats_pooled_fit_prior(&prior, sum, BENCHES, PG_POOLED_PRIOR_MIN_CELLS,
	                       PG_POOLED_PRIOR_MAX_DF);
	for (j = 0; j < BENCHES; j++) {
		if (stats_compare_pooled_prior(&c[j], rp[j], rn, h, LEVEL,
		                               cand[j], N, &o, &prior))
			abort();
		p[j] = c[j].p_value;
		q[j] = c[j].p_better;
	}
	stats_adjust(p, p, BENCHES, STATS_CORRECTION_BH);
	stats_adjust(q, q, BENCHES, STATS_CORRECTION_BH);
	*others = 0;
	for (j = 0; j < BENCHES; j++) {
		int reg = stats_classify(&c[j], p[j], q[j], &o, NULL, 0) ==
		          STATS_REGRESSION;

		if (j == 0)
			hit = reg;
		else
			*others += reg;
	}
	*mde0 = stats_mde(&c[0], o.alpha * PG_POOLED_ALPHA_SCALE / BENCHES,
	                  PG_MDE_POWER, o.threshold);
	return hit;
}

/* Clopper-Pearson upper 95% bound of k of n: the p with
 * P(Binomial(n, p) <= k) = 0.025, by bisection. */
static double cp_upper(size_t k, size_t n)
{
	double lo = (double)k / (double)n, hi = 1;
	int i;

	if (k >= n)
		return 1;
	for (i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;

		if (gsl_cdf_binomial_P((unsigned)k, mid, (unsigned)n) > 0.025)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

int main(int argc, char **argv)
{
	size_t aa = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000;
	size_t pw = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
	double sd_b = argc > 3 ? atof(argv[3]) : 0.035;
	size_t h = argc > 4 ? strtoul(argv[4], NULL, 10) : 30;
	const double deltas[] = {0.05, 0.10, 0.15, 0.20, 0.25};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t t, k, false_suites = 0, others;
	double mde, mde_sum = 0;

	if (h < 1 || h > MAXH)
		return 2;
	gsl_rng_set(r, 20261202);
	for (t = 0; t < aa; t++) {
		draw(r, h, sd_b, 0);
		false_suites += suite(h, &mde, &others) + others > 0;
		mde_sum += mde;
	}
	printf("History of %zu runs (one per commit), level from the newest "
	       "%d, %d benchmarks, n=%d, between-run sd %.1f%%, within CV 3%%, "
	       "theta 5%%, alpha 0.05 x %g, BH\n\n",
	       h, LEVEL, BENCHES, N, 100 * sd_b, PG_POOLED_ALPHA_SCALE);
	printf("| A/A suites | with a false regression | CP95 upper | mean "
	       "MDE90 reported |\n|---|---|---|---|\n");
	printf("| %zu | %.2f%% | %.2f%% | %.1f%% |\n\n", aa,
	       100.0 * (double)false_suites / (double)aa,
	       100 * cp_upper(false_suites, aa), 100 * mde_sum / (double)aa);
	printf("| slowdown of benchmark 0 | power (%zu suites) |\n|---|---|\n",
	       pw);
	for (k = 0; k < sizeof(deltas) / sizeof(deltas[0]); k++) {
		size_t hits = 0;

		for (t = 0; t < pw; t++) {
			draw(r, h, sd_b, deltas[k]);
			hits += suite(h, &mde, &others);
		}
		printf("| %.0f%% | %.1f%% |\n", 100 * deltas[k],
		       100.0 * (double)hits / (double)pw);
	}
	{
		/* honesty: slow benchmark 0 by the mean reported MDE */
		double at = mde_sum / (double)aa;
		size_t hits = 0;

		for (t = 0; t < pw; t++) {
			draw(r, h, sd_b, at);
			hits += suite(h, &mde, &others);
		}
		printf("| %.1f%% (the mean reported MDE90) | %.1f%% |\n",
		       100 * at, 100.0 * (double)hits / (double)pw);
	}
	gsl_rng_free(r);
	return 0;
}
