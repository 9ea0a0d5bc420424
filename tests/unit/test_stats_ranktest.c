/*
 * Unit tests for stats/ranktest: Mann-Whitney U, Wilcoxon signed-rank,
 * Welch and paired t.  Reference values come from R 4.2 and SciPy 1.10;
 * the command that produced each one is next to it.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "stats/ranktest.h"
#include "util/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void logs(double *out, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = log(x[i]);
}

static const double A_x[] = {10.1, 10.4, 9.8, 10.0, 10.3};
static const double A_y[] = {10.9, 10.6, 11.2, 10.2, 10.8, 11.0};

static void test_mwu_exact_small(void **state)
{
	double x[5], y[6];
	struct stats_test t;

	logs(x, A_x, 5);
	logs(y, A_y, 6);
	assert_int_equal(stats_mwu_test(&t, x, 5, y, 6), 0);
	assert_int_equal(t.method, STATS_METHOD_EXACT);
	/* python3 -c 'from scipy import stats; import numpy as np;
	 *   x=np.log([10.1,10.4,9.8,10.0,10.3]);
	 *   y=np.log([10.9,10.6,11.2,10.2,10.8,11.0]);
	 *   print(stats.mannwhitneyu(y,x,alternative="greater"))'
	 * -> statistic=28.0, pvalue=0.008658008658008658 (R agrees:
	 * wilcox.test(log(y),log(x),alternative="greater")$p.value) */
	assert_close(t.statistic, 28, 0);
	assert_rel(t.p_value, 0.008658008658008658, 1e-12);
	/* R: wilcox.test(log(y),log(x),alternative="less")$p.value */
	assert_rel(t.p_other, 0.99567099567099571, 1e-12);
	/* 1 / choose(11, 5) */
	assert_rel(t.min_p, 1.0 / 462, 1e-12);
}

static void test_mwu_ties_asymptotic(void **state)
{
	const double x[] = {1, 2, 2, 3, 3, 3, 4, 5};
	const double y[] = {2, 3, 4, 4, 5, 5, 6, 7, 7};
	struct stats_test t;

	assert_int_equal(stats_mwu_test(&t, x, N(x), y, N(y)), 0);
	assert_int_equal(t.method, STATS_METHOD_ASYMPTOTIC);
	/* scipy: stats.mannwhitneyu(y,x,alternative="greater").pvalue
	 * -> 0.015879478574031856; R: wilcox.test(y,x,
	 * alternative="greater",exact=FALSE,correct=TRUE)$p.value
	 * -> 0.015879478574031866 */
	assert_rel(t.p_value, 0.01587947857403186, 1e-9);
	/* R: same with alternative="less" -> 0.98761727744481165 */
	assert_rel(t.p_other, 0.98761727744481165, 1e-9);
}

static void test_mwu_large_n(void **state)
{
	double x[60], y[60];
	struct stats_test t;
	int i;

	for (i = 0; i < 60; i++) {
		x[i] = 0.1 * sin(i + 1);
		y[i] = 0.1 * cos(i + 1) + 0.02;
	}
	assert_int_equal(stats_mwu_test(&t, x, 60, y, 60), 0);
	assert_int_equal(t.method, STATS_METHOD_ASYMPTOTIC);
	/* i=np.arange(1,61); x=np.exp(0.1*np.sin(i));
	 * y=np.exp(0.1*np.cos(i)+0.02);
	 * stats.mannwhitneyu(y,x,alternative="greater").pvalue
	 * -> 0.08173226702209169 */
	assert_rel(t.p_value, 0.08173226702209169, 1e-9);
}

static void test_mwu_tiny_samples(void **state)
{
	const double one_a[] = {1}, one_b[] = {2};
	const double two_a[] = {1, 4}, two_b[] = {2, 3};
	const double three_a[] = {1, 2, 3}, three_b[] = {4, 5, 6};
	struct stats_test t;

	/* scipy: stats.mannwhitneyu([2],[1],alternative="greater") -> 0.5 */
	assert_int_equal(stats_mwu_test(&t, one_a, 1, one_b, 1), 0);
	assert_close(t.p_value, 0.5, 1e-15);
	assert_close(t.min_p, 0.5, 1e-15);
	/* stats.mannwhitneyu([2,3],[1,4],alternative="greater")
	 * -> 0.6666666666666666 */
	assert_int_equal(stats_mwu_test(&t, two_a, 2, two_b, 2), 0);
	assert_close(t.p_value, 2.0 / 3, 1e-15);
	/* stats.mannwhitneyu([4,5,6],[1,2,3],alternative="greater") -> 0.05 */
	assert_int_equal(stats_mwu_test(&t, three_a, 3, three_b, 3), 0);
	assert_close(t.p_value, 0.05, 1e-15);
	assert_close(t.min_p, 0.05, 1e-15);
}

