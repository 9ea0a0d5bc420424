/*
 * Unit tests for reporters/ and the report model (model/report.h): the
 * model, the shared text helpers, the JUnit and JSON reporters, on reports
 * built by hand (report_fixture.h).  test_reporters_human.c covers the
 * Markdown, terminal and GitHub reporters.
 *
 * Run as `test_reporters --write DIR`, the program instead writes the
 * fixture reports in every format to DIR, for tests/t/t5100-reporters.sh
 * to validate with xmllint, python3-junitparser and cmark-gfm.
 */
#include "tests/unit/unit.h"
#include "tests/unit/report_fixture.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "reporters/json.h"
#include "reporters/junit.h"
#include "reporters/reporter.h"
#include "reporters/text.h"
#include "util/json.h"

/* ---- report model ---- */

static void test_verdict_names(void **state)
{
	assert_string_equal(report_verdict_name(REPORT_REGRESSION),
	                    "regression");
	assert_string_equal(report_verdict_name(REPORT_OVER_BUDGET),
	                    "over-budget");
	assert_string_equal(report_verdict_name(REPORT_NO_BASELINE),
	                    "no-baseline");
	assert_string_equal(report_verdict_name((enum report_verdict)99),
	                    "unknown");
}

static void test_add_row_starts_with_nan(void **state)
{
	struct report r;
	struct report_row *row;

	report_init(&r);
	row = report_add_row(&r, "g", "b", "wall_time");
	assert_true(isnan(row->base_value) && isnan(row->estimate));
	assert_true(isnan(row->p_adjusted) && isnan(row->threshold));
	assert_string_equal(row->bench, "b");
	assert_null(row->note);
	row = report_add_row(&r, NULL, "c", "m");
	assert_null(row->group);
	assert_int_equal(r.nrows, 2);
	report_release(&r);
	assert_int_equal(r.nrows, 0);
	assert_null(r.rows);
}

static void test_exit_code(void **state)
{
	struct report r;
	struct report_row *a, *b;

	report_init(&r);
	assert_int_equal(report_exit_code(&r, 0), 0);
	a = report_add_row(&r, "g", "a", "m");
	a->verdict = REPORT_INCONCLUSIVE;
	b = report_add_row(&r, "g", "b", "m");
	b->verdict = REPORT_UNCHANGED;
	assert_int_equal(report_exit_code(&r, 0), 0);
	assert_int_equal(report_exit_code(&r, 1), 1);
	r.rows[1].over_budget = 1;
	assert_int_equal(report_exit_code(&r, 0), 1);
	r.rows[1].over_budget = 0;
	r.rows[1].verdict = REPORT_ACCEPTED;
	assert_int_equal(report_exit_code(&r, 0), 0);
	r.rows[0].verdict = REPORT_REGRESSION;
	assert_int_equal(report_exit_code(&r, 0), 1);
	r.rows[1].verdict = REPORT_ERROR;
	assert_int_equal(report_exit_code(&r, 0), 3);
	assert_int_equal(report_count(&r, REPORT_ERROR), 1);
	assert_int_equal(report_count(&r, REPORT_UNCHANGED), 0);
	report_release(&r);
}

static void test_sorted_rows_regressions_first(void **state)
{
	struct report r;
	size_t *order, i;
	int prev = -1;

	fx_full(&r);
	order = report_sorted_rows(&r);
	/* Largest regression first, then the smaller ones. */
	assert_string_equal(r.rows[order[0]].bench, "throughput");
	assert_string_equal(r.rows[order[1]].bench, "sort-1m");
	assert_string_equal(r.rows[order[2]].bench, "small-regression");
	/* The unchanged row over budget ranks as over-budget. */
	assert_string_equal(r.rows[order[3]].bench, "parse");
	for (i = 4; i < r.nrows; i++) {
		assert_true((int)r.rows[order[i]].verdict >= prev);
		prev = (int)r.rows[order[i]].verdict;
	}
	free(order);
	report_release(&r);
}

/* ---- text helpers ---- */

