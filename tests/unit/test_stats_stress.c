/*
 * Unit tests for stats/stress: a stress level judged against its SLO
 * (order-statistic bounds of latency quantiles, Wilson bounds of the
 * error rate), the capacity interpolated between levels, and the failure
 * mode.  Reference values from SciPy 1.10 (/usr/bin/python3), with the
 * command next to each number.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "stats/stress.h"
#include "util/error.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MS 1e-3

/* 200 latencies of 1, 2, ..., 200 ms (shuffled: the code must sort). */
static double lat[200];

static int setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(lat); i++)
		lat[i] = (double)((i * 77) % 200 + 1) * MS;
	return 0;
}

static struct stats_stress_level level(double failures)
{
	struct stats_stress_level l = {8,    400, lat,      N(lat),
	                               NULL, 400, failures, 0};

	return l;
}

/*
 * Order statistics of the p95 of n = 200 at 99%:
 *   from scipy.stats import binom; n, q, c = 200, 0.95, 0.99
 *   next(u for u in range(1, n + 2) if binom.cdf(u - 1, n, q) >= c)  # 197
 *   max(l for l in range(1, n + 1) if binom.cdf(l - 1, n, q) <= 1 - c)  # 182
 * so the bounds are 197 ms and 182 ms.
 */
static void test_latency_objective(void **state)
{
	struct stats_stress_level l = level(0);
	struct stats_slo slo = {0.95, 197 * MS};
	struct stats_stress_eval ev;

	(void)state;
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_HOLDS);
	assert_close(ev.high, 1, 1e-12);
	assert_close(ev.low, 182.0 / 197, 1e-12);
	slo.limit = 196.9 * MS; /* upper bound beyond, lower within */
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_UNCLEAR);
	slo.limit = 181.9 * MS; /* even the lower bound beyond: broken */
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_BROKEN);
	assert_false(ev.errors_broken);
	assert_false(ev.point);
}

/*
 * Wilson bounds, one-sided 99% (the two-sided 98% interval):
 *   from scipy.stats import binomtest
 *   binomtest(3, 400).proportion_ci(0.98, 'wilson')
 *     (0.002133302326899811, 0.026015586711172267)
 *   binomtest(30, 400).proportion_ci(0.98, 'wilson')
 *     (0.04971723478297199, 0.1116295222549582)
 *   binomtest(0, 400).proportion_ci(0.98, 'wilson')
 *     (0.0, 0.013349125926976728)
 */
static void test_error_objective(void **state)
{
	struct stats_stress_level l = level(3);
	struct stats_slo slo = {-1, 0.027};
	struct stats_stress_eval ev;

	(void)state;
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_HOLDS);
	assert_rel(ev.high, 0.026015586711172267 / 0.027, 1e-9);
	assert_rel(ev.low, 0.002133302326899811 / 0.027, 1e-9);
	slo.limit = 0.026; /* 3 of 400 do not prove 2.6% */
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_UNCLEAR);
	l = level(30);
	slo.limit = 0.049; /* 30 of 400 clearly exceed 4.9% */
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_BROKEN);
	assert_true(ev.errors_broken);
	l = level(0);
	slo.limit = 0.0133; /* 0 of 400 prove 1.335%, not 1.33% */
	assert_int_equal(stats_stress_eval_level(&ev, &l, &slo, 1, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_UNCLEAR);
	assert_rel(ev.high, 0.013349125926976728 / 0.0133, 1e-9);
}

