/*
 * method.h - the prose of a report's method line (report->method): which
 * test compared the rows, the effect and its interval, the suite-wide
 * correction, alpha and the MDE's power, and what instruction counts and
 * load tests were compared with.  Readers of any report format see it, so
 * its wording is part of the output (tests check it).
 *
 * Errors and ownership: cannot fail (allocation failure aborts, util/mem.h);
 * the line is malloc'd and belongs to the caller.
 */
#ifndef PG_GATE_METHOD_H
#define PG_GATE_METHOD_H

#include <stddef.h>

#include "stats/verdict.h"

/* What one comparison did, as gate/compare.c knows it. */
struct gate_method {
	int paired; /* a paired session (gate/compare.h) */
	size_t nbase; /* baseline runs; 0: nothing to test against */
	size_t max_runs; /* most baseline runs a comparison pooled; 0: none */
	size_t level_commits; /* struct gate_compare_opts */
	size_t family; /* gating comparisons tested */
	double alpha; /* before spending */
	double confidence; /* of effect CIs, before spending */
	double spend; /* this look's share of alpha, (0, 1] */
	enum stats_correction correction;
	int instructions; /* some row is an instruction count */
	int load; /* some row was compared as a load metric (gate/load.h) */
	int stress_pairs; /* a paired session's stress entry: unspent alpha */
};

/* The method line of m; malloc'd, the caller's. */
char *gate_method_describe(const struct gate_method *m);

#endif
