/*
 * history_alerts.c - seeded simulation of the history alert of `perfgate
 * gate` on the target branch (gate/alert.h), through the same decision
 * function (history_alert_find(), history/alert.h) and its defaults.
 *
 * A benchmark's per-commit median is log-normal around its level with a
 * between-run sigma s (the spread of one commit's median from the next on
 * unchanged code).  Every commit is a push: the gate looks at the newest
 * PG_DEFAULT_HISTORY_COMMITS points and raises each alert it finds
 * unless one was recorded in its history_alert_known_range() (the "known"
 * rule of gate/alert.c).
 *
 *   false alerts: pure noise (log-normal; and with 5% of commits +20%,
 *                 heavy tails), PUSHES pushes after WARM commits, for
 *                 each of BENCHES benchmarks; reported per 100 commits
 *                 per benchmark (target <= 1), with an exact Poisson 95%
 *                 upper bound;
 *   delay:        WARM commits of noise, then a +5% step; the number of
 *                 pushes from the step's commit (1 = flagged on the step's
 *                 own push) until an alert within the slack of the step
 *                 (target <= 8), for s = 1%, 2% and 2.5% (a step of 5, 2.5
 *                 and 2 sigma).
 *
 * Usage: history_alerts [BENCHES PUSHES TRIALS] (default 20 200 300).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "history/alert.h"
#include "util/defaults.h"

#define WARM 30 /* commits of history before the pushes counted */
#define MAX_DELAY 20 /* pushes after a step before giving up */
#define STEP 0.05

static double *series;
static size_t nseries, alloc;

static void push_point(double v)
{
	if (nseries == alloc) {
		alloc = alloc ? 2 * alloc : 256;
		series = realloc(series, alloc * sizeof(*series));
		if (!series)
			abort();
	}
	series[nseries++] = v;
}

/*
 * One push: the alerts on the newest points.  Returns how many are new
 * (not within the slack of one in recorded[0..*nrec)), recording them;
 * *hit = 1 when one is within the slack of commit `target`.
 */
static size_t gate_push(const struct history_alert_opts *o, size_t *recorded,
                        size_t *nrec, size_t target, int *hit)
{
	size_t first = nseries > PG_DEFAULT_HISTORY_COMMITS
	                       ? nseries - PG_DEFAULT_HISTORY_COMMITS
	                       : 0;
	struct history_shift *sh = NULL;
	size_t i, j, nsh = 0, fresh = 0;

	if (history_alert_find(&sh, &nsh, series + first, nseries - first,
	                       RESULT_LOWER_IS_BETTER, o) < 0)
		abort();
	for (i = 0; i < nsh; i++) {
		size_t at = first + sh[i].index, lo, hi;
		int known = 0;

		history_alert_known_range(&sh[i], o, &lo, &hi);
		for (j = 0; j < *nrec && !known; j++)
			known = recorded[j] >= first + lo &&
			        recorded[j] <= first + hi;
		if (hit && at + PG_HISTORY_ALERT_SLACK >= target &&
		    at <= target + PG_HISTORY_ALERT_SLACK)
			*hit = 1;
		if (known)
			continue;
		recorded[(*nrec)++] = at;
		fresh++;
	}
	free(sh);
	return fresh;
}

/* Fraction of commits whose median is an outlier, and by how much. */
static double outlier_rate, outlier_size;

/* One commit's median on unchanged code. */
static double noise(gsl_rng *r, double s)
{
	double x = exp(gsl_ran_gaussian(r, s));

	if (outlier_rate > 0 && gsl_rng_uniform(r) < outlier_rate)
		x *= 1 + outlier_size;
	return x;
}

