/*
 * internal.h - what the parsers in formats/ share; not part of the public
 * interface (formats/formats.h), so cJSON may appear here.
 *
 * A parser is a struct fmt_ops: a name, a detector that says whether the
 * input has this format's structure, and a parse function that appends the
 * benchmarks to a scratch run.  formats.c owns the table, the detection
 * rules and the checks common to every format (duplicates, zero samples,
 * negative or non-finite values).
 */
#ifndef PG_FORMATS_INTERNAL_H
#define PG_FORMATS_INTERNAL_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

/* One input being detected or parsed. */
struct fmt_input {
	const char *data;
	size_t len;
	const char *source; /* file name for messages */
	cJSON *json; /* parsed once, lazily, by fmt_json() */
	/* 0 not tried, 1 parsed, -1 not JSON, or one of: */
	int json_state;
};

/* json is a lean tree (formats/lean.h): long numeric arrays elided */
#define FMT_JSON_LEAN 2
/* not parsed yet, and fmt_json() must not give a lean tree */
#define FMT_JSON_FULL 3

struct fmt_ops {
	const char *name;
	int is_json; /* the content is a JSON document */
	/* 1 when in has this format's structure, else 0; never an error. */
	int (*detect)(struct fmt_input *in);
	/* Append in's benchmarks to run; 0 or PG_EINPUT. */
	int (*parse)(struct fmt_input *in, struct result_run *run);
};

extern const struct fmt_ops fmt_google_benchmark;
extern const struct fmt_ops fmt_hyperfine;
extern const struct fmt_ops fmt_go;
extern const struct fmt_ops fmt_pytest_benchmark;
extern const struct fmt_ops fmt_criterion;
extern const struct fmt_ops fmt_jmh;
extern const struct fmt_ops fmt_bmf;
extern const struct fmt_ops fmt_perfgate;
extern const struct fmt_ops fmt_locust;
extern const struct fmt_ops fmt_wrk;
extern const struct fmt_ops fmt_hey;
extern const struct fmt_ops fmt_k6;
extern const struct fmt_ops fmt_autocannon;

/*
 * Read a criterion output directory: every <id>/new/sample.json below dir
 * is one benchmark.  0, PG_EINPUT or PG_ERUNTIME.
 */
int fmt_criterion_parse_dir(const char *dir, struct result_run *run);

/*
 * Read Locust's --csv output: stats_path is PREFIX_stats.csv, and
 * PREFIX_failures.csv and PREFIX_stats_history.csv are read too when they
 * exist.  0, PG_EINPUT or PG_ERUNTIME.
 */
int fmt_locust_parse_files(const char *stats_path, struct result_run *run);

/*
 * Read the bmf file at path in one pass into out (formats/bmf_stream.c).
 * Returns 0; 1 when declined (out as it was): the file is not a regular
 * file, not bmf, has an error, or holds anything this reader is not sure
 * to read exactly as the tree parser does, which then reads it (a message
 * recorded meanwhile means nothing); PG_ERUNTIME when interrupted
 * (util/cancel.h) or on an internal error (out as it was).  detecting:
 * the format is "auto", so a document that another format's detector
 * could also claim is declined too (the tree path decides).
 */
struct result_spool;
int fmt_bmf_stream(const char *path, struct result_spool *out, int detecting);
/* fmt_bmf_stream() reads the file this many bytes at a time. */
#define FMT_BMF_WINDOW (1u << 20)
/* fmt_bmf_stream() with another window (tests cut every token). */
int fmt_bmf_stream_window(const char *path, struct result_spool *out,
                          int detecting, size_t window);
/* fmt_bmf_stream() of text[0..len); source names it in messages. */
int fmt_bmf_stream_text(const char *text, size_t len, const char *source,
                        struct result_spool *out, int detecting);

/*
 * The parsed document, or NULL when in is not valid JSON (no message).
 * It may be a lean tree (formats/lean.h), which only detectors and the
 * parsers that read numeric arrays with fmt_push_numbers() or
 * fmt_lean_numbers() may see: fmt_json_full() first for the others.
 */
const cJSON *fmt_json(struct fmt_input *in);
/* Make fmt_json() give the whole tree from now on.  Returns 0. */
int fmt_json_full(struct fmt_input *in);
/* The parsed document in *root, or PG_EINPUT naming line and column. */
int fmt_json_root(struct fmt_input *in, const cJSON **root);

/*
 * The shape of many harness files, {"KEY": [ENTRY, ...]}: parse the
 * document and call each(c, run, entry) for every entry, with the JSON
 * path "$.KEY[i]" in c for messages.  Returns 0, PG_EINPUT when KEY is not
 * an array, or each's first error.
 */
struct fmt_ctx;
typedef int (*fmt_entry_fn)(struct fmt_ctx *c, struct result_run *run,
                            const cJSON *entry);
int fmt_json_each(struct fmt_input *in, struct result_run *run, const char *key,
                  fmt_entry_fn each);
void fmt_input_release(struct fmt_input *in);

/*
 * Where a parser is: the source and a JSON path ("$.benchmarks[3]") or a
 * line ("line 12"), for messages.
 */
struct fmt_ctx {
	const char *source;
	char path[512];
};

void fmt_ctx_init(struct fmt_ctx *c, const char *source, const char *path);
/* Append to the path; returns the old length for fmt_path_pop(). */
size_t fmt_path_push(struct fmt_ctx *c, const char *fmt, ...) PG_PRINTF(2, 3);
void fmt_path_pop(struct fmt_ctx *c, size_t len);
/* Record "'source': path: message" and return PG_EINPUT. */
int fmt_error(const struct fmt_ctx *c, const char *fmt, ...) PG_PRINTF(2, 3);

