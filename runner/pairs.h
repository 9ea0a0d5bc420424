/*
 * pairs.h - paired A/B measurement: the baseline and the candidate in their
 * own trees, run in interleaved pairs on the same machine, with sequential
 * looks that stop each benchmark once the caller's stop rule (gate/paired.h)
 * says its verdict is clear.  This module measures; it does not decide.
 *
 * For every benchmark, each pair runs the command once in each tree, in an
 * order chosen by a seeded coin flip (so drift and order effects cancel);
 * the first pair of every batch is a warmup and is discarded.
 */
#ifndef PG_RUNNER_PAIRS_H
#define PG_RUNNER_PAIRS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "runner/icount.h"
#include "model/config.h"
#include "model/result.h"

struct runner_pairs_opts {
	/*
	 * Absolute roots of the two trees.  Benchmarks' directories (and
	 * the build's) must lie under cand_root; the same relative path
	 * under base_root is the baseline's.  Equal roots: an A/A session.
	 */
	const char *cand_root;
	const char *base_root;
	const long *looks; /* pairs at each look, increasing */
	size_t nlooks;
	uint64_t seed; /* of the coin flips */
	const char *selected; /* per cfg benchmark, 1 to run; NULL: all */
	long warmup; /* warmup pairs per batch (>= 1); <= 0: 1 */
	unsigned metrics; /* CONFIG_METRIC_* for every benchmark; 0: config */
	enum runner_icount_source counter; /* for "instructions" */
	double timeout; /* per run; <= 0: the config's */
	/*
	 * The baseline tree's own config, to tell a benchmark the candidate
	 * adds from one the baseline cannot run; NULL with base_cfg_read 1:
	 * the baseline has no config (every benchmark is new).  base_cfg_read
	 * 0: not known (an A/A session), no benchmark counts as added.
	 */
	const struct config *base_cfg;
	int base_cfg_read;
	const volatile sig_atomic_t *cancel;
	/*
	 * called for each benchmark that runs on the candidate side only
	 * (new in the candidate, or the baseline side cannot run it), with
	 * why; may be NULL
	 */
	void (*solo)(void *ctx, const char *bench, const char *why);
	/* called before each pair (pair 0: warmup); may be NULL */
	void (*progress)(void *ctx, const char *bench, long pair, long total);
	/*
	 * The stop rule (gate/paired.h), called after look k (0-based) with
	 * what was measured so far: sets stop[i] to 1 for each entries[i]
	 * whose verdict is clear.  NULL: every look is taken.  Returns 0 or
	 * an error, which ends the session.
	 */
	int (*decide)(void *decide_ctx, size_t look,
	              const struct result_run *base,
	              const struct result_run *cand,
	              const struct config_bench *const *entries, size_t n,
	              char *stop);
	void *decide_ctx;
	/* called after each look with the benchmarks still running */
	void (*look)(void *ctx, size_t look, long pairs, size_t running);
	void *ctx;
};

void runner_pairs_opts_init(struct runner_pairs_opts *o);

/*
 * Run cfg's "build" (if any) in tree root (its config directory mapped
 * there as for benchmarks), with stdin and stdout on /dev/null.  Returns
 * 0; PG_EINPUT when the config's directory is not under cand_root;
 * PG_ERUNTIME when the build fails (the message names the tree and ends
 * with the build's stderr tail), times out or is interrupted.
 */
int runner_pairs_build(const struct config *cfg,
                       const struct runner_pairs_opts *o, const char *root);

/*
 * Measure the selected benchmarks of cfg in pairs into base and cand
 * (wall time and what timing runs record).  First a preflight runs each
 * entry (but a load test, whose service starts with its batch) once on each
 * side; that pair is the first batch's warmup.  An entry the baseline side
 * cannot run is measured on the candidate side only (o->solo says why), so
 * it is reported as added; when no entry can run on the baseline side,
 * nothing is measured and PG_EINPUT names the first one, its side, its
 * command and the fix.  A command or argument with an absolute path into
 * the candidate's tree is PG_EINPUT (both sides would run the candidate's
 * copy).  Then, for benchmarks whose
 * metrics include instructions, count them in each tree
 * (runner_count_instructions(): deterministic counts need no pairing)
 * (initialised by the caller; benchmarks and samples are added, nothing
 * else is touched).  Each benchmark gets the parameter "pairs" (measured
 * pairs) on both sides.  A failing run is recorded as the benchmark's
 * error on both sides (naming the side) and the rest of the suite still
 * runs.  *looks_done is the number of looks taken (the final report
 * spends paired_spend() of the last).  Harness entries ("format") and
 * load tests run through runner/invoke.h: each side's service from its own
 * tree on its own port, for the whole batch.  A stress entry runs its
 * ramp pairs once (runner_pairs_stress_ramps(): a ramp of each side in
 * coin-flip order, each on a new service from the side's tree on its own
 * port), in the first look, and is not given to the stop rule; its
 * "pairs" is the ramp pairs.  Returns 0; PG_EINPUT for a
 * soak entry, a directory outside cand_root or harness output that does
 * not parse; PG_ERUNTIME when interrupted (what was measured is kept) or a
 * the stop rule fails.
 */
int runner_pairs_measure(struct result_run *base, struct result_run *cand,
                         const struct config *cfg,
                         const struct runner_pairs_opts *o, size_t *looks_done);

/*
 * Map path (under o->cand_root) into root: a malloc'd path into *out.
 * PG_EINPUT when path is not under cand_root.
 */
int runner_pairs_map_path(char **out, const struct runner_pairs_opts *o,
                          const char *root, const char *path);

/*
 * The ramp pairs a paired session runs of stress entry cb: its "ramps"
 * when given, else PG_DEFAULT_STRESS_RAMPS_PAIRED; 0 when cb is not a
 * stress entry.
 */
long runner_pairs_stress_ramps(const struct config_bench *cb);

/* splitmix64: the coin of paired mode, also for tests and benches. */
uint64_t runner_pairs_rand(uint64_t *state);

#endif
