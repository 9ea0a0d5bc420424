/*
 * Unit tests for reporters_write_all() (reporters/write_all.h): every
 * requested file is written with what its reporter renders, the terminal
 * report goes to its stream, GitLab's default JUnit path and GitHub's step
 * summary and annotations follow the environment, and an unwritable file
 * is an error naming it.
 */
#include "tests/unit/unit.h"
#include "tests/unit/report_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "reporters/write_all.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/fs.h"

struct wa {
	char *dir;
	struct report rep;
	struct reporters_outputs o;
	struct pg_buf path;
};

static int setup(void **state)
{
	struct wa *w = pg_calloc(1, sizeof(*w));

	assert_int_equal(pg_mkdtemp(&w->dir, "perfgate-wa."), 0);
	assert_int_equal(chdir(w->dir), 0);
	fx_full(&w->rep);
	reporters_outputs_init(&w->o);
	w->o.term = NULL;
	w->o.annotations = NULL;
	unsetenv("GITLAB_CI");
	unsetenv("GITHUB_ACTIONS");
	unsetenv("GITHUB_STEP_SUMMARY");
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct wa *w = *state;

	assert_int_equal(chdir("/"), 0);
	pg_remove_tree(w->dir);
	free(w->dir);
	report_release(&w->rep);
	pg_buf_release(&w->path);
	free(w);
	return 0;
}

/* The file at name holds exactly what reporter format renders. */
static void assert_file_is(const char *name, const char *format,
                           const struct report *rep)
{
	struct pg_buf got = PG_BUF_INIT;
	struct report_opts ro;
	char *want;

	report_opts_init(&ro);
	want = render(format, rep, &ro);
	assert_int_equal(pg_buf_read_file(&got, name), 0);
	assert_string_equal(got.s, want);
	pg_buf_release(&got);
	free(want);
}

static void test_every_file(void **state)
{
	struct wa *w = *state;

	w->o.junit = "r.xml";
	w->o.markdown = "r.md";
	w->o.json = "r.json";
	w->o.metrics = "r.txt";
	assert_int_equal(reporters_write_all(&w->rep, &w->o), 0);
	assert_file_is("r.xml", "junit", &w->rep);
	assert_file_is("r.md", "markdown", &w->rep);
	assert_file_is("r.json", "json", &w->rep);
	assert_file_is("r.txt", "openmetrics", &w->rep);
}

static void test_nothing_asked_writes_nothing(void **state)
{
	struct wa *w = *state;

	assert_int_equal(reporters_write_all(&w->rep, &w->o), 0);
	assert_int_equal(access("perfgate-junit.xml", F_OK), -1);
}

static void test_terminal_to_stream(void **state)
{
	struct wa *w = *state;
	struct report_opts ro;
	struct pg_buf got = PG_BUF_INIT;
	char *want;

	w->o.term = fopen("term.txt", "w");
	assert_non_null(w->o.term);
	w->o.verbose = 1;
	assert_int_equal(reporters_write_all(&w->rep, &w->o), 0);
	fclose(w->o.term);
	report_opts_init(&ro);
	ro.verbose = 1;
	want = render("terminal", &w->rep, &ro);
	assert_int_equal(pg_buf_read_file(&got, "term.txt"), 0);
	assert_string_equal(got.s, want);
	pg_buf_release(&got);
	free(want);
}

static void test_gitlab_default_junit(void **state)
{
	struct wa *w = *state;

	setenv("GITLAB_CI", "true", 1);
	assert_int_equal(reporters_write_all(&w->rep, &w->o), 0);
	unsetenv("GITLAB_CI");
	assert_file_is(PG_GITLAB_JUNIT, "junit", &w->rep);
}

static void test_github_summary_and_annotations(void **state)
{
	struct wa *w = *state;
	struct pg_buf got = PG_BUF_INIT;
	struct report_opts ro;
	char *want;

	assert_int_equal(pg_write_file_atomic("summary.md", "before\n", 7), 0);
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_STEP_SUMMARY", "summary.md", 1);
	w->o.annotations = fopen("annot.txt", "w");
	assert_non_null(w->o.annotations);
	assert_int_equal(reporters_write_all(&w->rep, &w->o), 0);
	fclose(w->o.annotations);
	unsetenv("GITHUB_ACTIONS");
	unsetenv("GITHUB_STEP_SUMMARY");
	assert_int_equal(pg_buf_read_file(&got, "summary.md"), 0);
	assert_prefix(got.s, "before\n");
	report_opts_init(&ro);
	want = render("markdown", &w->rep, &ro);
	assert_string_equal(got.s + 7, want);
	free(want);
	pg_buf_reset(&got);
	want = render("github", &w->rep, &ro);
	assert_true(strlen(want) > 0);
	assert_int_equal(pg_buf_read_file(&got, "annot.txt"), 0);
	assert_string_equal(got.s, want);
	pg_buf_release(&got);
	free(want);
}

static void test_unwritable_file_is_named(void **state)
{
	struct wa *w = *state;

	w->o.markdown = "no/such/dir/r.md";
	assert_true(reporters_write_all(&w->rep, &w->o) < 0);
	assert_contains(pg_error_last(), "no/such/dir/r.md");
	pg_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_every_file, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(
	                test_nothing_asked_writes_nothing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_terminal_to_stream, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_gitlab_default_junit,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_github_summary_and_annotations, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unwritable_file_is_named,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
