/*
 * Unit tests for the search of `perfgate bisect` (gate/bisect.h): a
 * planted step is found within ceil(log2(n)) + 1 measurements, skips are
 * stepped around, and an unclear comparison gives "between", never a
 * guess.
 */
#include "tests/unit/unit.h"

#include <math.h>

#include "gate/bisect.h"

/*
 * Run the search over n commits where commits >= step shifted, commits in
 * skip[] do not build and commit unclear (0: none) cannot be told.
 */
static enum gate_bisect_outcome run(struct gate_bisect *b, size_t n,
                                    size_t step, const size_t *skip,
                                    size_t nskip, size_t unclear)
{
	enum gate_bisect_outcome o;
	size_t k, i;

	gate_bisect_init(b, n);
	while ((o = gate_bisect_next(b, &k)) == GATE_BISECT_RUNNING) {
		enum gate_bisect_mark m =
		        k >= step ? GATE_BISECT_SHIFTED : GATE_BISECT_SAME;

		assert_true(k > 0 && k < n);
		assert_int_equal(b->marks[k], GATE_BISECT_UNTESTED);
		for (i = 0; i < nskip; i++)
			if (skip[i] == k)
				m = GATE_BISECT_SKIP;
		if (k == unclear)
			m = GATE_BISECT_UNCLEAR;
		gate_bisect_mark(b, k, m);
	}
	return o;
}

static void test_every_step(void **state)
{
	struct gate_bisect b;
	size_t n, step;

	(void)state;
	for (n = 2; n <= 40; n++)
		for (step = 1; step < n; step++) {
			assert_int_equal(run(&b, n, step, NULL, 0, 0),
			                 GATE_BISECT_CULPRIT);
			assert_int_equal(b.hi, step);
			assert_int_equal(b.lo, step - 1);
			/* BAD first, then a binary search */
			assert_true(b.measured <=
			            1 + (size_t)ceil(log2((double)(n - 1))));
			gate_bisect_release(&b);
		}
}

/* 16 commits (GOOD = 0 ... 15), the step at 11, as in the issue */
static void test_skip(void **state)
{
	struct gate_bisect b;
	const size_t skip[] = {8};
	const size_t skip_culprit[] = {11};

	(void)state;
	assert_int_equal(run(&b, 16, 11, skip, 1, 0), GATE_BISECT_CULPRIT);
	assert_int_equal(b.hi, 11);
	gate_bisect_release(&b);
	/* the culprit itself does not build: between 10 and 12 */
	assert_int_equal(run(&b, 16, 11, skip_culprit, 1, 0),
	                 GATE_BISECT_BETWEEN);
	assert_int_equal(b.lo, 10);
	assert_int_equal(b.hi, 12);
	gate_bisect_release(&b);
}

static void test_unclear_and_no_shift(void **state)
{
	struct gate_bisect b;
	size_t k;

	(void)state;
	/* the first probe of 16 commits (7) is unclear: between 0 and 15 */
	assert_int_equal(run(&b, 16, 11, NULL, 0, 7), GATE_BISECT_BETWEEN);
	assert_int_equal(b.lo, 0);
	assert_int_equal(b.hi, 15);
	gate_bisect_release(&b);
	/* BAD same as GOOD: nothing to find */
	assert_int_equal(run(&b, 16, 16, NULL, 0, 0), GATE_BISECT_NO_SHIFT);
	assert_int_equal(b.measured, 1);
	gate_bisect_release(&b);
	/* BAD unclear */
	assert_int_equal(run(&b, 16, 11, NULL, 0, 15), GATE_BISECT_BAD_UNCLEAR);
	gate_bisect_release(&b);
	/* two commits: BAD is the culprit after one measurement */
	gate_bisect_init(&b, 2);
	assert_int_equal(gate_bisect_next(&b, &k), GATE_BISECT_RUNNING);
	assert_int_equal(k, 1);
	gate_bisect_mark(&b, 1, GATE_BISECT_SHIFTED);
	assert_int_equal(gate_bisect_next(&b, &k), GATE_BISECT_CULPRIT);
	gate_bisect_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_step),
	        cmocka_unit_test(test_skip),
	        cmocka_unit_test(test_unclear_and_no_shift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
