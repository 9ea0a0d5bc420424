/*
 * Unit tests for deterministic samples in stats/: instruction counts
 * repeat exactly (or within a few instructions), and a rank test on
 * samples without spread cannot say anything (see stats/compare.h).
 */
#include "tests/unit/unit.h"

#include "stats/compare.h"
#include "stats/pooled.h"
#include "stats/verdict.h"

static enum stats_verdict verdict(const struct stats_comparison *c,
                                  const struct stats_compare_opts *o)
{
	char why[256];

	return stats_classify(c, c->p_value, c->p_better, o, why, sizeof(why));
}

static void opts(struct stats_compare_opts *o, double theta)
{
	stats_compare_opts_init(o, 0);
	o->threshold = theta;
}

static void test_constant_one_percent_is_regression(void **state)
{
	const double a[3] = {1000000, 1000000, 1000000};
	const double b[3] = {1010000, 1010000, 1010000};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare(&c, a, 3, b, 3, &o), 0);
	assert_string_equal(c.test, "range");
	assert_string_equal(c.method, "exact");
	/* 1010000 / 1000000 - 1, exactly */
	assert_close(c.estimate, 0.01, 1e-12);
	assert_close(c.ci_low, 0.01, 1e-12);
	assert_close(c.ci_high, 0.01, 1e-12);
	assert_close(c.p_value, 0, 0);
	assert_close(c.p_better, 1, 0);
	assert_close(c.median_a, 1000000, 0);
	assert_close(c.median_b, 1010000, 0);
	assert_false(c.too_few);
	assert_false(c.drift);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
	/* and towards better */
	assert_int_equal(stats_compare(&c, b, 3, a, 3, &o), 0);
	assert_close(c.estimate, 1000000.0 / 1010000 - 1, 1e-12);
	assert_close(c.p_better, 0, 0);
	assert_int_equal(verdict(&c, &o), STATS_IMPROVEMENT);
}

static void test_constant_no_change_is_unchanged(void **state)
{
	const double a[3] = {1327296, 1327296, 1327296};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare(&c, a, 3, a, 3, &o), 0);
	assert_string_equal(c.test, "range");
	assert_close(c.estimate, 0, 0);
	assert_close(c.ci_low, 0, 0);
	assert_close(c.ci_high, 0, 0);
	assert_close(c.p_value, 1, 0);
	assert_close(c.p_better, 1, 0);
	assert_int_equal(verdict(&c, &o), STATS_UNCHANGED);
}

static void test_constant_below_threshold_is_unchanged(void **state)
{
	const double a[2] = {1000000, 1000000};
	const double b[2] = {1001000, 1001000}; /* +0.1% */
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare(&c, a, 2, b, 2, &o), 0);
	/* separated, hence p = 0, but smaller than theta */
	assert_close(c.p_value, 0, 0);
	assert_int_equal(verdict(&c, &o), STATS_UNCHANGED);
}

/*
 * The rule needs both sides constant: one constant side still gets the
 * rank test.  p from SciPy 1.10:
 *   mannwhitneyu([1010,1011,1012,1013], [1000]*4,
 *                alternative='greater').pvalue  -> 0.010535285067189329
 */
static void test_one_constant_side_keeps_rank_test(void **state)
{
	const double a[4] = {1000, 1000, 1000, 1000};
	const double b[4] = {1010, 1011, 1012, 1013};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare(&c, a, 4, b, 4, &o), 0);
	assert_string_equal(c.test, "mann-whitney-u");
	assert_rel(c.p_value, 0.010535285067189329, 1e-9);
}

/*
 * One sample a side says nothing about timing noise, so without
 * opts.deterministic the rank test (and its "too few samples") stays; with
 * it, one count is the count.
 */
static void test_single_samples_need_deterministic(void **state)
{
	const double a[1] = {5000}, b[1] = {5150}; /* +3% */
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare(&c, a, 1, b, 1, &o), 0);
	assert_string_equal(c.test, "mann-whitney-u");
	assert_int_equal(verdict(&c, &o), STATS_INCONCLUSIVE);
	o.deterministic = 1;
	assert_int_equal(stats_compare(&c, a, 1, b, 1, &o), 0);
	assert_string_equal(c.test, "range");
	assert_close(c.estimate, 0.03, 1e-12);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
}

/* Hardware counters repeat within a few instructions, not exactly. */
static void test_deterministic_with_jitter(void **state)
{
	const double a[3] = {1000000, 1000003, 999998};
	const double b[3] = {1010001, 1009999, 1010002};
	const double same[3] = {1000002, 999999, 1000001};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	o.deterministic = 1;
	assert_int_equal(stats_compare(&c, a, 3, b, 3, &o), 0);
	assert_string_equal(c.test, "range");
	assert_close(c.ci_low, 1009999.0 / 1000003 - 1, 1e-12);
	assert_close(c.ci_high, 1010002.0 / 999998 - 1, 1e-12);
	assert_close(c.estimate, 1010001.0 / 1000000 - 1, 1e-12);
	assert_close(c.p_value, 0, 0);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
	/* overlapping: no separation, but the range is far inside theta */
	assert_int_equal(stats_compare(&c, a, 3, same, 3, &o), 0);
	assert_close(c.p_value, 1, 0);
	assert_close(c.p_better, 1, 0);
	assert_int_equal(verdict(&c, &o), STATS_UNCHANGED);
}

