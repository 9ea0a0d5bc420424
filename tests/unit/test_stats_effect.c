/*
 * Unit tests for stats/effect and stats/nulldist: Hodges-Lehmann
 * estimates with distribution-free CIs, the k-th pairwise difference,
 * the seeded bootstrap.  References from R 4.2 (wilcox.test conf.int=TRUE,
 * qwilcox) with the command next to each value.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "stats/effect.h"
#include "stats/nulldist.h"
#include "util/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void logs(double *out, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = log(x[i]);
}

static void test_hl_unpaired_exact(void **state)
{
	const double ax[] = {10.1, 10.4, 9.8, 10.0, 10.3};
	const double ay[] = {10.9, 10.6, 11.2, 10.2, 10.8, 11.0};
	double x[5], y[6];
	struct stats_interval ci;

	logs(x, ax, 5);
	logs(y, ay, 6);
	assert_int_equal(stats_hl_unpaired(&ci, x, 5, y, 6, 0.99), 0);
	/* R: r<-wilcox.test(log(y),log(x),conf.int=TRUE,conf.level=0.99);
	 * c(r$estimate, r$conf.int) -> 0.0663810439228704752
	 * -0.0097561749453647373 0.1155128871218442654 */
	assert_rel(ci.estimate, 0.0663810439228704752, 1e-12);
	assert_rel(ci.low, -0.0097561749453647373, 1e-12);
	assert_rel(ci.high, 0.1155128871218442654, 1e-12);
	assert_close(ci.confidence, 0.99, 0);
}

static void test_hl_unpaired_ties(void **state)
{
	const double x[] = {1, 2, 2, 3, 3, 3, 4, 5};
	const double y[] = {2, 3, 4, 4, 5, 5, 6, 7, 7};
	struct stats_interval ci;

	assert_int_equal(stats_hl_unpaired(&ci, x, N(x), y, N(y), 0.99), 0);
	/* R: d<-sort(outer(y,x,"-")); k<-qwilcox(0.005,8,9);
	 * c(median(d), d[k], d[72+1-k]) -> 2 0 4 (k = 10) */
	assert_close(ci.estimate, 2, 0);
	assert_close(ci.low, 0, 0);
	assert_close(ci.high, 4, 0);
}

static void test_hl_unpaired_larger(void **state)
{
	double x[300], y[300];
	struct stats_interval ci;
	int i;

	for (i = 0; i < 60; i++) {
		x[i] = 0.1 * sin(i + 1);
		y[i] = 0.1 * cos(i + 1) + 0.02;
	}
	assert_int_equal(stats_hl_unpaired(&ci, x, 60, y, 60, 0.99), 0);
	/* R: i<-1:60; x<-exp(0.1*sin(i)); y<-exp(0.1*cos(i)+0.02);
	 * d<-sort(outer(log(y),log(x),"-")); k<-qwilcox(0.005,60,60);
	 * c(median(d), d[k], d[3600+1-k]) -> 0.017664510909500178
	 * -0.017776948576527101 0.046287792705202224 (k = 1311) */
	assert_rel(ci.estimate, 0.017664510909500178, 1e-12);
	assert_rel(ci.low, -0.017776948576527101, 1e-12);
	assert_rel(ci.high, 0.046287792705202224, 1e-12);

	/* 300 per side: the CI index comes from the normal approximation
	 * (with continuity correction), which lands 5 order statistics
	 * (of 90000) inside R's exact one; allow 10.
	 * R: i<-1:300; x<-exp(0.1*sin(i)); y<-exp(0.1*cos(i)+0.02);
	 * d<-sort(outer(log(y),log(x),"-")); k<-qwilcox(0.005,300,300);
	 * c(k, d[k-10], d[k+10], d[90001-k-10], d[90001-k+10])
	 * -> 39536 8.0068144041153394e-03 8.0612222643770652e-03
	 * 3.0825885641720233e-02 3.0858895055274144e-02;
	 * median(d) -> 0.01971460273520504 */
	for (i = 0; i < 300; i++) {
		x[i] = 0.1 * sin(i + 1);
		y[i] = 0.1 * cos(i + 1) + 0.02;
	}
	assert_int_equal(stats_hl_unpaired(&ci, x, 300, y, 300, 0.99), 0);
	assert_rel(ci.estimate, 0.01971460273520504, 1e-12);
	assert_true(ci.low >= 8.0068144041153394e-03);
	assert_true(ci.low <= 8.0612222643770652e-03);
	assert_true(ci.high >= 3.0825885641720233e-02);
	assert_true(ci.high <= 3.0858895055274144e-02);
}

