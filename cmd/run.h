/*
 * run.h - measuring the suite, shared by `perfgate run` and `perfgate gate`.
 */
#ifndef PG_CMD_RUN_H
#define PG_CMD_RUN_H

#include "cmd/cmd.h"
#include "pipeline/run.h"
#include "pipeline/target.h"
#include "runner/icount.h"
#include "model/config.h"
#include "model/result.h"

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

/* clang-format off */
#define CMD_RUN_LONG_OPTIONS                                         \
	{"config",   required_argument, NULL, 'c'},                  \
	{"runs",     required_argument, NULL, CMD_RUN_OPT_RUNS},     \
	{"warmup",   required_argument, NULL, CMD_RUN_OPT_WARMUP},   \
	{"timeout",  required_argument, NULL, CMD_RUN_OPT_TIMEOUT},  \
	{"filter",   required_argument, NULL, CMD_RUN_OPT_FILTER},   \
	{"label",    required_argument, NULL, CMD_RUN_OPT_LABEL},    \
	{"no-store", no_argument,       NULL, CMD_RUN_OPT_NO_STORE}, \
	{"shard",    required_argument, NULL, CMD_RUN_OPT_SHARD},    \
	{"metric",   required_argument, NULL, CMD_RUN_OPT_METRIC},   \
	{"counter",  required_argument, NULL, CMD_RUN_OPT_COUNTER},  \
	{"commit",   required_argument, NULL, CMD_RUN_OPT_COMMIT}
/* clang-format on */

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
void pipeline_run_opts_init(struct pipeline_run_opts *o);

/*
 * Handle getopt_long's c if it is a measuring option: 1 when handled, 0
 * when not one, PG_EXIT_INPUT after printing an error for a bad value.
 */
int cmd_run_option(struct pipeline_run_opts *o, const char *verb, int c,
                   const char *arg);

/*
 * pipeline_run_suite() with the terminal's view: the live progress line,
 * a table of the results on stderr, and o->json written (or standard
 * output for "-") before storing.
 */
/* That view, for the verbs that call pipeline_run_suite() themselves. */
const struct pipeline_run_view *cmd_run_view(void);

int cmd_run_suite(const struct pipeline_run_opts *o, struct config *cfg,
                  struct result_run *run, struct pipeline_target *target);

#endif
