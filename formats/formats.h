/*
 * formats.h - reading other benchmark harnesses' output.
 *
 * One parser per format, all behind one table (formats/internal.h).  Each
 * turns a harness's output into perfgate benchmarks (model/result.h): a
 * name, optional parameters, and metrics with a normalised unit ("s", "B",
 * "B/s", "items/s", "count", ...), a direction and the raw samples (or a
 * single aggregate value, flagged with result_metric.aggregate, when the
 * harness only reports a summary).  docs/formats.md documents what each
 * format reads.
 *
 * Format names, used everywhere (config "format", --format):
 *   google-benchmark, hyperfine, go, pytest-benchmark, criterion, jmh, bmf,
 *   perfgate, and the load generators locust, wrk, hey, k6, autocannon
 *   (docs/load.md); and "auto", which detects the format from the content and
 *   fails when the content matches no format or more than one.
 *
 * Every error is PG_EINPUT with a message naming the source and, where
 * possible, the line or JSON path: malformed or truncated input, content of
 * another format than the one asked for, a benchmark with zero samples,
 * negative or non-finite values, duplicate benchmark names, unknown units.
 * Parsing is all or nothing: on error *out is left as it was.
 */
#ifndef PG_FORMATS_FORMATS_H
#define PG_FORMATS_FORMATS_H

#include <stddef.h>

#include "model/result.h"

#define FORMATS_AUTO "auto"

/*
 * The known format names, NULL-terminated ("auto" is not among them).
 * Static storage.
 */
const char *const *formats_names(void);

/*
 * 0 when name is a format name or "auto", otherwise PG_EINPUT with a
 * message listing the known names.
 */
int formats_check_name(const char *name);

/*
 * The name of the one format whose structure data matches (static
 * storage), or NULL with PG_EINPUT recorded when none or several match.
 * source names the input in messages.
 */
const char *formats_detect(const char *data, size_t len, const char *source);

/*
 * Parse len bytes of data in format (a format name or "auto") and append
 * its benchmarks to out.  source names the input in messages (a file
 * name).  A benchmark whose name already exists in out is a duplicate
 * error.  Criterion input here is one sample.json, named after the
 * directory that holds "new/sample.json" in source; use
 * formats_parse_path() on the criterion directory instead when possible.
 * Returns 0 or PG_EINPUT; out is unchanged on error.
 */
int formats_parse(const char *format, const char *data, size_t len,
                  const char *source, struct result_run *out);

/*
 * Like formats_parse() for the file at path.  A directory is read as a
 * criterion output directory (target/criterion or any directory under it):
 * every <id>/new/sample.json below it is one benchmark, named after the
 * "full_id" of its benchmark.json (or <id> when there is none).
 *
 * Locust's --csv output is three files: with format "locust" or "auto",
 * path may be PREFIX_stats.csv, the PREFIX itself (when there is no file
 * PREFIX), or a directory that holds exactly one *_stats.csv; the
 * siblings PREFIX_failures.csv and PREFIX_stats_history.csv are read when
 * they exist.
 *
 * Returns 0, PG_EINPUT (missing file, bad content), or PG_ERUNTIME (read
 * error).
 */
int formats_parse_path(const char *format, const char *path,
                       struct result_run *out);

/*
 * formats_parse_path() that also sets *used (static storage) to the
 * format it read (the detected one for "auto"), even on error when known.
 */
int formats_parse_path_as(const char *format, const char *path,
                          struct result_run *out, const char **used);

/*
 * Move the benchmarks of src into dst for a config entry that runs a
 * harness: each benchmark "inner" of src becomes "prefix/inner" in dst
 * (prefix may be NULL: names are kept).  When dst already has that
 * benchmark (an earlier invocation of the same harness), the samples of
 * each metric are appended instead, so that repeated invocations give
 * more samples.  An error message in src is kept.  Returns 0, or
 * PG_EINPUT when a metric changes unit or direction between invocations;
 * src is emptied (its benchmarks) in every case.
 */
int formats_merge(struct result_run *dst, struct result_run *src,
                  const char *prefix);

/*
 * Check a run as every format leaves it: each benchmark without an error
 * has at least one metric, each metric at least one sample, and every
 * sample is finite and not negative.  what names the source in messages.
 * Returns 0 or PG_EINPUT naming the benchmark and metric.
 */
int formats_validate(const struct result_run *run, const char *what);
/* formats_validate() of one benchmark. */
int formats_validate_bench(const struct result_bench *b, const char *what);

/*
 * formats_parse_path_as() into a spool (model/result_spool.h) rather than
 * a run, for `perfgate import`: every benchmark is written out as it is
 * read.  A bmf file (format "bmf", or "auto" on a document of bmf's shape)
 * is read in one pass straight into the spool, without a cJSON tree or a
 * model of the whole run (formats/bmf_stream.c); the others are parsed
 * into a run as formats_parse_path_as() parses them, then spooled.  A
 * benchmark the spool has already is a duplicate error.  Returns 0,
 * PG_EINPUT or PG_ERUNTIME; on error the spool may hold part of path's
 * benchmarks (import then stores nothing).
 */
struct result_spool;
int formats_spool_path(const char *format, const char *path,
                       struct result_spool *out, const char **used);

#endif
