/*
 * sequential.c - seeded simulation of paired mode's sequential rule
 * (gate/paired.h, docs/paired.md): does looking at 10, 20 and 30 pairs
 * and stopping at the first clear verdict inflate false alarms?
 *
 * Each simulated suite has BENCHES benchmarks; every pair's log ratio is
 * the difference of two log-normal samples with CV cv (so its spread is
 * cv * sqrt 2).  Designs: one look at the last number of pairs; three
 * looks testing at the full alpha each time (naive); three looks at
 * alpha/3 with CIs at 1 - (1 - 0.99)/3 (Bonferroni); three looks spending
 * alpha x 1/9, 3/9, 5/9 (gate/paired.h: paired_spend()); and that with
 * the futility stop (perfgate's rule).  At each look the p-values are
 * adjusted across the suite (Benjamini-Hochberg) and a benchmark stops
 * when its verdict is regression, improvement or unchanged, or its CI's
 * upper bound is below theta, or (futility design, before the last look)
 * its conditional power is below PG_PAIRED_FUTILITY_POWER, as
 * gate/paired.c does.  No timing: gsl_rng (mt19937)
 * from fixed seeds.  Built and run by bench/sequential.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gate/paired.h"
#include "stats/compare.h"
#include "stats/describe.h"
#include "stats/sequential.h"
#include "stats/verdict.h"
#include "util/defaults.h"

#define BENCHES_MAX 20
#define NMAX 64

enum design { ONE_LOOK, NAIVE, BONFERRONI, SPENT, FUTILE };
#define NDESIGNS 5

static const char *design_name[] = {
        "one look at 30 pairs",
        "3 looks, full alpha each (naive)",
        "3 looks, alpha/3 each",
        "3 looks, alpha x 1/9, 3/9, 5/9",
        "3 looks, alpha x 1/9, 3/9, 5/9, futility stop (perfgate)",
};

static const long looks_at[] = {10, 20, 30};
#define NLOOKS 3

struct bench {
	double a[NMAX], b[NMAX];
	size_t n;
	int running;
	struct stats_comparison c;
};

struct result {
	double any_false; /* suites with a regression (delta = 0) */
	double power; /* benchmark 0 judged a regression */
	double mean_pairs; /* per benchmark */
};

struct params {
	size_t benches;
	double cv, alpha, theta, delta;
	enum design d;
};

static void classify(struct bench *bs, size_t nb, const struct params *p,
                     const struct stats_compare_opts *o, enum stats_verdict *v)
{
	double pv[BENCHES_MAX], qv[BENCHES_MAX];
	size_t i;

	for (i = 0; i < nb; i++) {
		if (stats_compare(&bs[i].c, bs[i].a, bs[i].n, bs[i].b, bs[i].n,
		                  o) < 0)
			abort();
		pv[i] = bs[i].c.p_value;
		qv[i] = bs[i].c.p_better;
	}
	stats_adjust(pv, pv, nb, STATS_CORRECTION_BH);
	stats_adjust(qv, qv, nb, STATS_CORRECTION_BH);
	for (i = 0; i < nb; i++)
		v[i] = stats_classify(&bs[i].c, pv[i], qv[i], o, NULL, 0);
	(void)p;
}

/* The share of alpha look k spends under design d. */
static double spend(enum design d, size_t k)
{
	switch (d) {
	case BONFERRONI:
		return 1.0 / NLOOKS;
	case SPENT:
	case FUTILE:
		return paired_spend(looks_at, NLOOKS, k);
	default:
		return 1;
	}
}

/* gate/paired.c's futility stop (paired_row_futile()) on b's pairs. */
static int futile(const struct bench *b, const struct params *p)
{
	double d[NMAX], spread, cp;
	size_t i, last = NLOOKS - 1;

	for (i = 0; i < b->n; i++)
		d[i] = log(b->b[i] / b->a[i]);
	spread = stats_mad(d, b->n);
	cp = stats_paired_conditional_power(
	        spread, b->n, log1p(b->c.estimate), (size_t)looks_at[last],
	        log1p(p->theta), p->alpha * spend(p->d, last));
	return isfinite(cp) && cp < PG_PAIRED_FUTILITY_POWER;
}

