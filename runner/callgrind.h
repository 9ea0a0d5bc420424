/*
 * callgrind.h - per-function instruction counts from callgrind's output
 * files, and their difference between two trees (`perfgate explain`).
 *
 * A profile maps each function, keyed by (object, source file, name), to
 * its self count (the Ir of the cost lines under its fn= block) and its
 * inclusive count (self plus the Ir of every call it makes, read from the
 * cost line after each calls= line).  Direct recursion (a call to the
 * function itself) is not added again to the inclusive count; mutual
 * recursion is, as in callgrind_annotate --inclusive=yes.
 *
 * Paths in fl=/fi=/fe=/ob= are stripped of the tree's root, so that the
 * baseline (exported under a scratch directory) and the candidate (the
 * working tree) name the same function the same way.  Inlined code is
 * whatever callgrind attributes it to: the function it was inlined into
 * (fi=/fe= only switch the source file of the following cost lines).
 *
 * Name compression ("(id) name" on first use, "(id)" afterwards) is
 * resolved per file: objects (ob=, cob=), files (fl=, fi=, fe=, cfi=,
 * cfl=) and functions (fn=, cfn=) each have their own table.
 */
#ifndef PG_RUNNER_CALLGRIND_H
#define PG_RUNNER_CALLGRIND_H

#include <stddef.h>

struct runner_cg_fn {
	char *object; /* root-relative when under the root */
	char *file;
	char *name;
	double self, incl; /* instructions (Ir) */
};

/*
 * A call edge: from called to, with the inclusive cost of those calls
 * (indexes into the profile's fns).  The same edge may appear more than
 * once (once per file and call site); the costs of all of them add up.
 */
struct runner_cg_edge {
	size_t from, to;
	double ir;
};

struct runner_cg_profile {
	struct runner_cg_fn *fns;
	size_t n, alloc;
	struct runner_cg_edge *edges; /* direct recursion left out */
	size_t nedges, edges_alloc;
	size_t *slots; /* open-addressed index into fns, n + 1 based */
	size_t nslots;
	double total; /* sum of the files' totals: lines */
	size_t files; /* output files read */
};

void runner_cg_profile_init(struct runner_cg_profile *p);
void runner_cg_profile_release(struct runner_cg_profile *p);

/*
 * Add the counts of one callgrind output file text[0..len) to p.  root
 * (absolute, may be NULL) is removed from the start of object and file
 * paths.  what names the file in messages.  Returns 0, or PG_EINPUT
 * naming the file and line for a line that does not parse, a file
 * without an "events:" line with Ir, or without "totals:"/"summary:"
 * (the process did not finish writing it).  After an error p may hold
 * part of the file's counts: discard it.
 */
int runner_cg_parse(struct runner_cg_profile *p, const char *text, size_t len,
                    const char *what, const char *root);

/*
 * runner_cg_parse() every regular file in dir (one per process and dump).
 * Returns 0, PG_ERUNTIME when dir cannot be read or holds no file,
 * PG_EINPUT for a file that does not parse.
 */
int runner_cg_load_dir(struct runner_cg_profile *p, const char *dir,
                       const char *root);

/*
 * The first object under the root (a relative path) none of whose
 * functions has a name (callgrind shows addresses: a stripped binary),
 * or NULL.  Quadratic in the functions of such objects; borrowed from p.
 */
const char *runner_cg_stripped(const struct runner_cg_profile *p);

/* The function with that key in p, or NULL.  Borrowed. */
const struct runner_cg_fn *runner_cg_find(const struct runner_cg_profile *p,
                                          const char *object, const char *file,
                                          const char *name);

/* One function's counts on both sides (0 where it is absent). */
struct runner_cg_delta {
	const char *object, *file, *name; /* borrowed from a profile */
	double base_self, cand_self;
	double base_incl, cand_incl;
	int only_base, only_cand; /* gone, or new (a rename shows as both) */
};

/*
 * Every function of base and cand with a different self or inclusive
 * count, into *out (malloc'd, free() it; strings borrowed from the
 * profiles, which must outlive it), sorted by self growth, largest
 * first (ties: inclusive growth, then name).  Self counts add up to the
 * total, so a function's self growth divided by the total change is its
 * share of it.
 */
void runner_cg_diff(struct runner_cg_delta **out, size_t *n,
                    const struct runner_cg_profile *base,
                    const struct runner_cg_profile *cand);

#endif