/*
 * Push v * scale to m after checking that it is finite and not negative
 * (an error at c's path naming v as the harness wrote it otherwise).
 */
int fmt_push(const struct fmt_ctx *c, struct result_metric *m, double v,
             double scale);

/*
 * Push every element of arr, an array of numbers (also one that
 * formats/lean.h elided), to m unscaled: PG_EINPUT at c's path and index
 * for an element that is not a number or that fmt_push() refuses,
 * PG_ERUNTIME when interrupted (util/cancel.h).  arr must be an array.
 */
int fmt_push_numbers(struct fmt_ctx *c, struct result_metric *m,
                     const cJSON *arr);

/* Member key of obj as a number: 0, 1 when absent, or PG_EINPUT. */
int fmt_get_number(const struct fmt_ctx *c, const cJSON *obj, const char *key,
                   double *out);
/* Member key as a string (borrowed): 0, 1 when absent or null, PG_EINPUT. */
int fmt_get_string(const struct fmt_ctx *c, const cJSON *obj, const char *key,
                   const char **out);

/*
 * A new benchmark named name in run; PG_EINPUT at c's path when run has
 * one already or name is empty.
 */
int fmt_bench_new(const struct fmt_ctx *c, struct result_run *run,
                  const char *name, struct result_bench **out);

/*
 * The benchmark named name in run, added when run has none (formats whose
 * rows accumulate into one benchmark); PG_EINPUT at c's path when name is
 * empty, which no reader of a stored note accepts.
 */
int fmt_bench_get(const struct fmt_ctx *c, struct result_run *run,
                  const char *name, struct result_bench **out);

/* Set a parameter from a JSON scalar (strings as is, numbers %g). */
void fmt_param_json(struct result_bench *b, const char *key, const cJSON *v);

/* A unit that perfgate knows and what it becomes. */
struct fmt_unit {
	const char *name; /* as the harness writes it */
	const char *unit; /* normalised */
	double scale; /* multiply a value by this to get the normalised unit */
	enum result_direction direction;
};

/* The entry for unit (case-sensitive), or NULL when unknown. */
const struct fmt_unit *fmt_unit_find(const char *unit);

/* The bmf measure called name (its unit and direction), or NULL. */
const struct fmt_unit *fmt_bmf_measure(const char *name);

/*
 * Load generators (formats/load.c).  Every load benchmark carries the
 * same metrics, whatever the tool (docs/load.md):
 *   latency_p50, latency_p90, latency_p95, latency_p99, latency_max,
 *   latency_mean   s, lower is better, aggregate (one value per run)
 *   latency        s, lower, the raw per-request latencies (or an evenly
 *                  spaced quantile grid of them, see PG_MAX_RAW_LATENCIES)
 *   throughput     req/s, higher, aggregate
 *   requests       count of requests, higher, aggregate
 *   failures       count of failed requests, lower, aggregate
 *   error_rate     failures / requests, "ratio", lower, aggregate
 */
#define FMT_LOAD_THROUGHPUT_UNIT "req/s"

/*
 * Add v * scale as the one aggregate value of metric (one of the names
 * above but latency, requests, failures, error_rate); PG_EINPUT at c's
 * path for a negative or non-finite value.
 */
int fmt_load_stat(const struct fmt_ctx *c, struct result_bench *b,
                  const char *metric, double v, double scale);

/*
 * Add requests, failures and error_rate.  Both counts must be whole
 * numbers, requests > 0 and failures <= requests: PG_EINPUT otherwise.
 */
int fmt_load_counts(const struct fmt_ctx *c, struct result_bench *b,
                    double requests, double failures);

/*
 * Add the n raw latencies lat (seconds, in request order) as "latency",
 * and latency_p50 ... latency_mean computed from them (type-7 quantiles).
 * More than PG_MAX_RAW_LATENCIES are replaced by that many evenly spaced
 * quantiles and the "latency_reduced_from" parameter says how many there
 * were.  lat is not modified; n must be > 0.
 */
void fmt_load_latencies(struct result_bench *b, const double *lat, size_t n);

/*
 * Put b's load metrics in the canonical order: latency_p95, latency_p99,
 * latency_p90, latency_p50, latency_mean, latency_max, throughput,
 * error_rate, requests, failures, latency.  The first metric is a
 * harness benchmark's primary metric, which gates by default, so a load
 * test gates on its p95 where the tool reports one.  Returns 0, or err
 * unchanged when err < 0 (so a parser can end with it).
 */
int fmt_load_order(struct result_bench *b, int err);

/*
 * Split a CSV line (RFC 4180 quoting, no embedded newlines) in place into
 * at most max fields.  Returns the number of fields, or -1 for an
 * unterminated quote or more than max fields.
 */
int fmt_csv_split(char *line, char **fields, size_t max);

/*
 * Iterate over the lines of in: *line (NUL-terminated, without "\r\n",
 * reused between calls) and *lineno; returns 1 while there is a line, 0
 * at the end, PG_EINPUT for a NUL byte or a last line without a newline
 * (truncated output).  *off starts at 0.
 */
int fmt_next_line(const struct fmt_input *in, size_t *off, struct pg_buf *line,
                  size_t *lineno);

/* A whole non-negative number from s (all of it): 0, or -1. */
int fmt_parse_count(const char *s, double *out);

/*
 * 1 when x is a whole number from 0 to 2^63 (exclusive), the counts a
 * long long holds; 0 otherwise (NaN, negative, fractional, too large).
 */
int fmt_is_count(double x);
/* A finite number from s (all of it, surrounding blanks allowed): 0, -1. */
int fmt_parse_double(const char *s, double *out);

/* Whether s (len bytes) starts with a JSON value, ignoring whitespace. */
int fmt_looks_like_json(const char *s, size_t len);

#endif