static void test_mwu_identical_and_zero_variance(void **state)
{
	const double five[] = {5, 5, 5, 5, 5}, six[] = {6, 6, 6, 6, 6};
	struct stats_test t;

	/* all values tied: no evidence at all */
	assert_int_equal(stats_mwu_test(&t, five, 5, five, 5), 0);
	assert_close(t.p_value, 1, 0);
	assert_close(t.p_other, 1, 0);
	/* stats.mannwhitneyu([6]*5,[5]*5,alternative="greater").pvalue
	 * -> 0.0019883758548943256 */
	assert_int_equal(stats_mwu_test(&t, five, 5, six, 5), 0);
	assert_int_equal(t.method, STATS_METHOD_ASYMPTOTIC);
	assert_rel(t.p_value, 0.0019883758548943256, 1e-9);
}

static const double P_a[] = {100, 102, 98, 101, 99, 103, 100, 97, 101, 102};
static const double P_b[] = {103, 104, 99, 105, 101, 107, 102, 100, 104, 103};

static void test_signrank_exact(void **state)
{
	double d[10];
	struct stats_test t;
	size_t i;

	for (i = 0; i < 10; i++)
		d[i] = log(P_b[i]) - log(P_a[i]);
	assert_int_equal(stats_signrank_test(&t, d, 10), 0);
	assert_int_equal(t.method, STATS_METHOD_EXACT);
	/* R: wilcox.test(log(b),log(a),paired=TRUE,alternative="greater")
	 * -> V = 55, p-value 0.0009765625 (2^-10) */
	assert_close(t.statistic, 55, 0);
	assert_rel(t.p_value, 0.0009765625, 1e-12);
	assert_close(t.p_other, 1, 1e-12);
	assert_rel(t.min_p, 0.0009765625, 1e-12);
	/* the mirror image */
	for (i = 0; i < 10; i++)
		d[i] = -d[i];
	assert_int_equal(stats_signrank_test(&t, d, 10), 0);
	assert_close(t.p_value, 1, 1e-12);
	assert_rel(t.p_other, 0.0009765625, 1e-12);
}

static void test_signrank_ties_permutation(void **state)
{
	const double d[] = {1, 2, 2, 3, -1, 4, 4, 5, -2, 6};
	struct stats_test t;

	assert_int_equal(stats_signrank_test(&t, d, N(d)), 0);
	assert_int_equal(t.method, STATS_METHOD_PERMUTATION);
	/* Brute force over the 2^10 sign flips:
	 * python3 -c 'import itertools,numpy as np; from scipy import stats;
	 *   d=np.array([1,2,2,3,-1,4,4,5,-2,6.]); r=stats.rankdata(abs(d));
	 *   obs=r[d>0].sum(); T=[sum(r[j] for j in range(10) if s[j])
	 *   for s in itertools.product([0,1],repeat=10)];
	 *   print(obs, np.mean([t>=obs for t in T]),
	 *   np.mean([t<=obs for t in T]))'
	 * -> 49.5 0.0126953125 0.9931640625 */
	assert_close(t.statistic, 49.5, 0);
	assert_rel(t.p_value, 0.0126953125, 1e-12);
	assert_rel(t.p_other, 0.9931640625, 1e-12);
}

static void test_signrank_zeros_and_small(void **state)
{
	const double zeros[] = {0, 0, 0};
	const double few[] = {0.1, 0.2, 0.3, 0.4, 0.5};
	const double with_zero[] = {0, 0.1, 0.2};
	struct stats_test t;

	assert_int_equal(stats_signrank_test(&t, zeros, 3), 0);
	assert_close(t.p_value, 1, 0);
	assert_int_equal(t.n_used, 0);
	/* all five positive: p = 2^-5 = 0.03125, also the smallest p */
	assert_int_equal(stats_signrank_test(&t, few, 5), 0);
	assert_close(t.p_value, 0.03125, 1e-15);
	assert_close(t.min_p, 0.03125, 1e-15);
	/* zero dropped: two positive differences, p = 1/4 */
	assert_int_equal(stats_signrank_test(&t, with_zero, 3), 0);
	assert_int_equal(t.n_used, 2);
	assert_close(t.p_value, 0.25, 1e-15);
	assert_int_equal(stats_signrank_test(&t, few, 0), PG_EINPUT);
}

