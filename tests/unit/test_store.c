/*
 * Unit tests for store/: real repositories made with the git binary in a
 * temporary directory, read and written through the store API.
 *
 * The program doubles as a helper for the end-to-end tests:
 *   test_store append REPO SHA COUNT LABEL
 * appends COUNT runs (one benchmark "b" with samples 1..3) to commit SHA of
 * the repository REPO through store_append_run() and prints each run id on
 * its own line after it is stored.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/notes.h"
#include "store/repo.h"
#include "util/error.h"
#include "model/result.h"

static char tmpdir[256];

/* A repository with three commits c1 <- c2 <- c3 on main. */
static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-store.") < 0)
		return -1;
	sh("cd %s && git init -q -b main r && cd r && echo 1 >f && git add f "
	   "&& git commit -qm 'first commit' && echo 2 >f && git commit -qam "
	   "second && echo 3 >f && git commit -qam 'third' -m 'Perfgate-"
	   "Accept: b'",
	   tmpdir);
	return 0;
}

static int teardown(void **state)
{
	sh("rm -rf %s", tmpdir);
	return 0;
}

static struct store *open_repo(const char *sub)
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, sub);
	if (store_open(&s, path, NULL, 0) < 0)
		fail_msg("store_open: %s", pg_error_last());
	return s;
}

static void test_open_errors(void **state)
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/not-a-repo", tmpdir);
	sh("mkdir -p %s", path);
	setenv("GIT_CEILING_DIRECTORIES", tmpdir, 1);
	assert_int_equal(store_open(&s, path, NULL, 0), PG_EINPUT);
	assert_contains(pg_error_last(), "not a git repository");
	unsetenv("GIT_CEILING_DIRECTORIES");

	sh("cd %s && git init -q -b trunk unborn", tmpdir);
	snprintf(path, sizeof(path), "%s/unborn", tmpdir);
	assert_int_equal(store_open(&s, path, NULL, 0), PG_EINPUT);
	assert_contains(pg_error_last(), "branch 'trunk' is unborn");

	sh("cd %s && git clone -q --bare r bare.git", tmpdir);
	snprintf(path, sizeof(path), "%s/bare.git", tmpdir);
	assert_int_equal(store_open(&s, path, NULL, 0), PG_EINPUT);
	assert_contains(pg_error_last(), "is a bare repository");
	assert_int_equal(store_open(&s, path, NULL, STORE_ALLOW_BARE), 0);
	store_free(s);

	snprintf(path, sizeof(path), "%s/r", tmpdir);
	assert_int_equal(store_open(&s, path, "bad..name", 0), PG_EINPUT);
	assert_null(s);
}

static void test_notes_ref_names(void **state)
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/r", tmpdir);
	assert_int_equal(store_open(&s, path, NULL, 0), 0);
	assert_string_equal(store_notes_ref(s), "refs/notes/perfgate");
	store_free(s);
	setenv("PERFGATE_NOTES_REF", "other", 1);
	assert_int_equal(store_open(&s, path, NULL, 0), 0);
	assert_string_equal(store_notes_ref(s), "refs/notes/other");
	store_free(s);
	unsetenv("PERFGATE_NOTES_REF");
	assert_int_equal(store_open(&s, path, "refs/notes/x", 0), 0);
	assert_string_equal(store_notes_ref(s), "refs/notes/x");
	store_free(s);
}