static void false_alerts(gsl_rng *r, const struct history_alert_opts *o,
                         double s, size_t benches, size_t pushes)
{
	size_t b, p, alerts = 0, *recorded;
	double rate, upper;

	recorded = malloc((pushes + WARM) * 8 * sizeof(*recorded));
	for (b = 0; b < benches; b++) {
		size_t nrec = 0;

		nseries = 0;
		for (p = 0; p < WARM; p++)
			push_point(noise(r, s));
		for (p = 0; p < pushes; p++) {
			push_point(noise(r, s));
			alerts += gate_push(o, recorded, &nrec, 0, NULL);
		}
	}
	rate = 100.0 * (double)alerts / (double)(benches * pushes);
	/* exact Poisson 95% upper bound on the count */
	upper = 100.0 * 0.5 * gsl_cdf_chisq_Pinv(0.95, 2.0 * (alerts + 1)) /
	        (double)(benches * pushes);
	printf("| %.1f%%%s | %zu x %zu | %zu | %.2f | %.2f |\n", s * 100,
	       outlier_rate > 0 ? ", 5% of commits +20%" : "", benches, pushes,
	       alerts, rate, upper);
	free(recorded);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void delay(gsl_rng *r, const struct history_alert_opts *o, double s,
                  size_t trials, const char *label)
{
	size_t t, p, *d = malloc(trials * sizeof(*d)), within = 0, missed = 0;
	size_t recorded[4 * MAX_DELAY + 8];

	for (t = 0; t < trials; t++) {
		size_t nrec = 0;
		int hit = 0;

		nseries = 0;
		for (p = 0; p < WARM; p++)
			push_point(exp(gsl_ran_gaussian(r, s)));
		for (p = 1; p <= MAX_DELAY && !hit; p++) {
			push_point((1 + STEP) * exp(gsl_ran_gaussian(r, s)));
			gate_push(o, recorded, &nrec, WARM, &hit);
		}
		d[t] = hit ? p - 1 : MAX_DELAY + 1;
		within += hit && p - 1 <= 8;
		missed += !hit;
	}
	qsort(d, trials, sizeof(*d), cmp_size);
	printf("| %.1f%%%s | %.1f | %zu | %zu | %zu | %.0f%% | %zu |\n",
	       s * 100, label, log1p(STEP) / s, trials, d[trials / 2],
	       d[(trials * 9) / 10], 100.0 * (double)within / (double)trials,
	       missed);
	free(d);
}

int main(int argc, char **argv)
{
	size_t benches = argc > 1 ? strtoul(argv[1], NULL, 10) : 20;
	size_t pushes = argc > 2 ? strtoul(argv[2], NULL, 10) : 200;
	size_t trials = argc > 3 ? strtoul(argv[3], NULL, 10) : 300;
	static const double sigmas[] = {0.01, 0.02, 0.025};
	struct history_alert_opts o;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	size_t i;

	history_alert_opts_init(&o);
	gsl_rng_set(r, 20261202);
	printf("history alerts: E-divisive p <= %g, %zu permutations, "
	       "theta %g%%, newest %zu of %d commits, slack %d; online look "
	       "at the newest %zu-%zu against >= %zu, Mann-Whitney p <= %g"
	       "\n\n",
	       o.cp.p_threshold, o.cp.permutations, o.threshold * 100, o.recent,
	       PG_DEFAULT_HISTORY_COMMITS, PG_HISTORY_ALERT_SLACK, o.online_min,
	       o.online_max, o.online_reference, o.online_alpha);
	printf("False alerts on pure noise (every commit a push; per 100 "
	       "commits per benchmark; target <= 1)\n\n");
	printf("| between-run sigma | benchmarks x pushes | alerts | per 100 "
	       "| 95%% upper |\n|---|---|---|---|---|\n");
	for (i = 0; i < 2; i++)
		false_alerts(r, &o, sigmas[i], benches, pushes);
	/* heavy tails: an occasional slow commit (a noisy neighbour) */
	outlier_rate = 0.05;
	outlier_size = 0.20;
	false_alerts(r, &o, sigmas[1], benches, pushes);
	outlier_rate = 0;
	printf("\nDelay to flag a +5%% step after %d commits of history "
	       "(pushes from the step's own, 1 = flagged on it; target <= 8)"
	       "\n\n",
	       WARM);
	printf("| sigma | step / sigma | trials | median | p90 | <= 8 | "
	       "missed (> %d) |\n|---|---|---|---|---|---|---|\n",
	       MAX_DELAY);
	for (i = 0; i < sizeof(sigmas) / sizeof(sigmas[0]); i++)
		delay(r, &o, sigmas[i], trials, "");
	/* what the online look adds: E-divisive alone */
	o.online_max = 0;
	delay(r, &o, sigmas[1], trials, ", E-divisive only");
	gsl_rng_free(r);
	free(series);
	return 0;
}