/* Higher is better: a constant 100 -> 95 items/s is 100/95 - 1 worse. */
static void test_constant_higher_is_better(void **state)
{
	const double a[3] = {100, 100, 100}, b[3] = {95, 95, 95};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.05);
	o.higher_is_better = 1;
	assert_int_equal(stats_compare(&c, a, 3, b, 3, &o), 0);
	assert_close(c.estimate, 100.0 / 95 - 1, 1e-12);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
}

/*
 * A suite of ten: one 1% instruction regression among nine unchanged
 * benchmarks must survive Benjamini-Hochberg (with the rank test, p =
 * 0.0234 at n = 3 would be adjusted to 0.234 and lost).
 */
static void test_survives_suite_correction(void **state)
{
	const double a[3] = {2000000, 2000000, 2000000};
	const double b[3] = {2020000, 2020000, 2020000};
	struct stats_compare_opts o;
	struct stats_comparison c[10];
	double p[10], pb[10], padj[10], pbadj[10];
	char why[256];
	size_t i;

	(void)state;
	opts(&o, 0.005);
	for (i = 0; i < 10; i++) {
		assert_int_equal(stats_compare(&c[i], a, 3, i ? a : b, 3, &o),
		                 0);
		p[i] = c[i].p_value;
		pb[i] = c[i].p_better;
	}
	assert_int_equal(stats_adjust(padj, p, 10, STATS_CORRECTION_BH), 0);
	assert_int_equal(stats_adjust(pbadj, pb, 10, STATS_CORRECTION_BH), 0);
	assert_int_equal(
	        stats_classify(&c[0], padj[0], pbadj[0], &o, why, sizeof(why)),
	        STATS_REGRESSION);
	for (i = 1; i < 10; i++)
		assert_int_equal(stats_classify(&c[i], padj[i], pbadj[i], &o,
		                                why, sizeof(why)),
		                 STATS_UNCHANGED);
}

/* Pooled baseline runs without any spread: no 0/0, a clean verdict. */
static void test_pooled_zero_spread(void **state)
{
	const double r[3] = {1000, 1000, 1000}, up[3] = {1010, 1010, 1010};
	const double *runs[5] = {r, r, r, r, r};
	const size_t run_n[5] = {3, 3, 3, 3, 3};
	struct stats_compare_opts o;
	struct stats_comparison c;

	(void)state;
	opts(&o, 0.005);
	assert_int_equal(stats_compare_pooled(&c, runs, run_n, 5, r, 3, &o), 0);
	assert_string_equal(c.test, "run-median-moderated");
	assert_close(c.p_value, 1, 0);
	assert_close(c.estimate, 0, 0);
	assert_int_equal(verdict(&c, &o), STATS_UNCHANGED);
	assert_int_equal(stats_compare_pooled(&c, runs, run_n, 5, up, 3, &o),
	                 0);
	assert_close(c.p_value, 0, 0);
	assert_close(c.estimate, 0.01, 1e-12);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
	/* the earlier method, the same */
	assert_int_equal(stats_compare_pooled_t(&c, runs, run_n, 3, up, 3, &o),
	                 0);
	assert_string_equal(c.test, "run-median-t");
	assert_close(c.p_value, 0, 0);
	assert_int_equal(verdict(&c, &o), STATS_REGRESSION);
}

/* Shifting both sides by the same factor changes nothing. */
static void test_scale_invariance(void **state)
{
	const double a[3] = {1000, 1001, 999}, b[3] = {1030, 1031, 1029};
	double a2[3], b2[3];
	struct stats_compare_opts o;
	struct stats_comparison c1, c2;
	size_t i;

	(void)state;
	opts(&o, 0.005);
	o.deterministic = 1;
	for (i = 0; i < 3; i++) {
		a2[i] = a[i] * 1234.5;
		b2[i] = b[i] * 1234.5;
	}
	assert_int_equal(stats_compare(&c1, a, 3, b, 3, &o), 0);
	assert_int_equal(stats_compare(&c2, a2, 3, b2, 3, &o), 0);
	assert_close(c1.estimate, c2.estimate, 1e-12);
	assert_close(c1.ci_low, c2.ci_low, 1e-12);
	assert_close(c1.ci_high, c2.ci_high, 1e-12);
	assert_close(c1.p_value, c2.p_value, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_constant_one_percent_is_regression),
	        cmocka_unit_test(test_constant_no_change_is_unchanged),
	        cmocka_unit_test(test_constant_below_threshold_is_unchanged),
	        cmocka_unit_test(test_one_constant_side_keeps_rank_test),
	        cmocka_unit_test(test_single_samples_need_deterministic),
	        cmocka_unit_test(test_deterministic_with_jitter),
	        cmocka_unit_test(test_constant_higher_is_better),
	        cmocka_unit_test(test_survives_suite_correction),
	        cmocka_unit_test(test_pooled_zero_spread),
	        cmocka_unit_test(test_scale_invariance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