static void test_append_and_read(void **state)
{
	struct store *s = open_repo("r");
	struct result_run r1, r2, *runs = NULL;
	char sha[41], *warning = NULL;
	size_t n = 0;

	assert_int_equal(store_resolve(s, "HEAD~1", sha), 0);
	store_fx_run(&r1, "l1", "b", 0);
	store_fx_run(&r2, "l2", "b", 10);
	assert_int_equal(store_append_run(s, sha, &r1), 0);
	assert_int_equal(store_append_run(s, sha, &r2), 0);
	/* the same run again is not stored twice */
	assert_int_equal(store_append_run(s, sha, &r2), 0);
	assert_int_equal(store_read_runs(s, sha, &runs, &n, &warning), 0);
	assert_null(warning);
	assert_int_equal(n, 2);
	assert_string_equal(runs[0].id, r1.id);
	assert_string_equal(runs[1].id, r2.id);
	assert_string_equal(runs[1].label, "l2");
	assert_close(runs[1].benches[0].metrics[0].samples[2], 13.0, 0);
	result_runs_free(runs, n);

	/* other commits have nothing */
	assert_int_equal(store_resolve(s, "HEAD", sha), 0);
	assert_int_equal(store_read_runs(s, sha, &runs, &n, &warning), 0);
	assert_int_equal(n, 0);
	assert_null(runs);
	result_run_release(&r1);
	result_run_release(&r2);
	store_free(s);
}

static void test_append_keeps_unknown_members(void **state)
{
	struct store *s = open_repo("r");
	struct result_run r;
	char sha[41], *text = NULL;

	assert_int_equal(store_resolve(s, "HEAD", sha), 0);
	sh("cd %s/r && git notes --ref=perfgate add -f -m '{\"schema\":1,"
	   "\"future_top\":[1],\"runs\":[{\"id\":\"old\",\"from_the_future\":"
	   "{\"x\":0.1},\"benchmarks\":[]}]}' HEAD",
	   tmpdir);
	store_fx_run(&r, NULL, "b", 0);
	assert_int_equal(store_append_run(s, sha, &r), 0);
	assert_int_equal(store_read_note(s, sha, &text, NULL), 0);
	assert_contains(text, "\"from_the_future\":{\"x\":0.1}");
	assert_contains(text, "\"future_top\":[1]");
	assert_contains(text, r.id);
	free(text);
	result_run_release(&r);
	store_free(s);
}

static void test_corrupt_note(void **state)
{
	struct store *s = open_repo("r");
	struct result_run r, *runs = NULL;
	char sha[41], *warning = NULL, *text = NULL;
	size_t n = 9;

	assert_int_equal(store_resolve(s, "HEAD~2", sha), 0);
	sh("cd %s/r && git notes --ref=perfgate add -f -m 'not json' HEAD~2",
	   tmpdir);
	assert_int_equal(store_read_runs(s, sha, &runs, &n, &warning), 0);
	assert_int_equal(n, 0);
	assert_contains(warning, sha);
	assert_contains(warning, "git notes --ref=perfgate show");
	free(warning);

	store_fx_run(&r, NULL, "b", 0);
	assert_int_equal(store_append_run(s, sha, &r), PG_EINPUT);
	assert_contains(pg_error_last(), "will not overwrite");
	assert_int_equal(store_read_note(s, sha, &text, NULL), 0);
	assert_string_equal(text, "not json\n");
	free(text);

	sh("cd %s/r && git notes --ref=perfgate add -f -m "
	   "'{\"schema\":2,\"runs\":[]}' HEAD~2",
	   tmpdir);
	store_free(s);
	s = open_repo("r");
	assert_int_equal(store_append_run(s, sha, &r), PG_EINPUT);
	assert_contains(pg_error_last(), "unknown schema 2");
	result_run_release(&r);
	store_free(s);
}

struct collect {
	char subjects[8][64];
	size_t n;
};

static int collect_cb(const struct store_commit *c, void *payload)
{
	struct collect *col = payload;

	snprintf(col->subjects[col->n++], 64, "%s", c->subject);
	return 0;
}

