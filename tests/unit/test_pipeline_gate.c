/*
 * Unit tests for pipeline/gate.h: the stored-baseline path of the gate
 * (pipeline_gate_find_base() then pipeline_gate_build(), which call
 * gate_find_baseline() and gate_compare() with runs read back from git
 * notes), on a real repository built with the git binary.  Until now this
 * path was tested end to end only (t5000, t5010).
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/gate.h"
#include "model/report.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define NHIST 8 /* commits with stored results before the candidate */
#define NSAMPLES 10

static char tmpdir[256];

/*
 * c0 <- c1 <- ... <- c8 <- cand on main, and a branch "acc" off c8 whose
 * commit carries "Perfgate-Accept: b wall_time +80%".
 */
static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-pgate.") < 0)
		return -1;
	sh("cd %s && git init -q -b main r && cd r && for i in 0 1 2 3 4 5 6 "
	   "7 8; do echo $i >f; git add f; git commit -qm c$i; done && "
	   "echo x >f && git commit -qam cand && git checkout -q -b acc "
	   "HEAD~1 && echo y >f && git commit -qam 'slower' -m "
	   "'Perfgate-Accept: b wall_time +80%%' && git checkout -q main",
	   tmpdir);
	return 0;
}

static int teardown(void **state)
{
	sh("rm -rf %s", tmpdir);
	return 0;
}

static struct store *open_repo(void)
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/r", tmpdir);
	if (store_open(&s, path, NULL, 0) < 0)
		fail_msg("store_open: %s", pg_error_last());
	return s;
}

/*
 * A run of benchmark "b": NSAMPLES wall times around level seconds,
 * spread by a fixed +-1% pattern shifted by k so that runs differ a little.
 */
static void make_run(struct result_run *run, double level, int k)
{
	struct result_bench *b;
	struct result_metric *m;
	int i;

	result_run_init(run);
	assert_int_equal(result_run_stamp(run, "unit"), 0);
	b = result_bench_add(run, "b");
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < NSAMPLES; i++)
		result_metric_push(m,
		                   level * (1 + 0.002 * ((i + k) % 10 - 4.5) +
		                            0.001 * (k % 3)));
}

/* Store a run on c0..c(NHIST-1) = HEAD~NHIST..HEAD~1 (c8 has none). */
static void store_history(struct store *s)
{
	struct pg_buf rev = PG_BUF_INIT;
	char sha[41];
	int i;

	for (i = 0; i < NHIST; i++) {
		struct result_run r;

		pg_buf_reset(&rev);
		pg_buf_addf(&rev, "HEAD~%d", i + 2);
		assert_int_equal(store_resolve(s, rev.s, sha), 0);
		make_run(&r, 0.100, i);
		assert_int_equal(store_append_run(s, sha, &r), 0);
		result_run_release(&r);
	}
	pg_buf_release(&rev);
}

/* Gate a candidate at level seconds on rev: find the base, build rep. */
static void gate(struct report *rep, struct store *s, const char *rev,
                 double level, const struct pipeline_gate_opts *o)
{
	struct gate_baseline b;
	struct pipeline_gate_base base;
	struct result_run cand;
	char sha[41];

	assert_int_equal(store_resolve(s, rev, sha), 0);
	make_run(&cand, level, 7);
	report_init(rep);
	assert_int_equal(
	        pipeline_gate_find_base(&b, &base, s, &cand, 1, sha, o), 0);
	if (pipeline_gate_build(rep, s, NULL, &cand, 1, sha, &base, o, &o->cmp,
	                        "stored baseline") < 0)
		fail_msg("build: %s", pg_error_last());
	assert_string_equal(rep->mode, "stored baseline");
	assert_string_equal(rep->cand_commit, sha);
	gate_baseline_release(&b);
	result_run_release(&cand);
}