/* Every objective counts: the worst one decides; a crash breaks. */
static void test_objectives_together(void **state)
{
	struct stats_stress_level l = level(3);
	struct stats_slo slo[] = {{0.95, 250 * MS}, {-1, 0.026}};
	double reported[] = {0.150, 0.01};
	struct stats_stress_eval ev;

	(void)state;
	assert_int_equal(stats_stress_eval_level(&ev, &l, slo, 2, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_UNCLEAR); /* the errors */
	l.crashed = 1;
	assert_int_equal(stats_stress_eval_level(&ev, &l, slo, 2, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_BROKEN);
	/* no raw latencies nor counts: the reported values, no interval */
	l = level(0);
	l.lat = NULL;
	l.requests = l.failures = NAN;
	l.reported = reported;
	assert_int_equal(stats_stress_eval_level(&ev, &l, slo, 2, 0.99), 0);
	assert_int_equal(ev.state, STATS_STRESS_HOLDS);
	assert_true(ev.point);
	assert_close(ev.high, 0.6, 1e-12); /* 150 ms of 250 */
	slo[0].quantile = 1.5;
	assert_int_equal(stats_stress_eval_level(&ev, &l, slo, 2, 0.99),
	                 PG_EINPUT);
}

static void eval(struct stats_stress_eval *ev, enum stats_stress_state s,
                 double high)
{
	memset(ev, 0, sizeof(*ev));
	ev->state = s;
	ev->high = high;
}

/*
 * Levels 4, 8, 16 at 400, 790, 800 req/s; worst upper bound / limit 0.5,
 * 0.8, 1.4.  The ratio reaches 1 at f = (1 - 0.8) / (1.4 - 0.8) = 1/3 of
 * the way from 8 to 16: capacity_level 8 + 8/3, capacity 790 + 10/3.
 */
static void test_capacity_interpolates(void **state)
{
	struct stats_stress_level lv[3] = {{4, 400, NULL, 0, NULL, 0, 0, 0},
	                                   {8, 790, NULL, 0, NULL, 0, 0, 0},
	                                   {16, 800, NULL, 0, NULL, 0, 0, 0}};
	struct stats_stress_eval ev[3];
	struct stats_stress_capacity cap;

	(void)state;
	eval(&ev[0], STATS_STRESS_HOLDS, 0.5);
	eval(&ev[1], STATS_STRESS_HOLDS, 0.8);
	eval(&ev[2], STATS_STRESS_BROKEN, 1.4);
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_int_equal(cap.holding, 2);
	assert_false(cap.reached_end);
	assert_close(cap.fraction, 1.0 / 3, 1e-12);
	assert_close(cap.capacity_level, 8 + 8.0 / 3, 1e-12);
	assert_close(cap.capacity, 790 + 10.0 / 3, 1e-9);
	/* throughput that collapsed at the next level: never below 790 */
	lv[2].throughput = 100;
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_close(cap.capacity, 790, 1e-12);
	/* a crash (no finite ratio): no interpolation */
	ev[2].high = INFINITY;
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_close(cap.capacity_level, 8, 0);
	/* a level that does not hold ends the run, even if one holds later */
	eval(&ev[1], STATS_STRESS_UNCLEAR, 1.1);
	eval(&ev[2], STATS_STRESS_HOLDS, 0.9);
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_int_equal(cap.holding, 1);
	assert_close(cap.capacity, 400 + (790 - 400) * (0.5 / 0.6), 1e-9);
	/* none holds: 0; all hold: the last, a lower bound */
	eval(&ev[0], STATS_STRESS_UNCLEAR, 1.2);
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_close(cap.capacity, 0, 0);
	eval(&ev[0], STATS_STRESS_HOLDS, 0.2);
	eval(&ev[1], STATS_STRESS_HOLDS, 0.2);
	stats_stress_capacity(&cap, lv, ev, 3);
	assert_true(cap.reached_end);
	assert_close(cap.capacity, 100, 0);
}

static void test_failure_modes(void **state)
{
	struct stats_stress_level l = level(30);
	struct stats_stress_eval ev;

	(void)state;
	eval(&ev, STATS_STRESS_BROKEN, 2);
	ev.errors_broken = 1;
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 0, 0),
	                 STATS_FAILURE_ERRORS);
	/* every failure a 429 or 503: load shed on purpose */
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 30, 0),
	                 STATS_FAILURE_GRACEFUL);
	ev.errors_broken = 0;
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 0, 0),
	                 STATS_FAILURE_GRACEFUL);
	l.crashed = 1;
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 0, 0),
	                 STATS_FAILURE_CRASH);
	l.crashed = 0;
	eval(&ev, STATS_STRESS_UNCLEAR, 1.1);
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 0, 0),
	                 STATS_FAILURE_UNBROKEN);
	assert_int_equal(stats_stress_failure_mode(&l, &ev, 0, 1),
	                 STATS_FAILURE_ERRORS);
	assert_string_equal(stats_failure_mode_name(3), "crash");
	assert_string_equal(stats_failure_mode_name(7), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_latency_objective),
	        cmocka_unit_test(test_error_objective),
	        cmocka_unit_test(test_objectives_together),
	        cmocka_unit_test(test_capacity_interpolates),
	        cmocka_unit_test(test_failure_modes),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
