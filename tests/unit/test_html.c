/*
 * Unit tests for the drawing of `perfgate report --html`, `log --plot` and
 * the sparklines: scaling (levels, ticks, display units), downsampling,
 * the SVG writer, forge links, the plot text, and reading the gate's JSON
 * report back.  Expected values are worked out by hand in the comments.
 */
#include "tests/unit/unit.h"
#include "tests/unit/report_fixture.h"

#include <stdio.h>
#include <stdlib.h>

#include "history/log_history.h"
#include "history/summary.h"
#include "reporters/html.h"
#include "reporters/json_read.h"
#include "reporters/plot.h"
#include "reporters/reporter.h"
#include "reporters/spark.h"
#include "reporters/svg.h"
#include "stats/describe.h"
#include "stats/select.h"
#include "util/buf.h"
#include "util/defaults.h"

static void test_level_scaling(void **state)
{
	(void)state;
	/* 8 levels over [0, 7]: level = round(v) */
	assert_int_equal(spark_level(0, 0, 7), 0);
	assert_int_equal(spark_level(7, 0, 7), 7);
	assert_int_equal(spark_level(3.4, 0, 7), 3);
	assert_int_equal(spark_level(3.6, 0, 7), 4);
	/* clamped outside the scale */
	assert_int_equal(spark_level(-5, 0, 7), 0);
	assert_int_equal(spark_level(99, 0, 7), 7);
	/* flat: the middle; not finite: -1 */
	assert_int_equal(spark_level(2, 2, 2), SPARK_LEVELS / 2 - 1);
	assert_int_equal(spark_level(NAN, 0, 7), -1);
	/* scale-free: [10, 80] maps like [1, 8] */
	assert_int_equal(spark_level(45, 10, 80), spark_level(4.5, 1, 8));
}

static void test_unicode_sparkline(void **state)
{
	const double up[] = {1, 2, 3, 4, 5, 6, 7, 8};
	const double gap[] = {0.5, NAN, 0.25};
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	spark_unicode(&b, up, 8);
	assert_string_equal(b.s, "▁▂▃▄▅▆▇█");
	pg_buf_reset(&b);
	/* lowest 0.25, highest 0.5; NAN is a space */
	spark_unicode(&b, gap, 3);
	assert_string_equal(b.s, "█ ▁");
	pg_buf_reset(&b);
	spark_unicode(&b, up, 0);
	assert_int_equal(b.len, 0);
	pg_buf_release(&b);
}

static void test_ticks_by_hand(void **state)
{
	double t[8], step;
	size_t n;

	(void)state;
	/* (12.1 - 0.93) / 5 = 2.23 -> 5; ceil(0.93 / 5) = 1: 5, 10 */
	n = spark_ticks(0.93, 12.1, 6, t, &step);
	assert_int_equal(n, 2);
	assert_close(step, 5, 1e-12);
	assert_close(t[0], 5, 1e-12);
	assert_close(t[1], 10, 1e-12);
	/* (1 - 0) / 5 = 0.2: 0, 0.2, ..., 1 */
	n = spark_ticks(0, 1, 6, t, &step);
	assert_int_equal(n, 6);
	assert_close(step, 0.2, 1e-12);
	assert_close(t[5], 1, 1e-12);
	/* a range that holds no multiple of its step: its two ends */
	n = spark_ticks(10.01, 10.02, 2, t, &step);
	assert_true(n >= 2);
	/* flat */
	assert_int_equal(spark_ticks(3, 3, 6, t, &step), 1);
	assert_close(t[0], 3, 0);
}

/* Every range: 2..max ticks inside it, evenly spaced by 1, 2 or 5 x 10^k. */
static void test_ticks_properties(void **state)
{
	uint64_t x = 88172645463325252ULL;
	double t[8], step;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		double lo, hi, m;
		size_t n, k;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		lo = (double)(x % 100000) / 1000.0 - 50;
		hi = lo + (double)((x >> 20) % 100000 + 1) / 100.0;
		n = spark_ticks(lo, hi, 6, t, &step);
		assert_true(n >= 2 && n <= 6);
		for (k = 0; k < n; k++) {
			assert_true(t[k] >= lo - 1e-9 && t[k] <= hi + 1e-9);
			if (k)
				assert_close(t[k] - t[k - 1], step,
				             step * 1e-9);
		}
		m = step / pow(10, floor(log10(step)));
		if (n > 2 || fabs(t[0] - lo) > 1e-12)
			assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 ||
			            fabs(m - 5) < 1e-9);
	}
}

