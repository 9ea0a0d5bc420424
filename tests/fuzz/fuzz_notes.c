/*
 * libFuzzer target: both note readers, cross-checked.  The fast reader
 * (model/result_fast.c) may decline, but when it accepts, the tree reader
 * must accept too and produce the same runs (compared through the
 * writer); when the tree reader refuses, the fast one must not accept.
 * Whatever the tree reader accepts must also survive a write and a read.
 */
#include "util/buf.h"
#include "util/error.h"
#include "util/printable.h"
#include "model/result.h"
#include "model/result_fast.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void print(struct pg_buf *b, const struct result_run *runs, size_t n)
{
	pg_buf_reset(b);
	result_doc_to_json(runs, n, b);
}

static int utf8(const char *text, size_t size)
{
	char *copy = strndup(text, size);
	int ok = pg_utf8_valid(copy);

	free(copy);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result_run *fast = NULL, *tree = NULL, *again = NULL;
	size_t nf = 0, nt = 0, na = 0;
	struct pg_buf a = PG_BUF_INIT, b = PG_BUF_INIT;
	const char *text = (const char *)data;
	int ef, et;

	ef = result_doc_parse_fast(&fast, &nf, text, size);
	et = result_doc_parse_tree(&tree, &nt, text, size, "fuzz");
	if (ef != 0 && ef != 1)
		abort();
	if (ef == 0 && et != 0) {
		/* the fast reader accepted what the tree refuses */
		fprintf(stderr, "fast accepted, tree: %s\n", pg_error_last());
		abort();
	}
	if (ef == 0) {
		print(&a, fast, nf);
		print(&b, tree, nt);
		if (nf != nt || a.len != b.len || memcmp(a.s, b.s, a.len)) {
			/* the readers disagree */
			fprintf(stderr, "fast: %.*s\ntree: %.*s\n", (int)a.len,
			        a.s, (int)b.len, b.s);
			abort();
		}
	}
	if (et == 0 && utf8(text, size)) {
		/*
		 * what is read can be written and read back the same (bytes
		 * that are not UTF-8 are written as U+FFFD, which may make two
		 * names one: perfgate refuses such names where they come in)
		 */
		print(&a, tree, nt);
		if (result_doc_parse(&again, &na, a.s, a.len, "again") != 0)
			abort();
		print(&b, again, na);
		if (a.len != b.len || memcmp(a.s, b.s, a.len))
			abort();
	}
	if (et != 0 && et != PG_EINPUT)
		abort();
	result_runs_free(fast, nf);
	result_runs_free(tree, nt);
	result_runs_free(again, na);
	pg_buf_release(&a);
	pg_buf_release(&b);
	return 0;
}
