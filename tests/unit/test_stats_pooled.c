/*
 * Unit tests for stats/pooled (run-median-moderated): exclusion of runs
 * off the newest level, the suite prior (limma's fitFDist) and the
 * moderated prediction interval.  Reference values from R 4.2 with the
 * command next to each one; seeded property tests for invariances.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/compare.h"
#include "stats/pooled.h"
#include "stats/verdict.h"
#include "util/defaults.h"
#include "util/error.h"

#define K 5

/* Five runs of three samples around the medians med (spread +-0.1%). */
struct window {
	double runs[K][3];
	const double *rp[K];
	size_t rn[K];
	double cand[3];
};

static void window_init(struct window *w, const double *med, double cand)
{
	int i;

	for (i = 0; i < K; i++) {
		w->runs[i][0] = med[i] * 0.999;
		w->runs[i][1] = med[i];
		w->runs[i][2] = med[i] * 1.001;
		w->rp[i] = w->runs[i];
		w->rn[i] = 3;
	}
	w->cand[0] = cand * 0.999;
	w->cand[1] = cand;
	w->cand[2] = cand * 1.001;
}

/* A clean window: nothing excluded, so the numbers are the t interval of
 * the earlier method on k - 1 df (test_stats_verdict.c, test_pooled). */
static void test_clean_window(void **state)
{
	const double med[K] = {100, 102, 99, 101, 98.5};
	struct stats_compare_opts o;
	struct stats_comparison c;
	struct window w;

	window_init(&w, med, 110);
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled(&c, w.rp, w.rn, K, w.cand, 3, &o),
	                 0);
	assert_string_equal(c.test, "run-median-moderated");
	assert_int_equal(c.runs_a, 5);
	assert_int_equal(c.n_a, 15);
	assert_close(c.alpha_scale, PG_POOLED_ALPHA_SCALE, 0);
	/* R: m<-log(c(100,102,99,101,98.5)); cc<-log(110);
	 * se<-sd(m)*sqrt(1+1/5); t<-(cc-mean(m))/se;
	 * c(t, pt(t,4,lower.tail=FALSE)) -> 6.0315938899109173832
	 * 0.0019042425655418642 */
	assert_rel(c.statistic, 6.0315938899109173832, 1e-9);
	assert_rel(c.p_value, 0.0019042425655418642, 1e-8);
	assert_contains(c.detail, "pooled 5 of 5 baseline runs");
	assert_contains(c.detail, "on 4 df");
}

/* One commit in the window regressed (run 2 at +25%): it is excluded, and
 * the same 10% slowdown is now significant on 3 df. */
static void test_excluded_run(void **state)
{
	const double med[K] = {100, 125, 99, 101, 98.5};
	struct stats_compare_opts o;
	struct stats_comparison c;
	struct window w;

	window_init(&w, med, 110);
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled(&c, w.rp, w.rn, K, w.cand, 3, &o),
	                 0);
	assert_int_equal(c.runs_a, 4);
	assert_int_equal(c.n_a, 12);
	/* R: m<-log(c(100,99,101,98.5)); cc<-log(110);
	 * se<-sd(m)*sqrt(1+1/4); t<-(cc-mean(m))/se;
	 * c(t, pt(t,3,lower.tail=FALSE), exp(cc-mean(m))-1,
	 *   exp(cc-mean(m)+c(-1,1)*qt(0.995,3)*se)-1)
	 * -> 7.9762692201011233806 0.0020558757277266498
	 *    0.1041917181325677788 0.0268892716514588237 0.1873133589483826356
	 */
	assert_rel(c.statistic, 7.9762692201011233806, 1e-9);
	assert_rel(c.p_value, 0.0020558757277266498, 1e-8);
	assert_rel(c.estimate, 0.1041917181325677788, 1e-12);
	assert_rel(c.ci_low, 0.0268892716514588237, 1e-9);
	assert_rel(c.ci_high, 0.1873133589483826356, 1e-9);
	assert_contains(c.detail, "pooled 4 of 5 baseline runs; excluded run "
	                          "2 (+25.");
	assert_contains(c.detail, "from the newest level");
	/* the earlier method on the same window is blind:
	 * R: m<-log(c(100,125,99,101,98.5)); t<-(log(110)-mean(m))/
	 * (sd(m)*sqrt(1.2)); pt(t,4,lower.tail=FALSE) -> 0.21 */
	assert_int_equal(
	        stats_compare_pooled_t(&c, w.rp, w.rn, K, w.cand, 3, &o), 0);
	assert_true(c.p_value > 0.2);
}

