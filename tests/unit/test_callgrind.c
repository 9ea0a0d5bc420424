/*
 * Unit tests for the callgrind parser and the per-function diff
 * (runner/callgrind.h), on real callgrind files in
 * tests/fixtures/callgrind (see its README for the commands that made
 * them).  Reference counts: `callgrind_annotate FILE` (self) and
 * `callgrind_annotate --inclusive=yes FILE` (inclusive), valgrind 3.19.
 */
#include "tests/unit/unit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reporters/flamegraph.h"
#include "runner/callgrind.h"
#include "runner/flame.h"
#include "util/buf.h"
#include "util/error.h"

#define ROOT "/work/wt-explain"
#define OBJ "tests/fixtures/callgrind/prog"

static char path_buf[4096];

static const char *fixture(const char *name)
{
	const char *top = getenv("PERFGATE_TOP");

	snprintf(path_buf, sizeof(path_buf), "%s/tests/fixtures/callgrind/%s",
	         top ? top : ".", name);
	return path_buf;
}

static int load(struct runner_cg_profile *p, const char *name, const char *root)
{
	struct pg_buf b = PG_BUF_INIT;
	int err;

	assert_int_equal(pg_buf_read_file(&b, fixture(name)), 0);
	err = runner_cg_parse(p, b.s, b.len, name, root);
	pg_buf_release(&b);
	return err;
}

static const struct runner_cg_fn *fn(const struct runner_cg_profile *p,
                                     const char *name)
{
	const struct runner_cg_fn *f = runner_cg_find(p, OBJ, OBJ ".c", name);

	assert_non_null(f);
	return f;
}

/* compressed names, positions: line, the whole process */
static void test_compressed(void **state)
{
	struct runner_cg_profile p;

	(void)state;
	runner_cg_profile_init(&p);
	assert_int_equal(load(&p, "prog.callgrind", ROOT), 0);
	/* callgrind_annotate: 145,654 PROGRAM TOTALS */
	assert_true(p.total == 145654);
	assert_int_equal(p.files, 1);
	assert_true(fn(&p, "slow_path")->self == 12008);
	assert_true(fn(&p, "slow_path")->incl == 12008);
	assert_true(fn(&p, "fast_path")->self == 9008);
	/* work: 21,030 inclusive, so 14 self */
	assert_true(fn(&p, "work")->incl == 21030);
	assert_true(fn(&p, "work")->self == 14);
	/* main: 22,338 inclusive */
	assert_true(fn(&p, "main")->incl == 22338);
	/*
	 * depth and depth'2 (its recursion levels) are one function: self
	 * 454 (depth'2 445 + depth 9, from depth's 454 inclusive), and the
	 * recursive calls are not counted twice
	 */
	assert_true(fn(&p, "depth")->self == 454);
	assert_true(fn(&p, "depth")->incl == 454);
	assert_null(runner_cg_find(&p, OBJ, OBJ ".c", "depth'2"));
	/* a path outside the root is kept as it is */
	assert_non_null(runner_cg_find(
	        &p, "/usr/lib/x86_64-linux-gnu/libc.so.6",
	        "./stdlib/./stdlib/cxa_finalize.c", "__cxa_finalize"));
	/* PLT stubs have no names, but the object has named functions */
	assert_null(runner_cg_stripped(&p));
	runner_cg_profile_release(&p);
}

/* uncompressed names, positions: instr line, several files summed */
static void test_instr_positions(void **state)
{
	struct runner_cg_profile p;
	double self = 0;
	size_t i;

	(void)state;
	runner_cg_profile_init(&p);
	assert_int_equal(load(&p, "prog-instr.callgrind", ROOT), 0);
	/* callgrind_annotate: 22,338 PROGRAM TOTALS */
	assert_true(p.total == 22338);
	assert_true(fn(&p, "slow_path")->self == 12008);
	assert_true(fn(&p, "work")->incl == 21030);
	for (i = 0; i < p.n; i++)
		self += p.fns[i].self;
	assert_true(self == p.total);
	/* a second file (another process, another dump) adds up */
	assert_int_equal(load(&p, "prog-instr.callgrind", ROOT), 0);
	assert_int_equal(p.files, 2);
	assert_true(p.total == 2 * 22338);
	assert_true(fn(&p, "slow_path")->self == 2 * 12008);
	runner_cg_profile_release(&p);
}

/* the same file under another root does not match the first */
static void test_root_stripping(void **state)
{
	struct runner_cg_profile p;

	(void)state;
	runner_cg_profile_init(&p);
	assert_int_equal(load(&p, "prog.callgrind", "/work"), 0);
	assert_null(runner_cg_find(&p, OBJ, OBJ ".c", "slow_path"));
	assert_non_null(runner_cg_find(&p, "wt-explain/" OBJ,
	                               "wt-explain/" OBJ ".c", "slow_path"));
	runner_cg_profile_release(&p);
}

static void parse_text(struct runner_cg_profile *p, const char *text, int want)
{
	assert_int_equal(runner_cg_parse(p, text, strlen(text), "t", "/r"),
	                 want);
}

