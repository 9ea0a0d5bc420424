/*
 * config.h - the suite file, perfgate.json.
 *
 * The format is documented in the README ("Configuration").  Parsing is
 * strict: unknown keys, wrong types, an empty suite, duplicate names and
 * out-of-range numbers are all PG_EINPUT errors that name the file and the
 * JSON path (or line and column, for a syntax error).
 *
 * Ownership: a struct config owns every string and array reachable from
 * it; config_release() frees them all.  Getters return values or pointers
 * borrowed from the config, valid until config_release().
 */
#ifndef PG_MODEL_CONFIG_H
#define PG_MODEL_CONFIG_H

#include <stddef.h>

/*
 * An absolute budget (SLO) on one statistic of one metric, such as
 * "p95 of wall_time <= 250ms".  For a higher-is-better metric the budget is
 * a floor instead.
 */
struct config_budget {
	char *metric; /* "wall_time", "max_rss", ... */
	char *stat; /* "median", "mean", "max", "p95", "p99.9", ... */
	double quantile; /* 0.5 for median, 0.95 for p95, 1 for max; -1 mean */
	double limit; /* normalised (seconds, bytes, fraction, ...) */
	int kind; /* enum pg_quantity_kind of the limit */
	char *text; /* as written, for reports: "p95 250ms" */
	/* '>' (">= X": a floor), '<' ("<= X": a ceiling), 0: the metric's
	 * direction decides */
	int op;
};

/* How a benchmark (or, as defaults, the suite) is gated. */
struct config_policy {
	char **gate; /* metrics that gate; NULL: inherit (suite: wall_time) */
	size_t ngate;
	double threshold; /* theta as a fraction; NAN: inherit / default */
	char **threshold_metrics; /* per-metric thetas, parallel arrays */
	double *threshold_values;
	size_t nthresholds;
	double alpha; /* NAN: inherit / default */
	struct config_budget *budgets;
	size_t nbudgets;
};

/*
 * An accepted regression: bench's metric may be up to max_effect worse
 * (0.15 = 15%) while commit is not yet part of the baseline.
 */
struct config_accept {
	char *bench; /* benchmark name */
	char *metric; /* metric name */
	double max_effect;
	char *commit; /* the commit that brought the regression; may be NULL */
	char *reason; /* may be NULL */
};

/* How a service's port is chosen ("port"). */
enum config_port_mode {
	CONFIG_PORT_AUTO, /* perfgate picks a free port on 127.0.0.1 */
	CONFIG_PORT_FIXED, /* "port": 8080 */
	CONFIG_PORT_STDOUT, /* the service prints its port on stdout */
};

/* How perfgate knows that a service is ready ("ready"). */
enum config_ready_kind {
	CONFIG_READY_TCP, /* a connection to 127.0.0.1:port is accepted */
	CONFIG_READY_HTTP, /* GET url answers 2xx */
};

/*
 * A service that a load benchmark drives ("service", docs/load.md):
 * started before the benchmark's first run, stopped after its last.
 * Strings may hold "{port}", replaced by the service's port.
 */
struct config_service {
	/* Exactly one of argv (run directly) and shell (sh -c) is set. */
	char **argv; /* NULL-terminated */
	size_t argc;
	char *shell;
	char **env; /* "KEY=VALUE" */
	size_t nenv;
	char *cwd; /* absolute; NULL: the benchmark's */
	enum config_port_mode port_mode;
	long port; /* CONFIG_PORT_FIXED */
	enum config_ready_kind ready_kind;
	char *ready_url; /* http://127.0.0.1:{port}/path (HTTP) */
	double ready_timeout; /* seconds */
	double stop_timeout; /* seconds between SIGTERM and SIGKILL */
};

/* Soak mode ("soak"): sample the service while the load runs. */
struct config_soak {
	double duration; /* seconds of load: runs repeat until it passes */
	double sample_every; /* seconds between /proc samples */
	double max_rss_slope; /* B/s; the gate's limit on memory growth */
	char *max_rss_slope_text; /* as written, for reports */
};

/*
 * A stress test ("stress", docs/stress.md): the load command runs once per
 * level, in increasing order, against one service instance, until the SLO
 * is clearly broken or the service crashes.  The level replaces
 * "{concurrency}" or "{rate}" in the load command.
 */
enum config_stress_kind {
	CONFIG_STRESS_CONCURRENCY, /* "{concurrency}": closed loop */
	CONFIG_STRESS_RATE, /* "{rate}": open loop, requests per second */
};

/* One objective of a stress SLO: a latency quantile or the error rate. */
struct config_slo {
	char *name; /* "p99", "error_rate" */
	double quantile; /* 0.99; -1 for the error rate */
	double limit; /* seconds, or a fraction for the error rate */
};

/* The levels, the SLO and the ramps of a stress test. */
struct config_stress {
	enum config_stress_kind kind;
	double *levels; /* increasing, positive */
	size_t nlevels;
	int geometric; /* levels came from {"from", "factor", "max"} */
	struct config_slo *slo;
	size_t nslo;
	long ramps; /* ramps per run (each a new service instance) */
	int ramps_set; /* "ramps" was given (paired mode's default differs) */
	double ready_timeout; /* seconds the probe may take after a level */
};

