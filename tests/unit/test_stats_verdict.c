/*
 * Unit tests for stats/compare, stats/verdict, stats/pooled,
 * stats/describe, stats/quantile and stats/changepoint.  Reference values
 * from R 4.2 / SciPy 1.10 with the command next to each one.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "stats/changepoint.h"
#include "stats/compare.h"
#include "stats/describe.h"
#include "stats/pooled.h"
#include "stats/quantile.h"
#include "stats/verdict.h"
#include "util/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const double A_x[] = {10.1, 10.4, 9.8, 10.0, 10.3};
static const double A_y[] = {10.9, 10.6, 11.2, 10.2, 10.8, 11.0};

static void test_describe(void **state)
{
	const double x[] = {1, 2, 3, 4, 100};
	const double y[] = {1, 3, 2, 5, 4, 6, 8, 7, 9, 10};
	struct stats_summary s;

	assert_int_equal(stats_describe(&s, x, 5), 0);
	/* R: mad(c(1,2,3,4,100)) -> 1.4826; quantile(..., c(.25,.75)) -> 2 4 */
	assert_rel(s.mad, 1.4826, 1e-12);
	assert_close(s.q1, 2, 0);
	assert_close(s.q3, 4, 0);
	assert_close(s.median, 3, 0);
	assert_close(s.mean, 22, 1e-12);
	/* fences 1.5 IQR: [-1, 7]; 3 IQR: [-4, 10]: 100 is both */
	assert_int_equal(s.outliers_mild, 1);
	assert_int_equal(s.outliers_extreme, 1);
	assert_int_equal(stats_describe(&s, y, 10), 0);
	/* R: acf(c(1,3,2,5,4,6,8,7,9,10),plot=FALSE)$acf[2]
	 * -> 0.57878787878787885 */
	assert_rel(s.lag1, 0.57878787878787885, 1e-12);
	assert_int_equal(s.outliers_mild, 0);
	assert_int_equal(stats_describe(&s, y, 0), PG_EINPUT);
	/* one sample: sd 0, no autocorrelation */
	assert_int_equal(stats_describe(&s, y, 1), 0);
	assert_close(s.sd, 0, 0);
	assert_close(s.lag1, 0, 0);
}

static void test_quantile_bounds(void **state)
{
	double x[100], b;
	struct stats_interval ci;
	int i;

	for (i = 0; i < 100; i++)
		x[99 - i] = i + 1; /* unsorted on purpose */
	/* R: max(which(pbinom(0:99,100,.95) <= .05)) -> 91;
	 * min(which(pbinom(0:99,100,.95) >= .95)) -> 99 */
	assert_int_equal(stats_quantile_lower_bound(&b, x, 100, 0.95, 0.95), 0);
	assert_close(b, 91, 0);
	assert_int_equal(stats_quantile_upper_bound(&b, x, 100, 0.95, 0.95), 0);
	assert_close(b, 99, 0);
	/* R: sum(pbinom(0:19,20,.95) <= .05) -> 17 */
	assert_int_equal(stats_quantile_lower_bound(&b, x + 80, 20, 0.95, 0.95),
	                 0);
	assert_close(b, 17, 0);
	/* 1 - 0.95^20 = 0.64 < 0.95: no upper bound from 20 samples */
	assert_int_equal(stats_quantile_upper_bound(&b, x + 80, 20, 0.95, 0.95),
	                 0);
	assert_true(isinf(b) && b > 0);
	/* the median of 3 samples at 99%: 0.5^3 > 0.01, no lower bound */
	assert_int_equal(stats_quantile_lower_bound(&b, x, 3, 0.5, 0.99), 0);
	assert_true(isinf(b) && b < 0);
	assert_int_equal(stats_quantile_ci(&ci, x, 100, 0.5, 0.95), 0);
	assert_true(ci.low < ci.estimate && ci.estimate < ci.high);
	assert_int_equal(stats_quantile_ci(&ci, x, 100, 1.5, 0.95), PG_EINPUT);
}

static void test_theil_sen(void **state)
{
	double y[12], icpt;
	struct stats_interval s;
	int i;

	for (i = 0; i < 12; i++)
		y[i] = 0.5 * i + sin(i * 2.1);
	assert_int_equal(stats_theil_sen(&s, &icpt, NULL, y, 12, 0.95), 0);
	/* python3 -c 'from scipy import stats; import numpy as np;
	 *   t=np.arange(12.); y=0.5*t+np.sin(t*2.1);
	 *   print(stats.theilslopes(y,t,0.95))'
	 * -> slope=0.49731406364299335, intercept=0.20888362761824597,
	 *    low_slope=0.32406084800566604, high_slope=0.6317140657457718 */
	assert_rel(s.estimate, 0.49731406364299335, 1e-12);
	assert_rel(icpt, 0.20888362761824597, 1e-12);
	assert_rel(s.low, 0.32406084800566604, 1e-12);
	assert_rel(s.high, 0.6317140657457718, 1e-12);
}

