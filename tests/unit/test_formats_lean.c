/*
 * formats/lean.h: a tree with long numeric arrays elided must be the
 * tree cJSON builds, value for value (hardening #18, finding 8: the
 * elision is what keeps 50 MB harness files within 4x their size).  Each
 * document is read both ways and printed; the prints must be equal.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "formats/lean.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "model/result.h"

/* Spellings cJSON and the lean reader must read alike. */
static const char *const spellings[] = {
        "1",
        "-0",
        "0.5",
        "1e-3",
        "1E+2",
        "12e0",
        "0.1234567890123456789",
        "4.9e-324",
        "2e308",
        "123456789012345678901234567890",
        "1.7976931348623157e308",
        "-2.5e-310",
        "0.000001",
        "7",
};
#define NSPELL (sizeof(spellings) / sizeof(spellings[0]))

/* An array of n numbers, the spellings in turn, with varied blanks. */
static void add_array(struct pg_buf *b, size_t n, size_t shift)
{
	size_t i;

	pg_buf_addch(b, '[');
	for (i = 0; i < n; i++)
		pg_buf_addf(b, "%s%s%s", i ? (i % 3 ? "," : " ,\n\t") : " ",
		            spellings[(i + shift) % NSPELL], i % 5 ? "" : " ");
	pg_buf_addch(b, ']');
}

/* Read text both ways; 1 when the lean reader elided something. */
static int same_tree(const char *text)
{
	struct pg_buf lean = PG_BUF_INIT, full = PG_BUF_INIT;
	cJSON *lroot = NULL, *froot = NULL;
	int elided;

	assert_int_equal(pg_json_parse(&froot, text, strlen(text), "t"), 0);
	elided = fmt_lean_parse(&lroot, text, strlen(text)) == 0;
	if (elided) {
		fmt_lean_print(&lean, lroot);
		assert_int_equal(pg_json_print(&full, froot, 0), 0);
		assert_string_equal(lean.s, full.s);
	} else {
		assert_null(lroot);
	}
	cJSON_Delete(lroot);
	cJSON_Delete(froot);
	pg_buf_release(&lean);
	pg_buf_release(&full);
	return elided;
}

static void test_trees_agree(void **state)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t n;

	(void)state;
	/* around the threshold, at the top and nested */
	for (n = FMT_LEAN_MIN - 1; n <= FMT_LEAN_MIN + 1; n++) {
		pg_buf_reset(&b);
		add_array(&b, n, n);
		assert_int_equal(same_tree(b.s), n >= FMT_LEAN_MIN);
		pg_buf_reset(&b);
		pg_buf_addstr(&b,
		              "{\"a\": [1, {\"s\": \"x[1,2]\\\"[3\", \"v\": ");
		add_array(&b, n, 1);
		pg_buf_addstr(&b, "}, [[]], ");
		add_array(&b, 3, 2);
		pg_buf_addstr(&b, "], \"b\": [");
		add_array(&b, n + 7, 3);
		pg_buf_addstr(&b, ", ");
		add_array(&b, 2 * n, 4);
		pg_buf_addstr(&b, "]}\n");
		assert_true(same_tree(b.s)); /* 2n is long enough */
	}
	/* long arrays that are not all plain numbers keep their nodes */
	pg_buf_reset(&b);
	pg_buf_addstr(&b, "[[");
	add_array(&b, 300, 0);
	pg_buf_addstr(&b, ", null], [01");
	for (n = 0; n < 300; n++)
		pg_buf_addstr(&b, ", 1");
	pg_buf_addstr(&b, "], [\"\\u0001perfgate-lean-0\"]]");
	same_tree(b.s);
	pg_buf_release(&b);
}

static void test_declines(void **state)
{
	struct pg_buf b = PG_BUF_INIT;
	cJSON *root = NULL;

	(void)state;
	/* invalid around an elided array: cJSON's verdict, not the lean one */
	add_array(&b, 400, 0);
	pg_buf_addstr(&b, " x");
	assert_int_equal(fmt_lean_parse(&root, b.s, b.len), 1);
	assert_null(root);
	/* a document holding the marker itself */
	pg_buf_reset(&b);
	pg_buf_addstr(&b, "[[\"\\u0001perfgate-lean-0\"], ");
	add_array(&b, 400, 0);
	pg_buf_addstr(&b, "]");
	assert_int_equal(fmt_lean_parse(&root, b.s, b.len), 1);
	assert_null(root);
	pg_buf_release(&b);
}

