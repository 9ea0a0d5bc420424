/*
 * report_fixture.h - struct reports built by hand for the reporter tests:
 * one of every verdict, hostile names, no baseline, and huge reports.
 * Static inline so that each test program takes only what it uses.
 * Include it after tests/unit/unit.h (the helpers use cmocka).
 */
#ifndef PG_TESTS_REPORT_FIXTURE_H
#define PG_TESTS_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "model/report.h"
#include "reporters/reporter.h"
#include "reporters/text.h"
#include "util/buf.h"
#include "util/mem.h"

/* Benchmark name with every character that some format treats specially:
 * XML <&"'>, Markdown |*_[]`#, a tab, newline, C0 controls (SOH, ESC),
 * DEL, invalid UTF-8 (0xff, a lone continuation byte, an overlong '/'),
 * a surrogate, U+FFFE and a valid non-ASCII character. */
#define EVIL_NAME                                                              \
	"evil <&\"'|*_[x](y)`#> a\tb\nc\x01\x1b[31m\x7f \xff\x80\xc0\xaf "     \
	"\xed\xa0\x80\xef\xbf\xbe caf\xc3\xa9 % : , @team"

static inline struct report_row *fx_row(struct report *r, const char *group,
                                        const char *bench, const char *metric,
                                        const char *unit, enum report_verdict v)
{
	struct report_row *row = report_add_row(r, group, bench, metric);

	row->unit = pg_strdup(unit);
	row->verdict = v;
	row->n_base = 30;
	row->n_cand = 30;
	row->confidence = 0.99;
	row->threshold = 0.05;
	row->test = pg_strdup("mann-whitney-u");
	row->method = pg_strdup("exact");
	return row;
}

static inline void fx_effect(struct report_row *row, double base, double cand,
                             double est, double lo, double hi, double p,
                             double padj)
{
	row->base_value = base;
	row->cand_value = cand;
	row->estimate = est;
	row->ci_low = lo;
	row->ci_high = hi;
	row->p_value = p;
	row->p_adjusted = padj;
}

static inline void fx_header(struct report *r)
{
	report_init(r);
	r->title = pg_strdup("example-suite");
	r->mode = pg_strdup("stored baseline");
	r->method = pg_strdup("between-run pooled medians, mann-whitney-u, "
	                      "99% CI, theta 5%");
	r->base_commit = pg_strdup("0123456789abcdef0123456789abcdef01234567");
	r->cand_commit = pg_strdup("fedcba9876543210fedcba9876543210fedcba98");
	report_add_baseline_commit(r,
	                           "0123456789abcdef0123456789abcdef01234567");
	report_add_baseline_commit(r,
	                           "1111111111111111111111111111111111111111");
	report_add_baseline_commit(r,
	                           "2222222222222222222222222222222222222222");
	r->base_env = pg_strdup("ci-linux: Intel Xeon, 2 cores");
	r->cand_env = pg_strdup("ci-linux: Intel Xeon, 2 cores");
	r->alpha = 0.05;
	r->correction = pg_strdup("benjamini-hochberg");
	r->duration = 1.25;
}

