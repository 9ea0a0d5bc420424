/*
 * Unit tests for stats/mde: the minimum detectable effect of a comparison
 * at 90% power.  Reference values from SciPy 1.10 (/usr/bin/python3) with
 * the command next to each; the simulation that checks the formula
 * against the exact signed-rank test is bench/mde-check.py.
 */
#include "tests/unit/unit.h"

#include <math.h>
#include <string.h>

#include "stats/compare.h"
#include "stats/mde.h"

static void base(struct stats_comparison *c, double se, double df)
{
	memset(c, 0, sizeof(*c));
	c->test = "run-median-moderated";
	c->se = se;
	c->df = df;
}

static void test_formula(void **state)
{
	struct stats_comparison c;

	(void)state;
	/* normal: np.expm1(max((norm.ppf(0.99) + norm.ppf(0.9)) * 0.01,
	 * np.log1p(0.02) + norm.ppf(0.9) * 0.01)) -> 0.036737739727737022 */
	base(&c, 0.01, INFINITY);
	assert_rel(stats_mde(&c, 0.01, 0.9, 0.02), 0.036737739727737022, 1e-9);
	/* t on 10 df: the same with t.ppf(., 10) -> 0.042226751004106597 */
	base(&c, 0.01, 10);
	assert_rel(stats_mde(&c, 0.01, 0.9, 0.02), 0.042226751004106597, 1e-9);
	/* a tiny se: theta decides, np.expm1(np.log1p(0.02) +
	 * t.ppf(0.9, 10) * 0.001) -> 0.021400588026158681 */
	base(&c, 0.001, 10);
	assert_rel(stats_mde(&c, 0.01, 0.9, 0.02), 0.021400588026158681, 1e-9);
	/* a smaller alpha needs a larger effect; more power too */
	base(&c, 0.01, 10);
	assert_true(stats_mde(&c, 0.001, 0.9, 0.02) >
	            stats_mde(&c, 0.01, 0.9, 0.02));
	assert_true(stats_mde(&c, 0.01, 0.95, 0.02) >
	            stats_mde(&c, 0.01, 0.9, 0.02));
}

static void test_special(void **state)
{
	struct stats_comparison c;

	(void)state;
	/* a test that can never reach alpha detects nothing */
	base(&c, 0.01, 10);
	c.too_few = 1;
	assert_true(isinf(stats_mde(&c, 0.01, 0.9, 0.02)));
	base(&c, 0.01, 10);
	c.min_p = 0.02;
	assert_true(isinf(stats_mde(&c, 0.01, 0.9, 0.02)));
	/* no standard error: unknown */
	base(&c, NAN, NAN);
	assert_true(isnan(stats_mde(&c, 0.01, 0.9, 0.02)));
	/* counts: any change past the spread of the ratios and theta */
	base(&c, NAN, NAN);
	c.test = "range";
	c.ci_low = 0.001;
	c.ci_high = 0.004;
	assert_close(stats_mde(&c, 0.01, 0.9, 0.005), 0.005, 0);
	c.ci_high = 0.011;
	assert_close(stats_mde(&c, 0.01, 0.9, 0.005), 0.010, 1e-15);
}

/* The se a paired comparison carries, end to end through stats_compare. */
static void test_paired_se(void **state)
{
	const double r[12] = {1.01, 1.03, 0.99, 1.02, 1.00, 1.04,
	                      1.01, 0.98, 1.02, 1.03, 1.00, 1.01};
	double a[12], b[12];
	struct stats_compare_opts o;
	struct stats_comparison c;
	size_t i;

	(void)state;
	for (i = 0; i < 12; i++) {
		a[i] = 10;
		b[i] = 10 * r[i];
	}
	stats_compare_opts_init(&o, 1);
	o.alpha = 0.01;
	assert_int_equal(stats_compare(&c, a, 12, b, 12, &o), 0);
	/* d = np.log(r); mad = 1.4826 * np.median(abs(d - np.median(d)));
	 * se = mad / np.sqrt(12) * np.sqrt(np.pi / 3)
	 * -> 0.0043579797031288413; on 11 df: np.expm1(max((t.ppf(0.99, 11)
	 * + t.ppf(0.9, 11)) * se, np.log1p(0.02) + t.ppf(0.9, 11) * se))
	 * -> 0.026078678953969262 */
	assert_rel(c.se, 0.0043579797031288413, 1e-9);
	assert_close(c.df, 11, 0);
	assert_rel(stats_mde(&c, 0.01, 0.9, 0.02), 0.026078678953969262, 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_formula),
	        cmocka_unit_test(test_special),
	        cmocka_unit_test(test_paired_se),
	};

	return cmocka_run_group_tests_name("stats_mde", tests, NULL, NULL);
}
