/*
 * Unit tests for what makes `perfgate log` fast: the exact number reader
 * (util/jsonnum.h), the fast results reader (model/result_fast.h) checked
 * against the cJSON tree reader on valid, truncated and corrupted
 * documents, and the median by selection (stats/select.h).
 */
#include "tests/unit/unit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats/select.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/jsonnum.h"
#include "model/result.h"
#include "model/result_fast.h"

/* xorshift64: seeded, so every failure reproduces */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void check_number(const char *text)
{
	size_t len = strlen(text);
	const char *end;
	double want, got = 0;

	want = strtod(text, NULL);
	end = pg_json_scan_number(text, text + len, &got);
	if (!end || end != text + len)
		fail_msg("'%s' not read as a whole number", text);
	if (memcmp(&got, &want, sizeof(got)))
		fail_msg("'%s': read %.17g (%a), strtod says %.17g (%a)", text,
		         got, got, want, want);
}

/* Every finite double printed with 15, 16 and 17 digits reads back as
 * strtod reads it: 3 x 400,000 random bit patterns. */
static void test_number_exact_on_random_doubles(void **state)
{
	char buf[64];
	int i, prec;

	rng_state = 0x9E3779B97F4A7C15ull;
	for (i = 0; i < 400000; i++) {
		uint64_t bits = rnd();
		double d;

		memcpy(&d, &bits, sizeof(d));
		if (!isfinite(d))
			continue;
		for (prec = 15; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, d);
			check_number(buf);
		}
	}
}

/* Benchmark-like values (seconds, bytes) in every notation, and random
 * decimal strings of 1-22 digits with exponents in [-40, 40]. */
static void test_number_exact_on_random_decimals(void **state)
{
	char buf[96], *p;
	int i, j;

	rng_state = 42;
	for (i = 0; i < 400000; i++) {
		double d = (double)(rnd() % 100000000) / 1e11 *
		           (double)(1 + rnd() % 1000);

		snprintf(buf, sizeof(buf), "%.17g", d);
		check_number(buf);
		snprintf(buf, sizeof(buf), "%.*e", (int)(rnd() % 18), d);
		check_number(buf);
	}
	for (i = 0; i < 400000; i++) {
		int digits = 1 + (int)(rnd() % 22), point = (int)(rnd() % 23);

		p = buf;
		if (rnd() & 1)
			*p++ = '-';
		if (point == 0 || point >= digits) {
			*p++ = '0';
			*p++ = '.';
			point = -1;
		}
		for (j = 0; j < digits; j++) {
			if (j == point)
				*p++ = '.';
			/* no leading zero in a multi-digit integer part */
			if (j == 0 && point > 1)
				*p++ = (char)('1' + rnd() % 9);
			else
				*p++ = (char)('0' + rnd() % 10);
		}
		if (rnd() & 1)
			p += sprintf(p, "%c%+d", rnd() & 1 ? 'e' : 'E',
			             (int)(rnd() % 81) - 40);
		*p = '\0';
		check_number(buf);
	}
}

static void test_number_edges_and_grammar(void **state)
{
	static const char *const good[] = {
	        "0",
	        "-0",
	        "0.0",
	        "-0.0e5",
	        "1",
	        "9007199254740993", /* 2^53 + 1: a tie */
	        "9007199254740992.5",
	        "18446744073709551615",
	        "18446744073709551616",
	        "123456789012345678901234567890",
	        "1e22",
	        "1e23",
	        "1e-21",
	        "1e-22",
	        "4.9406564584124654e-324",
	        "2.2250738585072011e-308",
	        "1.7976931348623157e308",
	        "1e309",
	        "-1e400",
	        "1e-400",
	        "0.30000000000000004",
	        "0.1000000000000000055511151231257827",
	        "2.5E+3",
	        "0.000000000000000000000000000001",
	};
	static const char *const bad[] = {
	        "",    "-",   "+1",  ".5",  "01",   "1.",  "1.e5", "1e",
	        "1e+", "--1", "inf", "nan", "0x10", "-.5", "e5",
	};
	static const char digits[] = "125";
	size_t i;
	double v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check_number(good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *s = bad[i], *end = s + strlen(s);
		const char *r = pg_json_scan_number(s, end, &v);

		/* either refused, or a proper prefix was read ("01" is 0) */
		if (r == end)
			fail_msg("'%s' read as a JSON number", s);
	}
	/* never reads at or past end */
	assert_null(pg_json_scan_number(digits, digits, &v));
	assert_ptr_equal(pg_json_scan_number(digits, digits + 2, &v),
	                 digits + 2);
	assert_true(v == 12.0);
}

