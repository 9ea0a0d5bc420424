/*
 * paired.h - paired mode on the command line, shared by `perfgate gate
 * --paired`, `perfgate ab` and `perfgate noise`: its options, and the
 * paired gate with what the terminal shows (the session itself is
 * pipeline/paired.h).
 */
#ifndef PG_CMD_PAIRED_H
#define PG_CMD_PAIRED_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/gate_common.h"
#include "cmd/run.h"
#include "pipeline/paired.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/defaults.h"

enum {
	CMD_PAIRED_OPT_PAIRS = 1024,
	CMD_PAIRED_OPT_SEED,
};

/* clang-format off */
#define CMD_PAIRED_LONG_OPTIONS                                   \
	{"pairs", required_argument, NULL, CMD_PAIRED_OPT_PAIRS}, \
	{"seed",  required_argument, NULL, CMD_PAIRED_OPT_SEED}
/* clang-format on */

#define CMD_PAIRED_USAGE                                                       \
	"  --pairs N,N,...     pairs at each sequential look (default: "       \
	"config\n"                                                             \
	"                      \"pairs\", else 10,20,30)\n"                    \
	"  --seed N            seed of the coin flips (default: random, "      \
	"shown\n"                                                              \
	"                      in the report)\n"                               \
	"  (in paired mode --warmup N is warmup pairs per batch, default 1,\n" \
	"  and --runs N without --pairs is a single look at N pairs)\n"

void cmd_paired_opts_init(struct pipeline_paired_opts *o);

/* As cmd_gate_option(), for the paired options. */
int cmd_paired_option(struct pipeline_paired_opts *o, const char *verb, int c,
                      const char *arg);

/*
 * The paired gate: the candidate is the working tree (results stored on
 * HEAD, or --commit), the baseline base_rev (NULL: --base, else the
 * merge-base with the target branch as for stored baselines).  Returns the
 * exit status.
 */
int cmd_gate_paired(const struct pipeline_run_opts *ro,
                    const struct pipeline_gate_opts *go,
                    const struct pipeline_paired_opts *po,
                    const char *base_rev);

#endif