static void test_display_units(void **state)
{
	double f;

	(void)state;
	assert_string_equal(spark_display_unit("s", 0.0123, &f), "ms");
	assert_close(f, 1e3, 1e-9);
	assert_string_equal(spark_display_unit("s", 2.5, &f), "s");
	assert_close(f, 1, 0);
	assert_string_equal(spark_display_unit("s", 5e-7, &f), "ns");
	assert_string_equal(spark_display_unit("B", 3.0 * (1 << 30), &f),
	                    "GiB");
	assert_close(f, 1.0 / (1 << 30), 1e-20);
	assert_string_equal(spark_display_unit("B", 9568256, &f), "MiB");
	assert_string_equal(spark_display_unit("req/s", 12345, &f), "req/s");
	assert_close(f, 1, 0);
}

static void test_downsample(void **state)
{
	double x[4001];
	struct spark_bucket *b;
	size_t i, n;

	(void)state;
	for (i = 0; i < 4001; i++)
		x[i] = (double)((i * 7919) % 4001);
	/* up to max points: one bucket each */
	b = spark_downsample(x, 10, 20, &n);
	assert_int_equal(n, 10);
	assert_int_equal(b[3].n, 1);
	assert_close(b[3].median, x[3], 0);
	free(b);
	/* 4001 > 2000: ceil(4001 / 2000) = 3 per bucket, 1334 buckets, the
	 * last one holds x[4000] alone */
	b = spark_downsample(x, 4001, 2000, &n);
	assert_int_equal(n, 1334);
	assert_int_equal(b[0].n, 3);
	assert_int_equal(b[1333].first, 3999);
	assert_int_equal(b[1333].n, 2);
	/* bucket 5: x[15], x[16], x[17] */
	assert_close(b[5].min, fmin(x[15], fmin(x[16], x[17])), 0);
	assert_close(b[5].max, fmax(x[15], fmax(x[16], x[17])), 0);
	assert_close(b[5].median, x[15] + x[16] + x[17] - b[5].min - b[5].max,
	             0);
	free(b);
	assert_null(spark_downsample(x, 0, 20, &n));
	assert_int_equal(n, 0);
}

static void test_svg_map(void **state)
{
	(void)state;
	assert_close(svg_map(5, 0, 10, 100, 200), 150, 1e-12);
	/* a y axis: higher values nearer the top */
	assert_close(svg_map(10, 0, 10, 300, 20), 20, 1e-12);
	assert_close(svg_map(0, 0, 10, 300, 20), 300, 1e-12);
	assert_close(svg_map(7, 7, 7, 0, 100), 50, 0);
}

static size_t count(const char *h, const char *n)
{
	size_t c = 0;

	for (h = strstr(h, n); h; h = strstr(h + 1, n))
		c++;
	return c;
}

static void test_svg_chart(void **state)
{
	struct svg_point p[3] = {
	        {0, 10, 9, 11, "a <b> & \"c\"", NULL, "p0"},
	        {1, 12, NAN, NAN, "second", "https://github.com/o/r/commit/x",
	         "p1"},
	        {2, 11, 10.5, 11.5, "third", NULL, NULL},
	};
	struct svg_mark m = {1, SVG_MARK_WORSE, "+20%", "shift <here>", NULL};
	struct svg_chart c;
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.width = 400;
	c.height = 200;
	c.xmin = 0;
	c.xmax = 2;
	c.y_label = "wall_time (ms), lower is better";
	c.x_left = "old";
	c.x_right = "new";
	c.title = "t";
	c.desc = "d";
	c.pts = p;
	c.n = 3;
	c.marks = &m;
	c.nmarks = 1;
	svg_chart_write(&b, &c);
	assert_int_equal(count(b.s, "<circle class=\"pt\""), 3);
	/* whiskers only where both ends are known */
	assert_int_equal(count(b.s, "class=\"wh\""), 2);
	assert_int_equal(count(b.s, "<g class=\"cp-worse\""), 1);
	assert_contains(b.s, "<title>a &lt;b&gt; &amp; \"c\"</title>");
	assert_contains(b.s, "<title>shift &lt;here&gt;</title>");
	assert_contains(b.s, "<a href=\"https://github.com/o/r/commit/x\">");
	assert_null(strstr(b.s, "<b>"));
	/* the highest value (12) is drawn above the lowest (9) */
	assert_contains(b.s, "id=\"p1\" cx=\"");
	{
		double y0, y1;

		assert_int_equal(sscanf(strstr(b.s, "id=\"p0\"") + 7,
		                        " cx=\"%*f\" cy=\"%lf\"", &y0),
		                 1);
		assert_int_equal(sscanf(strstr(b.s, "id=\"p1\"") + 7,
		                        " cx=\"%*f\" cy=\"%lf\"", &y1),
		                 1);
		assert_true(y1 < y0);
	}
	pg_buf_release(&b);
}

