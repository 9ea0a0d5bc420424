/*
 * formats_spool_path() and the one-pass bmf reader (formats/bmf_stream.c):
 * whatever the reader takes it must read as the tree parser does, the
 * same document byte for byte, and everything else it must leave to the
 * tree parser, which gives the same result or message as before
 * (hardening #18, finding 8: a bmf import holds the spool, not a model).
 */
#define FORMATS_FIXTURE_DIR "tests/fixtures"
#include "tests/unit/unit.h"
#include "tests/unit/formats_fixture.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/internal.h"
#include "model/result_spool.h"
#include "util/buf.h"
#include "util/cancel.h"

/* bmf the one-pass reader takes. */
static const char *const streamed[] = {
        "{\"a\": {\"latency\": {\"value\": 1.5}}, \"b\": {\"throughput\": "
        "{\"value\": 10, \"lower_value\": 9, \"upper_value\": 11}, "
        "\"latency\": {\"value\": 3}}}",
        "\r\n\t{ \"a\" :\n{ \"latency\" : { \"value\" : 2.5e-3 } } }\n ",
        "{\"caf\\u00e9 \\\"x\\\" a\\/b\\n\": {\"latency\": {\"value\": 1}}}",
        "{\"a\": {\"latency\": {\"value\": 1, \"note\": {\"x\": [1, "
        "{\"y\": null}, true, \"s\"]}}}}",
        "{\"a\": {\"build-time\": {\"value\": 0}, \"file-size\": {\"value\": "
        "4.9e-324}, \"instructions\": {\"value\": 1e15}}}",
        /* a key some detector looks for, but not with its partner */
        "{\"latency\": {\"latency\": {\"value\": 200}}, \"context\": "
        "{\"latency\": {\"value\": 1}}, \"times\": {\"file-size\": "
        "{\"value\": 3}}, \"runs\": {\"latency\": {\"value\": 2}}}",
};

/* What it leaves to the tree parser (which may accept it, or refuse). */
static const char *const declined[] = {
        "{}",
        "{\"a\": {}}",
        "{\"\": {\"latency\": {\"value\": 1}}}",
        "{\"a\": {\"latency\": {\"value\": 1}}, \"a\": {\"latency\": "
        "{\"value\": 2}}}",
        "{\"a\": {\"latency\": {\"value\": 1}, \"latency\": {\"value\": 2}}}",
        "{\"a\": {\"latency\": {\"value\": 1, \"value\": 2}}}",
        "{\"a\": {\"bogus\": {\"value\": 1}}}",
        "{\"a\": {\"latency\": {\"value\": -1}}}",
        "{\"a\": {\"latency\": {\"value\": 1e400}}}",
        "{\"a\": {\"latency\": {\"lower_value\": 1}}}",
        "{\"a\": {\"latency\": {\"value\": \"1\"}}}",
        "{\"a\": {\"latency\": {\"value\": 1, \"lower_value\": null}}}",
        "{\"a\": {\"latency\": 5}}",
        "{\"a\": {\"latency\": {\"value\": 01}}}",
        "{\"x\\ud83d\\ude00\": {\"latency\": {\"value\": 1}}}",
        "{\"a\\u0000b\": {\"latency\": {\"value\": 1}}}",
        "{\"a\tb\": {\"latency\": {\"value\": 1}}}",
        "{\"a\\xff\": {\"latency\": {\"value\": 1}}}",
        "{\"a\": {\"latency\": {\"value\": 1}}} x",
        "{\"a\": {\"latency\": {\"value\": 1}}",
        "\xef\xbb\xbf{\"a\": {\"latency\": {\"value\": 1}}}",
        "[{\"a\": 1}]",
        "{\"results\": [{\"command\": \"x\", \"times\": [1]}]}",
};

