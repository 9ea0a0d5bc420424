/*
 * libFuzzer target: every format parser.  The first byte picks the
 * format (or "auto"); the rest is the input.  Each parse returns 0 or
 * PG_EINPUT, and what it accepts is a run the store would accept
 * (formats_validate) that survives a write and a read.
 */
#include "formats/formats.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