static void test_adjust(void **state)
{
	const double p[] = {0.01, 0.04, 0.03, 0.005, 0.2, NAN};
	/* R: p.adjust(c(0.01,0.04,0.03,0.005,0.2,NA),"BH")
	 * -> 0.025 0.05 0.05 0.025 0.2 NA */
	const double bh[] = {0.025, 0.05, 0.05, 0.025, 0.2};
	/* R: p.adjust(c(0.01,0.04,0.03,0.005,0.2,NA),"holm")
	 * -> 0.04 0.09 0.09 0.025 0.2 NA */
	const double holm[] = {0.04, 0.09, 0.09, 0.025, 0.2};
	const double bad[] = {0.5, 1.5};
	double adj[6];
	size_t i;

	assert_int_equal(stats_adjust(adj, p, 6, STATS_CORRECTION_BH), 0);
	for (i = 0; i < 5; i++)
		assert_close(adj[i], bh[i], 1e-15);
	assert_true(isnan(adj[5]));
	assert_int_equal(stats_adjust(adj, p, 6, STATS_CORRECTION_HOLM), 0);
	for (i = 0; i < 5; i++)
		assert_close(adj[i], holm[i], 1e-15);
	assert_int_equal(stats_adjust(adj, p, 6, STATS_CORRECTION_NONE), 0);
	assert_close(adj[1], 0.04, 0);
	assert_int_equal(stats_adjust(adj, bad, 2, STATS_CORRECTION_BH),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "'1.5'");
}

static void test_compare_unpaired(void **state)
{
	struct stats_compare_opts o;
	struct stats_comparison c, h;
	char why[256];

	stats_compare_opts_init(&o, 0);
	assert_close(o.threshold, 0.05, 0);
	assert_int_equal(stats_compare(&c, A_x, 5, A_y, 6, &o), 0);
	assert_string_equal(c.test, "mann-whitney-u");
	assert_string_equal(c.method, "exact");
	/* scipy mannwhitneyu(y,x,alternative="greater") on these data
	 * -> 0.008658008658008658 (test_stats_ranktest.c) */
	assert_rel(c.p_value, 0.008658008658008658, 1e-12);
	/* R: exp(wilcox.test(log(y),log(x),conf.int=TRUE,
	 * conf.level=0.99)$estimate) - 1, HL 0.0663810439228704752 */
	assert_rel(c.estimate, expm1(0.0663810439228704752), 1e-12);
	assert_rel(c.ci_low, expm1(-0.0097561749453647373), 1e-12);
	assert_close(c.median_a, 10.1, 0);
	assert_close(c.median_b, 10.85, 1e-12);
	/* significant and 6.9% >= 5%, but the CI reaches below +5%: a
	 * regression (the CI only decides "unchanged") */
	assert_int_equal(
	        stats_classify(&c, c.p_value, c.p_better, &o, why, sizeof(why)),
	        STATS_REGRESSION);
	o.threshold = 0.10;
	assert_int_equal(
	        stats_classify(&c, c.p_value, c.p_better, &o, why, sizeof(why)),
	        STATS_INCONCLUSIVE);
	assert_contains(why, "below the threshold 10.00%");
	/* higher is better: the same data is an improvement */
	o.threshold = 0.05;
	o.higher_is_better = 1;
	assert_int_equal(stats_compare(&h, A_x, 5, A_y, 6, &o), 0);
	assert_rel(h.p_value, c.p_better, 1e-12);
	assert_rel(h.p_better, c.p_value, 1e-12);
	assert_rel(h.estimate, 1 / (1 + c.estimate) - 1, 1e-12);
	assert_int_equal(stats_classify(&h, h.p_value, h.p_better, &o, NULL, 0),
	                 STATS_IMPROVEMENT);
}

