/*
 * paired.h - paired mode on the command line, shared by `perfgate gate
 * --paired`, `perfgate ab` and `perfgate noise`: options, and the whole
 * session (export the baseline, build both trees, measure in pairs, store,
 * report, clean up).
 */
#ifndef PG_CMD_PAIRED_H
#define PG_CMD_PAIRED_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/gate_common.h"
#include "cmd/run.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/defaults.h"

struct cmd_paired_opts {
	long looks[PG_MAX_LOOKS]; /* --pairs; nlooks 0: config, default */
	size_t nlooks;
	long runs; /* --runs N: one look at N pairs when no --pairs */
	uint64_t seed;
	int seed_set;
	int no_build; /* noise: --no-build */
	/*
	 * The gate chose paired mode by default: entries that cannot run in
	 * pairs run stored instead of failing the session
	 */
	int auto_mode;
};

enum {
	CMD_PAIRED_OPT_PAIRS = 1024,
	CMD_PAIRED_OPT_SEED,
};

#define CMD_PAIRED_LONG_OPTIONS                                                \
	{"pairs", required_argument, NULL, CMD_PAIRED_OPT_PAIRS},              \
	{                                                                      \
		"seed", required_argument, NULL, CMD_PAIRED_OPT_SEED           \
	}

#define CMD_PAIRED_USAGE                                                       \
	"  --pairs N,N,...     pairs at each sequential look (default: "       \
	"config\n"                                                             \
	"                      \"pairs\", else 10,20,30)\n"                    \
	"  --seed N            seed of the coin flips (default: random, "      \
	"shown\n"                                                              \
	"                      in the report)\n"                               \
	"  (in paired mode --warmup N is warmup pairs per batch, default 1,\n" \
	"  and --runs N without --pairs is a single look at N pairs)\n"

void cmd_paired_opts_init(struct cmd_paired_opts *o);

/* As cmd_gate_option(), for the paired options. */
int cmd_paired_option(struct cmd_paired_opts *o, const char *verb, int c,
                      const char *arg);

/*
 * The looks to use: --pairs, else one look at --runs N pairs, else the
 * config's "pairs", else the default 10, 20, 30.  Borrowed from o or cfg,
 * or a static default.
 */
const long *cmd_paired_looks(const struct cmd_paired_opts *o,
                             const struct config *cfg, size_t *n);

/*
 * The paired gate: the candidate is the working tree (results stored on
 * HEAD, or --commit), the baseline base_rev (NULL: --base, else the
 * merge-base with the target branch as for stored baselines).  Returns the
 * exit status.
 */
int cmd_gate_paired(const struct pipeline_run_opts *ro,
                    const struct pipeline_gate_opts *go,
                    const struct cmd_paired_opts *po, const char *base_rev);

/*
 * 1 with the reason appended to why when entry cb cannot run in pairs: a
 * soak, a service on a fixed port, or a directory (its own
 * or its service's) outside workdir.  0 when it can.
 */
int cmd_paired_unpairable(const struct config_bench *cb, const char *workdir,
                          struct pg_buf *why);

/*
 * Move the selected entries of cfg that cannot run in pairs from selected
 * to stored (both per benchmark of cfg); their names and reasons into
 * *names and *whys (the caller's: pg_strv_free_n).  Returns how many.
 */
size_t cmd_paired_split(const struct config *cfg, const char *workdir,
                        char *selected, char *stored, char ***names,
                        char ***whys);

/*
 * Measure the entries mask selects by a plain run (stored on the
 * candidate commit unless --no-store), compare them with the stored
 * baseline and move their rows, each with its reason (names[i], whys[i]),
 * into rep; rep's method gains theirs.  0 or an error (a failed benchmark
 * is an error row, not an error).
 */
struct report;
int cmd_paired_stored_part(struct report *rep,
                           const struct pipeline_run_opts *ro,
                           const struct pipeline_gate_opts *go,
                           const char *mask, char *const *names,
                           char *const *whys, size_t n);

/* The session id and default seed: 32 random hex digits into id[33]. */
int cmd_paired_session_id(char id[33]);

#endif
