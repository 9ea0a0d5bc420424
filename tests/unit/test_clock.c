/* Unit tests for util/clock.h: the clock, the sleep and the backoff. */
#include "tests/unit/unit.h"

#include "util/clock.h"

#define ATTEMPTS 12
#define DRAWS 2000

/* Two seeds give two schedules; one seed gives the same one twice. */
static void test_backoff_seeds_differ(void **state)
{
	struct pg_backoff a, b, c;
	unsigned k, same = 0;

	pg_backoff_init(&a, 1, 100);
	b = c = a;
	pg_backoff_seed(&a, 1);
	pg_backoff_seed(&b, 2);
	pg_backoff_seed(&c, 1);
	for (k = 0; k < ATTEMPTS; k++) {
		double da = pg_backoff_delay_ms(&a, k);

		same += da == pg_backoff_delay_ms(&b, k);
		assert_true(da == pg_backoff_delay_ms(&c, k));
	}
	assert_int_equal(same, 0);
}

/*
 * Two processes seeded from their pids and the clock: their schedules
 * differ, so concurrent writers do not retry in lock step (the old jitter,
 * clock() % 50, was CPU time and the same in both).
 */
static void test_backoff_init_seeds_from_pid_and_clock(void **state)
{
	struct pg_backoff a, b;
	unsigned k, same = 0;

	pg_backoff_init(&a, 100, 1600);
	pg_sleep_ms(0.01);
	pg_backoff_init(&b, 100, 1600);
	assert_true(a.state != b.state);
	for (k = 0; k < ATTEMPTS; k++)
		same += pg_backoff_delay_ms(&a, k) ==
		        pg_backoff_delay_ms(&b, k);
	assert_int_equal(same, 0);
}

/*
 * Attempt k waits within [d/2, d], d = min(base 2^k, max), and the draws
 * cover at least half of each interval: the jitter spans it.
 */
static void test_backoff_jitter_spans_half_the_interval(void **state)
{
	struct pg_backoff b;
	unsigned k, i;
	double d = 1;

	pg_backoff_init(&b, 1, 100);
	pg_backoff_seed(&b, 42);
	for (k = 0; k < ATTEMPTS; k++, d = d * 2 < 100 ? d * 2 : 100) {
		double lo = d, hi = 0;

		for (i = 0; i < DRAWS; i++) {
			double w = pg_backoff_delay_ms(&b, k);

			assert_true(w >= d / 2 && w <= d);
			lo = w < lo ? w : lo;
			hi = w > hi ? w : hi;
		}
		if (!(hi - lo >= 0.9 * (d / 2)))
			fail_msg("attempt %u: waits span [%g, %g] of [%g, %g]",
			         k, lo, hi, d / 2, d);
	}
}

/* The sleep lasts at least as asked; the clock moves forward. */
static void test_sleep_and_clock(void **state)
{
	double t0 = pg_now_s(), t1;

	pg_sleep_ms(20);
	t1 = pg_now_s();
	assert_true(t1 - t0 >= 0.020);
	pg_sleep_ms(-1);
	pg_sleep_ms(0);
	assert_true(pg_now_s() >= t1);
	assert_true(pg_backoff(&(struct pg_backoff){1, 2, 7}, 0) <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_backoff_seeds_differ),
	        cmocka_unit_test(test_backoff_init_seeds_from_pid_and_clock),
	        cmocka_unit_test(test_backoff_jitter_spans_half_the_interval),
	        cmocka_unit_test(test_sleep_and_clock),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