static void test_compare_paired_too_few(void **state)
{
	const double a[] = {10, 10, 10, 10, 10};
	const double b[] = {11, 11.1, 11.2, 11.3, 11.4};
	struct stats_compare_opts o;
	struct stats_comparison c;
	char why[256];

	stats_compare_opts_init(&o, 1);
	o.alpha = 0.01;
	assert_int_equal(stats_compare(&c, a, 5, b, 5, &o), 0);
	assert_string_equal(c.test, "wilcoxon-signed-rank");
	assert_close(c.p_value, 0.03125, 1e-15);
	assert_true(c.too_few);
	assert_int_equal(
	        stats_classify(&c, c.p_value, c.p_better, &o, why, sizeof(why)),
	        STATS_INCONCLUSIVE);
	assert_contains(why, "exact signed-rank needs n >= 7 for alpha=0.01");
	/* unequal lengths and bad samples */
	assert_int_equal(stats_compare(&c, a, 5, b, 4, &o), PG_EINPUT);
	assert_contains(pg_error_last(), "differ in length");
	{
		const double neg[] = {1, -2, 3};

		assert_int_equal(stats_compare(&c, neg, 3, b, 3, &o),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), "baseline sample 2 ('-2')");
	}
	stats_compare_opts_init(&o, 0);
	/* 3 v 3 without ties: the smallest exact p is 1/20 = alpha */
	assert_int_equal(stats_compare(&c, b, 3, b + 3, 2, &o), 0);
	assert_true(c.too_few);
	assert_int_equal(stats_compare(&c, A_x, 3, b, 3, &o), 0);
	assert_true(c.too_few);
	assert_contains(c.note, "mann-whitney u needs n >= 4 per side for "
	                        "alpha=0.05");
}

static void test_compare_identical_unchanged(void **state)
{
	double a[20], b[20];
	struct stats_compare_opts o;
	struct stats_comparison c;
	int i;

	for (i = 0; i < 20; i++)
		a[i] = 100 + (i * 7 % 11) * 0.1;
	for (i = 0; i < 20; i++)
		b[i] = a[(i + 3) % 20];
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare(&c, a, 20, b, 20, &o), 0);
	assert_close(c.estimate, 0, 1e-12);
	assert_int_equal(stats_classify(&c, c.p_value, c.p_better, &o, NULL, 0),
	                 STATS_UNCHANGED);
	/* zero variance on both sides, identical */
	for (i = 0; i < 20; i++)
		a[i] = b[i] = 5;
	assert_int_equal(stats_compare(&c, a, 20, b, 20, &o), 0);
	assert_close(c.p_value, 1, 0);
	assert_int_equal(stats_classify(&c, c.p_value, c.p_better, &o, NULL, 0),
	                 STATS_UNCHANGED);
}

static void test_compare_shift_invariance(void **state)
{
	double a[12], b[12], a2[12], b2[12];
	struct stats_compare_opts o;
	struct stats_comparison c1, c2;
	int i;

	for (i = 0; i < 12; i++) {
		a[i] = 50 + sin(i) + 0.01 * i;
		b[i] = 52 + cos(i);
		a2[i] = a[i] * 1000; /* a change of unit */
		b2[i] = b[i] * 1000;
	}
	stats_compare_opts_init(&o, 0);
	stats_compare(&c1, a, 12, b, 12, &o);
	stats_compare(&c2, a2, 12, b2, 12, &o);
	assert_close(c1.p_value, c2.p_value, 1e-15);
	assert_rel(c1.estimate, c2.estimate, 1e-9);
	/* scaling the candidate by 1.1 moves the log effect by ln 1.1 */
	for (i = 0; i < 12; i++)
		b2[i] = b[i] * 1.1;
	stats_compare(&c2, a, 12, b2, 12, &o);
	assert_rel(log1p(c2.estimate), log1p(c1.estimate) + log(1.1), 1e-9);
	assert_rel(log1p(c2.ci_low), log1p(c1.ci_low) + log(1.1), 1e-9);
	o.bootstrap = 200;
	stats_compare(&c1, a, 12, b, 12, &o);
	stats_compare(&c2, a, 12, b, 12, &o);
	assert_true(c1.boot_low == c2.boot_low);
	assert_true(c1.boot_low < c1.boot_high);
}

static void test_drift(void **state)
{
	double a[30], b[30];
	struct stats_compare_opts o;
	struct stats_comparison c;
	int i;

	for (i = 0; i < 30; i++) {
		a[i] = 100 + (i % 3);
		b[i] = 100 + i; /* a steady climb */
	}
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare(&c, a, 30, b, 30, &o), 0);
	assert_true(c.drift);
	assert_contains(c.note, "candidate samples drift");
	assert_int_equal(stats_classify(&c, c.p_value, c.p_better, &o, NULL, 0),
	                 STATS_INCONCLUSIVE);
}

