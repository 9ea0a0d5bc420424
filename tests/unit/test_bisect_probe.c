/*
 * Unit tests for gate/bisect_probe.h: which row of a paired comparison
 * decides a bisect probe (a shift outranks a failure, which outranks
 * unclear; a CI wholly below theta is "same"; --metric narrows the rows;
 * informational rows never decide) and the reason a commit that does not
 * build is skipped.
 */
#include "tests/unit/unit.h"

#include <math.h>
#include <stdlib.h>

#include "gate/bisect_probe.h"
#include "util/mem.h"

static struct report_row *row(struct report *rep, const char *metric,
                              enum report_verdict v, double est, double lo,
                              double hi)
{
	struct report_row *r = report_add_row(rep, NULL, "b", metric);

	r->verdict = v;
	r->estimate = est;
	r->ci_low = lo;
	r->ci_high = hi;
	r->threshold = 0.05;
	r->confidence = 0.99;
	r->n_cand = 20;
	return r;
}

static void decide(struct gate_bisect_probe *p, const struct report *rep,
                   const char *want)
{
	memset(p, 0, sizeof(*p));
	gate_bisect_probe_decide(p, rep, want);
}

static void release(struct gate_bisect_probe *p)
{
	free(p->metric);
	free(p->why);
}

static void test_shift_outranks_failure_and_unclear(void **state)
{
	struct report rep;
	struct gate_bisect_probe p;
	struct report_row *r;

	report_init(&rep);
	row(&rep, "wall_time", REPORT_INCONCLUSIVE, 0.03, -0.01, 0.08);
	r = row(&rep, "max_rss", REPORT_ERROR, NAN, NAN, NAN);
	r->error = pg_strdup("crashed\nstderr tail");
	row(&rep, "instructions", REPORT_REGRESSION, 0.2, 0.15, 0.25);
	decide(&p, &rep, NULL);
	assert_int_equal(p.mark, GATE_BISECT_SHIFTED);
	assert_string_equal(p.metric, "instructions");
	assert_close(p.estimate, 0.2, 0);
	assert_close(p.ci_high, 0.25, 0);
	assert_int_equal(p.pairs, 20);
	assert_null(p.why);
	release(&p);
	/* without the shift, the failure decides, with its first line */
	rep.rows[2].verdict = REPORT_UNCHANGED;
	decide(&p, &rep, NULL);
	assert_int_equal(p.mark, GATE_BISECT_SKIP);
	assert_string_equal(p.why, "crashed");
	release(&p);
	/* --metric: only that metric's rows decide */
	decide(&p, &rep, "wall_time");
	assert_int_equal(p.mark, GATE_BISECT_UNCLEAR);
	assert_string_equal(p.metric, "wall_time");
	release(&p);
	report_release(&rep);
}

static void test_inconclusive_below_theta_is_same(void **state)
{
	struct report rep;
	struct gate_bisect_probe p;
	struct report_row *r;

	report_init(&rep);
	/* one-sided: a CI below theta says "not shifted up", however low */
	r = row(&rep, "wall_time", REPORT_INCONCLUSIVE, -0.1, -0.4, 0.04);
	decide(&p, &rep, NULL);
	assert_int_equal(p.mark, GATE_BISECT_SAME);
	release(&p);
	r->ci_high = 0.06;
	r->note = pg_strdup("too few pairs");
	decide(&p, &rep, NULL);
	assert_int_equal(p.mark, GATE_BISECT_UNCLEAR);
	assert_string_equal(p.why, "too few pairs");
	release(&p);
	report_release(&rep);
}

static void test_no_gating_row(void **state)
{
	struct report rep;
	struct gate_bisect_probe p;

	report_init(&rep);
	row(&rep, "cpu_user", REPORT_REGRESSION, 0.5, 0.4, 0.6)->informational =
	        1;
	decide(&p, &rep, NULL);
	assert_int_equal(p.mark, GATE_BISECT_UNCLEAR);
	assert_string_equal(p.why, "no gating comparison");
	assert_null(p.metric);
	release(&p);
	decide(&p, &rep, "wall_time");
	assert_int_equal(p.mark, GATE_BISECT_UNCLEAR);
	release(&p);
	report_release(&rep);
}

static void test_build_failure_line(void **state)
{
	char *s;

	s = gate_bisect_build_failure("make: entering\nx.c:3: error: no "
	                              "'y'\nx.c:9: warning: z\nmake: *** "
	                              "Error 1\n");
	assert_string_equal(s, "does not build: x.c:3: error: no 'y'");
	free(s);
	/* no "error:" line: the last non-empty one */
	s = gate_bisect_build_failure("step 1\nstep 2 failed\n\n");
	assert_string_equal(s, "does not build: step 2 failed");
	free(s);
	s = gate_bisect_build_failure("");
	assert_string_equal(s, "does not build: ");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_shift_outranks_failure_and_unclear),
	        cmocka_unit_test(test_inconclusive_below_theta_is_same),
	        cmocka_unit_test(test_no_gating_row),
	        cmocka_unit_test(test_build_failure_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