static void test_utf8_decoder_is_strict(void **state)
{
	static const struct {
		const char *s;
		uint32_t cp;
		size_t n;
	} cases[] = {
	        {"A", 'A', 1},
	        {"\xc3\xa9", 0xE9, 2},
	        {"\xe2\x82\xac", 0x20AC, 3},
	        {"\xf0\x9f\x98\x80", 0x1F600, 4},
	        {"\xc0\xaf", REPORT_UTF8_INVALID, 1}, /* overlong '/' */
	        {"\xe0\x80\xaf", REPORT_UTF8_INVALID, 1}, /* overlong */
	        {"\xed\xa0\x80", REPORT_UTF8_INVALID, 1}, /* surrogate */
	        {"\xf4\x90\x80\x80", REPORT_UTF8_INVALID, 1}, /* > U+10FFFF */
	        {"\xff", REPORT_UTF8_INVALID, 1},
	        {"\x80", REPORT_UTF8_INVALID, 1},
	        {"\xe2\x82", REPORT_UTF8_INVALID, 1}, /* truncated at NUL */
	};
	size_t i, n;
	uint32_t cp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = report_utf8_next(cases[i].s, &cp);
		if (cp != cases[i].cp || n != cases[i].n)
			fail_msg("case %zu: got U+%X/%zu", i, cp, n);
	}
	assert_int_equal(report_utf8_cut("ab\xc3\xa9", 3), 2);
	assert_int_equal(report_utf8_cut("ab\xc3\xa9", 4), 4);
}

