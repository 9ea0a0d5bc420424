/*
 * Unit tests for pipeline/run.h: a suite measured from a real config with
 * real processes (true and false), the selection by --filter, --shard and
 * a mask, what the view is told, and what is stored: a failed benchmark
 * is an error yet the others are kept and stored; a view that fails its
 * done step stops storing.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/run.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

static char tmpdir[256];
static char cwd[4096];

/* A repository whose perfgate.json has three quick benchmarks. */
static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-prun.") < 0)
		return -1;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	sh("cd %s && git init -q -b main r && cd r && printf '%%s' '{\"runs\": "
	   "3, \"warmup\": 0, \"benchmarks\": [{\"name\": \"a-true\", "
	   "\"command\": [\"true\"]}, {\"name\": \"b-true\", \"command\": "
	   "[\"true\"]}, {\"name\": \"c-false\", \"command\": [\"false\"]}]}' "
	   ">perfgate.json && git add perfgate.json && git commit -qm one && "
	   "mkdir sub",
	   tmpdir);
	setenv("GIT_CEILING_DIRECTORIES", tmpdir, 1);
	unsetenv("GITHUB_EVENT_NAME");
	unsetenv("PERFGATE_COUNTER");
	return 0;
}

static int teardown(void **state)
{
	store_fx_leave(cwd, tmpdir);
	return 0;
}

/* What the view saw. */
struct seen {
	int started, done, done_err;
	size_t selected, measured, invocations, shard_n, shard_total;
	struct pg_buf names;
};

static void on_sharded(void *ctx, const struct pipeline_run_opts *o, size_t n,
                       size_t total)
{
	struct seen *s = ctx;

	s->shard_n = n;
	s->shard_total = total;
}

static void on_start(void *ctx, const struct config *cfg,
                     const struct pipeline_run_opts *o, const char *selected)
{
	struct seen *s = ctx;
	size_t i;

	s->started++;
	for (i = 0; i < cfg->nbenches; i++)
		s->selected += selected[i] != 0;
}

static void on_run(void *ctx, const char *bench, int warmup, long i, long total)
{
	((struct seen *)ctx)->invocations++;
}

static void on_measured(void *ctx, const struct result_bench *b, size_t n)
{
	struct seen *s = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		pg_buf_addf(&s->names, "%s;", b[i].name);
	s->measured += n;
}

static int on_done(void *ctx, const struct pipeline_run_opts *o,
                   const struct result_run *run)
{
	struct seen *s = ctx;

	s->done++;
	return s->done_err ? pg_error_runtime("cannot write the results") : 0;
}

static int run_suite(struct pipeline_run_opts *o, struct seen *s,
                     struct result_run *run, size_t *nstored)
{
	struct pipeline_run_view v = {0};
	struct pipeline_target t;
	struct config cfg;
	struct result_run *runs = NULL;
	char *warning = NULL;
	int err;

	v.ctx = s;
	v.sharded = on_sharded;
	v.start = on_start;
	v.before_run = on_run;
	v.measured = on_measured;
	v.done = on_done;
	err = pipeline_run_suite(o, &cfg, run, &t, &v);
	*nstored = 0;
	if (t.store && t.sha[0]) {
		assert_int_equal(store_read_runs(t.store, t.sha, &runs, nstored,
		                                 &warning),
		                 0);
		result_runs_free(runs, *nstored);
		free(warning);
	}
	pipeline_target_release(&t);
	config_release(&cfg);
	return err;
}

static void test_filter_from_a_subdirectory(void **state)
{
	struct pipeline_run_opts o;
	struct seen s = {0};
	struct result_run run;
	size_t stored;

	store_fx_cd(
	        tmpdir,
	        "r/sub"); /* perfgate.json is found at the work tree's root */
	pipeline_run_opts_init(&o);
	o.filter = "true$";
	assert_int_equal(run_suite(&o, &s, &run, &stored), 0);
	assert_int_equal(s.started, 1);
	assert_int_equal(s.selected, 2);
	assert_int_equal(s.measured, 2);
	assert_string_equal(s.names.s, "a-true;b-true;");
	assert_int_equal(s.invocations, 6); /* 2 x 3 runs, no warmup */
	assert_int_equal(s.done, 1);
	assert_int_equal(s.shard_total, 0); /* no --shard, not told */
	assert_int_equal(run.nbenches, 2);
	assert_non_null(run.commit);
	assert_int_equal(stored, 1);
	result_run_release(&run);
	pg_buf_release(&s.names);
}

