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

#include "util/error.h"
#include "util/result.h"

/* One input being detected or parsed. */
struct fmt_input {
	const char *data;
	size_t len;
	const char *source; /* file name for messages */
	cJSON *json; /* parsed once, lazily, by fmt_json() */
	int json_state; /* 0 not tried, 1 parsed, -1 not JSON */
};

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

/*
 * Read a criterion output directory: every <id>/new/sample.json below dir
 * is one benchmark.  0, PG_EINPUT or PG_ERUNTIME.
 */
int fmt_criterion_parse_dir(const char *dir, struct result_run *run);

/* The parsed document, or NULL when in is not valid JSON (no message). */
const cJSON *fmt_json(struct fmt_input *in);
/* The parsed document in *root, or PG_EINPUT naming line and column. */
int fmt_json_root(struct fmt_input *in, const cJSON **root);
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

/* Whether s (len bytes) starts with a JSON value, ignoring whitespace. */
int fmt_looks_like_json(const char *s, size_t len);

#endif
