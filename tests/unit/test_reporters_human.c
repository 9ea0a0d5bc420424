/*
 * Unit tests for the human-facing reporters: Markdown (escaping, order,
 * truncation under a byte limit), terminal (colour, control characters)
 * and GitHub workflow commands (escaping, the limit of 10).  The fixtures
 * are in report_fixture.h; test_reporters.c covers the rest.
 */
#include "tests/unit/unit.h"
#include "tests/unit/report_fixture.h"

#include <stdlib.h>

#include "reporters/github.h"
#include "reporters/markdown.h"
#include "reporters/reporter.h"
#include "util/defaults.h"

/* ---- Markdown ---- */

static void test_markdown_full(void **state)
{
	struct report r;
	char *m;
	const char *reg, *unch;

	fx_full(&r);
	m = render("markdown", &r, NULL);
	assert_valid_utf8(m);
	assert_prefix(m, "### \xe2\x9a\xa0\xef\xb8\x8f example\\-suite: "
	                 "error \xe2\x80\x94 3 regressions, 1 over "
	                 "budget, 1 failed to run");
	assert_contains(m, "| Group | Benchmark | Metric | Baseline | "
	                   "Candidate | Change [CI] | p (adjusted) | Verdict "
	                   "|\n|---|---|---|--:|--:|--:|--:|---|\n| io | "
	                   "throughput | items\\_per\\_second | 2.000 "
	                   "Mitems/s | 1.600 Mitems/s | -20.0% [-25.0%, "
	                   "-15.0%] | <0.0001 | **regression** |\n| core | "
	                   "sort\\-1m | wall\\_time | 12.30 ms | 13.80 ms | "
	                   "+12.3% [+9.8%, +14.9%] | 0.0004 | **regression** "
	                   "|\n");
	assert_contains(m, "| parse | max\\_rss | 600.0 MiB | 601.0 MiB | "
	                   "+0.2% [-1.0%, +1.0%] | 0.5000 | unchanged, **over "
	                   "budget** |");
	/* Regressions before everything else. */
	reg = strstr(m, "small\\-regression");
	unch = strstr(m, "unchanged\\-bench");
	assert_true(reg && unch && reg < unch);
	/* Hostile name: every active character escaped, no raw HTML. */
	assert_contains(m,
	                "| evil \\<\\&\\\"\\'\\|\\*\\_\\[x\\]\\(y\\)\\`\\#\\> "
	                "a b c  \\[31m  \xef\xbf\xbd");
	assert_null(strstr(m, "<&"));
	assert_contains(m, "<details>\n<summary>");
	assert_contains(m, "- **Baseline runs pooled (3):** "
	                   "0123456789abcdef0123456789abcdef01234567, ");
	assert_contains(m, "| core | sort\\-1m | wall\\_time | 30 | 30 | "
	                   "mann\\-whitney\\-u \\(exact\\) | 5.0% |  |  |\n");
	assert_contains(m, "exited with signal 11 stderr\\: segfault at 0 |");
	assert_true(strlen(m) > 2 &&
	            !strcmp(m + strlen(m) - 11, "</details>\n"));
	free(m);
	report_release(&r);
}

static void test_markdown_pass_and_notice(void **state)
{
	struct report r;
	struct report_row *row;
	char *m;

	fx_header(&r);
	row = fx_row(&r, "g", "a", "wall_time", "s", REPORT_UNCHANGED);
	fx_effect(row, 1, 1, 0, -0.01, 0.01, 0.5, 0.5);
	m = render("markdown", &r, NULL);
	assert_prefix(m, "### \xe2\x9c\x85 example\\-suite: pass");
	assert_null(strstr(m, "Group |"));
	free(m);
	report_release(&r);

	fx_no_baseline(&r);
	m = render("markdown", &r, NULL);
	assert_contains(m, "\n> **Notice:** no baseline found\\: no ancestor "
	                   "of HEAD has results from runner \\'ci\\-linux\\'"
	                   "\n");
	assert_contains(m, "| no-baseline |");
	free(m);
	report_release(&r);

	report_init(&r);
	m = render("markdown", &r, NULL);
	assert_contains(m, "No benchmarks were compared.");
	assert_null(strstr(m, "| Benchmark"));
	free(m);
	report_release(&r);
}

static void test_markdown_truncates(void **state)
{
	static const size_t limits[] = {30000, 5000, 1500, 100, 7};
	struct report r;
	struct report_opts o;
	size_t i;
	char *m, *first;

	fx_huge(&r, 2000);
	report_opts_init(&o);
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		o.max_bytes = limits[i];
		m = render("markdown", &r, &o);
		if (strlen(m) > limits[i])
			fail_msg("%zu bytes over a limit of %zu", strlen(m),
			         limits[i]);
		assert_valid_utf8(m);
		if (limits[i] >= 1500) {
			assert_contains(m, "**Truncated:** ");
			assert_contains(m, "</details>\n");
			/* The rows kept are the regressions. */
			first = strstr(m, "| benchmark");
			assert_non_null(first);
			assert_true(!strncmp(strchr(first, '\n') - 16,
			                     "**regression** |", 16));
		}
		free(m);
	}
	o.max_bytes = 30000;
	m = render("markdown", &r, &o);
	/* 400 regressions of ~130 bytes cannot all fit in 30000 bytes. */
	assert_true(count_str(m, "**regression**") < 400);
	assert_true(count_str(m, "**regression**") > 100);
	assert_int_equal(count_str(m, "| unchanged |"), 0);
	free(m);
	report_release(&r);
}

