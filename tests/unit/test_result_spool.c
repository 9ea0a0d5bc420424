/*
 * model/result_spool.h: a run spooled one benchmark at a time must be the
 * document result_doc_to_json() writes for the same run, byte for byte
 * (hardening #18, finding 8: `import` of a large bmf file holds only the
 * spool); duplicates are refused, a rewind forgets names, and a benchmark
 * that would not read back is refused before it is written.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "model/result.h"
#include "model/result_spool.h"
#include "util/buf.h"
#include "util/error.h"

/* A run of varied benchmarks: params, errors, escapes, several metrics. */
static void fill(struct result_run *run)
{
	static const char *const names[] = {
	        "plain",       "with \"quotes\"", "tab\there",
	        "caf\xc3\xa9", "slash/and\\back", "x"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct result_bench *b = result_bench_add(run, names[i]);
		struct result_metric *m;

		if (i % 2)
			result_bench_set_param(b, "size", "1k");
		if (i == 2)
			result_bench_set_error(b, "exit 1");
		m = result_metric_get(b, "wall_time", "s",
		                      RESULT_LOWER_IS_BETTER);
		result_metric_push(m, 0.1 * (double)(i + 1));
		result_metric_push(m, 1e-9 / 3);
		m = result_metric_get(b, "ops", "items/s",
		                      RESULT_HIGHER_IS_BETTER);
		m->aggregate = 1;
		result_metric_push(m, 12345.678);
	}
	run->id = strdup("0123456789abcdef0123456789abcdef");
	run->timestamp = strdup("2026-12-02T08:00:00Z");
	run->source = strdup("import:bmf");
	run->label = strdup("ci");
	run->env.cores = 2;
}

static void test_same_as_doc(void **state)
{
	struct pg_buf want = PG_BUF_INIT, got = PG_BUF_INIT;
	struct result_spool s;
	struct result_run run;
	size_t i;

	(void)state;
	result_run_init(&run);
	fill(&run);
	result_doc_to_json(&run, 1, &want);
	result_spool_init(&s);
	for (i = 0; i < run.nbenches; i++)
		assert_int_equal(result_spool_add(&s, &run.benches[i]), 0);
	assert_int_equal(s.nbenches, run.nbenches);
	assert_int_equal(result_spool_finish(&s, &run, &got), 0);
	assert_string_equal(got.s, want.s);
	assert_int_equal(got.len, want.len);
	/* the spool gave its text away */
	assert_int_equal(s.nbenches, 0);
	assert_int_equal(s.text.len, 0);
	pg_buf_release(&want);
	pg_buf_release(&got);
	result_spool_release(&s);
	result_run_release(&run);
}

/* No benchmark at all: still the document of the run. */
static void test_empty(void **state)
{
	struct pg_buf want = PG_BUF_INIT, got = PG_BUF_INIT;
	struct result_spool s;
	struct result_run run;

	(void)state;
	result_run_init(&run);
	run.id = strdup("0123456789abcdef0123456789abcdef");
	result_doc_to_json(&run, 1, &want);
	result_spool_init(&s);
	assert_int_equal(result_spool_finish(&s, &run, &got), 0);
	assert_string_equal(got.s, want.s);
	pg_buf_release(&want);
	pg_buf_release(&got);
	result_spool_release(&s);
	result_run_release(&run);
}

static void add_named(struct result_spool *s, const char *name, int want)
{
	struct result_bench b;

	memset(&b, 0, sizeof(b));
	b.name = strdup(name);
	result_metric_push(
	        result_metric_get(&b, "latency", "s", RESULT_LOWER_IS_BETTER),
	        1.0);
	assert_int_equal(result_spool_add(s, &b), want);
	result_bench_release(&b);
}

/* Many names: every one found, a duplicate refused, no false hit. */
static void test_names(void **state)
{
	struct result_spool s;
	char name[64];
	size_t i, len;

	(void)state;
	result_spool_init(&s);
	assert_int_equal(result_spool_has(&s, "a"), 0);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "bench/%zu\"q", i);
		add_named(&s, name, 0);
	}
	len = s.text.len;
	for (i = 0; i < 20000; i += 997) {
		snprintf(name, sizeof(name), "bench/%zu\"q", i);
		assert_int_equal(result_spool_has(&s, name), 1);
		add_named(&s, name, 1);
		/* a prefix of a name, and a name with more after it */
		snprintf(name, sizeof(name), "bench/%zu", i);
		assert_int_equal(result_spool_has(&s, name), 0);
		snprintf(name, sizeof(name), "bench/%zu\"qq", i);
		assert_int_equal(result_spool_has(&s, name), 0);
	}
	assert_int_equal(s.text.len, len); /* duplicates add nothing */
	assert_int_equal(s.nbenches, 20000);
	result_spool_release(&s);
}

static void test_rewind(void **state)
{
	struct result_spool_mark m;
	struct result_spool s;
	char name[32];
	size_t i, len;

	(void)state;
	result_spool_init(&s);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "early%zu", i);
		add_named(&s, name, 0);
	}
	result_spool_mark(&s, &m);
	len = s.text.len;
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "late%zu", i);
		add_named(&s, name, 0);
	}
	result_spool_rewind(&s, &m);
	assert_int_equal(s.nbenches, 100);
	assert_int_equal(s.text.len, len);
	assert_int_equal(result_spool_has(&s, "late0"), 0);
	assert_int_equal(result_spool_has(&s, "late999"), 0);
	assert_int_equal(result_spool_has(&s, "early0"), 1);
	assert_int_equal(result_spool_has(&s, "early99"), 1);
	add_named(&s, "late5", 0); /* free again */
	add_named(&s, "early7", 1);
	result_spool_release(&s);
}

/* What the readers refuse is refused here, and nothing is written. */
static void test_unreadable(void **state)
{
	struct result_spool s;
	struct result_bench b;
	size_t len;

	(void)state;
	result_spool_init(&s);
	add_named(&s, "fine", 0);
	len = s.text.len;
	add_named(&s, "", PG_EINPUT); /* an empty name */
	assert_contains(pg_error_last(), "could not read back");
	memset(&b, 0, sizeof(b));
	b.name = strdup("nan");
	result_metric_push(
	        result_metric_get(&b, "latency", "s", RESULT_LOWER_IS_BETTER),
	        NAN);
	assert_int_equal(result_spool_add(&s, &b), PG_EINPUT);
	assert_contains(pg_error_last(), "'nan'");
	result_bench_release(&b);
	assert_int_equal(s.nbenches, 1);
	assert_int_equal(s.text.len, len);
	assert_int_equal(result_spool_has(&s, "nan"), 0);
	add_named(&s, "nan", 0);
	result_spool_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_same_as_doc),
	        cmocka_unit_test(test_empty),
	        cmocka_unit_test(test_names),
	        cmocka_unit_test(test_rewind),
	        cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