static void test_failure_is_kept_and_stored(void **state)
{
	struct pipeline_run_opts o;
	struct seen s = {0};
	struct result_run run;
	size_t stored;

	store_fx_cd(tmpdir, "r");
	pipeline_run_opts_init(&o);
	o.runs = 2;
	assert_int_equal(run_suite(&o, &s, &run, &stored), PG_ERUNTIME);
	assert_contains(pg_error_last(), "some benchmarks failed");
	pg_error_clear();
	assert_int_equal(run.nbenches, 3);
	assert_non_null(result_bench_find(&run, "c-false")->error);
	assert_int_equal(s.done, 1);
	assert_int_equal(stored, 1);
	result_run_release(&run);
	pg_buf_release(&s.names);
}

static void test_shard_and_mask(void **state)
{
	struct pipeline_run_opts o;
	struct seen s = {0};
	struct result_run run;
	const char mask[] = {1, 0, 1};
	size_t stored, i, in_shard = 0;

	store_fx_cd(tmpdir, "r");
	for (i = 0; i < 3; i++) {
		static const char *const names[] = {"a-true", "b-true",
		                                    "c-false"};

		in_shard += result_shard_of(names[i], 2) == 1;
	}
	pipeline_run_opts_init(&o);
	o.shard_index = 1;
	o.shard_count = 2;
	o.no_store = 1;
	assert_true(run_suite(&o, &s, &run, &stored) <= 0);
	pg_error_clear();
	assert_int_equal(s.shard_n, in_shard);
	assert_int_equal(s.shard_total, 3);
	assert_int_equal(run.nbenches, in_shard);
	assert_int_equal(run.shard_count, 2);
	assert_int_equal(stored, 0); /* --no-store */
	result_run_release(&run);
	pg_buf_release(&s.names);

	memset(&s, 0, sizeof(s));
	pipeline_run_opts_init(&o);
	o.mask = mask;
	o.no_store = 1;
	o.filter = "true";
	assert_int_equal(run_suite(&o, &s, &run, &stored), 0);
	assert_string_equal(s.names.s, "a-true;");
	result_run_release(&run);
	pg_buf_release(&s.names);
}

static void test_done_error_stops_storing(void **state)
{
	struct pipeline_run_opts o;
	struct seen s = {0};
	struct result_run run;
	size_t stored;

	store_fx_cd(tmpdir, "r");
	pipeline_run_opts_init(&o);
	o.filter = "a-";
	s.done_err = 1;
	assert_int_equal(run_suite(&o, &s, &run, &stored), PG_ERUNTIME);
	assert_contains(pg_error_last(), "cannot write the results");
	pg_error_clear();
	assert_int_equal(stored, 0);
	result_run_release(&run);
	pg_buf_release(&s.names);
}

static void test_bad_input_measures_nothing(void **state)
{
	struct pipeline_run_opts o;
	struct seen s = {0};
	struct result_run run;
	size_t stored;

	store_fx_cd(tmpdir, "r");
	pipeline_run_opts_init(&o);
	o.filter = "nothing-matches";
	assert_int_equal(run_suite(&o, &s, &run, &stored), PG_EINPUT);
	assert_contains(pg_error_last(), "matches no benchmark");
	pg_error_clear();
	assert_int_equal(s.started, 0);
	result_run_release(&run);

	pipeline_run_opts_init(&o);
	o.commit = "no-such-rev";
	assert_int_equal(run_suite(&o, &s, &run, &stored), PG_EINPUT);
	pg_error_clear();
	assert_int_equal(s.started, 0);
	result_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_filter_from_a_subdirectory,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_failure_is_kept_and_stored,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_shard_and_mask, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_done_error_stops_storing,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_bad_input_measures_nothing,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