static void test_markdown_default_limit(void **state)
{
	struct report r;
	char *m;

	fx_huge(&r, 20000);
	m = render("markdown", &r, NULL);
	assert_true(strlen(m) <= PG_DEFAULT_MARKDOWN_MAX_BYTES);
	assert_true(strlen(m) > PG_DEFAULT_MARKDOWN_MAX_BYTES - 2000);
	assert_contains(m, "rows shown");
	free(m);
	report_release(&r);
}

/* ---- terminal ---- */

static void test_terminal(void **state)
{
	struct report r;
	struct report_opts o;
	char *t, *line, *save = NULL;

	fx_full(&r);
	t = render("terminal", &r, NULL);
	assert_valid_utf8(t);
	/* No colour unless asked, and names cannot inject escapes. */
	assert_no_byte(t, '\033');
	assert_prefix(t, "example-suite: ERROR (3 regressions, ");
	assert_contains(t, "  regression   sort-1m");
	assert_contains(t, "12.30 ms -> 13.80 ms  +12.3% [+9.8%, +14.9%]  "
	                   "p=0.0004\n");
	assert_contains(t, "  over-budget  parse");
	assert_contains(t, "      budget: max_rss <= 512MiB (exceeded)\n");
	assert_contains(t, "      error: exited with signal 11\n        "
	                   "stderr: segfault at 0\n");
	assert_contains(t, "evil <&\"'|*_[x](y)`#> a?b?c??[31m? ");
	assert_contains(t,
	                "baseline 0123456789ab (3 commits pooled), candidate "
	                "fedcba987654; stored baseline\n");
	free(t);

	report_opts_init(&o);
	o.color = 1;
	t = render("terminal", &r, &o);
	/* Red on the three regressions and the budget, nowhere else. */
	assert_int_equal(count_str(t, "\033[1;31m"), 4);
	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "\033[1;31m"))
			assert_true(strstr(line, "regression") ||
			            strstr(line, "over-budget"));
	free(t);
	report_release(&r);

	/* The notice is shown in every report, the terminal included. */
	fx_no_baseline(&r);
	t = render("terminal", &r, NULL);
	assert_contains(t, "example-suite: FAIL (1 over budget, 1 without "
	                   "baseline)\nnotice: no baseline found: no ancestor "
	                   "of HEAD has results from runner 'ci-linux'\n");
	assert_contains(t, "baseline none, candidate fedcba987654");
	free(t);
	report_release(&r);
}

/* ---- GitHub workflow commands ---- */

static void assert_commands_only(const char *s)
{
	const char *p = s;

	while (*p) {
		if (strncmp(p, "::", 2))
			fail_msg("not a workflow command: '%.40s'", p);
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
}

static void test_github_annotations(void **state)
{
	struct report r;
	char *g;

	fx_full(&r);
	g = render("github", &r, NULL);
	assert_commands_only(g);
	assert_int_equal(count_str(g, "::error "), 5);
	assert_int_equal(count_str(g, "::warning "), 1);
	assert_prefix(g, "::error title=perfgate%3A regression in "
	                 "throughput [items_per_second]::throughput "
	                 "items_per_second: regression%0Abaseline:  2.000 "
	                 "Mitems/s (n=30)%0A");
	assert_contains(g, "::error title=perfgate%3A crash failed to "
	                   "run::crash wall_time: error%0A");
	assert_contains(g, "%0Aerror:     exited with signal 11%0Astderr: "
	                   "segfault at 0\n");
	assert_contains(g, "::warning title=perfgate%3A inconclusive in noisy "
	                   "[wall_time]::");
	/* Hostile text in data: % escaped, controls gone, no raw newline. */
	assert_no_byte(g, '\x1b');
	assert_no_byte(g, '\r');
	free(g);
	report_release(&r);

	fx_no_baseline(&r);
	g = render("github", &r, NULL);
	assert_contains(g, "::warning title=perfgate::no baseline found: no "
	                   "ancestor of HEAD");
	assert_contains(g, "::error title=perfgate%3A over-budget in parse "
	                   "[wall_time]::");
	free(g);
	report_release(&r);
}

static void test_github_escaping(void **state)
{
	struct pg_buf b = PG_BUF_INIT;

	report_gh_escape(&b, "50% a:b,c\r\nd\x01\xff", 0);
	assert_string_equal(b.s, "50%25 a:b,c%0D%0Ad?\xef\xbf\xbd");
	pg_buf_reset(&b);
	report_gh_escape(&b, "50% a:b,c\r\nd", 1);
	assert_string_equal(b.s, "50%25 a%3Ab%2Cc%0D%0Ad");
	pg_buf_release(&b);
}

static void test_github_limits(void **state)
{
	struct report r;
	struct report_opts o;
	char *g;
	size_t i;

	fx_huge(&r, 100); /* 20 regressions */
	for (i = 0; i < 12; i++)
		r.rows[i * 5 + 1].verdict = REPORT_INCONCLUSIVE;
	g = render("github", &r, NULL);
	assert_commands_only(g);
	assert_int_equal(count_str(g, "::error "), 10);
	assert_int_equal(count_str(g, "::warning "), 10);
	assert_contains(g, "::error title=perfgate::11 more failures not "
	                   "annotated");
	assert_contains(g, "::warning title=perfgate::3 more inconclusive "
	                   "results not annotated");
	free(g);
	report_opts_init(&o);
	o.max_annotations = 3;
	g = render("github", &r, &o);
	assert_int_equal(count_str(g, "::error "), 3);
	assert_contains(g, "18 more failures");
	free(g);
	report_release(&r);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_markdown_full),
	        cmocka_unit_test(test_markdown_pass_and_notice),
	        cmocka_unit_test(test_markdown_truncates),
	        cmocka_unit_test(test_markdown_default_limit),
	        cmocka_unit_test(test_terminal),
	        cmocka_unit_test(test_github_escaping),
	        cmocka_unit_test(test_github_annotations),
	        cmocka_unit_test(test_github_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
