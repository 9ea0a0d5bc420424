/*
 * result_fast.h - a fast reader of the results document.
 *
 * result_doc_parse() reads notes through a cJSON tree: a node and a
 * strtod() per sample, millions of small allocations on a long history.
 * This reader walks the text once and fills struct result_run directly,
 * reading numbers with pg_json_scan_number() (exact, see util/jsonnum.h).
 *
 * It accepts only what the tree reader (result_doc_parse_tree()) accepts,
 * and then produces exactly the same runs.  Anything else - bad input, but
 * also valid input it chooses not to handle (duplicate keys, surrogate
 * pairs, numbers longer than cJSON reads, control characters) - it
 * declines, and result_doc_parse() asks the tree reader, which gives the
 * same result or the same error message as before.  So error messages and
 * JSON paths come from one place, and the fast reader never has to be
 * right about an error.
 */
#ifndef PG_MODEL_RESULT_FAST_H
#define PG_MODEL_RESULT_FAST_H

#include <stddef.h>

#include "model/result.h"

/*
 * Read the document text[0..len).  Returns 0 with *runs an array of *n
 * runs (the caller frees it with result_runs_free()), or 1 when declined:
 * *runs = NULL, *n = 0, nothing allocated and no error recorded.
 * PG_ERUNTIME ("interrupted", *runs NULL) when SIGINT or SIGTERM arrived
 * while it read (util/cancel.h).
 */
int result_doc_parse_fast(struct result_run **runs, size_t *n, const char *text,
                          size_t len);

/*
 * Read text[0..len), one benchmark as result_bench_to_json() writes it,
 * as the benchmarks of a document are read, and forget it: 0 when it
 * reads, 1 when declined (it may still read: ask the whole reader),
 * PG_ERUNTIME when interrupted.  The spool's check that what it writes
 * reads back, without a copy of the benchmark (model/result_spool.h).
 */
int result_bench_parse_fast(struct result_bench *b, const char *text,
                            size_t len);

#endif
