/*
 * Corrupted copies of every fixture: truncated at many points and with
 * values of the wrong type.  Each must parse or fail with PG_EINPUT and a
 * message naming the input, never crash, and never leave a partial
 * result behind.  Run under `make asan` and valgrind too.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "model/result.h"

/* Cuts per fixture; the stride is the fixture's size divided by this. */
#define CUTS 300

static const struct {
	const char *file, *format;
} fixtures[] = {
        {"google-benchmark.json", "google-benchmark"},
        {"google-benchmark-aggregates.json", "google-benchmark"},
        {"hyperfine.json", "hyperfine"},
        {"hyperfine-params.json", "hyperfine"},
        {"go.txt", "go"},
        {"go-cpu-fail.txt", "go"},
        {"pytest-benchmark.json", "pytest-benchmark"},
        {"pytest-benchmark-nodata.json", "pytest-benchmark"},
        {"criterion/sort/std/100/new/sample.json", "criterion"},
        {"jmh.json", "jmh"},
        {"bmf.json", "bmf"},
        {"perfgate.json", "perfgate"},
        {"load/wrk.json", "wrk"},
        {"load/autocannon.json", "autocannon"},
        {"load/k6-summary.json", "k6"},
        {"load/k6-handle-summary.json", "k6"},
};

#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

static void read_fixture(struct pg_buf *b, const char *name)
{
	const char *top = getenv("PERFGATE_TOP");
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", top ? top : ".",
	         name);
	if (pg_buf_read_file(b, path) < 0)
		fail_msg("%s", pg_error_last());
}

/* Parse and check the contract; returns the status. */
static int try_parse(const char *format, const char *data, size_t len,
                     const char *what)
{
	struct result_run run;
	int err;

	result_run_init(&run);
	err = formats_parse(format, data, len, what, &run);
	if (err != 0 && err != PG_EINPUT)
		fail_msg("%s: status %d: %s", what, err, pg_error_last());
	if (err == PG_EINPUT) {
		if (run.nbenches != 0)
			fail_msg("%s: %zu benchmarks left after an error", what,
			         run.nbenches);
		if (strncmp(pg_error_last(), "'corrupt'", 9))
			fail_msg("%s: message does not name the input: %s",
			         what, pg_error_last());
	}
	if (err == 0 && run.nbenches == 0)
		fail_msg("%s: success without benchmarks", what);
	result_run_release(&run);
	return err;
}

static int only_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

static void test_truncated(void **state)
{
	size_t f;

	for (f = 0; f < NFIXTURES; f++) {
		struct pg_buf b = PG_BUF_INIT;
		size_t cut, stride, failed = 0, tried = 0;
		int is_text = !strcmp(fixtures[f].format, "go");

		read_fixture(&b, fixtures[f].file);
		assert_int_equal(try_parse(fixtures[f].format, b.s, b.len,
		                           fixtures[f].file),
		                 0);
		stride = b.len / CUTS ? b.len / CUTS : 1;
		for (cut = 0; cut < b.len; cut += stride) {
			char what[256];
			int err;

			snprintf(what, sizeof(what), "%s cut at %zu",
			         fixtures[f].file, cut);
			/* every cut is tried both named and auto-detected */
			err = try_parse(fixtures[f].format, b.s, cut,
			                "corrupt");
			try_parse("auto", b.s, cut, "corrupt");
			tried++;
			failed += err != 0;
			/* JSON cut anywhere but trailing space is invalid */
			if (!is_text && err == 0 &&
			    !only_space(b.s + cut, b.len - cut))
				fail_msg("%s: accepted", what);
		}
		/* go text is valid at every line end, never mid-result */
		if (is_text)
			assert_true(failed > 0 && failed < tried);
		pg_buf_release(&b);
	}
}

/* Count the nodes of a tree (pre-order). */
static size_t count_nodes(const cJSON *item)
{
	size_t n = 1;
	const cJSON *c;

	for (c = item->child; c; c = c->next)
		n += count_nodes(c);
	return n;
}

/* The node at pre-order position *i below item, with its parent. */
static cJSON *nth_node(cJSON *item, size_t *i, cJSON **parent)
{
	cJSON *c, *found;

	if ((*i)-- == 0)
		return item;
	for (c = item->child; c; c = c->next) {
		*parent = item;
		if ((found = nth_node(c, i, parent)) != NULL)
			return found;
	}
	return NULL;
}

