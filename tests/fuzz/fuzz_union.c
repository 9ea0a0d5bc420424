/*
 * libFuzzer target: the union of two notes (store/notedoc.c), used by
 * every append and every sync merge.  The input is split at the first NUL
 * into ours and theirs.  When both are notes, the union is a note that
 * holds every run of ours byte for byte (ours is a prefix up to its last
 * run; gc's exception: a raw run that theirs has summarised is replaced
 * by the summary, store/gc.h) and is readable; no run is lost.
 */
#include "store/internal.h"
#include "util/error.h"
#include "model/result.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_runs(const char *text, size_t len, int *ok)
{
	struct result_run *runs = NULL;
	size_t n = 0;

	*ok = result_doc_parse_tree(&runs, &n, text, len, "fuzz") == 0;
	result_runs_free(runs, n);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t olen = nul ? (size_t)(nul - data) : size;
	const char *ours = (const char *)data, *theirs;
	size_t tlen, no, nt, nu;
	char *o = NULL, *out = NULL;
	int err, ok_o, ok_t, ok_u;

	theirs = nul ? (const char *)nul + 1 : "";
	tlen = nul ? size - olen - 1 : 0;
	if (memchr(theirs, 0, tlen))
		return 0;
	o = strndup(ours, olen); /* notes are C strings */
	err = store_note_union(&out, o, olen, theirs, tlen, "c", 0);
	if (err == 0) {
		no = count_runs(o, olen, &ok_o);
		nt = count_runs(theirs, tlen, &ok_t);
		nu = count_runs(out, strlen(out), &ok_u);
		/* both readable: so is the union, with no run lost */
		if (ok_o && ok_t && (!ok_u || nu < no || nu > no + nt))
			abort();
	} else if (err != PG_EINPUT) {
		abort();
	}
	free(out);
	free(o);
	return 0;
}
