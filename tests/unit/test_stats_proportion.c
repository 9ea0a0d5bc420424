/*
 * Unit tests for stats/proportion (error rates) and the quantile
 * bootstrap of stats/quantile.  Reference values from R 4.2 with the
 * command next to each number.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>

#include "stats/describe.h"
#include "stats/proportion.h"
#include "stats/quantile.h"
#include "util/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_upper_bounds(void **state)
{
	/*
	 * wilson: prop.test(x, n, alternative = "less", correct = FALSE,
	 *         conf.level = cl)$conf.int[2]
	 * cp:     binom.test(x, n, alternative = "less",
	 *         conf.level = cl)$conf.int[2]
	 */
	static const struct {
		double x, n, cl, wilson, cp;
	} cases[] = {
	        {0, 50, 0.95, 0.05133318578627008, 0.058155079116972264},
	        {3, 1000, 0.95, 0.0074824913019056879, 0.0077352447184794171},
	        {90, 4508, 0.99, 0.025417829890010766, 0.025362906746600689},
	        {1, 2, 0.95, 0.87913368057772623, 0.97467943448089633},
	        {382, 38228, 0.99, 0.011247416480496993, 0.011241030164118815},
	};
	size_t i;
	double u;

	for (i = 0; i < N(cases); i++) {
		assert_int_equal(stats_wilson_upper(&u, cases[i].x, cases[i].n,
		                                    cases[i].cl),
		                 0);
		assert_rel(u, cases[i].wilson, 1e-12);
		assert_true(u > cases[i].x / cases[i].n);
		assert_int_equal(stats_clopper_pearson_upper(&u, cases[i].x,
		                                             cases[i].n,
		                                             cases[i].cl),
		                 0);
		assert_rel(u, cases[i].cp, 1e-9);
	}
	/* every request failed: the bound is 1 */
	assert_int_equal(stats_clopper_pearson_upper(&u, 7, 7, 0.95), 0);
	assert_close(u, 1, 0);
	assert_int_equal(stats_wilson_upper(&u, 7, 7, 0.95), 0);
	assert_close(u, 1, 1e-15);
}

/*
 * A "0.1%" budget: 0 failures in 500 requests cannot prove it (the bound
 * is far above), 0 in 5000 can.
 */
static void test_budget_needs_evidence(void **state)
{
	double u;

	assert_int_equal(stats_wilson_upper(&u, 0, 500, 0.95), 0);
	assert_true(u > 0.001);
	assert_int_equal(stats_wilson_upper(&u, 0, 5000, 0.95), 0);
	assert_true(u < 0.001);
	/* more data at the same rate: a tighter bound */
	{
		double small, large;

		assert_int_equal(stats_wilson_upper(&small, 10, 1000, 0.99), 0);
		assert_int_equal(stats_wilson_upper(&large, 100, 10000, 0.99),
		                 0);
		assert_true(large < small && large > 0.01);
	}
}

static void test_two_proportions(void **state)
{
	/*
	 * fisher: fisher.test(matrix(c(x2, n2 - x2, x1, n1 - x1), 2),
	 *         alternative = "greater")$p.value
	 * score:  prop.test(c(x2, x1), c(n2, n1), alternative = "greater",
	 *         correct = FALSE)$p.value
	 */
	static const struct {
		double x1, n1, x2, n2, fisher, score;
	} cases[] = {
	        {10, 1000, 25, 1000, 0.0078748527610731957,
	         0.0052646590326414716},
	        {90, 4508, 90, 4508, 0.5299950425392308, 0.5},
	        {0, 500, 3, 500, 0.12462462462462462, 0.041400988358992405},
	        {382, 38228, 450, 38000, 0.0076892623255246251,
	         0.0070010850321019875},
	        {5, 100, 0, 100, 1, 0.988229970869411},
	};
	size_t i;
	double p;

	for (i = 0; i < N(cases); i++) {
		assert_int_equal(stats_fisher_greater(&p, cases[i].x1,
		                                      cases[i].n1, cases[i].x2,
		                                      cases[i].n2),
		                 0);
		assert_rel(p, cases[i].fisher, 1e-9);
		assert_int_equal(stats_score_greater(&p, cases[i].x1,
		                                     cases[i].n1, cases[i].x2,
		                                     cases[i].n2),
		                 0);
		assert_rel(p, cases[i].score, 1e-9);
	}
	/* no failure anywhere: nothing to see (R's prop.test gives NA) */
	assert_int_equal(stats_score_greater(&p, 0, 10, 0, 10), 0);
	assert_close(p, 1, 0);
	assert_int_equal(stats_fisher_greater(&p, 0, 10, 0, 10), 0);
	assert_close(p, 1, 0);
}