/*
 * What a benchmark measures ("metrics" in perfgate.json), a set of flags.
 * wall_time: timing runs, which also record cpu_user, cpu_sys and max_rss.
 * instructions: separate instruction-count runs (runner/icount.h).
 */
#define CONFIG_METRIC_WALL_TIME 1u
#define CONFIG_METRIC_INSTRUCTIONS 2u

/*
 * Set *flag to the CONFIG_METRIC_* of name ("wall_time", "instructions").
 * Returns 0, or PG_EINPUT naming the unknown metric and the known ones.
 */
int config_metric_flag(unsigned *flag, const char *name);

/* One entry of "benchmarks": what to run, how often, and how it gates. */
struct config_bench {
	char *name;
	/* Exactly one of argv (run directly) and shell (sh -c) is set. */
	char **argv; /* NULL-terminated */
	size_t argc;
	char *shell;
	long runs;
	long warmup;
	double timeout; /* seconds */
	char **env; /* "KEY=VALUE" entries added to the environment */
	size_t nenv;
	char *cwd; /* absolute: resolved against the config's directory */
	/* Harness output parsed by formats/, NULL for a plain command. */
	char *format;
	char *output; /* file the harness writes; NULL means stdout */
	unsigned metrics; /* CONFIG_METRIC_* flags; a harness ignores them */
	long instruction_runs; /* runs that count instructions */
	struct config_policy policy;
	struct config_service *service; /* NULL: none */
	struct config_soak *soak; /* NULL: none (needs a service) */
	struct config_stress *stress; /* NULL: none (needs a service) */
};

/* The whole suite file: suite defaults, the entries, and the top keys. */
struct config {
	char *path; /* as given */
	char *dir; /* absolute directory holding the file */
	char hash[17]; /* hex digest of the file's text (runs record it) */
	long runs, warmup; /* suite-level values (or the defaults) */
	unsigned metrics; /* CONFIG_METRIC_* flags */
	long instruction_runs;
	double timeout;
	struct config_bench *benches;
	size_t nbenches;
	struct config_policy policy; /* suite-wide defaults */
	struct config_accept *accepts;
	size_t naccepts;
	/*
	 * "build": how to build a tree for paired mode, run in the config's
	 * directory of each side.  At most one of build_argv (NULL-terminated,
	 * run directly) and build_shell (sh -c) is set; neither: no build.
	 */
	char **build_argv;
	size_t build_argc;
	char *build_shell;
	/* "pairs": paired mode's looks, increasing; NULL: the default */
	long *pairs;
	size_t npairs;
	/* "pre_push": what `perfgate hook`'s pre-push check runs */
	char *pre_push_filter; /* POSIX ERE on names; NULL: every benchmark */
	long pre_push_pairs; /* runs per side (pairs in paired mode) */
	/* "on_change": "fail" or "warn", what a new history alert does
	 * (gate/alert.h); NULL: not set */
	char *on_change;
	/* "explain": true: the gate runs `perfgate explain` on regressions */
	int explain;
};

/* An empty config with the default policy (for built-in suites). */
void config_init(struct config *cfg);

/*
 * Read and validate path into cfg.  Returns 0, PG_EINPUT for a missing or
 * bad file.  cfg must be released with config_release() in every case.
 */
int config_load(struct config *cfg, const char *path);

/* Same, from a buffer; path is used in messages and to resolve cwd. */
int config_parse(struct config *cfg, const char *text, size_t len,
                 const char *path);

/* Free everything cfg owns; cfg may be released more than once. */
void config_release(struct config *cfg);

/* 1 when cfg or b says which metrics gate ("gate" is set). */
int config_has_gate_policy(const struct config *cfg,
                           const struct config_bench *b);

/*
 * The effective policy of benchmark b (suite values where b has none; b
 * NULL: the suite's).  A benchmark that is not in the config (an
 * expanded harness benchmark "entry/inner") uses its entry's policy.
 *
 * config_metric_gates: 1 when metric gates.  Without a "gate" list,
 * wall_time and instructions gate (instructions are only measured when
 * "metrics" asks for them).  config_threshold and config_alpha: the
 * value, or fallback when neither b nor the suite sets one.
 */
int config_metric_gates(const struct config *cfg, const struct config_bench *b,
                        const char *metric);
double config_threshold(const struct config *cfg, const struct config_bench *b,
                        const char *metric, double fallback);
/*
 * Like config_threshold(), but only a threshold that names metric
 * ("threshold": {"instructions": "1%"}) counts, not a bare "threshold":
 * for metrics whose theta is of another kind than timings' (instruction
 * counts have no timing noise).
 */
double config_metric_threshold(const struct config *cfg,
                               const struct config_bench *b, const char *metric,
                               double fallback);
double config_alpha(const struct config *cfg, const struct config_bench *b,
                    double fallback);

/* The config benchmark named name, or the entry that expands into it. */
const struct config_bench *config_find_bench(const struct config *cfg,
                                             const char *name);

/*
 * 1 when benchmark name comes from entry cb of cfg: cb's own, or for a
 * harness one of its "<cb->name>/<inner>" benchmarks (not another entry of
 * cfg that happens to be named so).
 */
int config_entry_owns(const struct config *cfg, const struct config_bench *cb,
                      const char *name);

#endif
