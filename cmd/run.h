/*
 * run.h - measuring the suite, shared by `perfgate run` and `perfgate gate`.
 */
#ifndef PG_CMD_RUN_H
#define PG_CMD_RUN_H

#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "runner/icount.h"
#include "util/config.h"
#include "util/result.h"

struct cmd_run_opts {
	const char *config;
	const char *filter;
	const char *json;
	const char *label;
	const char *commit; /* --commit REV, NULL: HEAD */
	const char *notes_ref;
	long runs, warmup; /* -1: from the config */
	double timeout; /* <= 0: from the config */
	unsigned shard_index, shard_count; /* --shard I/N; 0/0: all */
	int no_store;
	int open_store; /* open the repository even with no_store (gate) */
	unsigned metrics; /* CONFIG_METRIC_* from --metric; 0: config */
	const char *counter; /* --counter, NULL: $PERFGATE_COUNTER or auto */
	char **adhoc; /* argv after -- */
	/*
	 * per benchmark of the config, 0 leaves it out (beside --filter and
	 * --shard); NULL: none left out.  The paired gate measures the
	 * entries that cannot run in pairs with it.
	 */
	const char *mask;
};

/* Option ids of the measuring options, shared by run and gate. */
enum {
	CMD_RUN_OPT_RUNS = 768,
	CMD_RUN_OPT_WARMUP,
	CMD_RUN_OPT_TIMEOUT,
	CMD_RUN_OPT_FILTER,
	CMD_RUN_OPT_LABEL,
	CMD_RUN_OPT_NO_STORE,
	CMD_RUN_OPT_COMMIT,
	CMD_RUN_OPT_SHARD,
	CMD_RUN_OPT_METRIC,
	CMD_RUN_OPT_COUNTER,
};

#define CMD_RUN_LONG_OPTIONS                                                   \
	{"config", required_argument, NULL, 'c'},                              \
	        {"runs", required_argument, NULL, CMD_RUN_OPT_RUNS},           \
	        {"warmup", required_argument, NULL, CMD_RUN_OPT_WARMUP},       \
	        {"timeout", required_argument, NULL, CMD_RUN_OPT_TIMEOUT},     \
	        {"filter", required_argument, NULL, CMD_RUN_OPT_FILTER},       \
	        {"label", required_argument, NULL, CMD_RUN_OPT_LABEL},         \
	        {"no-store", no_argument, NULL, CMD_RUN_OPT_NO_STORE},         \
	        {"shard", required_argument, NULL, CMD_RUN_OPT_SHARD},         \
	        {"metric", required_argument, NULL, CMD_RUN_OPT_METRIC},       \
	        {"counter", required_argument, NULL, CMD_RUN_OPT_COUNTER},     \
	{                                                                      \
		"commit", required_argument, NULL, CMD_RUN_OPT_COMMIT          \
	}

#define CMD_RUN_USAGE                                                          \
	"  -c, --config FILE   suite file (default: perfgate.json at the\n"    \
	"                      repository root, else in the current\n"         \
	"                      directory)\n"                                   \
	"  --runs N            measured runs per benchmark (default: "         \
	"config,\n"                                                            \
	"                      else 10)\n"                                     \
	"  --warmup N          unmeasured runs first (default: config, else\n" \
	"                      1)\n"                                           \
	"  --timeout SECONDS   per-run timeout (default: config, else 60)\n"   \
	"  --metric NAME       what to measure, instead of the config's\n"     \
	"                      \"metrics\": wall_time (timing runs, which\n"   \
	"                      also record cpu_user, cpu_sys and max_rss)\n"   \
	"                      or instructions (separate counting runs, see\n" \
	"                      docs/instructions.md); repeat it or give a\n"   \
	"                      comma list (default: config, else\n"            \
	"                      wall_time)\n"                                   \
	"  --counter SOURCE    how to count instructions: auto (a hardware\n"  \
	"                      counter if this machine has one, else\n"        \
	"                      valgrind), perf or valgrind (default:\n"        \
	"                      $PERFGATE_COUNTER, else auto)\n"                \
	"  --filter REGEX      only benchmarks whose name matches (POSIX\n"    \
	"                      ERE)\n"                                         \
	"  --shard I/N         run only shard I (1..N) of the suite split N\n" \
	"                      ways by a stable hash of each benchmark's\n"    \
	"                      name (with --filter: of the benchmarks it\n"    \
	"                      selects); the run is stored with the shard\n"   \
	"                      mark for `perfgate compare --require-shards\n"  \
	"                      N` (default: the whole suite)\n"                \
	"  --label LABEL       runner label (default: $PERFGATE_RUNNER)\n"     \
	"  --no-store          do not store the results in git notes\n"        \
	"  --commit REV        store the results on REV (default: HEAD; on\n"  \
	"                      GitHub pull_request events the PR head\n"       \
	"                      commit)\n"

/* Defaults: everything from the config, label from $PERFGATE_RUNNER. */
void cmd_run_opts_init(struct cmd_run_opts *o);

/*
 * Handle getopt_long's c if it is a measuring option: 1 when handled, 0
 * when not one, PG_EXIT_INPUT after printing an error for a bad value.
 */
int cmd_run_option(struct cmd_run_opts *o, const char *verb, int c,
                   const char *arg);

/*
 * Load the config (o->config, else perfgate.json at the work tree's root;
 * or a one-benchmark config for o->adhoc) into cfg, prepare storing,
 * measure the selected benchmarks into run, write o->json and store run
 * unless o->no_store.  cfg, run and target are initialised here and must
 * be released by the caller (config_release, result_run_release,
 * pipeline_target_release) whatever the result.  Returns 0, PG_EINPUT for a bad
 * config, filter or commit, PG_ERUNTIME when a benchmark failed (the
 * benchmarks that ran are still written and stored).
 */
int cmd_run_suite(const struct cmd_run_opts *o, struct config *cfg,
                  struct result_run *run, struct pipeline_target *target);

/*
 * How to count instructions: --counter, else $PERFGATE_COUNTER, else auto.
 * 0 or PG_EINPUT naming the bad value.
 */
int cmd_run_counter(enum runner_icount_source *out,
                    const struct cmd_run_opts *o);

/*
 * Load the config as cmd_run_suite() does into cfg (released by the
 * caller in every case) and check its formats.  0 or PG_EINPUT.
 */
int cmd_run_load_config(struct config *cfg, const struct cmd_run_opts *o);

/*
 * selected[i] = 1 for the benchmarks of cfg that filter (POSIX ERE, NULL:
 * all) matches.  0, or PG_EINPUT for a bad filter or one that matches
 * nothing.
 */
int cmd_run_select(const struct config *cfg, const char *filter,
                   char *selected);

#endif
