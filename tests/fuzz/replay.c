/*
 * replay.c - run a fuzz target on files, without libFuzzer: how `make
 * check` replays every seed corpus (tests/fuzz/corpus/<target>/) once
 * with the ordinary compiler, so that a reintroduced crash fails CI
 * cheaply.  `make fuzz` links the same targets with libFuzzer instead.
 *
 *   fuzz_<target> FILE...
 */
#include "util/buf.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		struct pg_buf b = PG_BUF_INIT;

		if (pg_buf_read_file(&b, argv[i]) < 0) {
			fprintf(stderr, "replay: %s\n", pg_error_last());
			bad = 1;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)b.s, b.len);
		pg_buf_release(&b);
	}
	printf("replayed %d input%s\n", argc - 1, argc == 2 ? "" : "s");
	return bad;
}
