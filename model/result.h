/*
 * result.h - the results model: one run of a suite on one commit.
 *
 * Every producer (runner/, formats/) fills a struct result_run; every
 * consumer (store/, gate, reporters/) reads one.  The JSON form is the same
 * document everywhere: `perfgate run --json FILE`, a git note and the
 * `perfgate` import format all hold
 *
 *   {"schema": 1, "runs": [RUN, ...]}
 *
 * and RUN is documented in docs/results-format.md.  Two readers parse it:
 * model/result_fast.c (one pass, for history) and model/result_json.c (the
 * cJSON tree, which the fast one defers to on anything unusual).  A new
 * field must be read by both, or the fast reader must decline it.  All strings
 * and arrays in these structs are owned by the struct that holds them and freed
 * by result_run_release().
 */
#ifndef PG_MODEL_RESULT_H
#define PG_MODEL_RESULT_H

#include <stddef.h>

#include "util/buf.h"

#define RESULT_SCHEMA 1

enum result_direction {
	RESULT_LOWER_IS_BETTER = 0,
	RESULT_HIGHER_IS_BETTER = 1,
};

/* Names of the metrics that the process runner measures. */
#define RESULT_WALL_TIME "wall_time"
#define RESULT_CPU_USER "cpu_user"
#define RESULT_CPU_SYS "cpu_sys"
#define RESULT_MAX_RSS "max_rss"
/* User-space instructions (unit "count"); its bench param
 * RESULT_INSTRUCTIONS_SOURCE says how they were counted. */
#define RESULT_INSTRUCTIONS "instructions"
#define RESULT_INSTRUCTIONS_SOURCE "instructions_source"

/* result_run.mode of the runs of a paired session. */
#define RESULT_MODE_PAIRED "paired"

/*
 * What `perfgate gc` keeps of a metric whose raw samples it dropped
 * (docs/results-format.md "Summarised runs"): the number of samples, their
 * mean, standard deviation (n - 1) and scaled MAD.  The metric's samples
 * are then the RESULT_SUMMARY_POINTS type-7 quantiles at
 * RESULT_SUMMARY_PROBS (min, ..., median, ..., max), so a reader that only
 * looks at samples sees the right median, range and spread.  n == 0: the
 * metric holds raw samples.
 */
#define RESULT_SUMMARY_POINTS 9
#define RESULT_SUMMARY_PROBS                                                   \
	{                                                                      \
		0.0, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 1.0             \
	}
/* Where the quartiles and the median are among the points. */
#define RESULT_SUMMARY_Q1 3
#define RESULT_SUMMARY_MEDIAN 4
#define RESULT_SUMMARY_Q3 5
/*
 * Significant digits a summary's values are rounded to: a relative error
 * below 5e-9, far below any measurement's resolution and noise, and about
 * half the bytes of a double printed to read back exactly.
 */
#define RESULT_SUMMARY_DIGITS 9
/* The largest n a summary may record (integers up to 2^53 are exact). */
#define RESULT_SUMMARY_MAX_N 1e15
struct result_summary {
	size_t n;
	double mean, sd, mad;
};

struct result_metric {
	char *name; /* "wall_time", "max_rss", "items_per_second", ... */
	char *unit; /* normalised: "s", "B", "B/s", "items/s", "count", ... */
	enum result_direction direction;
	/* 1 when each sample is an aggregate (a harness's mean), not raw. */
	int aggregate;
	double *samples;
	size_t n, alloc;
	/* summary.n > 0: summarised by gc; samples are its quantile points */
	struct result_summary summary;
};

struct result_param {
	char *key;
	char *value;
};

struct result_bench {
	char *name;
	/* Non-NULL when the benchmark failed; it then has no verdict. */
	char *error;
	struct result_param *params;
	size_t nparams, params_alloc;
	struct result_metric *metrics;
	size_t nmetrics, metrics_alloc;
};

/* Where a run was measured.  Strings may be NULL when unknown. */
struct result_env {
	char *hostname;
	char *cpu_model;
	char *kernel;
	long cores;
	double loadavg[3];
};

struct result_run {
	char *id; /* unique: 32 hex digits */
	char *timestamp; /* ISO 8601 UTC, "2026-11-25T08:00:00Z" */
	char *label; /* runner label, may be NULL */
	char *version; /* perfgate version that measured it */
	char *config_hash; /* hash of the config file, may be NULL */
	char *commit; /* full SHA it was measured on, may be NULL */
	int dirty; /* working tree had uncommitted changes */
	char *source; /* "run", "import:<format>", ... may be NULL */
	/*
	 * Paired sessions (perfgate gate --paired, perfgate ab): mode is
	 * "paired" (NULL for a plain run), session the 32 hex digits shared
	 * by both sides' runs, side "base" or "cand".  Paired runs are never
	 * stored baselines (gate/baseline.c).
	 */
	char *mode;
	char *session;
	char *side;
	/*
	 * `--shard I/N`: the run measured shard shard_index (1..shard_count)
	 * of a suite split shard_count ways (result_shard_of); both 0 when
	 * the run is not a shard.
	 */
	unsigned shard_index, shard_count;
	/*
	 * 1 when `perfgate gc` replaced the run's raw samples by summaries
	 * ("summarised": true): such a run wins over a raw run with the same
	 * id when notes are merged, so a sync never brings the samples back.
	 */
	int summarised;
	struct result_env env;
	struct result_bench *benches;
	size_t nbenches, benches_alloc;
	/*
	 * result_bench_find()'s index of the names: private, NULL until a
	 * lookup in a large run needs it, freed by result_run_release().  It
	 * moves with the struct when a run is copied by value (and the copy
	 * takes over the benchmarks).
	 */
	struct result_find *find;
};

