/* Unit tests for gate/accept: Perfgate-Accept trailers and accepted rows. */
#include "tests/unit/unit.h"

#include "gate/accept.h"
#include "gate/compare.h"
#include "model/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

/* Longer than any fixed buffer the note ever went through (512 bytes). */
#define LONG_REASON 3000
#define SAMPLES 20
#define BASE_RUNS 6

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

/* One run of benchmark "parse": level + 0 to 19 ms, in a shuffled order. */
static void make_run(struct result_run *run, double level)
{
	struct result_metric *m;
	int i;

	result_run_init(run);
	m = result_metric_get(result_bench_add(run, "parse"), RESULT_WALL_TIME,
	                      "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < SAMPLES; i++)
		result_metric_push(m, level + (i * 7 % SAMPLES) / 1000.0);
}

/*
 * A 30% regression accepted by a trailer whose reason is 3000 bytes: the
 * row's note carries the reason whole.
 */
static void test_accept_long_reason(void **state)
{
	struct pg_buf msg = PG_BUF_INIT, reason = PG_BUF_INIT;
	struct result_run base[BASE_RUNS], cand;
	struct gate_compare_opts o;
	struct gate_accepts a;
	struct report rep;
	size_t i;

	for (i = 0; reason.len < LONG_REASON; i++)
		pg_buf_addf(&reason, "word%zu ", i);
	pg_buf_addstr(&reason, "END");
	pg_buf_addf(&msg, "Slower parse\n\nPerfgate-Accept: parse +50%% %s\n",
	            reason.s);
	gate_accepts_init(&a);
	assert_int_equal(gate_accepts_parse_message(&a, msg.s, "0123456789ab"),
	                 0);
	for (i = 0; i < BASE_RUNS; i++)
		make_run(&base[i], 1.0 + 0.003 * (double)(i % 3));
	make_run(&cand, 1.3);
	gate_compare_opts_init(&o);
	report_init(&rep);
	assert_int_equal(
	        gate_compare(&rep, NULL, base, BASE_RUNS, &cand, 1, &a, &o), 0);
	for (i = 0; i < rep.nrows; i++)
		if (!strcmp(rep.rows[i].metric, RESULT_WALL_TIME))
			break;
	assert_true(i < rep.nrows);
	assert_int_equal(rep.rows[i].verdict, REPORT_ACCEPTED);
	assert_contains(rep.rows[i].note, reason.s);
	report_release(&rep);
	for (i = 0; i < BASE_RUNS; i++)
		result_run_release(&base[i]);
	result_run_release(&cand);
	gate_accepts_release(&a);
	pg_buf_release(&msg);
	pg_buf_release(&reason);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_accept_trailers),
	        cmocka_unit_test(test_accept_malformed),
	        cmocka_unit_test(test_accept_long_reason),
	};

	return cmocka_run_group_tests_name("accept", tests, NULL, NULL);
}