static const struct report_row *wall_row(const struct report *rep)
{
	size_t i;

	for (i = 0; i < rep->nrows; i++)
		if (!strcmp(rep->rows[i].bench, "b") &&
		    !strcmp(rep->rows[i].metric, RESULT_WALL_TIME))
			return &rep->rows[i];
	fail_msg("no wall_time row for 'b'");
	return NULL;
}

static void test_no_baseline_is_a_notice(void **state)
{
	struct store *s = open_repo();
	struct pipeline_gate_opts o;
	struct report rep;

	pipeline_gate_opts_init(&o);
	gate(&rep, s, "HEAD", 0.100, &o);
	assert_null(rep.base_commit);
	assert_non_null(rep.notice);
	assert_int_equal(wall_row(&rep)->verdict, REPORT_NO_BASELINE);
	report_release(&rep);
	store_free(s);
}

static void test_regression_against_stored_history(void **state)
{
	struct store *s = open_repo();
	struct pipeline_gate_opts o;
	struct report rep;
	char c7[41];
	size_t i;

	store_history(s);
	assert_int_equal(store_resolve(s, "HEAD~2", c7), 0);
	pipeline_gate_opts_init(&o);
	o.window = 3;
	gate(&rep, s, "HEAD", 0.150, &o);
	/* the newest commit with results is the baseline; the level comes
	 * from the newest --baseline-window commits only */
	assert_non_null(rep.base_commit);
	assert_string_equal(rep.base_commit, c7);
	assert_int_equal(rep.nbaseline_commits, 3);
	for (i = 0; i < rep.nbaseline_commits; i++)
		assert_int_equal(strlen(rep.baseline_commits[i]), 40);
	assert_null(rep.notice);
	assert_int_equal(wall_row(&rep)->verdict, REPORT_REGRESSION);
	assert_true(wall_row(&rep)->estimate > 0.4);
	assert_non_null(rep.base_env);
	assert_non_null(rep.cand_env);
	assert_int_equal(report_exit_code(&rep, 0), 1);
	report_release(&rep);
	store_free(s);
}

static void test_same_level_does_not_fail(void **state)
{
	struct store *s = open_repo();
	struct pipeline_gate_opts o;
	struct report rep;
	enum report_verdict v;

	store_history(s);
	pipeline_gate_opts_init(&o);
	gate(&rep, s, "HEAD", 0.100, &o);
	v = wall_row(&rep)->verdict;
	assert_true(v == REPORT_UNCHANGED || v == REPORT_INCONCLUSIVE);
	assert_int_equal(report_exit_code(&rep, 0), 0);
	report_release(&rep);
	store_free(s);
}

static void test_trailer_accepts_the_regression(void **state)
{
	struct store *s = open_repo();
	struct pipeline_gate_opts o;
	struct report rep;

	store_history(s);
	pipeline_gate_opts_init(&o);
	gate(&rep, s, "acc", 0.150, &o);
	assert_int_equal(wall_row(&rep)->verdict, REPORT_ACCEPTED);
	assert_int_equal(report_exit_code(&rep, 0), 0);
	report_release(&rep);
	store_free(s);
}

/* The explainer is called for a gate with a baseline and --explain only. */
static int explained;
static void count_explain(struct report *rep, struct store *s,
                          const struct config *cfg)
{
	explained++;
}

static void test_explainer_only_when_asked(void **state)
{
	struct store *s = open_repo();
	struct pipeline_gate_opts o;
	struct report rep;

	store_history(s);
	pipeline_gate_opts_init(&o);
	o.explainer = count_explain;
	explained = 0;
	gate(&rep, s, "HEAD", 0.150, &o);
	report_release(&rep);
	assert_int_equal(explained, 0);
	o.explain = 1;
	gate(&rep, s, "HEAD", 0.150, &o);
	report_release(&rep);
	assert_int_equal(explained, 1);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_no_baseline_is_a_notice,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_regression_against_stored_history, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(test_same_level_does_not_fail,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_trailer_accepts_the_regression, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_explainer_only_when_asked,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