static void test_forge_links(void **state)
{
	static const char *const cases[][2] = {
	        {"git@github.com:owner/repo.git",
	         "https://github.com/owner/repo/commit/"},
	        {"https://github.com/owner/repo",
	         "https://github.com/owner/repo/commit/"},
	        {"https://x-access-token:SECRET@github.com/owner/repo.git",
	         "https://github.com/owner/repo/commit/"},
	        {"https://gitlab.com/group/sub/project.git",
	         "https://gitlab.com/group/sub/project/-/commit/"},
	        {"ssh://git@gitlab.example.org:2222/g/p.git",
	         "https://gitlab.example.org/g/p/-/commit/"},
	        {"/srv/git/repo.git", NULL},
	        {"https://bitbucket.org/owner/repo", NULL},
	        {"https://github.com/justowner", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *u = html_forge_commit_url(cases[i][0]);

		if (cases[i][1])
			assert_string_equal(u, cases[i][1]);
		else
			assert_null(u);
		free(u);
	}
	assert_null(html_forge_commit_url(NULL));
}

static void add_commit(struct log_history *h, int i, double v)
{
	struct store_commit c;
	struct log_row r;

	memset(&c, 0, sizeof(c));
	snprintf(c.sha, sizeof(c.sha), "%040d", i);
	snprintf(c.short_sha, sizeof(c.short_sha), "%012d", i);
	c.subject = "s";
	memset(&r, 0, sizeof(r));
	r.name = "parse";
	r.metric = "wall_time";
	r.unit = "s";
	r.median = v;
	r.samples = 5;
	r.runs = 1;
	log_history_add(h, &c, &r, 1);
}

static void test_plot_line(void **state)
{
	struct log_history *h = log_history_new();
	struct pg_buf b = PG_BUF_INIT;
	int i;

	(void)state;
	/* added newest first: 8 ms .. 1 ms, drawn oldest first */
	for (i = 8; i >= 1; i--)
		add_commit(h, i, i * 1e-3);
	report_plot_history(&b, h, 60);
	assert_string_equal(b.s, "parse ▁▂▃▄▅▆▇█  1.000 ms .. 8.000 ms, newest "
	                         "8.000 ms (8 commits)\n");
	pg_buf_reset(&b);
	/* 4 characters wide: buckets of 2, the median of each pair */
	report_plot_history(&b, h, 4);
	assert_contains(b.s, "parse ▁▃▆█  ");
	assert_contains(b.s, "2 per character");
	pg_buf_release(&b);
	log_history_free(h);
}

static void test_json_round_trip(void **state)
{
	struct report r, back;
	struct pg_buf b = PG_BUF_INIT, again = PG_BUF_INIT;

	(void)state;
	report_init(&r);
	report_init(&back);
	fx_full(&r);
	report_reporter_find("json")->write(&r, &b, NULL);
	assert_int_equal(report_json_read(&back, b.s, b.len, "t.json"), 0);
	assert_int_equal(back.nrows, r.nrows);
	/* written again, the same document: every member read back */
	report_reporter_find("json")->write(&back, &again, NULL);
	assert_string_equal(again.s, b.s);
	pg_buf_release(&again);
	report_release(&back);
	report_init(&back);
	assert_int_equal(report_json_read(&back, "{\"schema\":2,\"rows\":[]}",
	                                  22, "t.json"),
	                 PG_EINPUT);
	report_release(&back);
	pg_buf_release(&b);
	report_release(&r);
}

/* A regression row with samples on both sides and a trend. */
static void chart_row(struct report *r, struct result_run *b,
                      struct result_run *c, const char *name, int i)
{
	struct report_row *row = report_add_row(r, "g", name, "wall_time");
	double base[12], cand[12], trend[40];
	struct result_metric *m;
	int k;

	row->unit = strdup("s");
	row->verdict = REPORT_REGRESSION;
	for (k = 0; k < 40; k++)
		trend[k] = 0.010 + 0.0001 * (k % 5) + i * 1e-6;
	report_row_set_trend(row, trend, 40);
	for (k = 0; k < 12; k++) {
		base[k] = 0.010 + 0.0001 * k;
		cand[k] = 0.012 + 0.0001 * k;
	}
	m = result_metric_get(result_bench_add(b, name), "wall_time", "s",
	                      RESULT_LOWER_IS_BETTER);
	for (k = 0; k < 12; k++)
		result_metric_push(m, base[k]);
	m = result_metric_get(result_bench_add(c, name), "wall_time", "s",
	                      RESULT_LOWER_IS_BETTER);
	for (k = 0; k < 12; k++)
		result_metric_push(m, cand[k]);
}

/* The numbers of a Mermaid series line "    bar [a, b, c]". */
static size_t series_len(const char *line)
{
	size_t n = 1;

	for (line = strchr(line, '['); *line != ']'; line++)
		n += *line == ',';
	return n;
}

/*
 * With $PERFGATE_TEST_MARKDOWN_DIR set, keep a rendered report there, so
 * that tests/slow/t5591 can parse its Mermaid blocks with Mermaid itself.
 */
static void keep_markdown(const struct pg_buf *b, const char *name)
{
	const char *dir = getenv("PERFGATE_TEST_MARKDOWN_DIR");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fwrite(b->s, 1, b->len, f);
	fclose(f);
}

static void test_markdown_sparkline_and_charts(void **state)
{
	struct report r;
	struct result_run base, cand;
	struct pg_buf b = PG_BUF_INIT;
	const char *chart, *bar, *line;
	char name[32];
	int i;

	(void)state;
	report_init(&r);
	result_run_init(&base);
	result_run_init(&cand);
	r.mode = strdup("stored baseline");
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof(name), "bench%d", i);
		chart_row(&r, &base, &cand, name, i);
	}
	report_attach_samples(&r, &base, 1, &cand, 1);
	result_run_release(&base);
	result_run_release(&cand);
	report_reporter_find("markdown")->write(&r, &b, NULL);
	keep_markdown(&b, "stored.md");
	/* the table has a Trend column with the newest 30 points */
	assert_contains(b.s, "| Verdict | Trend |");
	assert_contains(b.s, "| ▁▃▅▆█▁▃▅▆█▁▃▅▆█▁▃▅▆█▁▃▅▆█▁▃▅▆█ |");
	/* at most PG_DEFAULT_MARKDOWN_CHARTS charts, the others named */
	assert_int_equal(count(b.s, "```mermaid\nxychart-beta\n"),
	                 PG_DEFAULT_MARKDOWN_CHARTS);
	assert_contains(b.s, "No chart (at most 5 per report) for: bench5, "
	                     "bench6;");
	/* both sides' sorted samples, 12 of them: 12 percentiles */
	chart = strstr(b.s, "```mermaid");
	assert_contains(chart, "x-axis \"percentile\" [0, 9, 18, ");
	assert_contains(chart, "y-axis \"wall_time (ms), lower is better\"");
	bar = strstr(chart, "    bar [");
	line = strstr(chart, "    line [");
	assert_int_equal(series_len(bar), 12);
	assert_int_equal(series_len(line), 12);
	assert_contains(bar, "bar [10, 10.1, 10.2,");
	assert_contains(line, "line [12, 12.1, 12.2,");
	/* paired: the per-pair changes, cand / base - 1 */
	free(r.mode);
	r.mode = strdup("paired");
	pg_buf_reset(&b);
	report_reporter_find("markdown")->write(&r, &b, NULL);
	keep_markdown(&b, "paired.md");
	chart = strstr(b.s, "```mermaid");
	assert_contains(chart, "x-axis \"pair\" 1 --> 12\n");
	/* pair 0: 12 / 10 - 1 = 20%; pair 11: 13.1 / 11.1 - 1 = 18.02% */
	assert_contains(chart, "bar [20, ");
	assert_contains(chart, ", 18.02]");
	assert_contains(chart, "line [0, 0,");
	pg_buf_release(&b);
	report_release(&r);
}

