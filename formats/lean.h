/*
 * lean.h - a cJSON tree without a node per sample, for large harness
 * files (hardening #18, finding 8: 50 MB hyperfine or pytest-benchmark
 * files took 700-800 MB, nearly all of it cJSON nodes of samples).
 *
 * fmt_lean_parse() reads the document as pg_json_parse() does, except
 * that every array of at least FMT_LEAN_MIN plain numbers is left
 * childless in the tree, its values kept in one block of doubles that
 * fmt_lean_numbers() returns.  The rest of the document is parsed by
 * cJSON itself, from a copy without those arrays, so a document is read
 * exactly as before: only the arrays whose every element this reader is
 * sure of (RFC 8259 numbers of at most 63 characters, read bit for bit
 * as cJSON reads them: util/jsonnum.h) are elided.  Anything else - an
 * invalid document, a number cJSON reads differently, no array worth
 * eliding - declines, and the caller parses the whole document with
 * pg_json_parse(), which also gives the error messages.
 *
 * Only the parsers that read numeric arrays through fmt_lean_numbers()
 * (fmt_lean_aware()) may be given a lean tree; the format detectors never
 * look into numeric arrays, so detection is the same on both trees.
 */
#ifndef PG_FORMATS_LEAN_H
#define PG_FORMATS_LEAN_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "util/buf.h"

/* Arrays shorter than this keep their nodes: not worth a block. */
#define FMT_LEAN_MIN 256

/*
 * Parse text[0..len) into *root (the caller cJSON_Delete()s it).  Returns
 * 0, or 1 when declined (*root NULL, no error recorded).
 */
int fmt_lean_parse(cJSON **root, const char *text, size_t len);

/*
 * When arr is an elided array: its values in *vals (borrowed from the
 * tree) and their count; otherwise *vals = NULL and 0 (iterate arr's
 * children as usual).
 */
size_t fmt_lean_numbers(const cJSON *arr, const double **vals);

/*
 * Print v unformatted into out exactly as cJSON_PrintUnformatted() prints
 * the same value parsed without elision.
 */
void fmt_lean_print(struct pg_buf *out, const cJSON *v);

#endif