static void test_hl_skewed(void **state)
{
	double x[20], y[15];
	struct stats_interval ci;
	int i;

	/* heavily skewed: log-normal with sigma 1.5, as logs */
	for (i = 0; i < 20; i++)
		x[i] = gsl_cdf_ugaussian_Pinv((i + 0.5) / 20) * 1.5;
	for (i = 0; i < 15; i++)
		y[i] = gsl_cdf_ugaussian_Pinv((i + 0.5) / 15) * 1.5 + 0.4;
	assert_int_equal(stats_hl_unpaired(&ci, x, 20, y, 15, 0.99), 0);
	/* R: x<-exp(qnorm(ppoints(20))*1.5); y<-exp(qnorm(ppoints(15))*1.5
	 * +0.4); r<-wilcox.test(log(y),log(x),conf.int=TRUE,
	 * conf.level=0.99); c(r$estimate, r$conf.int) -> 0.40000000000000013
	 * -1.0443683023703385 1.8443683023703383 */
	assert_rel(ci.estimate, 0.4, 1e-12);
	assert_rel(ci.low, -1.0443683023703385, 1e-12);
	assert_rel(ci.high, 1.8443683023703383, 1e-12);
}

static void test_hl_paired_exact(void **state)
{
	const double a[] = {100, 102, 98, 101, 99, 103, 100, 97, 101, 102};
	const double b[] = {103, 104, 99, 105, 101, 107, 102, 100, 104, 103};
	double d[10];
	struct stats_interval ci;
	size_t i;

	for (i = 0; i < 10; i++)
		d[i] = log(b[i]) - log(a[i]);
	assert_int_equal(stats_hl_paired(&ci, d, 10, 0.99), 0);
	/* R: r<-wilcox.test(log(b),log(a),paired=TRUE,conf.int=TRUE,
	 * conf.level=0.99); c(r$estimate, r$conf.int)
	 * -> 0.024536504798145842 0.014587130401233495 0.034649520400486189 */
	assert_rel(ci.estimate, 0.024536504798145842, 1e-12);
	assert_rel(ci.low, 0.014587130401233495, 1e-12);
	assert_rel(ci.high, 0.034649520400486189, 1e-12);
}

