/*
 * pooled.c - seeded simulation of the stored-baseline gate when the
 * baseline pools k runs of ancestor commits (stats/pooled.h): A/A false
 * regressions, power, and windows that hold a run at another level.  No
 * timing; gsl_rng (mt19937) from fixed seeds, so the tables reproduce.
 * Built and run by bench/pooled; see docs/statistics.md.
 *
 * Model of one benchmark (log scale): run r has level b_r ~ N(0, sb^2)
 * (between-run noise), its n samples are exp(b_r + N(0, sw^2)) with
 * sw^2 = ln(1 + 0.03^2) (within-run CV 3%).  The candidate run has its own
 * level b_c plus the injected slowdown.  A suite is 20 benchmarks with
 * independent noise; benchmark 0 carries the slowdown and the
 * contamination.  Every method sees the same data (common random numbers).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/compare.h"
#include "stats/pooled.h"
#include "stats/verdict.h"
#include "util/defaults.h"

#define BENCHES 20
#define KMAX 5
#define NMAX 30

enum method { NEWEST_MW, CURRENT, ROBUST, MODERATED, NMETHODS };

static const char *method_name[NMETHODS] = {
        "newest run only, Mann-Whitney",
        "earlier: run-median-t (k>=3), else newest run",
        "newest level + own variance (no suite prior)",
        "newest level + suite prior (moderated; new default)",
};

enum contam {
	CLEAN,
	SPIKE, /* an older run (not the newest) at another level */
	STEP, /* the newest run at a new level, inherited by the candidate */
	TRANSIENT, /* the newest run off, the candidate not */
};

struct scenario {
	double sb; /* between-run sd (log); < 0: per benchmark, 1%..6% */
	size_t n; /* samples per run */
	size_t k; /* baseline runs */
	double delta; /* slowdown of benchmark 0 */
	enum contam contam;
	double factor; /* of the contaminated run */
};

struct tally {
	size_t suites, any_false, false_benches, hit;
};

static double sigma_w;

/* One run of n samples at level exp(level). */
static void draw_run(double *x, gsl_rng *r, size_t n, double level)
{
	size_t i;

	for (i = 0; i < n; i++)
		x[i] = exp(level + gsl_ran_gaussian(r, sigma_w));
}

struct suite_data {
	double runs[BENCHES][KMAX][NMAX];
	double cand[BENCHES][NMAX];
	const double *rp[BENCHES][KMAX];
	size_t rn[KMAX];
};

static void draw_suite(struct suite_data *d, gsl_rng *r,
                       const struct scenario *s)
{
	size_t j, i, pos = s->k > 1 ? 1 + gsl_rng_uniform_int(r, s->k - 1) : 0;

	for (j = 0; j < BENCHES; j++) {
		double sb =
		        s->sb >= 0 ? s->sb
		                   : exp(gsl_ran_flat(r, log(0.01), log(0.06)));
		double lc = gsl_ran_gaussian(r, sb);

		for (i = 0; i < s->k; i++) {
			double l = gsl_ran_gaussian(r, sb);

			if (j == 0 &&
			    ((s->contam == SPIKE && i == pos) ||
			     ((s->contam == STEP || s->contam == TRANSIENT) &&
			      i == 0)))
				l += log(s->factor);
			draw_run(d->runs[j][i], r, s->n, l);
			d->rp[j][i] = d->runs[j][i];
		}
		if (j == 0) {
			lc += log1p(s->delta);
			if (s->contam == STEP)
				lc += log(s->factor);
		}
		draw_run(d->cand[j], r, s->n, lc);
	}
	for (i = 0; i < s->k; i++)
		d->rn[i] = s->n;
}

static void compare_all(struct stats_comparison *c, enum method m,
                        const struct suite_data *d, const struct scenario *s,
                        const struct stats_compare_opts *o)
{

	struct stats_pooled_summary sum[BENCHES];
	struct stats_pooled_prior prior;
	size_t j;
	int err = 0;

	if (m == MODERATED) {
		for (j = 0; j < BENCHES && !err; j++)
			err = stats_pooled_summarize(&sum[j], d->rp[j], d->rn,
			                             s->k, 0, o);
		stats_pooled_fit_prior(&prior, sum, BENCHES,
		                       PG_POOLED_PRIOR_MIN_CELLS,
		                       PG_POOLED_PRIOR_MAX_DF);
	}
	for (j = 0; j < BENCHES && !err; j++) {
		const double *const *rp = d->rp[j];

		if (m == NEWEST_MW || (m == CURRENT && s->k < 3))
			err = stats_compare(&c[j], rp[0], s->n, d->cand[j],
			                    s->n, o);
		else if (m == CURRENT)
			err = stats_compare_pooled_t(&c[j], rp, d->rn, s->k,
			                             d->cand[j], s->n, o);
		else
			err = stats_compare_pooled_prior(
			        &c[j], rp, d->rn, s->k, 0, d->cand[j], s->n, o,
			        m == MODERATED ? &prior : NULL);
	}
	if (err < 0)
		abort();
}