void result_run_init(struct result_run *run);
void result_run_release(struct result_run *run);

/*
 * Give run a fresh id and the current UTC timestamp, and fill env from this
 * machine (uname, /proc/cpuinfo, sysconf, getloadavg).  label may be NULL.
 * Returns 0 or PG_ERUNTIME when no randomness is available.
 */
int result_run_stamp(struct result_run *run, const char *label);

/*
 * Give run a fresh random id (32 hex digits), replacing any it had.
 * Returns 0 or PG_ERUNTIME when no randomness is available.
 */
int result_run_new_id(struct result_run *run);

/*
 * Free what b holds and zero it (b itself is not freed): a benchmark the
 * caller filled on its own, or one of a run that is done with early.
 */
void result_bench_release(struct result_bench *b);

/* Append a benchmark named name; the pointer is valid until the next add. */
struct result_bench *result_bench_add(struct result_run *run, const char *name);
/* The benchmark named name, or NULL. */
struct result_bench *result_bench_find(const struct result_run *run,
                                       const char *name);
void result_bench_set_param(struct result_bench *b, const char *key,
                            const char *value);
/*
 * Remove the benchmark named name from run (the order of the others is
 * kept).  Returns 1 when one was removed, 0 when run has none.
 */
int result_run_remove_bench(struct result_run *run, const char *name);
/* The value of param key, borrowed from b; NULL when b has none. */
const char *result_bench_param(const struct result_bench *b, const char *key);
/* Record a failure; replaces any earlier message. */
void result_bench_set_error(struct result_bench *b, const char *msg);

/*
 * The metric named name, created with unit and direction if absent.  The
 * pointer is valid until the next metric is added to b.
 */
struct result_metric *result_metric_get(struct result_bench *b,
                                        const char *name, const char *unit,
                                        enum result_direction direction);
struct result_metric *result_metric_find(const struct result_bench *b,
                                         const char *name);
void result_metric_push(struct result_metric *m, double value);

/*
 * The benchmark parameter a paired session sets on both sides: the pairs
 * it measured.
 */
#define RESULT_PARAM_PAIRS "pairs"

/*
 * 1 when metric m of b can be matched pair by pair: b is not from a
 * paired session (no RESULT_PARAM_PAIRS), or m has exactly one sample per
 * pair.  A harness or load tool that reports several values per
 * invocation (raw latencies, repetitions) gives samples that do not match
 * pair by pair; they are compared as two samples instead.
 */
int result_metric_one_per_pair(const struct result_bench *b,
                               const struct result_metric *m);

const char *result_direction_name(enum result_direction d);

/*
 * The key that decides which runs may be compared: runs with different keys
 * are never compared by default.  It is the runner label when one was set,
 * otherwise the CPU model and core count (not the hostname, which differs
 * on every hosted CI runner).  Returns a malloc'd string.
 */
char *result_run_env_key(const struct result_run *run);

/* Serialise one run as a JSON object (no enclosing document). */
void result_run_to_json(const struct result_run *run, struct pg_buf *out);

/*
 * The pieces of result_run_to_json() and result_doc_to_json(), for writers
 * that serialise a run one benchmark at a time (model/result_spool.h): a
 * document is RESULT_DOC_HEAD_FMT (with RESULT_SCHEMA), the runs joined by
 * ",\n", and RESULT_DOC_TAIL; a run is result_run_head_to_json() (every
 * field of run but its benchmarks, ending in "\"benchmarks\":["), the
 * benchmarks (result_bench_to_json()) joined by RESULT_BENCH_SEPARATOR, and
 * RESULT_RUN_TAIL.
 */
#define RESULT_DOC_HEAD_FMT "{\"schema\":%d,\"runs\":[\n"
#define RESULT_DOC_TAIL "\n]}\n"
#define RESULT_BENCH_SEPARATOR ",\n"
#define RESULT_RUN_TAIL "]}"
void result_run_head_to_json(const struct result_run *run, struct pg_buf *out);
void result_bench_to_json(const struct result_bench *b, struct pg_buf *out);

/* Serialise runs as a whole document {"schema": 1, "runs": [...]}. */
void result_doc_to_json(const struct result_run *runs, size_t n,
                        struct pg_buf *out);

/*
 * Parse a document {"schema": 1, "runs": [...]}.  what names the source in
 * messages (a file name, or "note for <sha>").  On success *runs is an
 * array of *n runs that the caller frees with result_runs_free().  Returns
 * PG_EINPUT with the JSON path at fault for bad input: invalid JSON, an
 * unknown schema, wrong types, non-finite samples; PG_ERUNTIME
 * ("interrupted") when SIGINT or SIGTERM arrived meanwhile (util/cancel.h).
 */
int result_doc_parse(struct result_run **runs, size_t *n, const char *text,
                     size_t len, const char *what);

/*
 * result_doc_parse() through a cJSON tree: the reference that the fast
 * reader of model/result_fast.h is checked against, and what
 * result_doc_parse() falls back to for whatever the fast reader declines.
 * Same contract; several times slower on large documents.
 */
int result_doc_parse_tree(struct result_run **runs, size_t *n, const char *text,
                          size_t len, const char *what);

void result_runs_free(struct result_run *runs, size_t n);

/*
 * The shard (1..count) that benchmark name belongs to when a suite is split
 * count ways: the FNV-1a 64-bit hash of the name modulo count, plus 1.
 * Stable across machines, versions and the order of the suite.  count 0 or
 * 1 gives 1.
 */
unsigned result_shard_of(const char *name, unsigned count);

/* FNV-1a 64-bit hash as 16 hex digits into out[17]; for config hashes. */
void result_hash_hex(const void *data, size_t len, char out[17]);

#endif