static void test_human_units(void **state)
{
	static const struct {
		double v;
		const char *unit, *want;
	} cases[] = {
	        {0.0123, "s", "12.30 ms"},
	        {2.5e-6, "s", "2.500 \xc2\xb5s"},
	        {4.2e-8, "s", "42.00 ns"},
	        {1.5, "s", "1.500 s"},
	        {12345.0, "s", "12345 s"},
	        {0, "s", "0 ns"},
	        {512, "B", "512.0 B"},
	        {1536, "B", "1.500 KiB"},
	        {600.0 * 1048576, "B", "600.0 MiB"},
	        {3.0 * 1073741824, "B/s", "3.221 GB/s"},
	        {1.6e6, "items/s", "1.600 Mitems/s"},
	        {42, "count", "42.00 count"},
	        {NAN, "s", "n/a"},
	        {1e300, "s", NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_buf b = PG_BUF_INIT;

		report_fmt_value(&b, cases[i].v, cases[i].unit);
		if (cases[i].want)
			assert_string_equal(b.s, cases[i].want);
		/* Never an exponent, not even for absurd values. */
		assert_null(strstr(b.s, "e+"));
		assert_null(strstr(b.s, "e-"));
		pg_buf_release(&b);
	}
}

static void test_change_and_p(void **state)
{
	struct report r;
	struct pg_buf b = PG_BUF_INIT;

	fx_full(&r);
	report_fmt_change(&b, &r.rows[2], 1); /* sort-1m */
	assert_string_equal(b.s, "+12.3% [+9.8%, +14.9%]");
	pg_buf_reset(&b);
	/* Higher is better: a 20% loss of throughput reads as -20%. */
	report_fmt_change(&b, &r.rows[7], 1);
	assert_string_equal(b.s, "-20.0% [-25.0%, -15.0%]");
	pg_buf_reset(&b);
	report_fmt_change(&b, &r.rows[5], 1); /* error: no estimate */
	assert_string_equal(b.s, "n/a");
	pg_buf_reset(&b);
	report_fmt_pct(&b, -0.0001);
	assert_string_equal(b.s, "0.0%");
	pg_buf_reset(&b);
	report_fmt_p(&b, 0.0004);
	pg_buf_addch(&b, ' ');
	report_fmt_p(&b, 0.00001);
	pg_buf_addch(&b, ' ');
	report_fmt_p(&b, NAN);
	assert_string_equal(b.s, "0.0004 <0.0001 n/a");
	pg_buf_reset(&b);
	report_fmt_counts(&b, &r);
	assert_string_equal(b.s,
	                    "3 regressions, 1 over budget, 1 failed to "
	                    "run, 1 inconclusive, 1 accepted, 1 "
	                    "improvement, 2 unchanged, 1 added, 1 removed");
	pg_buf_release(&b);
	report_release(&r);
}

static void test_registry(void **state)
{
	static const char *const names[] = {"junit",  "markdown",
	                                    "json",   "terminal",
	                                    "github", "openmetrics"};
	size_t i;

	for (i = 0; i < 6; i++)
		assert_string_equal(report_reporter_find(names[i])->name,
		                    names[i]);
	assert_null(report_reporter_find("html"));
	assert_null(report_reporters[6]);
}

/* ---- JUnit ---- */

/* Every time="..." is plain decimal seconds with six digits. */
static void assert_times_plain(const char *xml)
{
	regex_t re;
	regmatch_t m[2];
	const char *p = xml;
	size_t n = 0;

	assert_int_equal(regcomp(&re, " time=\"([^\"]*)\"", REG_EXTENDED), 0);
	while (!regexec(&re, p, 2, m, 0)) {
		char *v = pg_strndup(p + m[1].rm_so,
		                     (size_t)(m[1].rm_eo - m[1].rm_so));
		regex_t num;

		assert_int_equal(regcomp(&num, "^[0-9]+\\.[0-9]{6}$",
		                         REG_EXTENDED | REG_NOSUB),
		                 0);
		if (regexec(&num, v, 0, NULL, 0))
			fail_msg("time=\"%s\" is not plain decimal", v);
		regfree(&num);
		free(v);
		p += m[0].rm_eo;
		n++;
	}
	regfree(&re);
	assert_true(n > 0);
}

static void test_junit_full(void **state)
{
	struct report r;
	char *x;

	fx_full(&r);
	x = render("junit", &r, NULL);
	assert_prefix(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	assert_contains(x, "<testsuite name=\"example-suite\" tests=\"11\" "
	                   "failures=\"4\" errors=\"1\" skipped=\"2\" "
	                   "time=\"1.250000\">");
	assert_contains(x, "<testsuites name=\"perfgate\" tests=\"11\" "
	                   "failures=\"4\" errors=\"1\" time=\"1.250000\">");
	assert_contains(x,
	                "<testcase name=\"sort-1m [wall_time]\" "
	                "classname=\"core\" time=\"0.013800\">\n"
	                "      <failure type=\"regression\" message=\"+12.3% "
	                "[+9.8%, +14.9%] p=0.0004\">sort-1m wall_time: "
	                "regression\nbaseline:  12.30 ms (n=30)\n"
	                "candidate: 13.80 ms (n=30)\nchange:    +12.3% "
	                "[+9.8%, +14.9%] (99% CI), threshold 5.0%\n"
	                "p:         0.0004 adjusted (benjamini-hochberg), "
	                "0.0001 unadjusted\n");
	/* Not a time metric: time 0; the loss reads as a negative change. */
	assert_contains(x, "classname=\"io\" time=\"0.000000\">\n      "
	                   "<failure type=\"regression\" message=\"-20.0% "
	                   "[-25.0%, -15.0%] p=&lt;0.0001\">");
	assert_contains(x, "<failure type=\"over-budget\" message=\"over "
	                   "budget: max_rss &lt;= 512MiB, candidate 601.0 "
	                   "MiB\">");
	assert_contains(x, "<error type=\"error\" message=\"exited with "
	                   "signal 11\">");
	assert_contains(x, "stderr: segfault at 0</error>");
	assert_contains(x, "<skipped message=\"added: not in the baseline\"/>");
	assert_contains(x, "<skipped message=\"removed: not in the "
	                   "candidate\"/>");
	assert_contains(x, "<property name=\"perfgate.baseline_commits\" "
	                   "value=\"0123456789abcdef0123456789abcdef01234567 "
	                   "1111111111111111111111111111111111111111 "
	                   "2222222222222222222222222222222222222222\"/>");
	assert_int_equal(count_str(x, "<testcase "), 11);
	assert_int_equal(count_str(x, "</testcase>"), 11);
	assert_int_equal(count_str(x, "<failure "), 4);
	assert_times_plain(x);
	free(x);
	report_release(&r);
}

static void test_junit_escapes_and_strips(void **state)
{
	struct report r;
	char *x;

	fx_full(&r);
	x = render("junit", &r, NULL);
	assert_valid_utf8(x);
	assert_no_byte(x, '\x01');
	assert_no_byte(x, '\x1b');
	assert_contains(x, "<testcase name=\"evil &lt;&amp;&quot;'|*_[x](y)`#"
	                   "&gt; a&#9;b&#10;c[31m   caf\xc3\xa9 % : , "
	                   "@team [wall_time]\" classname=\"core\" "
	                   "time=\"90000000.000000\">");
	/* In text, quotes stay, newlines stay, U+FFFE is gone. */
	assert_contains(x, "<system-out>evil &lt;&amp;\"'|*_[x](y)`#&gt; "
	                   "a\tb\nc[31m");
	assert_null(strstr(x, "\xef\xbf\xbe"));
	assert_no_byte(x, '\x7f');
	free(x);
	report_release(&r);
}

static void test_junit_no_baseline_and_options(void **state)
{
	struct report r;
	struct report_opts o;
	char *x;

	fx_no_baseline(&r);
	x = render("junit", &r, NULL);
	assert_contains(x, "<skipped message=\"no baseline to compare "
	                   "against\"/>");
	assert_contains(x, "<failure type=\"over-budget\" message=\"over "
	                   "budget: p95 &lt;= 250ms, candidate 300.0 ms\">");
	assert_contains(x, "<property name=\"perfgate.notice\" value=\"no "
	                   "baseline found: no ancestor of HEAD has results "
	                   "from runner 'ci-linux'\"/>");
	assert_contains(x, "    <system-out>no baseline found: ");
	/* No duration: time 0, never "nan". */
	assert_contains(x, "errors=\"0\" skipped=\"1\" time=\"0.000000\"");
	free(x);
	report_release(&r);

	fx_full(&r);
	report_opts_init(&o);
	o.fail_on_inconclusive = 1;
	x = render("junit", &r, &o);
	assert_contains(x, "<failure type=\"inconclusive\" message=\"+4.0% "
	                   "[-1.0%, +9.0%] p=0.1200\">");
	assert_int_equal(count_str(x, "<failure "), 5);
	free(x);
	report_release(&r);
}

/* ---- JSON ---- */

static void test_json_everything(void **state)
{
	struct report r;
	cJSON *root = NULL, *rows, *row, *counts;
	char *j;

	fx_full(&r);
	j = render("json", &r, NULL);
	assert_valid_utf8(j);
	assert_int_equal(pg_json_parse(&root, j, strlen(j), "report.json"), 0);
	assert_int_equal(pg_json_get(root, "schema")->valueint, 1);
	assert_string_equal(pg_json_get(root, "outcome")->valuestring, "error");
	assert_int_equal(pg_json_get(root, "exit_code")->valueint, 3);
	assert_true(cJSON_IsNull(pg_json_get(root, "notice")));
	counts = pg_json_get(root, "counts");
	assert_int_equal(pg_json_get(counts, "regression")->valueint, 3);
	assert_int_equal(pg_json_get(counts, "over-budget")->valueint, 0);
	assert_int_equal(pg_json_get(counts, "over_budget_rows")->valueint, 1);
	assert_int_equal(cJSON_GetArraySize(pg_json_get(
	                         pg_json_get(root, "baseline"), "commits")),
	                 3);
	rows = pg_json_get(root, "rows");
	assert_int_equal(cJSON_GetArraySize(rows), (int)r.nrows);
	row = cJSON_GetArrayItem(rows, 2); /* report order is kept */
	assert_string_equal(pg_json_get(row, "bench")->valuestring, "sort-1m");
	assert_true(pg_json_get(row, "estimate")->valuedouble == 0.123);
	assert_true(pg_json_get(row, "p_adjusted")->valuedouble == 0.0004);
	assert_true(cJSON_IsTrue(pg_json_get(row, "fails")));
	row = cJSON_GetArrayItem(rows, 5); /* the crash */
	assert_true(cJSON_IsNull(pg_json_get(row, "estimate")));
	assert_string_equal(pg_json_get(row, "error")->valuestring,
	                    "exited with signal 11\nstderr: segfault at 0");
	row = cJSON_GetArrayItem(rows, 7);
	assert_string_equal(pg_json_get(row, "direction")->valuestring,
	                    "higher");
	/* Hostile bytes survive as valid UTF-8: invalid ones as U+FFFD. */
	row = cJSON_GetArrayItem(rows, 10);
	assert_string_equal(pg_json_get(row, "bench")->valuestring,
	                    "evil <&\"'|*_[x](y)`#> a\tb\nc\x01\x1b[31m\x7f "
	                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd "
	                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbe"
	                    " caf\xc3\xa9 % : , @team");
	cJSON_Delete(root);
	free(j);
	report_release(&r);
}

static void test_json_empty_report(void **state)
{
	struct report r;
	cJSON *root = NULL;
	char *j;

	report_init(&r);
	j = render("json", &r, NULL);
	assert_int_equal(pg_json_parse(&root, j, strlen(j), "empty.json"), 0);
	assert_int_equal(cJSON_GetArraySize(pg_json_get(root, "rows")), 0);
	assert_true(cJSON_IsNull(pg_json_get(root, "title")));
	assert_true(cJSON_IsNull(pg_json_get(root, "alpha")));
	assert_string_equal(pg_json_get(root, "outcome")->valuestring, "pass");
	cJSON_Delete(root);
	free(j);
	report_release(&r);

	fx_no_baseline(&r);
	j = render("json", &r, NULL);
	assert_int_equal(pg_json_parse(&root, j, strlen(j), "nb.json"), 0);
	assert_prefix(pg_json_get(root, "notice")->valuestring,
	              "no baseline found: ");
	assert_true(cJSON_IsNull(
	        pg_json_get(pg_json_get(root, "baseline"), "commit")));
	assert_int_equal(pg_json_get(root, "exit_code")->valueint, 1);
	cJSON_Delete(root);
	free(j);
	report_release(&r);
}
/* ---- files for tests/t/t5100-reporters.sh ---- */

static int write_one(const char *dir, const char *file, const char *fmt,
                     const struct report *r, const struct report_opts *o)
{
	const struct reporter *rep = report_reporter_find(fmt);
	struct pg_buf b = PG_BUF_INIT, path = PG_BUF_INIT;
	int err;

	rep->write(r, &b, o);
	pg_buf_addf(&path, "%s/%s", dir, file);
	err = pg_write_file_atomic(path.s, b.s, b.len);
	if (err < 0)
		fprintf(stderr, "%s\n", pg_error_last());
	pg_buf_release(&b);
	pg_buf_release(&path);
	return err;
}

static int write_files(const char *dir)
{
	struct report full, nobase, huge, empty;
	struct report_opts o, small;
	int err = 0;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	fx_full(&full);
	fx_no_baseline(&nobase);
	fx_huge(&huge, 2000);
	report_init(&empty);
	report_opts_init(&o);
	report_opts_init(&small);
	small.max_bytes = 30000;
	err |= write_one(dir, "full.xml", "junit", &full, &o);
	err |= write_one(dir, "no-baseline.xml", "junit", &nobase, &o);
	err |= write_one(dir, "huge.xml", "junit", &huge, &o);
	err |= write_one(dir, "empty.xml", "junit", &empty, &o);
	err |= write_one(dir, "full.md", "markdown", &full, &o);
	err |= write_one(dir, "no-baseline.md", "markdown", &nobase, &o);
	err |= write_one(dir, "truncated.md", "markdown", &huge, &small);
	err |= write_one(dir, "empty.md", "markdown", &empty, &o);
	err |= write_one(dir, "full.json", "json", &full, &o);
	err |= write_one(dir, "full.txt", "terminal", &full, &o);
	err |= write_one(dir, "full.gh", "github", &full, &o);
	report_release(&full);
	report_release(&nobase);
	report_release(&huge);
	report_release(&empty);
	return err ? 1 : 0;
}
int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_verdict_names),
	        cmocka_unit_test(test_add_row_starts_with_nan),
	        cmocka_unit_test(test_exit_code),
	        cmocka_unit_test(test_sorted_rows_regressions_first),
	        cmocka_unit_test(test_utf8_decoder_is_strict),
	        cmocka_unit_test(test_human_units),
	        cmocka_unit_test(test_change_and_p),
	        cmocka_unit_test(test_registry),
	        cmocka_unit_test(test_junit_full),
	        cmocka_unit_test(test_junit_escapes_and_strips),
	        cmocka_unit_test(test_junit_no_baseline_and_options),
	        cmocka_unit_test(test_json_everything),
	        cmocka_unit_test(test_json_empty_report),
	};

	if (argc == 3 && !strcmp(argv[1], "--write"))
		return write_files(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