static void test_hl_tiny_and_identical(void **state)
{
	const double one[] = {1.0}, two[] = {1.5};
	const double same[] = {2, 2, 2, 2};
	struct stats_interval ci;

	/* n = 1 per side: the CI cannot reach 99%; it is the only
	 * difference and says how little confidence it carries */
	assert_int_equal(stats_hl_unpaired(&ci, one, 1, two, 1, 0.99), 0);
	assert_close(ci.estimate, 0.5, 0);
	assert_close(ci.low, 0.5, 0);
	assert_close(ci.high, 0.5, 0);
	/* 1 - 2 * P(U <= 0) = 1 - 2 * 1/2 */
	assert_close(ci.confidence, 0, 1e-15);
	/* three pairs: 1 - 2 * 2^-3 = 0.75 */
	assert_int_equal(stats_hl_paired(&ci, same, 3, 0.99), 0);
	assert_close(ci.confidence, 0.75, 1e-15);
	assert_int_equal(stats_hl_unpaired(&ci, same, 4, same, 4, 0.99), 0);
	assert_close(ci.estimate, 0, 0);
	assert_close(ci.low, 0, 0);
	assert_close(ci.high, 0, 0);
	assert_int_equal(stats_hl_unpaired(&ci, same, 0, same, 4, 0.99),
	                 PG_EINPUT);
	assert_int_equal(stats_hl_paired(&ci, same, 4, 1.5), PG_EINPUT);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void test_kth_matches_sorting(void **state)
{
	/* with ties and negative values, every k */
	const double xs[] = {-1, 0, 0, 0.5, 2, 2, 3};
	const double ys[] = {-2, 0, 1, 1, 1.5};
	double all[35], walsh[28];
	size_t i, j, n = 0, k;

	for (i = 0; i < 7; i++)
		for (j = 0; j < 5; j++)
			all[n++] = ys[j] - xs[i];
	qsort(all, n, sizeof(double), cmp);
	for (k = 1; k <= n; k++)
		assert_close(stats_kth_difference(xs, 7, ys, 5, k), all[k - 1],
		             0);
	n = 0;
	for (i = 0; i < 7; i++)
		for (j = i; j < 7; j++)
			walsh[n++] = (xs[i] + xs[j]) / 2;
	qsort(walsh, n, sizeof(double), cmp);
	for (k = 1; k <= n; k++)
		assert_close(stats_kth_walsh(xs, 7, k), walsh[k - 1], 0);
}

static void test_null_distributions(void **state)
{
	double *pmf;
	size_t len;

	/* R: qwilcox(0.005, 60, 60) -> 1311; pwilcox(10, 5, 6)
	 * -> 0.21428571428571427 */
	pmf = stats_mwu_pmf(60, 60);
	assert_int_equal(stats_pmf_quantile(pmf, 3601, 0.005), 1311);
	free(pmf);
	pmf = stats_mwu_pmf(6, 5);
	assert_rel(stats_pmf_lower(pmf, 31, 10), 0.21428571428571427, 1e-12);
	free(pmf);
	/* R: psignrank(20, 12) -> 0.075683593750000056;
	 * qsignrank(0.005, 30) -> 110 */
	pmf = stats_signrank_pmf(12, NULL, &len);
	assert_int_equal(len, 79);
	assert_rel(stats_pmf_lower(pmf, len, 20), 0.075683593750000056, 1e-12);
	free(pmf);
	pmf = stats_signrank_pmf(30, NULL, &len);
	assert_int_equal(stats_pmf_quantile(pmf, len, 0.005), 110);
	free(pmf);
}

static void test_bootstrap_seeded(void **state)
{
	const double a[] = {10, 11, 10.5, 10.2, 10.8, 10.1, 10.4, 10.6};
	const double b[] = {11, 11.6, 11.2, 10.9, 11.9, 11.1, 11.3, 11.5};
	struct stats_interval c1, c2, c3;

	assert_int_equal(
	        stats_bootstrap_ratio(&c1, a, 8, b, 8, 0, 0.95, 500, 42), 0);
	assert_int_equal(
	        stats_bootstrap_ratio(&c2, a, 8, b, 8, 0, 0.95, 500, 42), 0);
	assert_int_equal(
	        stats_bootstrap_ratio(&c3, a, 8, b, 8, 0, 0.95, 500, 43), 0);
	/* the same seed gives the same interval, bit for bit */
	assert_true(c1.low == c2.low && c1.high == c2.high);
	assert_true(c1.low != c3.low || c1.high != c3.high);
	/* median(b)/median(a) - 1 = 11.25/10.45 - 1 */
	assert_rel(c1.estimate, 11.25 / 10.45 - 1, 1e-12);
	assert_true(c1.low <= c1.estimate && c1.estimate <= c1.high);
	assert_true(c1.low > 0);
	assert_int_equal(
	        stats_bootstrap_ratio(&c1, a, 8, b, 7, 1, 0.95, 500, 42),
	        PG_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hl_unpaired_exact),
	        cmocka_unit_test(test_hl_unpaired_ties),
	        cmocka_unit_test(test_hl_unpaired_larger),
	        cmocka_unit_test(test_hl_skewed),
	        cmocka_unit_test(test_hl_paired_exact),
	        cmocka_unit_test(test_hl_tiny_and_identical),
	        cmocka_unit_test(test_kth_matches_sorting),
	        cmocka_unit_test(test_null_distributions),
	        cmocka_unit_test(test_bootstrap_seeded),
	};

	return cmocka_run_group_tests_name("stats_effect", tests, NULL, NULL);
}