/* A value of another type than item's. */
static cJSON *other_type(const cJSON *item)
{
	if (cJSON_IsNumber(item))
		return cJSON_CreateString("12");
	if (cJSON_IsString(item))
		return cJSON_CreateNumber(-3);
	if (cJSON_IsArray(item))
		return cJSON_CreateObject();
	if (cJSON_IsObject(item))
		return cJSON_CreateArray();
	if (cJSON_IsBool(item))
		return cJSON_CreateString("true");
	return cJSON_CreateNumber(1);
}

static void test_wrong_types(void **state)
{
	size_t f;

	for (f = 0; f < NFIXTURES; f++) {
		struct pg_buf b = PG_BUF_INIT, doc = PG_BUF_INIT;
		size_t i, n, failed = 0;
		cJSON *root = NULL;

		if (!strcmp(fixtures[f].format, "go"))
			continue;
		read_fixture(&b, fixtures[f].file);
		assert_int_equal(pg_json_parse(&root, b.s, b.len, "x"), 0);
		n = count_nodes(root);
		cJSON_Delete(root);
		/* node 0 is the root: replacing it is the wrong-format case */
		for (i = 1; i < n; i++) {
			cJSON *parent = NULL, *node;
			size_t k = i;

			assert_int_equal(pg_json_parse(&root, b.s, b.len, "x"),
			                 0);
			node = nth_node(root, &k, &parent);
			assert_non_null(node);
			assert_non_null(parent);
			cJSON_ReplaceItemViaPointer(parent, node,
			                            other_type(node));
			pg_buf_reset(&doc);
			assert_int_equal(pg_json_print(&doc, root, 0), 0);
			failed += try_parse(fixtures[f].format, doc.s, doc.len,
			                    "corrupt") != 0;
			cJSON_Delete(root);
		}
		/* most fields matter; some (context, jvm, ...) do not */
		if (!(failed > 0))
			fail_msg("%s: no wrong type was noticed",
			         fixtures[f].file);
		pg_buf_release(&b);
		pg_buf_release(&doc);
	}
}

/* Whether s (len bytes) is a whole number as strtod reads it. */
static int is_number(const char *s, size_t len)
{
	char tmp[64], *end;

	if (len == 0 || len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	strtod(tmp, &end);
	return *end == '\0';
}

/*
 * Every token of the go fixture replaced by garbage: a number on a result
 * line must be an error (a name or unit may legitimately change).
 */
static void test_go_garbage_tokens(void **state)
{
	struct pg_buf b = PG_BUF_INIT, copy = PG_BUF_INIT;
	size_t i, line = 0, numbers = 0;

	read_fixture(&b, "go.txt");
	for (i = 0; i < b.len; i++) {
		size_t end = i;
		int err;

		if (b.s[i] == '\n')
			line = i + 1;
		if (strchr(" \t\n", b.s[i]) ||
		    (i && !strchr(" \t\n", b.s[i - 1])))
			continue;
		while (end < b.len && !strchr(" \t\n", b.s[end]))
			end++;
		pg_buf_reset(&copy);
		pg_buf_add(&copy, b.s, i);
		pg_buf_addstr(&copy, "-x!");
		pg_buf_add(&copy, b.s + end, b.len - end);
		err = try_parse("go", copy.s, copy.len, "corrupt");
		if (!strncmp(b.s + line, "Benchmark", 9) &&
		    is_number(b.s + i, end - i)) {
			numbers++;
			if (err != PG_EINPUT)
				fail_msg("go.txt: garbage for '%.*s' at %zu "
				         "accepted",
				         (int)(end - i), b.s + i, i);
		}
	}
	assert_true(numbers > 0);
	pg_buf_release(&b);
	pg_buf_release(&copy);
}

static void test_binary_garbage(void **state)
{
	static const char *const formats[] = {
	        "auto",
	        "google-benchmark",
	        "hyperfine",
	        "go",
	        "pytest-benchmark",
	        "criterion",
	        "jmh",
	        "bmf",
	        "perfgate",
	};
	char data[512];
	unsigned seed = 12345;
	size_t i, j, k;

	for (i = 0; i < 200; i++) {
		for (j = 0; j < sizeof(data); j++) {
			seed = seed * 1103515245u + 12345u;
			data[j] = (char)(seed >> 16);
		}
		for (k = 0; k < sizeof(formats) / sizeof(formats[0]); k++)
			assert_int_equal(try_parse(formats[k], data,
			                           sizeof(data), "corrupt"),
			                 PG_EINPUT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_truncated),
	        cmocka_unit_test(test_wrong_types),
	        cmocka_unit_test(test_go_garbage_tokens),
	        cmocka_unit_test(test_binary_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
