/*
 * The store's promises from the hardening issue (#18), on real
 * repositories made with the git binary: everything written is readable
 * by every reader (finding 4), and appending leaves the runs stored
 * earlier byte for byte as they were (finding 6).
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/error.h"
#include "model/result.h"

static char tmpdir[256];

/* A fresh repository r with one commit, per test. */
static int setup(void **state)
{
	(void)state;
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-storeh.") < 0)
		return -1;
	sh("cd %s && git init -q -b main r && cd r && "
	   "git commit -q --allow-empty -m first",
	   tmpdir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", tmpdir);
	return 0;
}

static struct store *open_repo(char sha[41])
{
	struct store *s = NULL;
	char path[512];

	snprintf(path, sizeof(path), "%s/r", tmpdir);
	if (store_open(&s, path, NULL, 0) < 0)
		fail_msg("store_open: %s", pg_error_last());
	assert_int_equal(store_resolve(s, "HEAD", sha), 0);
	return s;
}

/* empty-benchmark-name: refused before anything is written */
static void test_unreadable_run_refused(void **state)
{
	struct result_run good, bad;
	char sha[41], *text = NULL;
	struct store *s = open_repo(sha);

	(void)state;
	store_fx_run(&good, NULL, "b", 0);
	store_fx_run(&bad, NULL, "", 0);
	assert_int_equal(store_append_run(s, sha, &good), 0);
	assert_int_equal(store_append_run(s, sha, &bad), PG_EINPUT);
	assert_contains(pg_error_last(), "could not read back");
	assert_int_equal(store_read_note(s, sha, &text, NULL), 0);
	assert_contains(text, good.id);
	assert_null(strstr(text, bad.id));
	free(text);
	result_run_release(&good);
	result_run_release(&bad);
	store_free(s);
}

/*
 * A note as an earlier perfgate (or a person) wrote it: a sample that
 * prints differently through a double, a string with \u0000, a member
 * this version does not know, odd spacing, and two runs sharing an id.
 */
static const char old_note[] =
        "{\"schema\": 1, \"future\": {\"x\": [1, 2]},\n \"runs\": [\n"
        "  {\"id\": \"r1\", \"label\": \"a\\u0000b\", \"benchmarks\": "
        "[{\"name\": \"b\", \"metrics\": {\"wall_time\": {\"unit\": \"s\", "
        "\"samples\": [0.0010348440000598202, 1e-3, 1.50]}}}], \"new\": 1},\n"
        "  {\"id\": \"dup\", \"benchmarks\": []},\n"
        "  {\"id\": \"dup\", \"label\": \"other\", \"benchmarks\": []}\n"
        " ]\n}\n";

/* Where old_note's last run ends: it must stay a prefix. */
static size_t old_prefix_len(void)
{
	return strstr(old_note, "\"benchmarks\": []}\n ]") - old_note +
	       strlen("\"benchmarks\": []}");
}

static void add_note(const char *text)
{
	FILE *f;
	char path[600];

	snprintf(path, sizeof(path), "%s/note.json", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	sh("cd %s/r && git notes --ref=perfgate add -f -F ../note.json HEAD",
	   tmpdir);
}

/* append-keeps-bytes: a note written by an earlier version */
static void test_append_keeps_old_bytes(void **state)
{
	struct result_run r;
	char sha[41], *text = NULL;
	struct store *s;
	size_t n = old_prefix_len();

	(void)state;
	add_note(old_note);
	s = open_repo(sha);
	store_fx_run(&r, NULL, "b", 0);
	assert_int_equal(store_append_run(s, sha, &r), 0);
	assert_int_equal(store_read_note(s, sha, &text, NULL), 0);
	assert_memory_equal(text, old_note, n);
	assert_string_equal(text + strlen(text) - strlen(old_note + n),
	                    old_note + n);
	assert_contains(text + n, r.id);
	free(text);
	result_run_release(&r);
	store_free(s);
}

/* append-keeps-bytes: notes written by this version, run after run */
static void test_append_keeps_own_bytes(void **state)
{
	struct result_run r;
	char sha[41], *before = NULL, *after = NULL;
	struct store *s = open_repo(sha);
	const char *tail = "\n]}\n";
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		store_fx_run(&r, NULL, "b", 0.0010348440000598202 * (i + 1));
		assert_int_equal(store_append_run(s, sha, &r), 0);
		result_run_release(&r);
		free(before);
		before = after;
		assert_int_equal(store_read_note(s, sha, &after, NULL), 0);
		if (!before)
			continue;
		assert_string_equal(after + strlen(after) - strlen(tail), tail);
		assert_memory_equal(after, before,
		                    strlen(before) - strlen(tail));
	}
	free(before);
	free(after);
	store_free(s);
}

/* duplicate-run-id: refused when appending, both kept by a merge */
static void test_duplicate_ids(void **state)
{
	const char *ours = "{\"schema\":1,\"runs\":[\n{\"id\":\"x\",\"label\":"
	                   "\"a\",\"benchmarks\":[]}\n]}\n";
	const char *same = "{\"schema\":1,\"runs\":[{\"id\":\"x\",\"label\":"
	                   "\"a\", \"benchmarks\":[]}]}";
	const char *other = "{\"schema\":1,\"runs\":[{\"id\":\"x\",\"label\":"
	                    "\"b\",\"benchmarks\":[]}]}";
	char *out = NULL;

	(void)state;
	assert_int_equal(store_note_union(&out, ours, strlen(ours), same,
	                                  strlen(same), "c", 1),
	                 0);
	assert_string_equal(out, ours);
	free(out);
	assert_int_equal(store_note_union(&out, ours, strlen(ours), other,
	                                  strlen(other), "c", 1),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "run 'x' is already stored");
	assert_null(out);
	assert_int_equal(store_note_union(&out, ours, strlen(ours), other,
	                                  strlen(other), "c", 0),
	                 0);
	assert_memory_equal(out, ours, strlen(ours) - 4);
	assert_contains(out, "\"label\":\"b\"");
	free(out);
}

/* merge-keeps-bytes: the union of ours and theirs copies both */
static void test_union_keeps_bytes(void **state)
{
	const char *theirs =
	        "{\"schema\":1,\"runs\":[\n{\"id\":\"r1\",\"label\":"
	        "\"a\\u0000b\","
	        "\"benchmarks\":[{\"name\":\"b\",\"metrics\":{\"wall_time\":{"
	        "\"unit\":\"s\",\"samples\":[0.00103484400005982,0.001,1.5]}}}]"
	        ","
	        "\"new\":1},\n{\"id\":\"t2\",\"x\":0.0010348440000598202,"
	        "\"benchmarks\":[]}\n]}\n";
	char *out = NULL;
	size_t n = old_prefix_len();

	(void)state;
	assert_int_equal(store_note_union(&out, old_note, strlen(old_note),
	                                  theirs, strlen(theirs), "c", 0),
	                 0);
	assert_memory_equal(out, old_note, n);
	/* r1 is the same run printed otherwise: not copied again */
	assert_null(strstr(out + n, "r1"));
	assert_contains(out + n, "{\"id\":\"t2\",\"x\":0.0010348440000598202,"
	                         "\"benchmarks\":[]}");
	assert_string_equal(out + strlen(out) - strlen(old_note + n),
	                    old_note + n);
	free(out);
}

/*
 * The append without a tree of the new run (a large import holds its
 * text once) writes what store_note_union() writes, or leaves it to it.
 */
static void test_append_one_is_union(void **state)
{
	static const char *const ours[] = {
	        old_note,
	        "{\"schema\":1,\"runs\":[]}",
	        "{\"schema\":1,\"runs\":[\n{\"id\":\"a\",\"benchmarks\":[]}\n]"
	        ",\n\"alerts\": [{\"id\":\"al\"}]\n}\n",
	        "{\"runs\":[{\"id\":\"a\",\"benchmarks\":[]}],\"schema\":1,"
	        "\"x\":{\"y\":[1,2]}}",
	        "{\"schema\":1,\"runs\":[{\"id\":\"fresh\",\"benchmarks\":[]}]"
	        "}",
	        "{\"sch\\u0065ma\":1,\"runs\":[]}",
	};
	/* left: always left to store_note_union(); id: left when ours has it */
	static const struct {
		const char *doc, *id;
		int left;
	} docs[] = {
	        {"{\"schema\":1,\"runs\":[\n{\"id\":\"fresh\",\"timestamp\":"
	         "\"t\",\"benchmarks\":[{\"name\":\"b\",\"metrics\":{}}]}\n]}"
	         "\n",
	         "\"fresh\"", 0},
	        {"{\"schema\":1,\"runs\":[\n{\"id\":\"r1\",\"benchmarks\":[]}"
	         "\n]}\n",
	         "\"r1\"", 0},
	        {"{\"schema\":1,\"runs\":[{\"id\":\"f1\",\"benchmarks\":[]},"
	         "{\"id\":\"f2\",\"benchmarks\":[]}]}",
	         NULL, 1},
	        {"{\"schema\":1,\"runs\":[{\"label\":\"x\",\"id\":\"f3\","
	         "\"benchmarks\":[]}]}",
	         NULL, 1},
	        {"{\"schema\":1,\"runs\":[{\"id\":\"f4\",\"benchmarks\":[]}],"
	         "\"alerts\":[{\"id\":\"z\"}]}",
	         NULL, 1},
	};
	size_t i, j, taken = 0;

	(void)state;
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		for (j = 0; j < sizeof(docs) / sizeof(docs[0]); j++) {
			const char *o = ours[i], *d = docs[j].doc;
			int left = docs[j].left || strstr(o, docs[j].id);
			char *fast = NULL, *want = NULL;
			int ferr, werr;

			ferr = store_note_append_one(&fast, o, strlen(o), d,
			                             strlen(d), "c");
			assert_int_equal(ferr, left);
			if (ferr > 0) {
				assert_null(fast);
				continue;
			}
			werr = store_note_union(&want, o, strlen(o), d,
			                        strlen(d), "c", 1);
			assert_int_equal(werr, 0);
			assert_string_equal(fast, want);
			taken++;
			free(fast);
			free(want);
		}
	}
	assert_int_equal(taken, 2 * 6 - 2);
	/* a note that is not perfgate's: the same message either way */
	{
		const char *bad = "{\"schema\":2,\"runs\":[]}";
		char *out = NULL;

		assert_int_equal(store_note_append_one(
		                         &out, bad, strlen(bad), docs[0].doc,
		                         strlen(docs[0].doc), "c"),
		                 PG_EINPUT);
		assert_contains(pg_error_last(), "unknown schema 2");
		assert_null(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_append_keeps_old_bytes,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_append_keeps_own_bytes,
	                                        setup, teardown),
	        cmocka_unit_test(test_duplicate_ids),
	        cmocka_unit_test(test_union_keeps_bytes),
	        cmocka_unit_test(test_append_one_is_union),
	        cmocka_unit_test_setup_teardown(test_unreadable_run_refused,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
