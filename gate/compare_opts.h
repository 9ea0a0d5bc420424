/*
 * compare_opts.h - the options of a comparison (gate/compare.h): alpha,
 * threshold, confidence, correction, paired, the level of stored
 * baselines, the spend of a sequential look and its early stops.
 * Apart from gate_compare() because the cells (gate/cells.h) read them
 * too, below the comparison.
 */
#ifndef PG_GATE_COMPARE_OPTS_H
#define PG_GATE_COMPARE_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "stats/verdict.h"

/* Why paired mode stopped a benchmark before its last look without a
 * verdict (gate/paired.h). */
enum gate_stop_why {
	GATE_STOP_PASS, /* its pass CI's upper bound was below theta */
	GATE_STOP_FUTILE, /* more pairs would almost surely not fail it */
};

/*
 * A benchmark x metric that paired mode stopped early with its verdict
 * still open: its row says why instead of "more pairs would decide".
 */
struct gate_stop {
	char *bench, *metric;
	enum gate_stop_why why;
	size_t pairs; /* measured when it stopped */
	size_t total; /* the session's last look */
	/* GATE_STOP_PASS: the pass CI's upper bound (a fraction);
	 * GATE_STOP_FUTILE: the conditional power */
	double value;
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
	/* paired mode's early stops so far (borrowed; may be NULL) */
	const struct gate_stop *stops;
	size_t nstops;
};

/* The defaults of util/defaults.h. */
void gate_compare_opts_init(struct gate_compare_opts *o);

#endif
