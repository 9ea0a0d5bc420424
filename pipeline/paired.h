/*
 * paired.h - the paired gate's session, shared by `perfgate gate
 * --paired`, `perfgate ab` and `perfgate noise`: export the baseline
 * (or reuse its cached tree), build both trees, measure in interleaved
 * pairs (runner/pairs.h), store both runs and build the report.  Progress
 * and notes go to stderr; what the terminal shows while measuring is the
 * caller's, through a struct pipeline_paired_view.
 *
 *   pipeline_paired_init(&s, &view);
 *   err = pipeline_paired_prepare(&s, ro, go, po, base_rev);
 *   if (!err && s.b.start[0] && !(err = pipeline_paired_setup(&s, ro)))
 *           err = pipeline_paired_measure(&s);
 *   if (!err) pipeline_paired_store(&s), pipeline_paired_build_report(...);
 *   pipeline_paired_release(&s);
 */
#ifndef PG_PIPELINE_PAIRED_H
#define PG_PIPELINE_PAIRED_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "gate/baseline.h"
#include "gate/paired.h"
#include "pipeline/gate.h"
#include "pipeline/run.h"
#include "pipeline/target.h"
#include "runner/pairs.h"
#include "runner/treecache.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/defaults.h"
#include "model/result.h"

struct report;

/* What a paired gate asks for (--pairs, --seed, --runs, ...). */
struct pipeline_paired_opts {
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

/*
 * The looks to use: --pairs, else one look at --runs N pairs, else the
 * config's "pairs", else the default 10, 20, 30.  Borrowed from o or cfg,
 * or a static default.
 */
const long *pipeline_paired_looks(const struct pipeline_paired_opts *o,
                                  const struct config *cfg, size_t *n);

/* The session id and default seed: 32 random hex digits into id[33]. */
int pipeline_paired_session_id(char id[33]);

/*
 * 1 with the reason appended to why when entry cb cannot run in pairs: a
 * soak, a service on a fixed port, or a directory (its own
 * or its service's) outside workdir.  0 when it can.
 */
int pipeline_paired_unpairable(const struct config_bench *cb,
                               const char *workdir, struct pg_buf *why);

/*
 * Move the selected entries of cfg that cannot run in pairs from selected
 * to stored (both per benchmark of cfg); their names and reasons into
 * *names and *whys (the caller's: pg_strv_free_n).  Returns how many.
 */
size_t pipeline_paired_split(const struct config *cfg, const char *workdir,
                             char *selected, char *stored, char ***names,
                             char ***whys);

/*
 * Measure the entries mask selects by a plain run (shown through view,
 * which may be NULL; stored on the candidate commit unless --no-store),
 * compare them with the stored
 * baseline and move their rows, each with its reason (names[i], whys[i]),
 * into rep; rep's method gains theirs.  0 or an error (a failed benchmark
 * is an error row, not an error).
 */
struct report;
int pipeline_paired_stored_part(struct report *rep,
                                const struct pipeline_run_opts *ro,
                                const struct pipeline_gate_opts *go,
                                const struct pipeline_run_view *view,
                                const char *mask, char *const *names,
                                char *const *whys, size_t n);

/* What the caller shows while pairs are measured; any callback may be NULL. */
struct pipeline_paired_view {
	void *ctx;
	/* pair `pair` of total of bench starts (0: its warmup pair) */
	void (*progress)(void *ctx, const char *bench, long pair, long total);
	/* look (from 0) of nlooks is done at pairs; running still undecided */
	void (*look)(void *ctx, size_t look, size_t nlooks, long pairs,
	             size_t running);
	/* a clean-up failed (the scratch tree, the tree cache): msg */
	void (*error)(void *ctx, const char *msg);
	/* the view of the plain run of the entries that cannot run in pairs */
	const struct pipeline_run_view *run;
	/* set when the user interrupts: stops every wait */
	volatile sig_atomic_t *cancel;
};

/*
 * One paired gate: everything it holds, released in one place.  The
 * caller reads cfg, t (the repository and the candidate commit), b (the
 * baseline commit, b.start "" when there is none, with b.notice), base
 * and cand (the measured runs) and rule.cmp; the rest is the session's.
 */
struct pipeline_paired {
	struct config cfg;
	struct pipeline_target t;
	struct gate_baseline b;
	struct result_run base, cand;
	char *scratch; /* the directory to remove, NULL when none */
	struct runner_treecache *cache; /* the baseline's cached tree */
	int base_built; /* the cached tree was built by an earlier session */
	char *base_root; /* scratch/tree */
	char *selected;
	char id[33];
	struct runner_pairs_opts po;
	struct paired_rule rule; /* the stop rule and the comparison */
	size_t looks_done;
	struct config base_cfg; /* the baseline tree's own config */
	/* benchmarks measured on the candidate side only, and why */
	char **solo, **solo_why;
	size_t nsolo;
	/* entries that cannot run in pairs (auto mode): run stored */
	char *stored;
	char **stored_names, **stored_why;
	size_t nstored;
	long one_look; /* --runs N raised to what the test can use */
	size_t count; /* how many benchmarks are selected */
	const struct pipeline_paired_view *view; /* borrowed; may be NULL */
};

/* An empty session showing through view (borrowed, may be NULL). */
void pipeline_paired_init(struct pipeline_paired *s,
                          const struct pipeline_paired_view *view);

/*
 * Load the config, open the repository (the candidate is the working
 * tree, stored on HEAD or ro->commit), select the benchmarks, set the
 * looks and the stop rule, and find the baseline: base_rev (ab: exactly
 * that revision), else --base, else the merge-base with the target
 * branch.  0 with s->b.start "" (and s->b.notice) when there is none.
 * PG_EINPUT outside a repository or work tree, for a bad config, filter
 * or revision.
 */
int pipeline_paired_prepare(struct pipeline_paired *s,
                            const struct pipeline_run_opts *ro,
                            const struct pipeline_gate_opts *go,
                            const struct pipeline_paired_opts *po,
                            const char *base_rev);

/*
 * Stamp both runs, export (or reuse) and build the baseline tree, build
 * the working tree, and read the baseline's own config.  0, or the error
 * of the export or a build.
 */
int pipeline_paired_setup(struct pipeline_paired *s,
                          const struct pipeline_run_opts *ro);

/*
 * Measure in pairs into s->base and s->cand.  0 or the error of
 * runner_pairs_measure() (the runs hold what was measured).
 */
int pipeline_paired_measure(struct pipeline_paired *s);

/*
 * Store the baseline run on the baseline commit and the candidate's on
 * the candidate commit.  Both are tried; one that cannot be stored is kept
 * in a file and named in s->t.save_error (pipeline_target_keep()).  0 or
 * the error.
 */
int pipeline_paired_store(struct pipeline_paired *s);

/*
 * The paired comparison into rep (initialised by the caller, who releases
 * it), with the entries that run stored merged in.  0 or an error.
 */
int pipeline_paired_build_report(struct report *rep, struct pipeline_paired *s,
                                 const struct pipeline_run_opts *ro,
                                 const struct pipeline_gate_opts *go);

/* Remove the scratch tree, close the cache and free everything. */
void pipeline_paired_release(struct pipeline_paired *s);

#endif
