/*
 * flame.h - folded stacks ("main;work;slow_path 1234") from a callgrind
 * profile's call edges, for `perfgate explain --flamegraph`.
 *
 * Approximate: callgrind records calls between pairs of functions, not
 * whole stacks (unless run with --separate-callers=N), so a function
 * called from two places has its own costs split between them in
 * proportion to each caller's calls' inclusive cost.  Cycles are cut where
 * a function would appear twice in one stack.
 *
 * Errors and ownership: cannot fail (allocation failure aborts); a struct
 * runner_flame owns its stacks (runner_flame_release() frees them).
 */
#ifndef PG_RUNNER_FLAME_H
#define PG_RUNNER_FLAME_H

#include <stddef.h>

#include "runner/callgrind.h"

struct runner_flame_stack {
	char *stack; /* frames from the root, ';'-separated */
	double ir; /* instructions of its last frame's own code */
};

struct runner_flame {
	struct runner_flame_stack *v;
	size_t n, alloc;
};

void runner_flame_init(struct runner_flame *f);
void runner_flame_release(struct runner_flame *f);

/*
 * Fold p into f (initialised by the caller): one stack per path from a
 * root (a function nobody calls) down the call edges, weighted as above;
 * stacks under min_ir instructions are dropped (0: none), and at most
 * PG_FLAME_MAX_DEPTH frames deep.  Stacks are sorted by name.
 */
void runner_flame_fold(struct runner_flame *f,
                       const struct runner_cg_profile *p, double min_ir);

#endif