static void test_history(void **state)
{
	struct store *s = open_repo("r");
	struct collect col = {0};
	struct store_commit c;
	enum store_walk_end end;
	char head[41], first[41], base[41], boundary[41];
	int found, gap, yes, dirty;

	assert_int_equal(store_resolve(s, "HEAD", head), 0);
	assert_int_equal(store_resolve(s, "HEAD~2", first), 0);
	assert_int_equal(store_first_parents(s, head, 0, collect_cb, &col, &end,
	                                     boundary),
	                 0);
	assert_int_equal(col.n, 3);
	assert_string_equal(col.subjects[0], "third");
	assert_string_equal(col.subjects[2], "first commit");
	assert_int_equal(end, STORE_WALK_ROOT);
	assert_string_equal(boundary, first);

	col.n = 0;
	assert_int_equal(
	        store_first_parents(s, "HEAD", 2, collect_cb, &col, &end, NULL),
	        0);
	assert_int_equal(col.n, 2);
	assert_int_equal(end, STORE_WALK_LIMIT);

	assert_int_equal(store_commit_info(s, "HEAD", &c), 0);
	assert_contains(c.message, "Perfgate-Accept: b");
	assert_int_equal(c.nparents, 1);
	store_commit_release(&c);

	assert_int_equal(store_merge_base(s, head, first, base, &found, &gap),
	                 0);
	assert_true(found);
	assert_string_equal(base, first);
	assert_int_equal(store_is_ancestor(s, first, head, &yes), 0);
	assert_true(yes);
	assert_int_equal(store_is_ancestor(s, head, first, &yes), 0);
	assert_false(yes);
	assert_int_equal(store_resolve(s, "no-such-rev", base), PG_EINPUT);
	assert_contains(pg_error_last(), "unknown revision 'no-such-rev'");

	assert_int_equal(store_is_dirty(s, &dirty), 0);
	assert_false(dirty);
	sh("cd %s/r && echo untracked >u", tmpdir);
	assert_int_equal(store_is_dirty(s, &dirty), 0);
	assert_false(dirty);
	sh("cd %s/r && echo changed >f", tmpdir);
	assert_int_equal(store_is_dirty(s, &dirty), 0);
	assert_true(dirty);
	sh("cd %s/r && git checkout -q f && rm u", tmpdir);
	store_free(s);
}

static void test_shallow_walk(void **state)
{
	struct store *s;
	struct collect col = {0};
	enum store_walk_end end;
	char boundary[41];

	sh("cd %s && git clone -q --depth 2 file://%s/r shallow", tmpdir,
	   tmpdir);
	s = open_repo("shallow");
	assert_true(store_is_shallow(s));
	assert_int_equal(store_first_parents(s, "HEAD", 0, collect_cb, &col,
	                                     &end, boundary),
	                 0);
	assert_int_equal(col.n, 2);
	assert_int_equal(end, STORE_WALK_SHALLOW);
	assert_int_equal(store_resolve(s, "HEAD~2", boundary), PG_EINPUT);
	assert_contains(pg_error_last(), "shallow clone");
	store_free(s);
}

static int helper_append(char **argv)
{
	struct store *s = NULL;
	long i, count = atol(argv[4]);
	int err;

	if ((err = store_open(&s, argv[2], NULL, 0)) < 0)
		goto out;
	for (i = 0; i < count; i++) {
		struct result_run r;

		store_fx_run(&r, argv[5], "b", (double)i);
		err = store_append_run(s, argv[3], &r);
		if (err == 0)
			printf("%s\n", r.id);
		fflush(stdout);
		result_run_release(&r);
		if (err < 0)
			break;
	}
out:
	if (err < 0)
		fprintf(stderr, "test_store: %s\n", pg_error_last());
	store_free(s);
	return err < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_open_errors),
	        cmocka_unit_test(test_notes_ref_names),
	        cmocka_unit_test(test_append_and_read),
	        cmocka_unit_test(test_append_keeps_unknown_members),
	        cmocka_unit_test(test_corrupt_note),
	        cmocka_unit_test(test_history),
	        cmocka_unit_test(test_shallow_walk),
	};

	if (argc == 6 && !strcmp(argv[1], "append"))
		return helper_append(argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}