/* One row of every verdict except no-baseline, in a shuffled order. */
static inline void fx_full(struct report *r)
{
	struct report_row *row;

	fx_header(r);
	row = fx_row(r, "core", "unchanged-bench", "wall_time", "s",
	             REPORT_UNCHANGED);
	fx_effect(row, 0.5, 0.501, 0.002, -0.01, 0.012, 0.4, 0.6);
	row = fx_row(r, "core", "fast", "wall_time", "s", REPORT_IMPROVEMENT);
	fx_effect(row, 2.5e-6, 2.0e-6, -0.2, -0.25, -0.15, 0.9999, 1.0);
	row = fx_row(r, "core", "sort-1m", "wall_time", "s", REPORT_REGRESSION);
	fx_effect(row, 0.0123, 0.0138, 0.123, 0.098, 0.149, 0.0001, 0.0004);
	row = fx_row(r, "core", "small-regression", "cpu_user", "s",
	             REPORT_REGRESSION);
	fx_effect(row, 1.0, 1.06, 0.06, 0.052, 0.07, 0.001, 0.003);
	row = fx_row(r, "core", "parse", "max_rss", "B", REPORT_UNCHANGED);
	fx_effect(row, 600.0 * 1048576, 601.0 * 1048576, 0.0017, -0.01, 0.01,
	          0.3, 0.5);
	row->over_budget = 1;
	row->budget = pg_strdup("max_rss <= 512MiB");
	row = fx_row(r, "core", "crash", "wall_time", "s", REPORT_ERROR);
	row->error = pg_strdup("exited with signal 11\nstderr: segfault at 0");
	row->base_value = 0.01;
	row->n_cand = 0;
	row = fx_row(r, "core", "noisy", "wall_time", "s", REPORT_INCONCLUSIVE);
	fx_effect(row, 0.1, 0.104, 0.04, -0.01, 0.09, 0.08, 0.12);
	row->note = pg_strdup("the CI straddles the threshold");
	row = fx_row(r, "io", "throughput", "items_per_second", "items/s",
	             REPORT_REGRESSION);
	row->direction = RESULT_HIGHER_IS_BETTER;
	/* the estimate is worse-oriented, base / cand - 1: 2.0e6 / 1.6e6 - 1;
	 * the CI of a 15% to 25% loss, 1 / 0.85 - 1 to 1 / 0.75 - 1 */
	fx_effect(row, 2.0e6, 1.6e6, 0.25, 1 / 0.85 - 1, 1 / 0.75 - 1, 0.00001,
	          0.00005);
	row = fx_row(r, "core", "new-bench", "wall_time", "s", REPORT_ADDED);
	row->cand_value = 0.003;
	row->n_base = 0;
	row = fx_row(r, "core", "old-bench", "wall_time", "s", REPORT_REMOVED);
	row->base_value = 0.003;
	row->n_cand = 0;
	row = fx_row(r, "core", EVIL_NAME, "wall_time", "s", REPORT_ACCEPTED);
	fx_effect(row, 1e-9, 9e7, 0.15, 0.1, 0.2, 0.001, 0.002);
	row->note = pg_strdup("Perfgate-Accept: " EVIL_NAME " wall_time +15%");
}

/* A first run: nothing to compare against, one budget exceeded anyway. */
static inline void fx_no_baseline(struct report *r)
{
	struct report_row *row;

	report_init(r);
	r->title = pg_strdup("example-suite");
	r->mode = pg_strdup("stored baseline");
	r->cand_commit = pg_strdup("fedcba9876543210fedcba9876543210fedcba98");
	r->notice = pg_strdup("no baseline found: no ancestor of HEAD has "
	                      "results from runner 'ci-linux'");
	row = fx_row(r, "example-suite", "sort-1m", "wall_time", "s",
	             REPORT_NO_BASELINE);
	row->cand_value = 0.0138;
	row->n_base = 0;
	row = fx_row(r, "example-suite", "parse", "wall_time", "s",
	             REPORT_OVER_BUDGET);
	row->cand_value = 0.3;
	row->n_base = 0;
	row->budget = pg_strdup("p95 <= 250ms");
}

/* n rows, every fifth a regression, with long names. */
static inline void fx_huge(struct report *r, size_t n)
{
	char name[160];
	struct report_row *row;
	size_t i;

	fx_header(r);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name),
		         "benchmark-with-a-rather-long-name-%06zu|pipe", i);
		row = fx_row(r, "group", name, "wall_time", "s",
		             i % 5 ? REPORT_UNCHANGED : REPORT_REGRESSION);
		fx_effect(row, 0.01, 0.0101, i % 5 ? 0.01 : 0.2, -0.01, 0.03,
		          0.3, 0.5);
	}
}

/* ---- helpers for asserting on rendered reports ---- */

/* Render r with the reporter called name into a fresh string. */
static inline char *render(const char *name, const struct report *r,
                           const struct report_opts *opts)
{
	const struct reporter *rep = report_reporter_find(name);
	struct pg_buf b = PG_BUF_INIT;

	assert_non_null(rep);
	assert_int_equal(rep->write(r, &b, opts), 0);
	assert_int_equal(b.len, strlen(b.s));
	return pg_buf_detach(&b, NULL);
}

/* Assert that s starts with prefix. */
#define assert_prefix(s, prefix)                                               \
	do {                                                                   \
		const char *s_ = (s), *p_ = (prefix);                          \
		if (strncmp(s_, p_, strlen(p_)))                               \
			fail_msg("'%.80s' does not start with '%s'", s_, p_);  \
	} while (0)

static inline size_t count_str(const char *h, const char *n)
{
	size_t k = 0;

	while ((h = strstr(h, n))) {
		k++;
		h += strlen(n);
	}
	return k;
}

/* Every byte sequence in s decodes as valid UTF-8. */
static inline void assert_valid_utf8(const char *s)
{
	uint32_t cp;

	while (*s) {
		s += report_utf8_next(s, &cp);
		if (cp == REPORT_UTF8_INVALID)
			fail_msg("invalid UTF-8 at '%.20s'", s - 1);
	}
}

static inline void assert_no_byte(const char *s, int c)
{
	if (strchr(s, c))
		fail_msg("output contains byte 0x%02x", c);
}

#endif
