/*
 * calibration.c - seeded simulation of perfgate's verdicts: false
 * regressions in A/A suites, power against injected slowdowns, MDE90 and
 * coverage of the 99% CI.  No timing: everything is simulated with
 * gsl_rng (mt19937) from fixed seeds, so the table is reproducible.
 * Built and run by bench/calibration; see docs/statistics.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/compare.h"
#include "stats/verdict.h"

#define BENCHES 20
#define NMAX 64

enum noise { LOGNORMAL, HEAVY, BIMODAL };

static const char *noise_name[] = {
        "log-normal, CV 3%",
        "heavy tails: CV 3%, 5% of samples +50%",
        "bimodal: CV 3%, half the samples +6%",
};

static double sigma_cv3;

/* One sample of a benchmark whose true median is scale. */
static double draw(gsl_rng *r, enum noise k, double scale)
{
	double x = scale * exp(gsl_ran_gaussian(r, sigma_cv3));

	if (k == HEAVY && gsl_rng_uniform(r) < 0.05)
		x *= 1.5;
	if (k == BIMODAL && gsl_rng_uniform(r) < 0.5)
		x *= 1.06;
	return x;
}

struct outcome {
	int regressions; /* benchmarks judged "regression" */
	int first_regressed; /* benchmark 0 */
	int first_covered; /* benchmark 0's CI holds the injected effect */
	int inconclusive;
};

/* One suite of BENCHES benchmarks; benchmark 0 is slowed by delta. */
static void suite(struct outcome *out, gsl_rng *r, enum noise k, int paired,
                  size_t n, double alpha, double delta)
{
	struct stats_compare_opts o;
	struct stats_comparison c[BENCHES];
	double a[NMAX], b[NMAX], p[BENCHES], q[BENCHES];
	size_t i, j;

	stats_compare_opts_init(&o, paired);
	o.alpha = alpha;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < BENCHES; i++) {
		double slow = i == 0 ? 1 + delta : 1;

		for (j = 0; j < n; j++) {
			a[j] = draw(r, k, 1.0);
			b[j] = draw(r, k, slow);
		}
		if (stats_compare(&c[i], a, n, b, n, &o) < 0)
			abort();
		p[i] = c[i].p_value;
		q[i] = c[i].p_better;
	}
	stats_adjust(p, p, BENCHES, STATS_CORRECTION_BH);
	stats_adjust(q, q, BENCHES, STATS_CORRECTION_BH);
	for (i = 0; i < BENCHES; i++) {
		enum stats_verdict v =
		        stats_classify(&c[i], p[i], q[i], &o, NULL, 0);

		out->regressions += v == STATS_REGRESSION;
		out->inconclusive += v == STATS_INCONCLUSIVE;
	}
	out->first_regressed = stats_classify(&c[0], p[0], q[0], &o, NULL, 0) ==
	                       STATS_REGRESSION;
	out->first_covered = c[0].ci_low <= delta && delta <= c[0].ci_high;
}

struct rates {
	double any_false; /* A/A: suites with any regression */
	double inconclusive; /* per benchmark */
	double power, coverage; /* benchmark 0 */
};

static void simulate(struct rates *rt, enum noise k, int paired, size_t n,
                     double alpha, double delta, size_t trials,
                     unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t t, any = 0, inc = 0, hit = 0, cov = 0;

	/* the same seed for every delta: common random numbers make the
	 * power curve (and its MDE90) smooth */
	gsl_rng_set(r, seed);
	for (t = 0; t < trials; t++) {
		struct outcome o;

		suite(&o, r, k, paired, n, alpha, delta);
		any += o.regressions > 0;
		inc += (size_t)o.inconclusive;
		hit += (size_t)o.first_regressed;
		cov += (size_t)o.first_covered;
	}
	rt->any_false = (double)any / (double)trials;
	rt->inconclusive = (double)inc / (double)(trials * BENCHES);
	rt->power = (double)hit / (double)trials;
	rt->coverage = (double)cov / (double)trials;
	gsl_rng_free(r);
}

/* Smallest slowdown detected in >= 90% of trials, by bisection. */
static double mde90(int paired, size_t n, double alpha, size_t trials)
{
	double lo = 0, hi = 0.5;
	int i;

	for (i = 0; i < 12; i++) {
		struct rates rt;
		double mid = (lo + hi) / 2;

		simulate(&rt, LOGNORMAL, paired, n, alpha, mid, trials, 7);
		if (rt.power >= 0.9)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

int main(int argc, char **argv)
{
	size_t aa = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t trials = argc > 2 ? strtoul(argv[2], NULL, 10) : 2000;
	static const double deltas[] = {0.02, 0.05, 0.10, 0.20};
	struct {
		int paired;
		size_t n;
		double alpha;
		const char *name;
	} designs[] = {
	        {0, 10, 0.05, "unpaired, n=10 per side, theta 5%, alpha 0.05"},
	        {1, 20, 0.05, "paired, 20 pairs, theta 2%, alpha 0.05"},
	        {1, 20, 0.01, "paired, 20 pairs, theta 2%, alpha 0.01"},
	};
#define NDESIGNS (sizeof(designs) / sizeof(designs[0]))
	struct rates rt;
	size_t d, i;
	int k;

	sigma_cv3 = sqrt(log1p(0.03 * 0.03));
	printf("A/A: %zu simulated suites of %d benchmarks, BH-adjusted, "
	       "99%% CIs\n\n",
	       aa, BENCHES);
	printf("| noise | design | suites with any false regression | "
	       "inconclusive per benchmark |\n|---|---|---|---|\n");
	for (d = 0; d < NDESIGNS; d++)
		for (k = LOGNORMAL; k <= BIMODAL; k++) {
			simulate(&rt, (enum noise)k, designs[d].paired,
			         designs[d].n, designs[d].alpha, 0, aa,
			         1000 + (unsigned long)k);
			printf("| %s | %s | %.2f%% | %.1f%% |\n", noise_name[k],
			       designs[d].name, 100 * rt.any_false,
			       100 * rt.inconclusive);
		}
	printf("\nPower: one benchmark of %d slowed down, log-normal CV 3%%, "
	       "%zu suites per cell\n\n",
	       BENCHES, trials);
	printf("| design | 2%% | 5%% | 10%% | 20%% | MDE90 | coverage of "
	       "the 99%% CI (min over 2..20%%) |\n|---|---|---|---|---|---|"
	       "---|\n");
	for (d = 0; d < NDESIGNS; d++) {
		double cover = 1;

		printf("| %s |", designs[d].name);
		for (i = 0; i < 4; i++) {
			simulate(&rt, LOGNORMAL, designs[d].paired,
			         designs[d].n, designs[d].alpha, deltas[i],
			         trials, 7);
			printf(" %.1f%% |", 100 * rt.power);
			cover = rt.coverage < cover ? rt.coverage : cover;
		}
		printf(" %.1f%% | %.1f%% |\n",
		       100 * mde90(designs[d].paired, designs[d].n,
		                   designs[d].alpha, trials / 2),
		       100 * cover);
	}
	return 0;
}