static void test_prop_compare(void **state)
{
	struct stats_prop_test t;

	/* the injected 2.5% against 1%: worse, and not better */
	assert_int_equal(stats_prop_compare(&t, 10, 1000, 25, 1000), 0);
	assert_string_equal(t.method, "fisher");
	assert_rel(t.p_value, 0.0078748527610731957, 1e-9);
	assert_true(t.p_better > 0.99);
	assert_close(t.diff, 0.015, 1e-15);
	/* swapped sides swap the p-values */
	{
		struct stats_prop_test s;

		assert_int_equal(stats_prop_compare(&s, 25, 1000, 10, 1000), 0);
		assert_close(s.p_better, t.p_value, 0);
		assert_close(s.p_value, t.p_better, 0);
	}
	/* huge counts: the score test */
	assert_int_equal(stats_prop_compare(&t, 800000, 1e8, 900000, 1e8), 0);
	assert_string_equal(t.method, "score");
	assert_true(t.p_value < 1e-12);
}

static void test_bad_counts(void **state)
{
	struct stats_prop_test t;
	double u;

	assert_int_equal(stats_wilson_upper(&u, 3, 2, 0.95), PG_EINPUT);
	assert_contains(pg_error_last(), "failures (3) <= requests (2)");
	assert_int_equal(stats_wilson_upper(&u, 0, 0, 0.95), PG_EINPUT);
	assert_int_equal(stats_wilson_upper(&u, 1.5, 10, 0.95), PG_EINPUT);
	assert_int_equal(stats_clopper_pearson_upper(&u, 1, 10, 1), PG_EINPUT);
	assert_int_equal(stats_prop_compare(&t, -1, 10, 1, 10), PG_EINPUT);
	assert_int_equal(stats_fisher_greater(&u, 0, 3e9, 0, 3e9), PG_EINPUT);
}

static const double qa[] = {12.1, 11.8, 13.5, 12.9, 30.2, 12.2,
                            11.9, 14.8, 12.5, 12.0, 19.7, 12.3};
static const double qb[] = {13.0, 12.6, 15.1, 13.8, 41.0, 13.1, 12.7,
                            16.9, 13.3, 12.8, 25.2, 13.4, 13.2};

static void test_quantile_ratio_estimate(void **state)
{
	/*
	 * a <- c(12.1, 11.8, 13.5, 12.9, 30.2, 12.2, 11.9, 14.8, 12.5, 12.0,
	 *        19.7, 12.3)
	 * b <- c(13.0, 12.6, 15.1, 13.8, 41.0, 13.1, 12.7, 16.9, 13.3, 12.8,
	 *        25.2, 13.4, 13.2)
	 * quantile(b, p, type = 7) / quantile(a, p, type = 7) - 1
	 */
	static const struct {
		double p, ratio;
	} cases[] = {{0.5, 0.072580645161290258},
	             {0.9, 0.22540343571056765},
	             {0.95, 0.29048106448311106}};
	struct stats_interval ci;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		assert_int_equal(stats_bootstrap_quantile_ratio(
		                         &ci, qa, N(qa), qb, N(qb), cases[i].p,
		                         0.95, 2000, 42),
		                 0);
		assert_rel(ci.estimate, cases[i].ratio, 1e-12);
		assert_true(ci.low <= ci.estimate && ci.estimate <= ci.high);
	}
}

/* The O(n) resample quantile equals sorting each resample. */
static void test_quantile_ratio_matches_naive(void **state)
{
	const size_t resamples = 10;
	double ratio[10], wa[N(qa)], wb[N(qb)], low, high;
	struct stats_interval ci;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double *as = stats_sorted_copy(qa, N(qa));
	double *bs = stats_sorted_copy(qb, N(qb));
	size_t i, j;

	gsl_rng_set(r, 7);
	for (i = 0; i < resamples; i++) {
		/* the same draws: indices into the sorted samples */
		for (j = 0; j < N(qa); j++)
			wa[j] = as[gsl_rng_uniform_int(r, N(qa))];
		for (j = 0; j < N(qb); j++)
			wb[j] = bs[gsl_rng_uniform_int(r, N(qb))];
		ratio[i] = stats_quantile(wb, N(qb), 0.9) /
		           stats_quantile(wa, N(qa), 0.9);
	}
	gsl_sort(ratio, 1, resamples);
	low = stats_quantile_sorted(ratio, resamples, 0.05) - 1;
	high = stats_quantile_sorted(ratio, resamples, 0.95) - 1;
	assert_int_equal(stats_bootstrap_quantile_ratio(&ci, qa, N(qa), qb,
	                                                N(qb), 0.9, 0.9,
	                                                resamples, 7),
	                 0);
	assert_close(ci.low, low, 1e-15);
	assert_close(ci.high, high, 1e-15);
	gsl_rng_free(r);
	free(as);
	free(bs);
}