static void test_diff(void **state)
{
	struct runner_cg_profile a, b;
	struct runner_cg_delta *d;
	size_t n;

	(void)state;
	runner_cg_profile_init(&a);
	runner_cg_profile_init(&b);
	/* a renamed function (old -> new), one that grew, one unchanged */
	parse_text(&a,
	           "events: Ir\nob=/r/bin\nfl=/r/x.c\nfn=(1) main\n1 10\n"
	           "cfn=(2) hot\ncalls=1 5\n1 100\ncfn=(3) old\ncalls=1 5\n"
	           "1 50\nfn=(2)\n5 100\nfn=(3)\n5 50\nfn=(4) same\n1 7\n"
	           "totals: 267\n",
	           0);
	parse_text(&b,
	           "events: Ir\nob=(1) /s/bin\nfl=(1) /s/x.c\nfn=(1) main\n"
	           "1 10\ncfn=(2) hot\ncalls=1 5\n1 150\ncfn=(3) new\n"
	           "calls=1 5\n1 50\nfn=(2)\n5 150\nfn=(3)\n5 50\n"
	           "fn=(4) same\n1 7\ntotals: 317\n",
	           0);
	/* b's root differs: runner_cg_diff() sees the same keys */
	runner_cg_profile_release(&b);
	runner_cg_profile_init(&b);
	parse_text(&b,
	           "events: Ir\nob=(1) /r/bin\nfl=(1) /r/x.c\nfn=(1) main\n"
	           "1 10\ncfn=(2) hot\ncalls=1 5\n1 150\ncfn=(3) new\n"
	           "calls=1 5\n1 50\nfn=(2)\n5 150\nfn=(3)\n5 50\n"
	           "fn=(4) same\n1 7\ntotals: 317\n",
	           0);
	runner_cg_diff(&d, &n, &a, &b);
	assert_int_equal(n, 4); /* hot, main (inclusive), new, old */
	assert_string_equal(d[0].name, "hot");
	assert_true(d[0].cand_self - d[0].base_self == 50);
	assert_string_equal(d[0].file, "x.c");
	assert_string_equal(d[0].object, "bin");
	assert_string_equal(d[1].name, "new");
	assert_true(d[1].only_cand);
	assert_string_equal(d[2].name, "main");
	assert_true(d[2].cand_incl - d[2].base_incl == 50);
	assert_string_equal(d[3].name, "old");
	assert_true(d[3].only_base);
	free(d);
	runner_cg_profile_release(&a);
	runner_cg_profile_release(&b);
}

static void test_bad_input(void **state)
{
	struct runner_cg_profile p;

	(void)state;
	runner_cg_profile_init(&p);
	parse_text(&p, "events: Ir\nfn=(1) f\n1 5\n", PG_EINPUT);
	assert_non_null(strstr(pg_error_last(), "totals"));
	parse_text(&p, "events: Dr\nfn=(1) f\n1 5\ntotals: 5\n", PG_EINPUT);
	assert_non_null(strstr(pg_error_last(), "line 1"));
	parse_text(&p, "events: Ir\n1 5\ntotals: 5\n", PG_EINPUT);
	assert_non_null(strstr(pg_error_last(), "line 2"));
	parse_text(&p, "events: Ir\nfn=(7)\n1 5\ntotals: 5\n", PG_EINPUT);
	assert_non_null(strstr(pg_error_last(), "before it was defined"));
	parse_text(&p, "events: Ir\nfn=(1) f\n1 x\ntotals: 5\n", PG_EINPUT);
	assert_non_null(strstr(pg_error_last(), "bad cost"));
	parse_text(&p, "", PG_EINPUT);
	/* a stripped object under the root is noted */
	parse_text(&p,
	           "events: Ir\nob=/r/bin\nfl=???\nfn=0x0000000000001040\n"
	           "0 3\ntotals: 3\n",
	           0);
	assert_string_equal(runner_cg_stripped(&p), "bin");
	runner_cg_profile_release(&p);
}

/* folded stacks from the fixture's call edges, and the SVG of a diff */
static void test_flame(void **state)
{
	struct runner_cg_profile p;
	struct runner_flame f;
	double sum = 0, slow = 0;
	size_t i;

	(void)state;
	runner_cg_profile_init(&p);
	runner_flame_init(&f);
	assert_int_equal(load(&p, "prog.callgrind", ROOT), 0);
	runner_flame_fold(&f, &p, 0);
	for (i = 0; i < f.n; i++) {
		sum += f.v[i].ir;
		if (i)
			assert_true(strcmp(f.v[i - 1].stack, f.v[i].stack) < 0);
		if (strstr(f.v[i].stack, ";main;work;slow_path") &&
		    !strchr(strstr(f.v[i].stack, "slow_path"), ';'))
			slow += f.v[i].ir;
	}
	/* every self count once: all of slow_path under main;work */
	assert_true(fabs(slow - 12008) < 1e-6);
	assert_true(fabs(sum - p.total) < 0.01 * p.total);
	runner_flame_release(&f);
	runner_cg_profile_release(&p);
}

static void test_flame_svg(void **state)
{
	const struct report_flame_stack st[] = {
	        {"main;hot", 100, 200},
	        {"main;cold", 100, 100},
	        {"main;<lambda>", 50, 0},
	};
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	report_flamegraph_svg(&b, st, 3, "t & t", NULL);
	assert_non_null(strstr(b.s, "<title>hot: 100 -> 200 instructions "
	                            "(+100.0%)</title>"));
	assert_non_null(strstr(b.s, "fill=\"rgb(255,143,143)\""));
	assert_non_null(strstr(b.s, "<title>cold: 100 -> 100"));
	assert_non_null(strstr(b.s, "fill=\"rgb(235,235,235)\""));
	/* gone from the candidate: no width, not drawn */
	assert_null(strstr(b.s, "lambda"));
	assert_non_null(strstr(b.s, "t &amp; t"));
	pg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_compressed),
	        cmocka_unit_test(test_instr_positions),
	        cmocka_unit_test(test_root_stripping),
	        cmocka_unit_test(test_diff),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_flame),
	        cmocka_unit_test(test_flame_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