/* Quantiles by selection equal the sorting reference, ties included. */
static void test_quantile_select(void **state)
{
	static const double ps[] = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	double a[64], c[64];
	size_t n, i, j;

	(void)state;
	for (n = 1; n <= 64; n++) {
		for (i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* few distinct values: ties everywhere */
			a[i] = (double)(x % (n / 3 + 2));
		}
		for (j = 0; j < sizeof(ps) / sizeof(ps[0]); j++) {
			memcpy(c, a, n * sizeof(*a));
			assert_close(stats_quantile_select(c, n, ps[j]),
			             stats_quantile(a, n, ps[j]), 1e-12);
		}
	}
}

static void add_run(struct result_run *r, const char *label, const char *mode,
                    const double *x, size_t n)
{
	struct result_metric *m;
	size_t i;

	result_run_init(r);
	r->label = label ? strdup(label) : NULL;
	r->mode = mode ? strdup(mode) : NULL;
	m = result_metric_get(result_bench_add(r, "b"), "wall_time", "s",
	                      RESULT_LOWER_IS_BETTER);
	for (i = 0; i < n; i++)
		result_metric_push(m, x[i]);
}

/* Runner classes apart, paired runs out, the spread as documented. */
static void test_summary_classes_and_spread(void **state)
{
	/* ci: two runs, medians 2 and 6; pooled median of all 8 samples 4.5 */
	static const double a[] = {1, 2, 3}, b[] = {5, 6, 7, 8, 4};
	/* laptop: one run; type-7 quartiles of 10..50 are 20 and 40 */
	static const double c[] = {50, 10, 30, 20, 40};
	static const double p[] = {1000, 1000};
	struct result_run runs[4];
	struct history_summary s;
	size_t i;

	(void)state;
	add_run(&runs[0], "ci", NULL, a, 3);
	add_run(&runs[1], "laptop", NULL, c, 5);
	add_run(&runs[2], "ci", NULL, b, 5);
	add_run(&runs[3], "ci", RESULT_MODE_PAIRED, p, 2);
	history_summary_init(&s);
	history_summarise(&s, runs, 4, NULL, NULL);
	assert_int_equal(s.nrows, 2);
	assert_true(s.paired);
	assert_string_equal(s.rows[0].env, "label:ci");
	assert_int_equal(s.rows[0].runs, 2);
	assert_int_equal(s.rows[0].samples, 8);
	assert_close(s.rows[0].median, 4.5, 0);
	assert_close(s.rows[0].lo, 2, 0);
	assert_close(s.rows[0].hi, 6, 0);
	assert_string_equal(s.rows[1].env, "label:laptop");
	assert_close(s.rows[1].median, 30, 0);
	assert_close(s.rows[1].lo, 20, 0);
	assert_close(s.rows[1].hi, 40, 0);
	history_summary_release(&s);
	for (i = 0; i < 4; i++)
		result_run_release(&runs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_level_scaling),
	        cmocka_unit_test(test_unicode_sparkline),
	        cmocka_unit_test(test_ticks_by_hand),
	        cmocka_unit_test(test_ticks_properties),
	        cmocka_unit_test(test_display_units),
	        cmocka_unit_test(test_downsample),
	        cmocka_unit_test(test_svg_map),
	        cmocka_unit_test(test_svg_chart),
	        cmocka_unit_test(test_forge_links),
	        cmocka_unit_test(test_plot_line),
	        cmocka_unit_test(test_json_round_trip),
	        cmocka_unit_test(test_quantile_select),
	        cmocka_unit_test(test_summary_classes_and_spread),
	        cmocka_unit_test(test_markdown_sparkline_and_charts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
