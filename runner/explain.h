/*
 * explain.h - where a benchmark's instructions went: run one benchmark
 * once under callgrind in each of two trees and diff the per-function
 * counts (runner/callgrind.h).  `perfgate explain` and the gate's
 * automatic explanations (docs/explain.md) use it.
 *
 * The profiling run is the icount machinery's (runner/icount.h):
 * valgrind --tool=callgrind --trace-children=yes, ASLR off, one output
 * file per process and dump, every file summed.  A few plain runs per side
 * come first: their CPU time over wall time tells an I/O- or sleep-bound
 * benchmark (which instruction counts cannot explain) from a CPU-bound
 * one, and their wall times say how much of a slowdown the instruction
 * growth accounts for.
 */
#ifndef PG_RUNNER_EXPLAIN_H
#define PG_RUNNER_EXPLAIN_H

#include <signal.h>
#include <stddef.h>

#include "runner/callgrind.h"
#include "util/buf.h"
#include "model/config.h"

/* One side: the benchmark's entry with its directory in that tree. */
struct runner_explain_side {
	const struct config_bench *cb; /* cwd already in root */
	const char *root; /* the tree's absolute root, stripped from paths */
};

struct runner_explanation {
	struct runner_cg_profile base, cand;
	struct runner_cg_delta *deltas; /* runner_cg_diff() of the two */
	size_t ndeltas;
	double wall_base, wall_cand; /* median seconds of the plain runs */
	double cpu_share; /* candidate's (user + sys) / wall: the largest */
};

void runner_explanation_init(struct runner_explanation *e);
void runner_explanation_release(struct runner_explanation *e);

/*
 * The entry to run for benchmark name: cb itself, or for a harness
 * benchmark "ENTRY/inner" of a format that can select one benchmark
 * (google-benchmark: --benchmark_filter=^inner$ appended, regex
 * characters escaped) a copy with that argument, into *out.  *argv_out
 * (NULL when cb is used as it is) and *shell_out own the new strings;
 * free them with runner_explain_entry_release().  *filtered is 1 when
 * the harness runs only the inner benchmark, 0 when the whole entry runs.
 */
void runner_explain_entry(struct config_bench *out, char ***argv_out,
                          char **shell_out, int *filtered,
                          const struct config_bench *cb, const char *name);
void runner_explain_entry_release(char **argv, char *shell);

/*
 * Run both sides PG_EXPLAIN_NATIVE_RUNS times (plain, interleaved), then
 * once each under callgrind, and fill e (initialised by the caller).
 * Returns 0; PG_ERUNTIME when valgrind is missing (the message names the
 * package), a run fails (the side and the failure with its stderr tail),
 * the benchmark is I/O- or sleep-bound (CPU share below
 * PG_EXPLAIN_MIN_CPU_SHARE; e->cpu_share is set) or when interrupted;
 * PG_EINPUT when callgrind's output does not parse.
 */
int runner_explain(struct runner_explanation *e,
                   const struct runner_explain_side *base,
                   const struct runner_explain_side *cand,
                   const volatile sig_atomic_t *cancel);

/* The total instruction change, cand - base. */
double runner_explain_change(const struct runner_explanation *e);

/*
 * An instruction count with a k, M or G suffix ("2.12 M"; with sign,
 * "+2.1 M"), appended to out.
 */
void runner_explain_add_count(struct pg_buf *out, double v, int sign);

/*
 * One line for reports: "`slow_path` +2.1 M instructions (+38%), 71% of
 * the change; `work` ..." for at most top functions that grew, appended to
 * out.  "no function grew" when none did.
 */
void runner_explain_why(struct pg_buf *out, const struct runner_explanation *e,
                        size_t top);

/*
 * A sentence when the instruction growth explains little (under
 * PG_EXPLAIN_LITTLE) of a wall-time regression of wall_change (a
 * fraction, the gate's estimate; NAN or <= 0: nothing to explain),
 * appended to out; nothing otherwise.  Returns 1 when it appended.  The
 * plain runs' wall times are too few to say this on their own.
 */
int runner_explain_little(struct pg_buf *out,
                          const struct runner_explanation *e,
                          double wall_change);

#endif