/* The earlier method, run-median-t (the new one: test_stats_pooled.c). */
static void test_pooled(void **state)
{
	const double med[] = {100, 102, 99, 101, 98.5};
	double runs[5][3], cand[3];
	const double *rp[5];
	size_t rn[5] = {3, 3, 3, 3, 3};
	struct stats_compare_opts o;
	struct stats_comparison c;
	int i;

	for (i = 0; i < 5; i++) {
		runs[i][0] = med[i] * 0.999;
		runs[i][1] = med[i];
		runs[i][2] = med[i] * 1.001;
		rp[i] = runs[i];
	}
	cand[0] = 110 * 0.999;
	cand[1] = 110;
	cand[2] = 110 * 1.001;
	stats_compare_opts_init(&o, 0);
	assert_int_equal(stats_compare_pooled_t(&c, rp, rn, 5, cand, 3, &o), 0);
	assert_string_equal(c.test, "run-median-t");
	assert_int_equal(c.runs_a, 5);
	assert_int_equal(c.n_a, 15);
	/* R: med<-c(100,102,99,101,98.5); m<-log(med); cc<-log(110);
	 * se<-sd(m)*sqrt(1+1/5); t<-(cc-mean(m))/se;
	 * c(t, pt(t,4,lower.tail=FALSE), exp(cc-mean(m))-1,
	 *   exp(cc-mean(m)+c(-1,1)*qt(0.995,4)*se)-1)
	 * -> 6.0315938899109173832 0.0019042425655418642
	 *    0.0989908865645503511 0.0225912753040564684 0.1810984485397804100
	 */
	assert_rel(c.statistic, 6.0315938899109173832, 1e-9);
	assert_rel(c.p_value, 0.0019042425655418642, 1e-8);
	assert_rel(c.estimate, 0.0989908865645503511, 1e-12);
	assert_rel(c.ci_low, 0.0225912753040564684, 1e-9);
	assert_rel(c.ci_high, 0.1810984485397804100, 1e-9);
	/* the same with cc<-log(101): pt(...) -> 0.29737602002606167 */
	cand[0] = 101 * 0.999;
	cand[1] = 101;
	cand[2] = 101 * 1.001;
	assert_int_equal(stats_compare_pooled_t(&c, rp, rn, 5, cand, 3, &o), 0);
	assert_rel(c.p_value, 0.29737602002606167, 1e-8);
	/* one run: the sample-level test, and the note says why */
	assert_int_equal(stats_compare_pooled_t(&c, rp, rn, 1, cand, 3, &o), 0);
	assert_string_equal(c.test, "mann-whitney-u");
	assert_contains(c.detail, "one baseline run");
}

static void test_changepoints(void **state)
{
	double x[80];
	struct stats_changepoint *cp, *cp2;
	struct stats_cp_opts o;
	size_t n, n2;
	int i;

	for (i = 0; i < 80; i++)
		x[i] = (i < 50 ? 100 : 110) + sin(i * 1.7);
	stats_cp_opts_init(&o);
	assert_int_equal(stats_changepoints(&cp, &n, x, 80, &o), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cp[0].index, 50);
	assert_true(cp[0].p_value <= 0.001);
	assert_rel(cp[0].shift, 0.10, 0.02);
	/* seeded: the same answer again */
	assert_int_equal(stats_changepoints(&cp2, &n2, x, 80, &o), 0);
	assert_int_equal(n2, 1);
	assert_true(cp2[0].p_value == cp[0].p_value);
	free(cp);
	free(cp2);
	/* noise only: nothing */
	for (i = 0; i < 80; i++)
		x[i] = 100 + sin(i * 1.7);
	assert_int_equal(stats_changepoints(&cp, &n, x, 80, &o), 0);
	assert_int_equal(n, 0);
	assert_null(cp);
	/* two shifts, one at the very end */
	for (i = 0; i < 80; i++)
		x[i] = (i < 30 ? 100 : i < 75 ? 90 : 120) + sin(i * 1.7);
	assert_int_equal(stats_changepoints(&cp, &n, x, 80, &o), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cp[0].index, 30);
	assert_int_equal(cp[1].index, 75);
	assert_true(cp[0].shift < 0 && cp[1].shift > 0);
	free(cp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_describe),
	        cmocka_unit_test(test_quantile_bounds),
	        cmocka_unit_test(test_theil_sen),
	        cmocka_unit_test(test_adjust),
	        cmocka_unit_test(test_compare_unpaired),
	        cmocka_unit_test(test_compare_paired_too_few),
	        cmocka_unit_test(test_compare_identical_unchanged),
	        cmocka_unit_test(test_compare_shift_invariance),
	        cmocka_unit_test(test_drift),
	        cmocka_unit_test(test_pooled),
	        cmocka_unit_test(test_changepoints),
	};

	return cmocka_run_group_tests_name("stats_verdict", tests, NULL, NULL);
}
