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
#include "util/config.h"
#include "util/defaults.h"

struct cmd_paired_opts {
	long looks[PG_MAX_LOOKS]; /* --pairs; nlooks 0: config, default */
	size_t nlooks;
	long runs; /* --runs N: one look at N pairs when no --pairs */
	uint64_t seed;
	int seed_set;
	int no_build; /* noise: --no-build */
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
int cmd_gate_paired(const struct cmd_run_opts *ro,
                    const struct cmd_gate_opts *go,
                    const struct cmd_paired_opts *po, const char *base_rev);

/* The session id and default seed: 32 random hex digits into id[33]. */
int cmd_paired_session_id(char id[33]);

#endif