/* What pg_json_add_number() printed before: printf and strtod only. */
static void reference_format(char *out, size_t cap, double v)
{
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(out, cap, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
}

static void check_format(double v)
{
	char want[64], got[PG_JSON_NUMBER_BUF];
	int len;

	reference_format(want, sizeof(want), v);
	len = pg_json_format_number(got, v);
	if (strcmp(got, want) || len != (int)strlen(want))
		fail_msg("%a printed '%s' (%d), printf gives '%s'", v, got, len,
		         want);
}

/* The same text as before for random doubles, benchmark-like values,
 * and values next to powers of ten, where rounding carries into a new
 * digit and %g switches between fixed and exponent notation. */
static void test_number_format_unchanged(void **state)
{
	int i, e;

	rng_state = 31337;
	for (i = 0; i < 400000; i++) {
		uint64_t bits = rnd();
		double d;

		memcpy(&d, &bits, sizeof(d));
		if (isfinite(d))
			check_format(d);
		check_format((double)(rnd() % 1000000000) / 1e12 *
		             (double)(1 + rnd() % 100));
		check_format((double)(rnd() % 100000)); /* byte counts */
	}
	for (e = -30; e <= 30; e++) {
		double p = pow(10, e), x;
		int k;

		for (x = p, k = 0; k < 40; k++)
			x = nextafter(x, 0);
		for (k = 0; k < 80; k++) {
			check_format(x);
			check_format(-x);
			x = nextafter(x, INFINITY);
		}
		check_format(p * 0.5);
		check_format(p * 1.5);
	}
	check_format(0.0);
	check_format(-0.0);
	check_format(5e-324);
	check_format(1.7976931348623157e308);
	check_format(0.1);
	check_format(1.0 / 3.0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void test_median_select_matches_sorting(void **state)
{
	double v[64], s[64], want, got;
	size_t n, i, trial;

	rng_state = 7;
	for (trial = 0; trial < 20000; trial++) {
		n = 1 + rnd() % 64;
		for (i = 0; i < n; i++) /* few distinct values: many ties */
			v[i] = trial % 2 ? (double)(rnd() % 5)
			                 : (double)(rnd() % 100000) / 7.0;
		memcpy(s, v, n * sizeof(*s));
		qsort(s, n, sizeof(*s), cmp_double);
		want = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
		got = stats_median_select(v, n);
		if (got != want)
			fail_msg("n=%zu trial %zu: %.17g, sorting gives %.17g",
			         n, trial, got, want);
	}
}

/* Many equal values (byte counts): still the median, in linear time
 * (a quadratic select would take minutes here). */
static void test_median_select_equal_values(void **state)
{
	size_t n = 1000000, i;
	double *v = malloc(n * sizeof(*v));

	for (i = 0; i < n; i++)
		v[i] = 4096;
	assert_true(stats_median_select(v, n) == 4096);
	for (i = 0; i < n; i++) /* two values, the larger in the middle */
		v[i] = i % 3 ? 8192 : 4096;
	assert_true(stats_median_select(v, n) == 8192);
	free(v);
}

/* ---- the fast reader against the tree reader ---- */

static void to_json(const struct result_run *runs, size_t n, struct pg_buf *out)
{
	pg_buf_reset(out);
	result_doc_to_json(runs, n, out);
}

/*
 * result_doc_parse() (fast, falling back) must give exactly what the
 * tree reader gives: the same status, the same message, the same runs.
 * And when the fast reader alone accepts, so must the tree reader.
 * Returns the fast reader's verdict (0 accepted, 1 declined).
 */
static int same_as_tree(const char *text, size_t len)
{
	struct result_run *a = NULL, *b = NULL, *f = NULL;
	size_t na = 0, nb = 0, nf = 0;
	struct pg_buf ja = PG_BUF_INIT, jb = PG_BUF_INIT;
	char msg[1024];
	int ea, eb, fast;

	eb = result_doc_parse_tree(&b, &nb, text, len, "doc");
	snprintf(msg, sizeof(msg), "%s", pg_error_last());
	pg_error_clear();
	ea = result_doc_parse(&a, &na, text, len, "doc");
	fast = result_doc_parse_fast(&f, &nf, text, len);
	if (ea != eb)
		fail_msg("status %d, tree reader %d: '%.*s'", ea, eb, (int)len,
		         text);
	if (eb < 0 && strcmp(msg, pg_error_last()))
		fail_msg("message '%s', tree reader '%s'", pg_error_last(),
		         msg);
	if (fast == 0 && eb < 0)
		fail_msg("fast reader accepted what the tree reader refuses "
		         "(%s): '%.*s'",
		         msg, (int)len, text);
	if (fast != 0 && (f || nf))
		fail_msg("a declined read left runs behind");
	if (eb == 0) {
		to_json(b, nb, &jb);
		to_json(a, na, &ja);
		if (strcmp(ja.s, jb.s))
			fail_msg("runs differ:\n%s\ntree reader:\n%s", ja.s,
			         jb.s);
		if (fast == 0) {
			to_json(f, nf, &ja);
			if (strcmp(ja.s, jb.s))
				fail_msg("fast runs differ:\n%s\ntree:\n%s",
				         ja.s, jb.s);
		}
	}
	result_runs_free(a, na);
	result_runs_free(b, nb);
	result_runs_free(f, nf);
	pg_buf_release(&ja);
	pg_buf_release(&jb);
	return fast;
}

static void random_run(struct result_run *run, int i)
{
	char name[32];
	int b, k, s;

	result_run_init(run);
	assert_int_equal(result_run_stamp(run, i % 2 ? "ci \"x\"" : NULL), 0);
	run->dirty = i % 3 == 0;
	run->source = i % 2 ? strdup("import:hyperfine") : NULL;
	for (b = 0; b < 3; b++) {
		struct result_bench *bn;

		snprintf(name, sizeof(name), "bench/%d\t\xc3\xa9%d", b, i);
		bn = result_bench_add(run, name);
		if (b == 1)
			result_bench_set_param(bn, "n", "1000");
		if (b == 2 && i % 2)
			result_bench_set_error(bn, "killed\nby signal 9");
		for (k = 0; k < 2; k++) {
			struct result_metric *m = result_metric_get(
			        bn, k ? "max_rss" : "wall_time", k ? "B" : "s",
			        k ? RESULT_HIGHER_IS_BETTER
			          : RESULT_LOWER_IS_BETTER);

			m->aggregate = k;
			for (s = 0; s < 5; s++) {
				uint64_t bits = rnd();
				double d;

				memcpy(&d, &bits, sizeof(d));
				if (!isfinite(d))
					d = (double)(bits % 1000) / 7;
				result_metric_push(m, s % 2 ? d
				                            : (double)s * 1e-3);
			}
		}
	}
}

static void test_fast_reader_round_trips(void **state)
{
	struct result_run runs[3];
	struct pg_buf doc = PG_BUF_INIT;
	int i;

	rng_state = 99;
	for (i = 0; i < 3; i++)
		random_run(&runs[i], i);
	for (i = 0; i <= 3; i++) {
		to_json(runs, (size_t)i, &doc);
		assert_int_equal(same_as_tree(doc.s, doc.len), 0);
	}
	for (i = 0; i < 3; i++)
		result_run_release(&runs[i]);
	pg_buf_release(&doc);
}

/* Valid documents the fast reader handles: it must accept them. */
static void test_fast_reader_accepts_valid_variants(void **state)
{
	static const char *const docs[] = {
	        "{\"schema\":1,\"runs\":[]}",
	        " \n{ \"runs\" : [ ] , \"schema\" : 1.0 }\r\n\t",
	        "{\"schema\":1e0,\"x\":{\"a\":[1,{\"b\":null}],\"c\":true},"
	        "\"runs\":[{\"benchmarks\":[]}]}",
	        "{\"schema\":1,\"runs\":[{\"id\":null,\"label\":\"a\\\"b\\\\c"
	        "\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\u0041\",\"dirty\":\"yes\","
	        "\"environment\":{\"cores\":\"two\",\"loadavg\":[1,\"x\",3,"
	        "4]},\"benchmarks\":[{\"name\":\"a\",\"params\":{\"k\":\"1\","
	        "\"k\":\"2\"},\"metrics\":{\"m\":{\"unit\":\"s\","
	        "\"samples\":[-0,1E2,2.5e-3],\"aggregate\":1,\"z\":[]}}}]}]}",
	        "{\"schema\":1,\"runs\":[{\"environment\":{\"loadavg\":{}},"
	        "\"benchmarks\":[{\"metrics\":{},\"name\":\"late name\","
	        "\"error\":null}]}]}",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		if (same_as_tree(docs[i], strlen(docs[i])))
			fail_msg("declined a valid document: %s", docs[i]);
}

/* Valid for cJSON but left to it: the result must still be the same. */
static void test_fast_reader_declines_what_cjson_tolerates(void **state)
{
	static const char *const docs[] = {
	        "{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	        "\"metrics\":{\"m\":{\"unit\":\"s\",\"samples\":[01,1.]}}}]}]}",
	        "{\"schema\":1,\"schema\":2,\"runs\":[]}",
	        "{\"schema\":1,\"runs\":[{\"id\":\"a\",\"id\":\"b\","
	        "\"benchmarks\":[]}]}",
	        "{\"schema\":1,\"runs\":[{\"label\":\"\\ud83d\\ude00\","
	        "\"benchmarks\":[]}]}",
	        "{\"schema\":1,\"runs\":[{\"label\":\"a\\u0000b\","
	        "\"benchmarks\":[]}]}",
	        "{\"schema\":1,\"runs\":[{\"label\":\"tab\there\","
	        "\"benchmarks\":[]}]}",
	        "\x01{\"schema\":1,\"runs\":[]}",
	        "\xef\xbb\xbf{\"schema\":1,\"runs\":[]}",
	        "{\"schema\":1,\"runs\":[{\"benchmarks\":[],\"environment\":"
	        "{\"cores\":1e300}}]}",
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		same_as_tree(docs[i], strlen(docs[i]));
}

/* Wrong types and values: same message and JSON path as before. */
static void test_fast_reader_errors_unchanged(void **state)
{
	static const struct {
		const char *doc, *msg;
	} cases[] = {
	        {"[]", "$: expected an object"},
	        {"{\"schema\":\"1\",\"runs\":[]}", "missing \"schema\""},
	        {"{\"schema\":2,\"runs\":[]}", "unknown schema 2"},
	        {"{\"schema\":1,\"runs\":{}}", "\"runs\" must be an array"},
	        {"{\"schema\":1,\"runs\":[1]}",
	         "$.runs[0]: expected an object"},
	        {"{\"schema\":1,\"runs\":[{\"id\":5,\"benchmarks\":[]}]}",
	         "$.runs[0].id: expected a string"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":{}}]}",
	         "'benchmarks' must be an array"},
	        {"{\"schema\":1,\"runs\":[{\"environment\":null,"
	         "\"benchmarks\":[]}]}",
	         "'environment' must be an object"},
	        {"{\"schema\":1,\"runs\":[{\"environment\":{\"kernel\":[]},"
	         "\"benchmarks\":[]}]}",
	         ".kernel: expected a string"},
	        {"{\"schema\":1,\"runs\":[{},{\"benchmarks\":[{\"name\":\"\","
	         "\"metrics\":{}}]}]}",
	         "$.runs[0]: 'benchmarks' must be an array"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"\","
	         "\"metrics\":{}}]}]}",
	         "$.runs[0].benchmarks[0]: 'name' must be a non-empty"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	         "\"params\":{\"k\":1},\"metrics\":{}}]}]}",
	         "'params' values must be strings"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	         "\"metrics\":{\"m\":{\"unit\":\"s\",\"direction\":\"up\","
	         "\"samples\":[]}}}]}]}",
	         "benchmarks[0].metrics.m: 'direction' must be"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	         "\"metrics\":{\"m\":{\"unit\":\"s\",\"samples\":[1e999]}}}]}"
	         "]}",
	         "samples must be finite numbers"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	         "\"metrics\":{\"m\":{\"samples\":[1]}}}]}]}",
	         "'unit' must be a string"},
	        {"{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"a\","
	         "\"metrics\":{\"m\":{\"unit\":\"s\",\"samples\":[1]},"
	         "\"m\":{\"unit\":\"s\",\"samples\":[]}}}]}]}",
	         "duplicate metric"},
	        {"{\"schema\":1,\"runs\":[]", "unexpected end of input"},
	        {"{\"schema\":1,\"runs\":[]} x", "unexpected data after"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result_run *runs = NULL;
		size_t n = 0;

		assert_int_equal(
		        same_as_tree(cases[i].doc, strlen(cases[i].doc)), 1);
		assert_int_equal(result_doc_parse(&runs, &n, cases[i].doc,
		                                  strlen(cases[i].doc), "doc"),
		                 PG_EINPUT);
		assert_null(runs);
		assert_contains(pg_error_last(), cases[i].msg);
	}
}

static void sample_doc(struct pg_buf *doc)
{
	struct result_run runs[2];

	rng_state = 5;
	random_run(&runs[0], 0);
	random_run(&runs[1], 1);
	to_json(runs, 2, doc);
	result_run_release(&runs[0]);
	result_run_release(&runs[1]);
}

/* A note cut short anywhere: never accepted wrongly, never a crash. */
static void test_fast_reader_truncated_everywhere(void **state)
{
	struct pg_buf doc = PG_BUF_INIT;
	size_t cut;

	sample_doc(&doc);
	for (cut = 0; cut <= doc.len; cut++) {
		/* a copy of exactly cut bytes, so ASan sees overreads */
		char *t = malloc(cut ? cut : 1);

		memcpy(t, doc.s, cut);
		same_as_tree(t, cut);
		free(t);
	}
	pg_buf_release(&doc);
}

/* Bytes overwritten, inserted or deleted at random: same verdicts. */
static void test_fast_reader_corrupted(void **state)
{
	static const char *const tokens[] = {
	        "\"",      "\\",    ",",        ":",           "{",
	        "}",       "[",     "]",        "null",        "true",
	        "-",       "0",     "1e",       ".",           "\\u",
	        "\\ud800", " ",     "\x01",     "\xff",        "\"x\":1,",
	        "[[[[",    "1e999", "\"name\"", "\"samples\"",
	};
	struct pg_buf doc = PG_BUF_INIT, t = PG_BUF_INIT;
	int i, accepted = 0;

	sample_doc(&doc);
	rng_state = 2024;
	for (i = 0; i < 4000; i++) {
		size_t at = rnd() % doc.len, del = rnd() % 3;
		const char *tok =
		        tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];
		char *copy;

		pg_buf_reset(&t);
		pg_buf_add(&t, doc.s, at);
		if (i % 4 == 0) /* one byte replaced by any byte but NUL */
			pg_buf_addch(&t, (char)(1 + rnd() % 255));
		else
			pg_buf_addstr(&t, tok);
		if (at + del < doc.len)
			pg_buf_add(&t, doc.s + at + del, doc.len - at - del);
		copy = malloc(t.len);
		memcpy(copy, t.s, t.len);
		accepted += same_as_tree(copy, t.len) == 0;
		free(copy);
	}
	/* some mutations keep the document valid (a digit for a digit) */
	assert_true(accepted > 0);
	pg_buf_release(&doc);
	pg_buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_number_exact_on_random_doubles),
	        cmocka_unit_test(test_number_exact_on_random_decimals),
	        cmocka_unit_test(test_number_edges_and_grammar),
	        cmocka_unit_test(test_number_format_unchanged),
	        cmocka_unit_test(test_median_select_matches_sorting),
	        cmocka_unit_test(test_median_select_equal_values),
	        cmocka_unit_test(test_fast_reader_round_trips),
	        cmocka_unit_test(test_fast_reader_accepts_valid_variants),
	        cmocka_unit_test(
	                test_fast_reader_declines_what_cjson_tolerates),
	        cmocka_unit_test(test_fast_reader_errors_unchanged),
	        cmocka_unit_test(test_fast_reader_truncated_everywhere),
	        cmocka_unit_test(test_fast_reader_corrupted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
