/*
 * Unit tests for pipeline/explain.h without running callgrind: the text a
 * report row gets for an explanation (the "why" line, the totals, the
 * table of functions), and the gate's explanations declining when there
 * is no baseline or the candidate is not the working tree's HEAD.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/explain.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/mem.h"

static void test_text(void **state)
{
	struct runner_explanation e;
	struct runner_cg_delta d[2] = {
	        {"prog", "p.c", "hot", 1000000, 3100000, 1000000, 3100000, 0,
	         0},
	        {"prog", "p.c", "fresh", 0, 900000, 0, 900000, 0, 1},
	};
	struct pg_buf b = PG_BUF_INIT;

	runner_explanation_init(&e);
	e.base.total = 10000000;
	e.cand.total = 13000000;
	e.deltas = d;
	e.ndeltas = 2;
	pipeline_explain_text(&b, &e, 5, NAN);
	assert_contains(b.s, "why: `hot` +2.1 M instructions");
	assert_contains(b.s, "\ninstructions: ");
	assert_contains(b.s, " (+30.00%)\n");
	assert_contains(b.s, "function ");
	/* hot's self change is 70% of the change, fresh is new */
	assert_contains(b.s, "hot ");
	assert_contains(b.s, "+2100000");
	assert_contains(b.s, "70%");
	assert_contains(b.s, " 900000 new\n");
	pg_buf_reset(&b);
	pipeline_explain_text(&b, &e, 1, NAN);
	assert_null(strstr(b.s, "fresh"));
	pg_buf_release(&b);
	e.deltas = NULL; /* borrowed */
	runner_explanation_release(&e);
}

static void test_report_declines(void **state)
{
	char dir[256], head[41];
	struct pg_buf p = PG_BUF_INIT;
	struct store *s = NULL;
	struct report rep;
	struct report_row *row;
	struct config cfg;

	assert_int_equal(store_fx_scratch(dir, sizeof(dir), "pg-pexpl."), 0);
	sh("cd %s && git init -q -b main r && cd r && echo 1 >f && git add f "
	   "&& git commit -qm one && echo 2 >f && git commit -qam two",
	   dir);
	pg_buf_addf(&p, "%s/r", dir);
	assert_int_equal(store_open(&s, p.s, NULL, 0), 0);
	config_init(&cfg);
	report_init(&rep);
	row = report_add_row(&rep, NULL, "b", "wall_time");
	row->verdict = REPORT_REGRESSION;
	/* no baseline: nothing to explain against */
	pipeline_explain_report(&rep, s, &cfg, NULL, NULL);
	assert_null(row->explain);
	/* the candidate is not HEAD: its tree is not the working tree */
	assert_int_equal(store_resolve(s, "HEAD~1", head), 0);
	rep.base_commit = pg_strdup(head);
	rep.cand_commit = pg_strdup(head);
	pipeline_explain_report(&rep, s, &cfg, NULL, NULL);
	assert_null(row->explain);
	report_release(&rep);
	config_release(&cfg);
	store_free(s);
	sh("rm -rf %s", dir);
	pg_buf_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_text),
	        cmocka_unit_test(test_report_declines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