/* Verdicts of one suite after BH; adds to t. */
static void judge(struct tally *t, struct stats_comparison *c,
                  const struct stats_compare_opts *o, int bench0_is_null)
{
	double p[BENCHES], q[BENCHES];
	size_t j, falses = 0;

	for (j = 0; j < BENCHES; j++) {
		p[j] = c[j].p_value;
		q[j] = c[j].p_better;
	}
	stats_adjust(p, p, BENCHES, STATS_CORRECTION_BH);
	stats_adjust(q, q, BENCHES, STATS_CORRECTION_BH);
	for (j = 0; j < BENCHES; j++) {
		int reg = stats_classify(&c[j], p[j], q[j], o, NULL, 0) ==
		          STATS_REGRESSION;

		if (j == 0 && !bench0_is_null)
			t->hit += (size_t)reg;
		else
			falses += (size_t)reg;
	}
	t->suites++;
	t->false_benches += falses;
	t->any_false += falses > 0;
}

/* Run trials suites of scenario s; t[m] for every method. */
static void simulate(struct tally *t, const struct scenario *s, size_t trials,
                     unsigned long seed)
{
	static struct suite_data d;
	struct stats_comparison c[BENCHES];
	struct stats_compare_opts o;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;
	int m;

	stats_compare_opts_init(&o, 0);
	gsl_rng_set(r, seed);
	memset(t, 0, NMETHODS * sizeof(*t));
	for (i = 0; i < trials; i++) {
		draw_suite(&d, r, s);
		for (m = 0; m < NMETHODS; m++) {
			compare_all(c, (enum method)m, &d, s, &o);
			judge(&t[m], c, &o, s->delta == 0);
		}
	}
	gsl_rng_free(r);
}

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : NAN;
}

/*
 * The measurement: one run against the previous one, Mann-Whitney
 * with theta 5% and no adjustment, flagged 17% of identical pairs.
 */
static void reality(size_t trials)
{
	static const double sbs[] = {0, 0.02, 0.03, 0.035, 0.04, 0.05};
	static const size_t ns[] = {10, 30};
	struct stats_compare_opts o;
	struct stats_comparison c;
	double a[NMAX], b[NMAX];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i, t, ni;

	stats_compare_opts_init(&o, 0);
	printf("Newest run only (Mann-Whitney, theta 5%%, alpha 0.05, no "
	       "adjustment), identical commits, %zu pairs each\n\n",
	       trials);
	printf("| between-run sd | n=10 | n=30 |\n|---|---|---|\n");
	for (i = 0; i < sizeof(sbs) / sizeof(sbs[0]); i++) {
		printf("| %.1f%% |", 100 * sbs[i]);
		for (ni = 0; ni < 2; ni++) {
			size_t flagged = 0;

			gsl_rng_set(r, 99);
			for (t = 0; t < trials; t++) {
				draw_run(a, r, ns[ni],
				         gsl_ran_gaussian(r, sbs[i]));
				draw_run(b, r, ns[ni],
				         gsl_ran_gaussian(r, sbs[i]));
				if (stats_compare(&c, a, ns[ni], b, ns[ni],
				                  &o) < 0)
					abort();
				flagged +=
				        stats_classify(&c, c.p_value,
				                       c.p_better, &o, NULL,
				                       0) == STATS_REGRESSION;
			}
			printf(" %.1f%% |", pct(flagged, trials));
		}
		printf("\n");
	}
	printf("\n");
	gsl_rng_free(r);
}

static void clean_table(double sb, size_t n, size_t aa, size_t trials)
{
	static const double deltas[] = {0.10, 0.20, 0.25};
	struct tally t[4][KMAX + 1][NMETHODS];
	size_t k, i;
	int m;

	for (k = 1; k <= KMAX; k++) {
		struct scenario s = {sb, n, k, 0, CLEAN, 1};

		simulate(t[0][k], &s, aa, 1000 + k);
		for (i = 0; i < 3; i++) {
			s.delta = deltas[i];
			simulate(t[i + 1][k], &s, trials, 7 + k);
		}
	}
	printf("Clean window: between-run sd %.1f%%, n=%zu per run, %zu A/A "
	       "suites and %zu power suites per cell\n\n",
	       100 * sb, n, aa, trials);
	printf("| method | k | A/A false per benchmark | A/A suites with a "
	       "false regression | power 10%% | power 20%% | power 25%% "
	       "|\n|---|---|---|---|---|---|---|\n");
	for (m = 0; m < NMETHODS; m++)
		for (k = 1; k <= KMAX; k++)
			printf("| %s | %zu | %.2f%% | %.2f%% | %.1f%% | %.1f%% "
			       "| %.1f%% |\n",
			       method_name[m], k,
			       pct(t[0][k][m].false_benches,
			           t[0][k][m].suites * BENCHES),
			       pct(t[0][k][m].any_false, t[0][k][m].suites),
			       pct(t[1][k][m].hit, t[1][k][m].suites),
			       pct(t[2][k][m].hit, t[2][k][m].suites),
			       pct(t[3][k][m].hit, t[3][k][m].suites));
	printf("\n");
}

