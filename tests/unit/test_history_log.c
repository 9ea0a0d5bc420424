/*
 * Unit tests for what `perfgate log` is made of outside cmd/: a note's
 * rows (history_summarise_note(): one per benchmark, first appearance
 * order, pooled over the note's runs, filtered by name) and the text, JSON
 * and CSV output (reporters/log.h), the JSON checked by parsing it back.
 */
#include "tests/unit/unit.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history/summary.h"
#include "reporters/log.h"
#include "util/mem.h"
#include "model/result.h"

static void add(struct result_run *r, const char *name, double a, double b)
{
	struct result_bench *bench = result_bench_add(r, name);
	struct result_metric *m = result_metric_get(
	        bench, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);

	result_metric_push(m, a);
	result_metric_push(m, b);
}

/* Two runs of one note: "x" in both, "y" in the second only. */
static void note(struct result_run runs[2])
{
	result_run_init(&runs[0]);
	result_run_init(&runs[1]);
	add(&runs[0], "x", 1, 2);
	add(&runs[1], "y", 10, 20);
	add(&runs[1], "x", 3, 4);
}

static void test_note_rows(void **state)
{
	struct result_run runs[2];
	struct history_row *rows = NULL;
	struct history_pool pool = {0};
	char *only_y[] = {"y"};
	size_t alloc = 0, n;

	note(runs);
	n = history_summarise_note(&rows, &alloc, &pool, runs, 2, NULL, 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].name, "x");
	/* x pooled over both runs: median of 1, 2, 3, 4 */
	assert_close(rows[0].median, 2.5, 1e-12);
	assert_int_equal(rows[0].samples, 4);
	assert_int_equal(rows[0].runs, 2);
	assert_string_equal(rows[1].name, "y");
	assert_close(rows[1].median, 15, 1e-12);
	n = history_summarise_note(&rows, &alloc, &pool, runs, 2, only_y, 1);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].name, "y");
	free(rows);
	history_pool_release(&pool);
	result_run_release(&runs[0]);
	result_run_release(&runs[1]);
}

static void commit(struct store_commit *k, char c)
{
	memset(k, 0, sizeof(*k));
	memset(k->sha, c, 40);
	memset(k->short_sha, c, 12);
	k->subject = "a \"quoted\" subject";
	k->time = 86400 * 365; /* 1971-01-01 */
}

static void rows2(struct history_row r[2], struct stats_changepoint *x)
{
	memset(r, 0, 2 * sizeof(*r));
	r[0].name = "x";
	r[0].metric = RESULT_WALL_TIME;
	r[0].unit = "s";
	r[0].median = 0.0123;
	r[0].samples = 4;
	r[0].runs = 2;
	r[1] = r[0];
	r[1].name = "y,\"z\"";
	r[1].median = 2;
	memset(x, 0, sizeof(*x));
	x->before = 1;
	x->after = 2;
	x->shift = 1;
	x->p_value = 0.001;
	r[1].change = x;
}

static void test_text(void **state)
{
	struct report_log l;
	struct store_commit k;
	struct history_row r[2];
	struct stats_changepoint x;
	struct stats_cp_opts cp;

	commit(&k, 'a');
	rows2(r, &x);
	stats_cp_opts_init(&cp);
	report_log_init(&l, REPORT_LOG_TEXT, 1);
	report_log_begin(&l, "refs/notes/perfgate");
	assert_int_equal(l.out.len, 0);
	report_log_commit(&l, &k, r, 2);
	assert_int_equal(l.shown, 1);
	assert_contains(l.out.s, "aaaaaaaaaaaa 1971-01-01 a \"quoted\" "
	                         "subject\n");
	assert_contains(l.out.s, "    x ");
	assert_contains(l.out.s, "12.30 ms  n=4\n");
	assert_contains(l.out.s,
	                "2.000 s  n=4  <- shift +100.0% (1.000 s -> 2.000 s");
	assert_contains(l.out.s, ", p=0.001)\n");
	report_log_changes_total(&l, 1, &cp);
	assert_contains(l.out.s, "1 change point (E-divisive means");
	report_log_release(&l);
}

static void test_json_parses_back(void **state)
{
	struct report_log l;
	struct store_commit k, k2;
	struct history_row r[2];
	struct stats_changepoint x;
	struct stats_cp_opts cp;
	cJSON *doc, *commits, *changes;

	commit(&k, 'a');
	commit(&k2, 'b');
	rows2(r, &x);
	stats_cp_opts_init(&cp);
	report_log_init(&l, REPORT_LOG_JSON, 1);
	report_log_begin(&l, "refs/notes/perfgate");
	report_log_commit(&l, &k, r, 2);
	report_log_commit(&l, &k2, r, 1);
	report_log_end(&l, &cp, 7, 1, 2);
	doc = cJSON_Parse(l.out.s);
	assert_non_null(doc);
	assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(doc, "notes_ref")->valuestring,
	        "refs/notes/perfgate");
	commits = cJSON_GetObjectItemCaseSensitive(doc, "commits");
	assert_int_equal(cJSON_GetArraySize(commits), 2);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
	                            cJSON_GetArrayItem(commits, 0), "subject")
	                            ->valuestring,
	                    "a \"quoted\" subject");
	changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
	assert_int_equal(cJSON_GetArraySize(changes), 1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(
	                            cJSON_GetArrayItem(changes, 0), "benchmark")
	                            ->valuestring,
	                    "y,\"z\"");
	assert_int_equal(
	        cJSON_GetObjectItemCaseSensitive(doc, "walked")->valueint, 7);
	assert_true(
	        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "shallow")));
	assert_int_equal(
	        cJSON_GetObjectItemCaseSensitive(doc, "warnings")->valueint, 2);
	cJSON_Delete(doc);
	report_log_release(&l);
}

static void test_csv(void **state)
{
	struct report_log l;
	struct store_commit k;
	struct history_row r[2];
	struct stats_changepoint x;

	commit(&k, 'c');
	rows2(r, &x);
	report_log_init(&l, REPORT_LOG_CSV, 1);
	report_log_begin(&l, "refs/notes/perfgate");
	assert_string_equal(l.out.s, "sha,date,benchmark,metric,unit,median,"
	                             "samples,runs,shift,before,after,"
	                             "p_value\n");
	pg_buf_reset(&l.out);
	report_log_commit(&l, &k, r, 2);
	/* a row without a change keeps the columns; names are quoted */
	assert_contains(l.out.s, ",1971-01-01,\"x\",wall_time,s,");
	assert_contains(l.out.s, ",4,2,,,,\n");
	assert_contains(l.out.s, "\"y,\"\"z\"\"\"");
	report_log_release(&l);
}

static void test_format_names(void **state)
{
	enum report_log_format f;

	assert_int_equal(report_log_format_parse(&f, "csv"), 0);
	assert_int_equal(f, REPORT_LOG_CSV);
	assert_int_equal(report_log_format_parse(&f, "json"), 0);
	assert_int_equal(f, REPORT_LOG_JSON);
	assert_true(report_log_format_parse(&f, "xml") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_note_rows),
	        cmocka_unit_test(test_text),
	        cmocka_unit_test(test_json_parses_back),
	        cmocka_unit_test(test_csv),
	        cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
