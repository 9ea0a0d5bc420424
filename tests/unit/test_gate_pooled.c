/*
 * Unit tests for gate/compare with a stored baseline: the newest
 * level_commits runs set the level, runs off the newest level are
 * excluded and the report's note says which; the whole history gives the
 * between-run variance, moderated by the suite prior; too little history
 * is inconclusive, never a sample-level test across two runs.  Every row
 * gets an MDE.  Seeded data (gsl mt19937), so the verdicts are fixed.
 */
#include "tests/unit/unit.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "gate/compare.h"
#include "model/report.h"
#include "util/mem.h"
#include "model/result.h"

#define BENCHES 6
#define RUNS 12
#define LEVEL 5
#define SAMPLES 10

static const char *names[BENCHES] = {"b0", "b1", "b2", "b3", "b4", "b5"};

/* One run: every benchmark at exp(level + N(0, 2%)) + N(0, 1%) noise;
 * factor[j] multiplies benchmark j. */
static void make_run(struct result_run *run, gsl_rng *r, const double *factor)
{
	size_t j, i;

	result_run_init(run);
	for (j = 0; j < BENCHES; j++) {
		struct result_bench *b = result_bench_add(run, names[j]);
		struct result_metric *m = result_metric_get(
		        b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
		double level = exp(gsl_ran_gaussian(r, 0.02)) * factor[j];

		for (i = 0; i < SAMPLES; i++)
			result_metric_push(
			        m, level * exp(gsl_ran_gaussian(r, 0.01)));
	}
}

static const struct report_row *row_of(const struct report *rep,
                                       const char *bench)
{
	size_t i;

	for (i = 0; i < rep->nrows; i++)
		if (!strcmp(rep->rows[i].bench, bench) &&
		    !strcmp(rep->rows[i].metric, RESULT_WALL_TIME))
			return &rep->rows[i];
	fail_msg("no row for %s", bench);
	return NULL;
}

struct fixture {
	struct result_run base[RUNS], cand;
};

/*
 * b0: the second-newest baseline commit regressed by 25% (and the newest
 * fixed it); the candidate regresses by 25%.  b1: the newest baseline
 * commit is 25% slower (a step the candidate inherits).
 */
static void fixture_init(struct fixture *f)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double factor[BENCHES] = {1, 1, 1, 1, 1, 1};
	size_t i;

	gsl_rng_set(r, 42);
	for (i = 0; i < RUNS; i++) {
		factor[0] = i == 1 ? 1.25 : 1;
		factor[1] = i == 0 ? 1.25 : 1;
		make_run(&f->base[i], r, factor);
	}
	factor[0] = 1.25;
	factor[1] = 1.25;
	make_run(&f->cand, r, factor);
	gsl_rng_free(r);
}

static void fixture_release(struct fixture *f)
{
	size_t i;

	for (i = 0; i < RUNS; i++)
		result_run_release(&f->base[i]);
	result_run_release(&f->cand);
}

static void test_pooled_window(void **state)
{
	struct fixture f;
	struct gate_compare_opts o;
	struct report rep;
	const struct report_row *row;
	size_t j;

	fixture_init(&f);
	gate_compare_opts_init(&o);
	o.level_commits = LEVEL;
	report_init(&rep);
	assert_int_equal(
	        gate_compare(&rep, NULL, f.base, RUNS, &f.cand, 1, NULL, &o),
	        0);
	row = row_of(&rep, "b0");
	assert_int_equal(row->verdict, REPORT_REGRESSION);
	assert_string_equal(row->test, "run-median-moderated");
	assert_contains(row->note, "pooled 4 of 5 baseline runs; excluded "
	                           "run 2 (+");
	assert_contains(row->note, "with the suite's");
	assert_contains(row->note, "2 differences left out as steps or off "
	                           "runs");
	assert_int_equal(row->n_base, 4 * SAMPLES);
	/* the inherited step: compared with the newest run and the prior */
	row = row_of(&rep, "b1");
	assert_true(row->verdict != REPORT_REGRESSION);
	assert_contains(row->note, "pooled 1 of 5 baseline runs; excluded "
	                           "run 2 (-");
	assert_contains(row->note, "from 12 runs of history");
	for (j = 2; j < BENCHES; j++) {
		row = row_of(&rep, names[j]);
		assert_true(row->verdict != REPORT_REGRESSION);
		assert_contains(row->note, "pooled 5 of 5 baseline runs");
		/* between-run sd ~2%: a lone run cannot see 5%, can 25% */
		assert_true(row->mde > 0.05 && row->mde < 0.25);
	}
	assert_contains(rep.method, "the newest level of up to 5 baseline "
	                            "commits against the between-run "
	                            "variance of up to 12 runs");
	report_release(&rep);

	/* one baseline run: nothing to estimate the between-run variance
	 * from: inconclusive for every benchmark, even b0's +25%, with the
	 * reason and the advice; no p-value, an infinite MDE */
	report_init(&rep);
	assert_int_equal(
	        gate_compare(&rep, NULL, f.base, 1, &f.cand, 1, NULL, &o), 0);
	for (j = 0; j < BENCHES; j++) {
		row = row_of(&rep, names[j]);
		assert_int_equal(row->verdict, REPORT_INCONCLUSIVE);
		assert_string_equal(row->test, "run-median-moderated");
		assert_contains(row->note, "1 stored run of history");
		assert_contains(row->note, "paired mode");
		assert_true(isnan(row->p_value));
		assert_true(isinf(row->mde));
	}
	report_release(&rep);
	fixture_release(&f);
}

/* Two runs per commit: level_commits counts commits, not runs. */
static void test_level_counts_commits(void **state)
{
	struct fixture f;
	struct gate_compare_opts o;
	struct report rep;
	const struct report_row *row;
	char sha[41];
	size_t i;

	fixture_init(&f);
	for (i = 0; i < RUNS; i++) {
		snprintf(sha, sizeof(sha), "%040zu", i / 2);
		f.base[i].commit = pg_strdup(sha);
	}
	gate_compare_opts_init(&o);
	o.level_commits = 2;
	report_init(&rep);
	assert_int_equal(
	        gate_compare(&rep, NULL, f.base, RUNS, &f.cand, 1, NULL, &o),
	        0);
	row = row_of(&rep, "b3");
	assert_contains(row->note, "pooled 4 of 4 baseline runs");
	assert_contains(row->note, "from 12 runs of history");
	report_release(&rep);
	fixture_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pooled_window),
	        cmocka_unit_test(test_level_counts_commits),
	};

	return cmocka_run_group_tests_name("gate_pooled", tests, NULL, NULL);
}
