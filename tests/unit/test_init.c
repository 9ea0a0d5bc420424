/*
 * Unit tests for pipeline/init: what perfgate init detects in a tree of
 * real files, and that every starter config it renders is one perfgate
 * reads (config_parse), with names that need JSON escaping too.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "pipeline/init.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/error.h"
#include "util/fs.h"

static void put(const char *dir, const char *rel, const char *text)
{
	struct pg_buf path = PG_BUF_INIT;
	char *slash;
	FILE *f;

	pg_buf_addf(&path, "%s/%s", dir, rel);
	for (slash = strchr(path.s + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path.s, 0777);
		*slash = '/';
	}
	f = fopen(path.s, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	pg_buf_release(&path);
}

/* Render f and parse it back as a config: it must be valid as written. */
static void assert_parses(const struct init_found *f, size_t nbenches)
{
	struct pg_buf out = PG_BUF_INIT;
	struct config cfg;

	init_render(f, &out);
	if (config_parse(&cfg, out.s, out.len, "/tmp/perfgate.json") < 0)
		fail_msg("%s\n%s", pg_error_last(), out.s);
	assert_int_equal(cfg.nbenches, nbenches);
	config_release(&cfg);
	pg_buf_release(&out);
}

static void test_detects_each_kind(void **state)
{
	struct init_found f;
	char *dir = NULL;
	size_t i;

	(void)state;
	assert_int_equal(pg_mkdtemp(&dir, "pg-init"), 0);
	put(dir, "CMakeLists.txt", "project(x)\n");
	put(dir, "bench/b1.cc", "#include <benchmark/benchmark.h>\n");
	put(dir, "go/pkg/x_test.go", "func BenchmarkX(b *testing.B) {}\n");
	put(dir, "py/test_speed.py", "def test_a(benchmark): pass\n");
	put(dir, "tools/hf.sh", "hyperfine --export-json=out.json 'x'\n");
	put(dir, "tools/plain.sh", "hyperfine 'x'\n");
	put(dir, "package.json",
	    "{\"scripts\": {\"bench\": \"node b.js\", \"test\": \"x\"}}");
	put(dir, "node_modules/dep/bench.cc",
	    "#include <benchmark/benchmark.h>\n");
	init_found_init(&f);
	assert_int_equal(init_detect(&f, dir), 0);
	assert_string_equal(f.build,
	                    "cmake -S . -B build && cmake --build build");
	assert_int_equal(f.nbenches, 5);
	assert_string_equal(f.benches[0].name, "npm-bench");
	assert_string_equal(f.benches[1].name, "b1");
	assert_string_equal(f.benches[1].argv[0], "build/b1");
	assert_string_equal(f.benches[1].format, "google-benchmark");
	assert_string_equal(f.benches[2].argv[7], "./go/pkg");
	assert_string_equal(f.benches[3].format, "pytest-benchmark");
	assert_string_equal(f.benches[4].output, "out.json");
	/* the script without --export-json is a thing to check */
	assert_contains(f.check.s, "tools/plain.sh runs hyperfine without");
	for (i = 0; i < f.nbenches; i++)
		assert_true(strcmp(f.benches[i].name, "bench"));
	assert_parses(&f, 5);
	init_found_release(&f);
	pg_remove_tree(dir);
	free(dir);
}

static void test_make_targets_only_without_harnesses(void **state)
{
	struct init_found f;
	char *dir = NULL;

	(void)state;
	assert_int_equal(pg_mkdtemp(&dir, "pg-init"), 0);
	put(dir, "Makefile",
	    "all:\n\tcc x.c\nbench: all\n\t./x\nbench-big: all\n\t./x 9\n"
	    "BENCHVAR := 1\nbench_var:= 2\n");
	init_found_init(&f);
	assert_int_equal(init_detect(&f, dir), 0);
	assert_string_equal(f.build, "make");
	assert_int_equal(f.nbenches, 2);
	assert_string_equal(f.benches[0].name, "make-bench");
	assert_string_equal(f.benches[1].argv[2], "bench-big");
	assert_parses(&f, 2);
	init_found_release(&f);
	pg_remove_tree(dir);
	free(dir);
}

static void test_nothing_found_still_parses(void **state)
{
	struct init_found f;
	char *dir = NULL;

	(void)state;
	assert_int_equal(pg_mkdtemp(&dir, "pg-init"), 0);
	put(dir, "weird \"name\".sh", "hyperfine --export-json 'a b.json'\n");
	init_found_init(&f);
	assert_int_equal(init_detect(&f, dir), 0);
	assert_int_equal(f.nbenches, 1);
	assert_string_equal(f.benches[0].name, "weird \"name\"");
	assert_parses(&f, 1);
	init_found_release(&f);
	init_found_init(&f);
	assert_parses(&f, 1); /* the placeholder */
	init_found_release(&f);
	assert_int_equal(init_detect(&f, "/nonexistent/dir"), PG_ERUNTIME);
	init_found_release(&f);
	pg_remove_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_detects_each_kind),
	        cmocka_unit_test(test_make_targets_only_without_harnesses),
	        cmocka_unit_test(test_nothing_found_still_parses),
	};

	return cmocka_run_group_tests_name("init", tests, NULL, NULL);
}