/* One suite; benchmark 0 is slowed down by p->delta. */
static void suite(int *regressions, int *first, size_t *pairs, gsl_rng *r,
                  const struct params *p)
{
	struct bench bs[BENCHES_MAX], pass[BENCHES_MAX];
	struct stats_compare_opts o, po;
	enum stats_verdict v[BENCHES_MAX], pv[BENCHES_MAX];
	double sigma = sqrt(log1p(p->cv * p->cv));
	size_t i, k, first_look = p->d == ONE_LOOK ? NLOOKS - 1 : 0, last = 0;

	stats_compare_opts_init(&o, 1);
	o.threshold = p->theta;
	po = o;
	po.confidence = PG_PAIRED_PASS_CONFIDENCE;
	for (i = 0; i < p->benches; i++) {
		bs[i].n = 0;
		bs[i].running = 1;
	}
	for (k = first_look; k < NLOOKS; k++) {
		int any = 0;

		last = k;
		for (i = 0; i < p->benches; i++) {
			double slow = i == 0 ? log1p(p->delta) : 0;

			if (!bs[i].running)
				continue;
			while (bs[i].n < (size_t)looks_at[k]) {
				bs[i].a[bs[i].n] =
				        exp(gsl_ran_gaussian(r, sigma));
				bs[i].b[bs[i].n] =
				        exp(slow + gsl_ran_gaussian(r, sigma));
				bs[i].n++;
			}
		}
		o.alpha = p->alpha * spend(p->d, k);
		o.confidence = 1 - (1 - 0.99) * spend(p->d, k);
		classify(bs, p->benches, p, &o, v);
		memcpy(pass, bs, sizeof(bs[0]) * p->benches);
		classify(pass, p->benches, p, &po, pv);
		for (i = 0; i < p->benches; i++) {
			if (!bs[i].running)
				continue;
			if (v[i] != STATS_INCONCLUSIVE ||
			    pass[i].c.ci_high < p->theta ||
			    (p->d == FUTILE && k + 1 < NLOOKS &&
			     futile(&bs[i], p)))
				bs[i].running = 0;
			any |= bs[i].running;
		}
		if (!any)
			break;
	}
	/* the final report: everything on its final data, at the alpha the
	 * last look spent */
	o.alpha = p->alpha * spend(p->d, last);
	o.confidence = 1 - (1 - 0.99) * spend(p->d, last);
	classify(bs, p->benches, p, &o, v);
	*regressions = 0;
	*pairs = 0;
	for (i = 0; i < p->benches; i++) {
		*regressions += v[i] == STATS_REGRESSION;
		*pairs += bs[i].n;
	}
	*first = v[0] == STATS_REGRESSION;
}

static void simulate(struct result *res, const struct params *p, size_t trials,
                     unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t t, any = 0, hit = 0, pairs = 0;

	gsl_rng_set(r, seed);
	for (t = 0; t < trials; t++) {
		int reg, first;
		size_t np;

		suite(&reg, &first, &np, r, p);
		any += reg > 0;
		hit += (size_t)first;
		pairs += np;
	}
	res->any_false = (double)any / (double)trials;
	res->power = (double)hit / (double)trials;
	res->mean_pairs = (double)pairs / (double)(trials * p->benches);
	gsl_rng_free(r);
}

static double mde90(struct params p, size_t trials)
{
	double lo = 0, hi = 0.3;
	int i;

	for (i = 0; i < 10; i++) {
		struct result res;

		p.delta = (lo + hi) / 2;
		simulate(&res, &p, trials, 11);
		if (res.power >= 0.9)
			hi = p.delta;
		else
			lo = p.delta;
	}
	return hi;
}

static void power_table(double cv, size_t trials, const double *alphas,
                        const double *deltas)
{
	size_t ai, di, j;

	printf("\nPower (one slowed benchmark in a suite of 20, %zu "
	       "trials), MDE90 and mean pairs at 3%%, per-sample CV %.0f%% "
	       "(per-pair spread %.1f%%), theta 2%%\n\n",
	       trials, 100 * cv, 100 * cv * sqrt(2));
	printf("| alpha | design | 1%% | 2%% | 3%% | 5%% | MDE90 | pairs |\n"
	       "|---|---|---|---|---|---|---|---|\n");
	for (ai = 0; ai < 2; ai++) {
		for (di = 0; di < NDESIGNS; di++) {
			struct params p = {20,   cv, alphas[ai],
			                   0.02, 0,  (enum design)di};
			double pairs = 0;

			printf("| %g | %s |", alphas[ai], design_name[di]);
			for (j = 0; j < 4; j++) {
				struct result r;

				p.delta = deltas[j];
				simulate(&r, &p, trials, 3);
				printf(" %.1f%% |", 100 * r.power);
				if (j == 2)
					pairs = r.mean_pairs;
			}
			printf(" %.2f%% | %.1f |\n", 100 * mde90(p, trials),
			       pairs);
		}
	}
}

int main(int argc, char **argv)
{
	size_t suites = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000;
	size_t trials = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
	static const double alphas[] = {0.05, 0.01};
	static const double cvs[] = {0.05, 0.03, 0.02};
	static const double deltas[] = {0.01, 0.02, 0.03, 0.05};
	static const double pcvs[] = {0.03, 0.05};
	size_t ai, di, ci;

	printf("A/A: %zu simulated suites of 20 benchmarks (and of 1), "
	       "theta 2%%, looks at 10/20/30 pairs\n\n",
	       suites);
	printf("| per-sample CV | alpha | design | 20-benchmark suites with "
	       "a false regression | 1-benchmark suites | mean pairs used |\n"
	       "|---|---|---|---|---|---|\n");
	for (ci = 0; ci < sizeof(cvs) / sizeof(cvs[0]); ci++) {
		for (ai = 0; ai < 2; ai++) {
			for (di = 0; di < NDESIGNS; di++) {
				struct params p = {20,         cvs[ci],
				                   alphas[ai], 0.02,
				                   0,          (enum design)di};
				struct result r20, r1;

				simulate(&r20, &p, suites, 1);
				p.benches = 1;
				simulate(&r1, &p, suites * 5, 2);
				printf("| %.1f%% | %g | %s | %.2f%% | %.2f%% | "
				       "%.1f |\n",
				       100 * cvs[ci], alphas[ai],
				       design_name[di], 100 * r20.any_false,
				       100 * r1.any_false, r20.mean_pairs);
			}
		}
	}
	for (ci = 0; ci < sizeof(pcvs) / sizeof(pcvs[0]); ci++)
		power_table(pcvs[ci], trials, alphas, deltas);
	return 0;
}
