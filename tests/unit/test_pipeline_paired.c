/*
 * Unit tests for pipeline/paired.h: a whole paired session on a real
 * repository with real processes (export the baseline, measure in pairs,
 * store both sides, build the report), the session with no baseline, the
 * looks chosen from --pairs, --runs, the config and the default, the
 * session id, and which entries cannot run in pairs.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/paired.h"
#include "model/report.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

static char tmpdir[256];
static char cwd[4096];

/* A repository with two commits whose perfgate.json runs `true` twice. */
static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-ppair.") < 0)
		return -1;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	sh("cd %s && git init -q -b main r && cd r && printf '%%s' "
	   "'{\"pairs\": "
	   "[8], \"benchmarks\": [{\"name\": \"t1\", \"command\": "
	   "[\"true\"]}, {\"name\": \"t2\", \"command\": \"true\"}]}' "
	   ">perfgate.json && git add perfgate.json && git commit -qm one && "
	   "echo x >f && git add f && git commit -qm two && git update-ref "
	   "refs/heads/other $(git commit-tree $(git mktree </dev/null) -m "
	   "orphan)",
	   tmpdir);
	setenv("GIT_CEILING_DIRECTORIES", tmpdir, 1);
	setenv(PG_TREE_CACHE_ENV, "0", 1);
	unsetenv("GITHUB_EVENT_NAME");
	unsetenv("PERFGATE_COUNTER");
	unsetenv("PERFGATE_RUNNER");
	return 0;
}

static int teardown(void **state)
{
	unsetenv(PG_TREE_CACHE_ENV);
	store_fx_leave(cwd, tmpdir);
	return 0;
}

struct seen {
	size_t progress, looks, errors;
};

static void on_progress(void *ctx, const char *bench, long pair, long total)
{
	((struct seen *)ctx)->progress++;
}

static void on_look(void *ctx, size_t look, size_t nlooks, long pairs,
                    size_t running)
{
	struct seen *s = ctx;

	assert_int_equal(nlooks, 1);
	assert_int_equal(pairs, 8);
	s->looks++;
}

static void on_error(void *ctx, const char *msg)
{
	((struct seen *)ctx)->errors++;
}

static void opts(struct pipeline_run_opts *ro, struct pipeline_gate_opts *go,
                 struct pipeline_paired_opts *po)
{
	pipeline_run_opts_init(ro);
	pipeline_gate_opts_init(go);
	memset(po, 0, sizeof(*po));
	po->seed = 42;
	po->seed_set = 1;
}

/* The runs stored on rev: their sides and sessions. */
static void assert_stored(struct store *st, const char *sha, const char *side,
                          const char *session)
{
	struct result_run *runs = NULL;
	char *warning = NULL;
	size_t n = 0;

	assert_int_equal(store_read_runs(st, sha, &runs, &n, &warning), 0);
	assert_int_equal(n, 1);
	assert_string_equal(runs[0].mode, RESULT_MODE_PAIRED);
	assert_string_equal(runs[0].side, side);
	assert_string_equal(runs[0].session, session);
	assert_int_equal(runs[0].nbenches, 2);
	result_runs_free(runs, n);
	free(warning);
}

static void test_whole_session(void **state)
{
	struct pipeline_run_opts ro;
	struct pipeline_gate_opts go;
	struct pipeline_paired_opts po;
	struct pipeline_paired_view v = {0};
	struct pipeline_paired s;
	struct seen seen = {0};
	struct report rep;
	char base[41], *scratch;
	size_t i;

	store_fx_cd(tmpdir, "r");
	opts(&ro, &go, &po);
	v.ctx = &seen;
	v.progress = on_progress;
	v.look = on_look;
	v.error = on_error;
	pipeline_paired_init(&s, &v);
	assert_int_equal(pipeline_paired_prepare(&s, &ro, &go, &po, "HEAD~1"),
	                 0);
	assert_int_equal(s.count, 2);
	assert_int_equal(strlen(s.id), 32);
	assert_int_equal(s.po.seed, 42);
	assert_int_equal(store_resolve(s.t.store, "HEAD~1", base), 0);
	assert_string_equal(s.b.start, base);
	/* paired mode's own default alpha unless --alpha */
	assert_close(s.rule.cmp.alpha, PG_DEFAULT_ALPHA_PAIRED, 0);
	assert_int_equal(pipeline_paired_setup(&s, &ro), 0);
	assert_non_null(s.scratch);
	assert_int_equal(access(s.base_root, F_OK), 0);
	assert_int_equal(pipeline_paired_measure(&s), 0);
	assert_int_equal(seen.looks, 1);
	/* at least the 8 pairs of each of the two benchmarks */
	assert_true(seen.progress >= 2 * 8);
	assert_int_equal(s.cand.nbenches, 2);
	assert_int_equal(s.base.nbenches, 2);
	assert_int_equal(result_bench_find(&s.cand, "t1")->metrics[0].n, 8);
	assert_int_equal(pipeline_paired_store(&s), 0);
	assert_null(s.t.save_error);
	assert_stored(s.t.store, base, "base", s.id);
	assert_stored(s.t.store, s.t.sha, "cand", s.id);
	report_init(&rep);
	assert_int_equal(pipeline_paired_build_report(&rep, &s, &ro, &go), 0);
	assert_contains(rep.mode, "paired: interleaved pairs");
	assert_contains(rep.mode, "seed 42");
	assert_contains(rep.mode, s.id);
	assert_string_equal(rep.base_commit, base);
	assert_true(rep.nrows >= 2);
	for (i = 0; i < rep.nrows; i++)
		assert_int_not_equal(rep.rows[i].verdict, REPORT_NO_BASELINE);
	report_release(&rep);
	scratch = pg_strdup(s.scratch);
	pipeline_paired_release(&s);
	assert_int_equal(access(scratch, F_OK), -1); /* removed */
	assert_int_equal(seen.errors, 0);
	free(scratch);
}