/* With the suite's prior (s0 = 3%, 10 df) on the same window. */
static void test_prior(void **state)
{
	const double med[K] = {100, 125, 99, 101, 98.5};
	const double step[K] = {125, 100, 99, 101, 98.5};
	struct stats_pooled_prior prior = {0.03 * 0.03, 10, 20};
	struct stats_compare_opts o;
	struct stats_comparison c;
	struct window w;

	window_init(&w, med, 110);
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled_prior(&c, w.rp, w.rn, K, w.cand,
	                                            3, &o, &prior),
	                 0);
	/* R: m<-log(c(100,99,101,98.5)); cc<-log(110);
	 * s2<-(10*0.03^2+3*var(m))/13; se<-sqrt(s2*(1+1/4));
	 * t<-(cc-mean(m))/se; c(t, pt(t,13,lower.tail=FALSE),
	 *   exp(cc-mean(m)+c(-1,1)*qt(0.995,13)*se)-1)
	 * -> 3.3019213177150059657 0.0028632562136539559
	 *    0.0087321773641724221 0.2086848994729568751 */
	assert_rel(c.statistic, 3.3019213177150059657, 1e-9);
	assert_rel(c.p_value, 0.0028632562136539559, 1e-8);
	assert_rel(c.ci_low, 0.0087321773641724221, 1e-8);
	assert_rel(c.ci_high, 0.2086848994729568751, 1e-9);
	assert_contains(c.detail, "with the suite's 3.00% (10 df)");
	/* a step in the newest commit: only the newest run is kept, and the
	 * prior alone gives the between-run variance.
	 * R: se<-0.03*sqrt(2); t<-(log(110)-log(125))/se;
	 * c(t, pt(t,10,lower.tail=FALSE)) -> -3.01306146188596147
	 * 0.99347540386806443 */
	window_init(&w, step, 110);
	assert_int_equal(stats_compare_pooled_prior(&c, w.rp, w.rn, K, w.cand,
	                                            3, &o, &prior),
	                 0);
	assert_int_equal(c.runs_a, 1);
	assert_rel(c.statistic, -3.01306146188596147, 1e-9);
	assert_rel(c.p_value, 0.99347540386806443, 1e-9);
	assert_contains(c.detail, "pooled 1 of 5 baseline runs; excluded run "
	                          "2 (-20.0%), 3 (-20.8%)");
	/* without a prior one run leaves no between-run variance: the newest
	 * run is compared sample by sample, and the detail says so */
	assert_int_equal(stats_compare_pooled(&c, w.rp, w.rn, K, w.cand, 3, &o),
	                 0);
	assert_string_equal(c.test, "mann-whitney-u");
	assert_contains(c.detail, "one baseline run: between-run variance "
	                          "unknown");
}

static void summaries(struct stats_pooled_summary *s, const double *var,
                      const double *df, size_t n)
{
	size_t i;

	memset(s, 0, n * sizeof(*s));
	for (i = 0; i < n; i++) {
		s[i].var = var[i];
		s[i].df = df[i];
	}
}

static void test_fit_prior(void **state)
{
	const double v1[] = {0.0001, 0.0009, 0.0036, 0.0004,
	                     0.0025, 0.0002, 0.0100};
	const double d1[] = {4, 4, 4, 2, 3, 4, 4};
	const double v2[] = {0.0004, 0.0009, 0.0016, 0.0006, 0.0012, 0.0030};
	const double d2[] = {4, 4, 4, 2, 3, 4};
	const double d0s[] = {0, 0, 0, 0, 0, 0};
	struct stats_pooled_summary s[7];
	struct stats_pooled_prior p;

	/* R (limma's fitFDist, by hand):
	 * trigammaInverse <- function(x) { y <- 0.5 + 1/x; for (i in 1:50)
	 *   { tri <- trigamma(y); dif <- tri*(1-tri/x)/psigamma(y,deriv=2);
	 *     y <- y+dif; if (-dif/y < 1e-8) break }; y }
	 * x<-c(0.0001,0.0009,0.0036,0.0004,0.0025,0.0002,0.0100);
	 * d<-c(4,4,4,2,3,4,4); e<-log(x)-digamma(d/2)+log(d/2);
	 * evar<-sum((e-mean(e))^2)/(length(e)-1)-mean(trigamma(d/2));
	 * d0<-2*trigammaInverse(evar);
	 * c(d0, exp(mean(e)+digamma(d0/2)-log(d0/2)))
	 * -> 1.82797850617539814344 0.00068928618939053288 */
	summaries(s, v1, d1, 7);
	stats_pooled_fit_prior(&p, s, 7, 3, 1e9);
	assert_rel(p.df, 1.82797850617539814344, 1e-7);
	assert_rel(p.var, 0.00068928618939053288, 1e-7);
	assert_int_equal(p.cells, 7);
	/* capped at max_df = 1: d0<-1; exp(mean(e)+digamma(d0/2)-log(d0/2))
	 * -> 0.0003663899528610777 */
	stats_pooled_fit_prior(&p, s, 7, 3, 1);
	assert_close(p.df, 1, 0);
	assert_rel(p.var, 0.0003663899528610777, 1e-9);
	/* less spread than chance alone: limma's d0 is infinite, ours is
	 * capped at the data's sum(d) = 21:
	 * x<-c(0.0004,0.0009,0.0016,0.0006,0.0012,0.0030); d<-c(4,4,4,2,3,4);
	 * e<-...; exp(mean(e)+digamma(21/2)-log(21/2))
	 * -> 0.0013853824534322255 */
	summaries(s, v2, d2, 6);
	stats_pooled_fit_prior(&p, s, 6, 3, 1e9);
	assert_close(p.df, 21, 0);
	assert_rel(p.var, 0.0013853824534322255, 1e-9);
	/* too few benchmarks with runs to fit on: no prior */
	stats_pooled_fit_prior(&p, s, 2, 3, 1e9);
	assert_close(p.df, 0, 0);
	/* no benchmark with two runs: no prior */
	summaries(s, v2, d0s, 6);
	stats_pooled_fit_prior(&p, s, 6, 3, 1e9);
	assert_close(p.df, 0, 0);
}