static void test_signrank_large_n(void **state)
{
	double d[60];
	struct stats_test t;
	int i;

	for (i = 0; i < 60; i++)
		d[i] = sin((i + 1) * 1.3) + 0.2;
	assert_int_equal(stats_signrank_test(&t, d, 60), 0);
	assert_int_equal(t.method, STATS_METHOD_ASYMPTOTIC);
	/* R: d<-sin((1:60)*1.3)+0.2; wilcox.test(d,alternative="greater",
	 * exact=FALSE,correct=TRUE)$p.value -> 0.0086216469890451168 */
	assert_rel(t.p_value, 0.0086216469890451168, 1e-9);
}

static void test_welch_and_paired_t(void **state)
{
	double x[10], y[10], d[10];
	struct stats_test t;
	struct stats_interval ci;
	size_t i;

	logs(x, A_x, 5);
	logs(y, A_y, 6);
	assert_int_equal(stats_welch_test(&t, &ci, x, 5, y, 6, 0.99), 0);
	/* R: r<-t.test(log(y),log(x),alternative="greater");
	 * r$p.value, r$statistic, r$parameter -> 0.0024520086892604108
	 * 3.7178428338006646 8.8759832721688117 */
	assert_rel(t.p_value, 0.0024520086892604108, 1e-9);
	assert_rel(t.statistic, 3.7178428338006646, 1e-12);
	assert_rel(t.df, 8.8759832721688117, 1e-12);
	/* R: t.test(log(y),log(x),conf.level=0.99)$conf.int
	 * -> 0.0077682924237556465 0.11877056464027569 */
	assert_rel(ci.low, 0.0077682924237556465, 1e-8);
	assert_rel(ci.high, 0.11877056464027569, 1e-9);
	for (i = 0; i < 10; i++)
		d[i] = log(P_b[i]) - log(P_a[i]);
	assert_int_equal(stats_t1_test(&t, NULL, d, 10, 0.99), 0);
	/* R: t.test(log(b),log(a),paired=TRUE,alternative="greater")$p.value
	 * -> 1.8660183120613021e-05 */
	assert_rel(t.p_value, 1.8660183120613021e-05, 1e-8);
	assert_int_equal(stats_welch_test(&t, NULL, x, 1, y, 6, 0.99),
	                 PG_EINPUT);
}

static void test_midranks(void **state)
{
	const double x[] = {3, 1, 3, 2, 3};
	double r[5];

	/* R: rank(c(3,1,3,2,3)) -> 4 1 4 2 4; ties: 3^3 - 3 = 24 */
	assert_close(stats_midranks(r, x, 5), 24, 0);
	assert_close(r[0], 4, 0);
	assert_close(r[1], 1, 0);
	assert_close(r[3], 2, 0);
	assert_close(r[4], 4, 0);
}

static void test_shift_and_scale_invariance(void **state)
{
	double x[5], y[6], x2[5], y2[6];
	struct stats_test t1, t2;
	size_t i;

	logs(x, A_x, 5);
	logs(y, A_y, 6);
	/* a common shift of the logs (a unit change) changes nothing */
	for (i = 0; i < 5; i++)
		x2[i] = x[i] + 7.25;
	for (i = 0; i < 6; i++)
		y2[i] = y[i] + 7.25;
	stats_mwu_test(&t1, x, 5, y, 6);
	stats_mwu_test(&t2, x2, 5, y2, 6);
	assert_close(t1.p_value, t2.p_value, 0);
	stats_welch_test(&t1, NULL, x, 5, y, 6, 0.99);
	stats_welch_test(&t2, NULL, x2, 5, y2, 6, 0.99);
	assert_rel(t1.p_value, t2.p_value, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mwu_exact_small),
	        cmocka_unit_test(test_mwu_ties_asymptotic),
	        cmocka_unit_test(test_mwu_large_n),
	        cmocka_unit_test(test_mwu_tiny_samples),
	        cmocka_unit_test(test_mwu_identical_and_zero_variance),
	        cmocka_unit_test(test_signrank_exact),
	        cmocka_unit_test(test_signrank_ties_permutation),
	        cmocka_unit_test(test_signrank_zeros_and_small),
	        cmocka_unit_test(test_signrank_large_n),
	        cmocka_unit_test(test_welch_and_paired_t),
	        cmocka_unit_test(test_midranks),
	        cmocka_unit_test(test_shift_and_scale_invariance),
	};

	return cmocka_run_group_tests_name("stats_ranktest", tests, NULL, NULL);
}
