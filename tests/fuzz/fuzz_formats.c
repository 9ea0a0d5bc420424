/*
 * libFuzzer target: every format parser.  The first byte picks the
 * format (or "auto"); the rest is the input.  Each parse returns 0 or
 * PG_EINPUT, and what it accepts is a run the store would accept
 * (formats_validate) that survives a write and a read.  For bmf and
 * "auto", whatever the one-pass reader (formats/bmf_stream.c) takes, the
 * tree parser must take too, and both must write the same document.
 */
#include "formats/formats.h"
#include "formats/internal.h"
#include "model/result_spool.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The document of run's benchmarks under a fixed run head. */
static void fixed_doc(struct result_run *run, struct pg_buf *doc)
{
	run->id = strdup("0123456789abcdef0123456789abcdef");
	result_doc_to_json(run, 1, doc);
	free(run->id);
	run->id = NULL;
}

/* The one-pass bmf reader against the tree parser's err and run. */
static void cross_check(const char *format, const uint8_t *data, size_t size,
                        int err, struct result_run *run)
{
	struct pg_buf want = PG_BUF_INIT, got = PG_BUF_INIT;
	struct result_spool spool;
	struct result_run head;
	int auto_ = !strcmp(format, "auto");

	if (!auto_ && strcmp(format, "bmf"))
		return;
	result_spool_init(&spool);
	if (fmt_bmf_stream_text((const char *)data, size, "fuzz", &spool,
	                        auto_) == 0) {
		/* taken: the tree parser reads the same benchmarks */
		if (err != 0)
			abort();
		result_run_init(&head);
		head.id = strdup("0123456789abcdef0123456789abcdef");
		if (result_spool_finish(&spool, &head, &got) != 0)
			abort();
		fixed_doc(run, &want);
		if (strcmp(want.s, got.s))
			abort();
		result_run_release(&head);
	} else if (spool.nbenches) {
		abort(); /* a decline leaves the spool as it was */
	}
	result_spool_release(&spool);
	pg_buf_release(&want);
	pg_buf_release(&got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *names = formats_names();
	struct result_run run, *back = NULL;
	struct pg_buf doc = PG_BUF_INIT;
	const char *format = "auto";
	size_t n = 0, nback = 0;
	int err;

	while (names[n])
		n++;
	if (size && data[0] % (n + 1) < n)
		format = names[data[0] % (n + 1)];
	if (size) {
		data++;
		size--;
	}
	result_run_init(&run);
	err = formats_parse(format, (const char *)data, size, "fuzz", &run);
	if (err != 0 && err != PG_EINPUT)
		abort();
	cross_check(format, data, size, err, &run);
	if (err == 0 && run.nbenches && formats_validate(&run, "fuzz") == 0) {
		result_doc_to_json(&run, 1, &doc);
		if (result_doc_parse(&back, &nback, doc.s, doc.len, "back") !=
		    0)
			abort(); /* accepted, written, and then unreadable */
	}
	result_runs_free(back, nback);
	pg_buf_release(&doc);
	result_run_release(&run);
	return 0;
}