/* hyperfine and pytest-benchmark read elided arrays: same samples */
static void test_formats_read_blocks(void **state)
{
	const char *const fmts[] = {"hyperfine", "pytest-benchmark"};
	struct pg_buf doc = PG_BUF_INIT;
	struct result_run run;
	size_t f, i, n = 1000;

	(void)state;
	for (f = 0; f < 2; f++) {
		pg_buf_reset(&doc);
		if (f == 0)
			pg_buf_addstr(&doc, "{\"results\": [{\"command\": "
			                    "\"x\", \"times\": ");
		else
			pg_buf_addstr(&doc,
			              "{\"machine_info\": {}, "
			              "\"benchmarks\": [{\"name\": \"x\", "
			              "\"stats\": {\"data\": ");
		add_array(&doc, n, 0);
		pg_buf_addstr(&doc, f == 0 ? ", \"parameters\": {\"p\": "
		                           : "}, \"params\": {\"p\": ");
		add_array(&doc, 300, 5);
		pg_buf_addstr(&doc, "}}]}");
		result_run_init(&run);
		/* 2e308 is not finite: refused, at its index, as before */
		assert_int_equal(
		        formats_parse(fmts[f], doc.s, doc.len, "t", &run),
		        PG_EINPUT);
		assert_non_null(strstr(pg_error_last(),
		                       "[8]: 'wall_time' "
		                       "value is not a finite"));
		result_run_release(&run);
	}
	/* without the infinite and negative spellings: every sample */
	pg_buf_reset(&doc);
	pg_buf_addstr(&doc, "{\"results\": [{\"command\": \"x\", \"times\": [");
	for (i = 0; i < n; i++)
		pg_buf_addf(&doc, "%s%s", i ? "," : "",
		            i % 2 ? "0.1234567890123456789" : "1e-3");
	pg_buf_addstr(&doc, "], \"parameters\": {\"p\": ");
	add_array(&doc, 300, 5);
	pg_buf_addstr(&doc, "}}]}");
	result_run_init(&run);
	assert_int_equal(formats_parse("auto", doc.s, doc.len, "t", &run), 0);
	assert_int_equal(run.benches[0].metrics[0].n, n);
	for (i = 0; i < n; i++)
		assert_true(
		        run.benches[0].metrics[0].samples[i] ==
		        strtod(i % 2 ? "0.1234567890123456789" : "1e-3", NULL));
	/* a parameter holding an elided array prints as cJSON prints it */
	{
		struct pg_buf want = PG_BUF_INIT;
		cJSON *t = NULL;

		pg_buf_reset(&doc);
		add_array(&doc, 300, 5);
		assert_int_equal(pg_json_parse(&t, doc.s, doc.len, "t"), 0);
		assert_int_equal(pg_json_print(&want, t, 0), 0);
		assert_string_equal(result_bench_param(&run.benches[0], "p"),
		                    want.s);
		cJSON_Delete(t);
		pg_buf_release(&want);
	}
	result_run_release(&run);
	pg_buf_release(&doc);
}

/* format parses {KEY: [300 numbers]} (after head): the message is msg */
static void expect_refused(const char *format, const char *head,
                           const char *msg)
{
	struct pg_buf doc = PG_BUF_INIT;
	struct result_run run;

	result_run_init(&run);
	pg_buf_addstr(&doc, head);
	add_array(&doc, 300, 0);
	pg_buf_addstr(&doc, "}");
	assert_int_equal(formats_parse(format, doc.s, doc.len, "t", &run),
	                 PG_EINPUT);
	assert_string_equal(pg_error_last(), msg);
	assert_int_equal(run.nbenches, 0);
	pg_buf_release(&doc);
}

/* a list of numbers where entries belong: the messages of the full tree */
static void test_lists_of_numbers(void **state)
{
	(void)state;
	expect_refused("hyperfine",
	               "{\"results\": ", "'t': not hyperfine output");
	expect_refused("auto", "{\"machine_info\": {}, \"benchmarks\": ",
	               "'t': $.benchmarks[0]: expected an object");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_trees_agree),
	        cmocka_unit_test(test_declines),
	        cmocka_unit_test(test_formats_read_blocks),
	        cmocka_unit_test(test_lists_of_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