/* Verdicts of run-level comparisons use alpha * PG_POOLED_ALPHA_SCALE. */
static void test_alpha_scale(void **state)
{
	const double med[K] = {100, 102, 99, 101, 98.5};
	struct stats_compare_opts o;
	struct stats_comparison c;
	struct window w;
	char why[256];

	window_init(&w, med, 110);
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled(&c, w.rp, w.rn, K, w.cand, 3, &o),
	                 0);
	/* adjusted p 0.02 < 0.05, but not < 0.05 * 0.2 */
	assert_int_equal(stats_classify(&c, 0.02, 1, &o, why, sizeof(why)),
	                 STATS_INCONCLUSIVE);
	assert_int_equal(stats_classify(&c, 0.009, 1, &o, why, sizeof(why)),
	                 STATS_REGRESSION);
	assert_contains(why, "< 0.01)");
	c.alpha_scale = 0; /* sample-level tests: alpha itself */
	assert_int_equal(stats_classify(&c, 0.02, 1, &o, NULL, 0),
	                 STATS_REGRESSION);
}

/*
 * Seeded property tests: the result does not depend on the unit (all
 * samples times a constant), and a higher-is-better metric is the mirror
 * image (samples inverted).
 */
static void test_invariance(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double runs[K][12], scaled[K][12], inv[K][12], cand[12], cs[12], ci[12];
	const double *rp[K], *sp[K], *ip[K];
	size_t rn[K], i, j;
	struct stats_pooled_prior prior = {0.0004, 8, 10};
	struct stats_compare_opts o, oh;
	struct stats_comparison a, b, c;
	int trial;

	gsl_rng_set(r, 20141231);
	stats_compare_opts_init(&o, 0);
	oh = o;
	oh.higher_is_better = 1;
	for (trial = 0; trial < 50; trial++) {
		for (i = 0; i < K; i++) {
			double level = gsl_ran_gaussian(r, 0.04) +
			               (i == 2 && trial % 2 ? 0.3 : 0);

			for (j = 0; j < 12; j++) {
				runs[i][j] =
				        exp(level + gsl_ran_gaussian(r, 0.03));
				scaled[i][j] = runs[i][j] * 1e-3;
				inv[i][j] = 1 / runs[i][j];
			}
			rp[i] = runs[i];
			sp[i] = scaled[i];
			ip[i] = inv[i];
			rn[i] = 12;
		}
		for (j = 0; j < 12; j++) {
			cand[j] = exp(0.1 + gsl_ran_gaussian(r, 0.05));
			cs[j] = cand[j] * 1e-3;
			ci[j] = 1 / cand[j];
		}
		assert_int_equal(stats_compare_pooled_prior(&a, rp, rn, K, cand,
		                                            12, &o, &prior),
		                 0);
		assert_int_equal(stats_compare_pooled_prior(&b, sp, rn, K, cs,
		                                            12, &o, &prior),
		                 0);
		assert_int_equal(stats_compare_pooled_prior(&c, ip, rn, K, ci,
		                                            12, &oh, &prior),
		                 0);
		assert_int_equal(a.runs_a, b.runs_a);
		assert_int_equal(a.runs_a, c.runs_a);
		assert_rel(b.p_value, a.p_value, 1e-9);
		assert_rel(c.p_value, a.p_value, 1e-9);
		assert_rel(b.estimate, a.estimate, 1e-9);
		assert_rel(c.estimate, a.estimate, 1e-9);
		/* the shifted run of odd trials is always excluded */
		if (trial % 2)
			assert_true(a.runs_a < K);
	}
	gsl_rng_free(r);
}

static void test_bad_input(void **state)
{
	const double ok[] = {1, 2, 3}, bad[] = {1, -2, 3};
	const double *rp[2] = {ok, bad};
	const size_t rn[2] = {3, 3};
	struct stats_compare_opts o;
	struct stats_comparison c;

	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled(&c, rp, rn, 2, ok, 3, &o),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "baseline run 2");
	assert_int_equal(stats_compare_pooled(&c, rp, rn, 0, ok, 3, &o),
	                 PG_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_clean_window),
	        cmocka_unit_test(test_excluded_run),
	        cmocka_unit_test(test_prior),
	        cmocka_unit_test(test_fit_prior),
	        cmocka_unit_test(test_alpha_scale),
	        cmocka_unit_test(test_invariance),
	        cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests_name("stats_pooled", tests, NULL, NULL);
}
