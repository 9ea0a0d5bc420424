/*
 * result_spool.h - a run written out one benchmark at a time.
 *
 * `perfgate import` need not hold a whole run as a model: a bmf benchmark
 * is about 45 bytes of input but about 300 bytes of struct result_bench
 * and its allocations (hardening #18, finding 8).  A spool keeps only the
 * benchmarks' JSON, as result_bench_to_json() writes them (about 110 bytes
 * for such a benchmark), and a set of their names (8 bytes a slot), so a
 * reader can fill one struct result_bench, spool it and release it.
 * result_spool_finish() then makes the document that result_doc_to_json()
 * writes for the same run, byte for byte, without copying the benchmarks.
 *
 * Everything spooled is readable: each benchmark is read back with
 * result_doc_parse() as it is added, and the run's fields when the
 * document is finished, as store_append_run() reads back a whole run
 * before storing it.
 *
 * Ownership: the spool owns its memory, freed by result_spool_release();
 * result_spool_finish() hands the text to the caller's buffer.
 */
#ifndef PG_MODEL_RESULT_SPOOL_H
#define PG_MODEL_RESULT_SPOOL_H

#include <stddef.h>

#include "model/result.h"
#include "util/buf.h"

struct result_spool {
	/* the benchmarks' JSON, joined by RESULT_BENCH_SEPARATOR */
	struct pg_buf text;
	size_t nbenches;
	/* private: where each name's JSON string starts in text, plus 1
	 * (0: an empty slot), in an open-addressed table of cap slots */
	size_t *slots, cap;
	struct pg_buf name, check; /* scratch */
};

/* How much a spool held; see result_spool_rewind(). */
struct result_spool_mark {
	size_t len, nbenches;
};

void result_spool_init(struct result_spool *s);
void result_spool_release(struct result_spool *s);

/* 1 when s holds a benchmark named name, else 0. */
int result_spool_has(struct result_spool *s, const char *name);

/*
 * Append benchmark b (its name must be set).  Returns 0; 1 when s has a
 * benchmark of that name already; PG_EINPUT, naming the benchmark, when
 * what result_bench_to_json() wrote for it does not read back;
 * PG_ERUNTIME when interrupted meanwhile (util/cancel.h), or when the
 * text is not laid out as this module expects (an internal error).
 * Nothing is added unless 0 is returned.
 */
int result_spool_add(struct result_spool *s, const struct result_bench *b);

/*
 * Where s is now, and back to it: the benchmarks added since are gone
 * (and all of s's memory when the mark was an empty spool).
 */
void result_spool_mark(const struct result_spool *s,
                       struct result_spool_mark *m);
void result_spool_rewind(struct result_spool *s,
                         const struct result_spool_mark *m);

/*
 * The document {"schema": 1, "runs": [RUN]} into doc (released first):
 * RUN has run's fields (run's own benchmarks are not written) and the
 * spooled benchmarks.  The text moves into doc, not copied: s is empty
 * afterwards.  Returns 0; PG_EINPUT when run's fields do not read back,
 * PG_ERUNTIME when interrupted meanwhile (doc and s untouched in both).
 */
int result_spool_finish(struct result_spool *s, const struct result_run *run,
                        struct pg_buf *doc);

#endif
