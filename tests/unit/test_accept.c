/* Unit tests for gate/accept: Perfgate-Accept trailers and accepted rows. */
#include "tests/unit/unit.h"

#include "gate/accept.h"
#include "util/error.h"

static void test_accept_trailers(void **state)
{
	struct gate_accepts a;
	const struct config_accept *c;

	gate_accepts_init(&a);
	assert_int_equal(gate_accepts_parse_message(
	                         &a,
	                         "Add the cache\n\nIt costs startup time.\n\n"
	                         "Perfgate-Accept: sort-1m wall_time +15% "
	                         "cache warm-up\n"
	                         "perfgate-accept: parse +5%\n"
	                         "Signed-off-by: A <a@example.com>\n",
	                         "0123456789abcdef"),
	                 0);
	assert_int_equal(a.n, 2);
	c = gate_accepts_find(&a, "sort-1m", "wall_time", 0.12);
	assert_non_null(c);
	assert_close(c->max_effect, 0.15, 1e-15);
	assert_string_equal(c->reason, "cache warm-up");
	assert_string_equal(c->commit, "0123456789abcdef");
	/* larger than accepted: not covered */
	assert_null(gate_accepts_find(&a, "sort-1m", "wall_time", 0.16));
	/* other metric or benchmark: not covered */
	assert_null(gate_accepts_find(&a, "sort-1m", "max_rss", 0.01));
	assert_null(gate_accepts_find(&a, "sort-2m", "wall_time", 0.01));
	c = gate_accepts_find(&a, "parse", "wall_time", 0.05);
	assert_non_null(c);
	assert_null(c->reason);
	gate_accepts_release(&a);
}

static void test_accept_malformed(void **state)
{
	struct gate_accepts a;

	gate_accepts_init(&a);
	assert_int_equal(gate_accepts_parse_message(
	                         &a, "x\n\nPerfgate-Accept: sort-1m lots\n",
	                         "abcdef0123456789"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(),
	                "commit abcdef012345: malformed "
	                "line 'Perfgate-Accept: sort-1m lots'");
	gate_accepts_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_accept_trailers),
	        cmocka_unit_test(test_accept_malformed),
	};

	return cmocka_run_group_tests_name("accept", tests, NULL, NULL);
}
