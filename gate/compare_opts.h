/*
 * compare_opts.h - the options of a comparison (gate/compare.h): alpha,
 * threshold, confidence, correction, paired, the level of stored
 * baselines, the spend of a sequential look and its futility stops.
 * Apart from gate_compare() because the cells (gate/cells.h) read them
 * too, below the comparison.
 */
#ifndef PG_GATE_COMPARE_OPTS_H
#define PG_GATE_COMPARE_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/verdict.h"

/*
 * A benchmark x metric that paired mode stopped early for futility
 * (gate/paired.h): its row says so instead of "more pairs would decide".
 */
struct gate_futile {
	char *bench, *metric;
	size_t pairs; /* measured when it stopped */
	size_t total; /* the session's last look */
	double power; /* the conditional power at the stop */
};

struct gate_compare_opts {
	double alpha; /* significance after adjustment */
	double threshold; /* theta; NAN: 5% stored, 2% paired */
	double confidence; /* of effect CIs and budget bounds */
	enum stats_correction correction;
	int paired; /* base and cand runs were measured as pairs */
	/*
	 * Stored baselines: the runs of the newest level_commits commits of
	 * base (runs of one commit are adjacent, result_run.commit) set the
	 * level; all of base, the history, gives the between-run variance
	 * (stats/pooled.h).  0: every run sets the level.
	 */
	size_t level_commits;
	/*
	 * Sequential testing (paired mode's looks, gate/paired.h): the
	 * fraction of alpha, and of 1 - confidence, that this look spends,
	 * so that stopping at the first clear verdict keeps the false-alarm
	 * rate at alpha (docs/paired.md).  0 or 1: everything, one look.
	 */
	double spend;
	/* the candidate ran a subset (--filter): do not list the rest as
	 * removed */
	int partial;
	uint64_t seed;
	/* paired mode's futility stops so far (borrowed; may be NULL) */
	const struct gate_futile *futile;
	size_t nfutile;
};

/* The defaults of util/defaults.h. */
void gate_compare_opts_init(struct gate_compare_opts *o);

#endif
