/*
 * util/cancel.h: once SIGINT or SIGTERM asked to stop, the long loops of
 * the note readers and the format parsers give up with PG_ERUNTIME
 * "interrupted" instead of reading on (hardening #18, finding 8), and
 * a document that reads fine reads again once the flag is clear.
 */
#include "tests/unit/unit.h"

#include <signal.h>
#include <stdio.h>

#include "formats/formats.h"
#include "util/buf.h"
#include "util/cancel.h"
#include "util/error.h"
#include "model/result.h"

/* A note of one run with n benchmarks of one sample each. */
static void note(struct pg_buf *b, size_t n)
{
	size_t i;

	pg_buf_addstr(b, "{\"schema\": 1, \"runs\": [{\"id\": \"x\", "
	                 "\"benchmarks\": [");
	for (i = 0; i < n; i++)
		pg_buf_addf(
		        b,
		        "%s{\"name\": \"b%zu\", \"metrics\": {\"wall_time\": "
		        "{\"unit\": \"s\", \"samples\": [0.5]}}}",
		        i ? ", " : "", i);
	pg_buf_addstr(b, "]}]}");
}

/* A hyperfine file of one command with n times. */
static void hyperfine(struct pg_buf *b, size_t n)
{
	size_t i;

	pg_buf_addstr(b, "{\"results\": [{\"command\": \"x\", \"times\": [");
	for (i = 0; i < n; i++)
		pg_buf_addf(b, "%s0.25", i ? ", " : "");
	pg_buf_addstr(b, "]}]}");
}

static void test_note_readers_stop(void **state)
{
	struct pg_buf doc = PG_BUF_INIT;
	struct result_run *runs = NULL;
	size_t n = 0;

	(void)state;
	note(&doc, 100);
	pg_cancel_signal = SIGTERM;
	assert_int_equal(result_doc_parse(&runs, &n, doc.s, doc.len, "t"),
	                 PG_ERUNTIME);
	assert_string_equal(pg_error_last(), "interrupted");
	assert_null(runs);
	assert_int_equal(n, 0);
	/* the tree reader too (what the fast one declines goes there) */
	assert_int_equal(result_doc_parse_tree(&runs, &n, doc.s, doc.len, "t"),
	                 PG_ERUNTIME);
	pg_cancel_signal = 0;
	assert_int_equal(result_doc_parse(&runs, &n, doc.s, doc.len, "t"), 0);
	assert_int_equal(runs[0].nbenches, 100);
	result_runs_free(runs, n);
	pg_buf_release(&doc);
}

static void test_format_parsers_stop(void **state)
{
	const size_t sizes[] = {10, 5000}; /* full tree, then lean */
	struct pg_buf doc = PG_BUF_INIT;
	struct result_run run;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		pg_buf_reset(&doc);
		hyperfine(&doc, sizes[i]);
		result_run_init(&run);
		pg_cancel_signal = SIGINT;
		assert_int_equal(
		        formats_parse("auto", doc.s, doc.len, "t", &run),
		        PG_ERUNTIME);
		assert_string_equal(pg_error_last(), "interrupted");
		assert_int_equal(run.nbenches, 0);
		pg_cancel_signal = 0;
		assert_int_equal(
		        formats_parse("auto", doc.s, doc.len, "t", &run), 0);
		assert_int_equal(run.benches[0].metrics[0].n, sizes[i]);
		result_run_release(&run);
	}
	pg_buf_release(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_note_readers_stop),
	        cmocka_unit_test(test_format_parsers_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