/* bmf-shaped, but a key another format's detector looks for. */
static const char *const markers[] = {
        "{\"context\": {\"latency\": {\"value\": 1}}, \"benchmarks\": "
        "{\"latency\": {\"value\": 2}}}",
        "{\"iters\": {\"latency\": {\"value\": 1}}, \"times\": {\"latency\": "
        "{\"value\": 2}}}",
        "{\"schema\": {\"latency\": {\"value\": 1}}, \"runs\": {\"latency\": "
        "{\"value\": 2}}}",
        "{\"perfgate_wrk\": {\"latency\": {\"value\": 1}}}",
        "{\"benchmarks\": {\"latency\": {\"value\": 1}}, \"commit_info\": "
        "{\"latency\": {\"value\": 2}}, \"x\": {\"latency\": {\"value\": 3}}}",
};

static char dir[] = "/tmp/pg-test-spool.XXXXXX";

static const char *write_doc(const char *text)
{
	static char path[sizeof(dir) + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/in.json", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
	return path;
}

static void header(struct result_run *run)
{
	run->id = strdup("0123456789abcdef0123456789abcdef");
	run->timestamp = strdup("2026-12-02T08:00:00Z");
}

/*
 * path in format both ways: the same document, or the same error.
 * Returns what fmt_bmf_stream() did with it on its own.
 */
static int both_ways(const char *format, const char *path, int detecting)
{
	struct pg_buf want = PG_BUF_INIT, got = PG_BUF_INIT;
	char *want_err = NULL;
	struct result_spool s;
	struct result_run run;
	int werr, gerr, one_pass;

	result_run_init(&run);
	werr = formats_parse_path(format, path, &run);
	if (werr)
		want_err = strdup(pg_error_last());
	header(&run);
	result_doc_to_json(&run, 1, &want);
	result_run_release(&run);

	result_spool_init(&s);
	gerr = formats_spool_path(format, path, &s, NULL);
	if (werr) {
		assert_int_equal(gerr, werr);
		assert_string_equal(pg_error_last(), want_err);
	} else {
		assert_int_equal(gerr, 0);
		result_run_init(&run);
		header(&run);
		assert_int_equal(result_spool_finish(&s, &run, &got), 0);
		assert_string_equal(got.s, want.s);
		result_run_release(&run);
	}
	result_spool_release(&s);

	result_spool_init(&s);
	one_pass = fmt_bmf_stream(path, &s, detecting);
	if (one_pass)
		assert_int_equal(s.nbenches, 0); /* a decline leaves nothing */
	result_spool_release(&s);
	free(want_err);
	pg_buf_release(&want);
	pg_buf_release(&got);
	return one_pass;
}

static void test_streamed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(streamed) / sizeof(streamed[0]); i++) {
		const char *path = write_doc(streamed[i]);

		assert_int_equal(both_ways("bmf", path, 0), 0);
		assert_int_equal(both_ways("auto", path, 1), 0);
	}
	assert_int_equal(both_ways("bmf", fixture("bmf.json"), 0), 0);
	assert_int_equal(both_ways("auto", fixture("bmf.json"), 1), 0);
}

static void test_declined(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(declined) / sizeof(declined[0]); i++) {
		const char *path = write_doc(declined[i]);

		assert_int_equal(both_ways("bmf", path, 0), 1);
		assert_int_equal(both_ways("auto", path, 1), 1);
	}
	for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
		const char *path = write_doc(markers[i]);

		assert_int_equal(both_ways("bmf", path, 0), 0);
		assert_int_equal(both_ways("auto", path, 1), 1);
	}
	/* not a regular file */
	assert_int_equal(both_ways("bmf", dir, 0), 1);
}