static void test_quantile_ratio_properties(void **state)
{
	struct stats_interval a, b, c;
	double sa[N(qa)], sb[N(qb)];
	size_t i;

	/* reproducible with a seed, and scale-free */
	for (i = 0; i < N(qa); i++)
		sa[i] = qa[i] * 1e-3;
	for (i = 0; i < N(qb); i++)
		sb[i] = qb[i] * 1e-3;
	assert_int_equal(stats_bootstrap_quantile_ratio(
	                         &a, qa, N(qa), qb, N(qb), 0.95, 0.99, 500, 1),
	                 0);
	assert_int_equal(stats_bootstrap_quantile_ratio(
	                         &b, sa, N(qa), sb, N(qb), 0.95, 0.99, 500, 1),
	                 0);
	assert_rel(a.low, b.low, 1e-12);
	assert_rel(a.high, b.high, 1e-12);
	assert_int_equal(stats_bootstrap_quantile_ratio(
	                         &c, qa, N(qa), qb, N(qb), 0.95, 0.99, 500, 1),
	                 0);
	assert_close(a.low, c.low, 0);
	/* identical samples: the interval holds 0 */
	assert_int_equal(stats_bootstrap_quantile_ratio(
	                         &a, qa, N(qa), qa, N(qa), 0.5, 0.95, 500, 3),
	                 0);
	assert_close(a.estimate, 0, 0);
	assert_true(a.low <= 0 && a.high >= 0);
	assert_int_equal(stats_bootstrap_quantile_ratio(&a, qa, 0, qb, N(qb),
	                                                0.5, 0.95, 500, 3),
	                 PG_EINPUT);
	assert_int_equal(stats_bootstrap_quantile_ratio(
	                         &a, qa, N(qa), qb, N(qb), 1.5, 0.95, 500, 3),
	                 PG_EINPUT);
}

/*
 * Seeded simulation: two samples of 400 lognormal "latencies" from the
 * same distribution; the 95% interval (300 resamples) of the p90 ratio should
 * hold 0 in about 95% of 200 trials (binomial sd 1.5%), and a 30% slowdown of
 * every request should be seen (interval above 0) nearly always.
 */
static void test_quantile_ratio_coverage(void **state)
{
	enum { TRIALS = 200, NS = 400 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double a[NS], b[NS], c[NS];
	size_t t, i, covered = 0, seen = 0;

	gsl_rng_set(r, 20141231);
	for (t = 0; t < TRIALS; t++) {
		struct stats_interval ci;

		for (i = 0; i < NS; i++) {
			a[i] = gsl_ran_lognormal(r, -6, 0.5);
			b[i] = gsl_ran_lognormal(r, -6, 0.5);
			c[i] = 1.3 * gsl_ran_lognormal(r, -6, 0.5);
		}
		assert_int_equal(stats_bootstrap_quantile_ratio(
		                         &ci, a, NS, b, NS, 0.9, 0.95, 300, t),
		                 0);
		covered += ci.low <= 0 && ci.high >= 0;
		assert_int_equal(stats_bootstrap_quantile_ratio(
		                         &ci, a, NS, c, NS, 0.9, 0.95, 300, t),
		                 0);
		seen += ci.low > 0;
	}
	if (covered < TRIALS * 0.89 || covered > TRIALS * 0.99)
		fail_msg("coverage %zu of %d", covered, TRIALS);
	assert_true(seen > TRIALS * 0.9);
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_upper_bounds),
	        cmocka_unit_test(test_budget_needs_evidence),
	        cmocka_unit_test(test_two_proportions),
	        cmocka_unit_test(test_prop_compare),
	        cmocka_unit_test(test_bad_counts),
	        cmocka_unit_test(test_quantile_ratio_estimate),
	        cmocka_unit_test(test_quantile_ratio_matches_naive),
	        cmocka_unit_test(test_quantile_ratio_properties),
	        cmocka_unit_test(test_quantile_ratio_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