/* Contaminated windows: false suites (no new change) and power at 25%. */
static void contam_table(double sb, size_t n, size_t trials)
{
	static const struct {
		enum contam c;
		double f;
	} cs[] = {{SPIKE, 1.25},
	          {SPIKE, 0.8},
	          {STEP, 1.25},
	          {STEP, 0.8},
	          {TRANSIENT, 1.25}};
#define NCS (sizeof(cs) / sizeof(cs[0]))
	struct tally t[NCS][2][KMAX + 1][NMETHODS];
	size_t k, i;
	int m;

	for (i = 0; i < NCS; i++)
		for (k = 1; k <= KMAX; k++) {
			struct scenario s = {sb, n, k, 0, cs[i].c, cs[i].f};

			if (cs[i].c == SPIKE && k == 1)
				continue;
			simulate(t[i][0][k], &s, trials, 2000 + 10 * i + k);
			s.delta = 0.25;
			simulate(t[i][1][k], &s, trials, 3000 + 10 * i + k);
		}
	printf("Window with one run at another level (benchmark 0), between-"
	       "run sd %.1f%%, n=%zu, %zu suites per cell: A/A suites with a "
	       "false regression / power against a new 25%% slowdown\n\n",
	       100 * sb, n, trials);
	printf("| method | k | older run +25%% | older run -20%% | newest "
	       "+25%% (a step) | newest -20%% (a step) | newest +25%% "
	       "(transient) |\n|---|---|---|---|---|---|---|\n");
	for (m = 0; m < NMETHODS; m++)
		for (k = 1; k <= KMAX; k++) {
			printf("| %s | %zu |", method_name[m], k);
			for (i = 0; i < NCS; i++) {
				const struct tally *a = &t[i][0][k][m];
				const struct tally *p = &t[i][1][k][m];

				if (cs[i].c == SPIKE && k == 1)
					printf(" n/a |");
				else
					printf(" %.2f%% / %.1f%% |",
					       pct(a->any_false, a->suites),
					       pct(p->hit, p->suites));
			}
			printf("\n");
		}
	printf("\n");
}

/* Sensitivity of the new default to the noise level. */
static void noise_table(size_t trials)
{
	static const double sbs[] = {0.02, 0.035, 0.05, -1};
	static const size_t ns[] = {10, 30};
	static const size_t ks[] = {1, 3, 5};
	size_t i, ni, ki;

	printf("Noise levels, %zu suites per cell: A/A suites with a false "
	       "regression / power 25%% / power 25%% with an older run at "
	       "+25%%\n\n",
	       trials);
	printf("| between-run sd | n | k | %s | %s |\n|---|---|---|---|---|\n",
	       method_name[CURRENT], method_name[MODERATED]);
	for (i = 0; i < sizeof(sbs) / sizeof(sbs[0]); i++)
		for (ni = 0; ni < 2; ni++)
			for (ki = 0; ki < 3; ki++) {
				struct scenario s = {sbs[i], ns[ni], ks[ki],
				                     0,      CLEAN,  1};
				struct tally a[NMETHODS], p[NMETHODS],
				        q[NMETHODS];
				int m;

				simulate(a, &s, trials, 4000 + ki);
				s.delta = 0.25;
				simulate(p, &s, trials, 5000 + ki);
				s.contam = SPIKE;
				s.factor = 1.25;
				if (s.k > 1)
					simulate(q, &s, trials, 6000 + ki);
				if (sbs[i] < 0)
					printf("| 1%%..6%% per benchmark |");
				else
					printf("| %.1f%% |", 100 * sbs[i]);
				printf(" %zu | %zu |", ns[ni], ks[ki]);
				for (m = CURRENT; m <= MODERATED;
				     m += MODERATED - CURRENT) {
					printf(" %.2f%% / %.1f%% / ",
					       pct(a[m].any_false, a[m].suites),
					       pct(p[m].hit, p[m].suites));
					if (s.k > 1)
						printf("%.1f%% |",
						       pct(q[m].hit,
						           q[m].suites));
					else
						printf("n/a |");
				}
				printf("\n");
			}
	printf("\n");
}

int main(int argc, char **argv)
{
	size_t aa = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000;
	size_t trials = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
	double sb = argc > 3 ? strtod(argv[3], NULL) : 0.035;

	sigma_w = sqrt(log1p(0.03 * 0.03));

	reality(trials * 2);
	clean_table(sb, 10, aa, trials);
	contam_table(sb, 10, trials);
	noise_table(trials);
	return 0;
}