static void test_no_baseline(void **state)
{
	struct pipeline_run_opts ro;
	struct pipeline_gate_opts go;
	struct pipeline_paired_opts po;
	struct pipeline_paired s;

	store_fx_cd(tmpdir, "r");
	opts(&ro, &go, &po);
	/* the merge-base with a branch of unrelated history: none */
	go.base_branch = "other";
	pipeline_paired_init(&s, NULL);
	assert_int_equal(pipeline_paired_prepare(&s, &ro, &go, &po, NULL), 0);
	assert_string_equal(s.b.start, "");
	assert_non_null(s.b.notice);
	pipeline_paired_release(&s);
}

static void test_bad_input(void **state)
{
	struct pipeline_run_opts ro;
	struct pipeline_gate_opts go;
	struct pipeline_paired_opts po;
	struct pipeline_paired s;

	store_fx_cd(tmpdir, "r");
	opts(&ro, &go, &po);
	ro.filter = "nothing";
	pipeline_paired_init(&s, NULL);
	assert_int_equal(pipeline_paired_prepare(&s, &ro, &go, &po, "HEAD~1"),
	                 PG_EINPUT);
	pg_error_clear();
	pipeline_paired_release(&s);

	opts(&ro, &go, &po);
	pipeline_paired_init(&s, NULL);
	assert_int_equal(pipeline_paired_prepare(&s, &ro, &go, &po, "nope"),
	                 PG_EINPUT);
	pg_error_clear();
	pipeline_paired_release(&s);
}

static void test_looks(void **state)
{
	static const long def[PG_DEFAULT_NPAIRS] = PG_DEFAULT_PAIRS;
	long cfg_pairs[1] = {8};
	struct pipeline_paired_opts po;
	struct config cfg;
	const long *l;
	size_t n;

	memset(&po, 0, sizeof(po));
	config_init(&cfg);
	l = pipeline_paired_looks(&po, NULL, &n);
	assert_int_equal(n, PG_DEFAULT_NPAIRS);
	assert_memory_equal(l, def, sizeof(def));
	cfg.pairs = cfg_pairs;
	cfg.npairs = 1;
	l = pipeline_paired_looks(&po, &cfg, &n);
	assert_int_equal(n, 1);
	assert_int_equal(l[0], 8);
	po.runs = 12; /* --runs N: one look at N pairs, over the config */
	l = pipeline_paired_looks(&po, &cfg, &n);
	assert_int_equal(n, 1);
	assert_int_equal(l[0], 12);
	po.looks[0] = 5;
	po.looks[1] = 9;
	po.nlooks = 2; /* --pairs wins */
	l = pipeline_paired_looks(&po, &cfg, &n);
	assert_int_equal(n, 2);
	assert_int_equal(l[1], 9);
	cfg.pairs = NULL;
	cfg.npairs = 0;
	config_release(&cfg);
}

static void test_session_ids_differ(void **state)
{
	char a[33], b[33];
	size_t i;

	assert_int_equal(pipeline_paired_session_id(a), 0);
	assert_int_equal(pipeline_paired_session_id(b), 0);
	assert_int_equal(strlen(a), 32);
	for (i = 0; i < 32; i++)
		assert_true(isxdigit((unsigned char)a[i]));
	assert_string_not_equal(a, b);
}

static void test_unpairable(void **state)
{
	struct config_bench cb;
	struct pg_buf why = PG_BUF_INIT;

	memset(&cb, 0, sizeof(cb));
	assert_int_equal(pipeline_paired_unpairable(&cb, "/w/tree", &why), 0);
	cb.cwd = "/elsewhere";
	assert_int_equal(pipeline_paired_unpairable(&cb, "/w/tree", &why), 1);
	assert_contains(why.s, "'/elsewhere' is outside the work tree");
	pg_buf_reset(&why);
	cb.cwd = "/w/tree/sub";
	assert_int_equal(pipeline_paired_unpairable(&cb, "/w/tree", &why), 0);
	pg_buf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_whole_session, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_no_baseline, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bad_input, setup,
	                                        teardown),
	        cmocka_unit_test(test_looks),
	        cmocka_unit_test(test_session_ids_differ),
	        cmocka_unit_test(test_unpairable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
