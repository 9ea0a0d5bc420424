/*
 * Unit tests for stats/bound: the one-sided bounds budgets are checked
 * against.  Reference values from SciPy 1.10 (the t bound) and R (the
 * order statistics) with the command next to each number.
 */
#include "tests/unit/unit.h"

#include <math.h>

#include "stats/bound.h"

static const double x[] = {12.1, 11.8, 12.6, 13.0, 12.2, 11.9, 12.4, 12.8};
#define NX (sizeof(x) / sizeof(x[0]))

static void test_mean_bound(void **state)
{
	/*
	 * A one-sided bound at c is an end of the two-sided interval at
	 * 2c - 1:  python3 -c 'import numpy as np; from scipy import stats;
	 * x = np.array([12.1, 11.8, 12.6, 13.0, 12.2, 11.9, 12.4, 12.8]);
	 * print(stats.t.interval(2*c - 1, len(x) - 1, loc=x.mean(),
	 * scale=stats.sem(x)))'
	 */
	(void)state;
	assert_rel(stats_mean_bound(x, NX, 0, 0.95), 12.06356663838538, 1e-12);
	assert_rel(stats_mean_bound(x, NX, 1, 0.95), 12.636433361614623, 1e-12);
	assert_rel(stats_mean_bound(x, NX, 0, 0.99), 11.896752326368542, 1e-12);
	assert_rel(stats_mean_bound(x, NX, 1, 0.99), 12.80324767363146, 1e-12);
	/* one sample has no interval: no limit can fail it */
	assert_true(isinf(stats_mean_bound(x, 1, 0, 0.95)) &&
	            stats_mean_bound(x, 1, 0, 0.95) < 0);
	assert_true(isinf(stats_mean_bound(x, 1, 1, 0.95)) &&
	            stats_mean_bound(x, 1, 1, 0.95) > 0);
}

static void test_statistic_bound(void **state)
{
	double y[100];
	int i;

	(void)state;
	/* min and max are the sample's own, on either side */
	assert_true(stats_bound(x, NX, 0, 0, 0.95) == 11.8);
	assert_true(stats_bound(x, NX, 0, 1, 0.95) == 11.8);
	assert_true(stats_bound(x, NX, 1, 0, 0.95) == 13.0);
	assert_true(stats_bound(x, NX, 1, 1, 0.99) == 13.0);
	/* q < 0: the mean's t bound */
	assert_rel(stats_bound(x, NX, -1, 0, 0.95), 12.06356663838538, 1e-12);
	assert_rel(stats_bound(x, NX, -1, 1, 0.99), 12.80324767363146, 1e-12);
	for (i = 0; i < 100; i++)
		y[99 - i] = i + 1; /* unsorted on purpose */
	/* order statistics, R: max(which(pbinom(0:99,100,.95) <= .05)) -> 91;
	 * min(which(pbinom(0:99,100,.95) >= .95)) -> 99 */
	assert_true(stats_bound(y, 100, 0.95, 0, 0.95) == 91);
	assert_true(stats_bound(y, 100, 0.95, 1, 0.95) == 99);
	/* 1 - 0.95^20 = 0.64 < 0.95: no upper bound from 20 samples */
	assert_true(isinf(stats_bound(y + 80, 20, 0.95, 1, 0.95)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_mean_bound),
	        cmocka_unit_test(test_statistic_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