/* The other formats go through a run: the same document as before. */
static void test_other_formats(void **state)
{
	static const char *const files[] = {
	        "hyperfine.json",        "google-benchmark.json", "jmh.json",
	        "pytest-benchmark.json", "perfgate.json",         "go.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		assert_int_equal(both_ways("auto", fixture(files[i]), 1), 1);
}

/* Two files with one name: the second is a duplicate, whichever path. */
static void test_duplicate_across_files(void **state)
{
	struct result_spool s;
	const char *path;

	(void)state;
	result_spool_init(&s);
	path = write_doc(streamed[0]);
	assert_int_equal(formats_spool_path("bmf", path, &s, NULL), 0);
	assert_int_equal(formats_spool_path("auto", path, &s, NULL), PG_EINPUT);
	assert_contains(pg_error_last(), "duplicate benchmark 'a' (an earlier "
	                                 "input has it too)");
	assert_int_equal(s.nbenches, 2);
	result_spool_release(&s);
}

/* What the one-pass reader made of text in one go, or of path by window. */
static int spool_text(const char *text, struct pg_buf *out)
{
	struct result_spool s;
	int err;

	result_spool_init(&s);
	err = fmt_bmf_stream_text(text, strlen(text), "t", &s, 1);
	pg_buf_reset(out);
	pg_buf_add(out, s.text.s, s.text.len);
	result_spool_release(&s);
	return err;
}

static int spool_window(const char *path, size_t window, struct pg_buf *out)
{
	struct result_spool s;
	int err;

	result_spool_init(&s);
	err = fmt_bmf_stream_window(path, &s, 1, window);
	pg_buf_reset(out);
	pg_buf_add(out, s.text.s, s.text.len);
	result_spool_release(&s);
	return err;
}

/*
 * Windows of 1 to 70 bytes cut every token somewhere: the file read a
 * window at a time gives what the whole text gives.
 */
static void test_windows(void **state)
{
	const char *const *lists[] = {streamed, declined, markers};
	size_t sizes[] = {sizeof(streamed) / sizeof(streamed[0]),
	                  sizeof(declined) / sizeof(declined[0]),
	                  sizeof(markers) / sizeof(markers[0])};
	struct pg_buf want = PG_BUF_INIT, got = PG_BUF_INIT;
	size_t l, i, w;

	(void)state;
	for (l = 0; l < 3; l++) {
		for (i = 0; i < sizes[l]; i++) {
			const char *path = write_doc(lists[l][i]);
			int werr = spool_text(lists[l][i], &want);

			for (w = 1; w <= 70; w++) {
				assert_int_equal(spool_window(path, w, &got),
				                 werr);
				assert_string_equal(got.s, want.s);
			}
		}
	}
	pg_buf_release(&want);
	pg_buf_release(&got);
}

/* A FIFO is not opened by the one-pass reader: the tree path reads it. */
static void test_fifo(void **state)
{
	struct result_spool s;
	char path[sizeof(dir) + 16];
	pid_t pid;
	int status;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f = fopen(path, "w");

		if (!f)
			_exit(1);
		fputs(streamed[0], f);
		_exit(fclose(f) ? 1 : 0);
	}
	result_spool_init(&s);
	assert_int_equal(formats_spool_path("bmf", path, &s, NULL), 0);
	assert_int_equal(s.nbenches, 2);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	result_spool_release(&s);
	unlink(path);
}

static void test_interrupted(void **state)
{
	struct result_spool s;

	(void)state;
	result_spool_init(&s);
	pg_cancel_signal = SIGTERM;
	assert_int_equal(fmt_bmf_stream(write_doc(streamed[0]), &s, 0),
	                 PG_ERUNTIME);
	pg_cancel_signal = 0;
	assert_int_equal(s.nbenches, 0);
	result_spool_release(&s);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[sizeof(dir) + 16];

	(void)state;
	snprintf(path, sizeof(path), "%s/in.json", dir);
	unlink(path);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_streamed),
	        cmocka_unit_test(test_declined),
	        cmocka_unit_test(test_other_formats),
	        cmocka_unit_test(test_duplicate_across_files),
	        cmocka_unit_test(test_windows),
	        cmocka_unit_test(test_fifo),
	        cmocka_unit_test(test_interrupted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
