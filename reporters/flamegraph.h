/*
 * flamegraph.h - a differential flame graph as SVG: frame widths are the
 * candidate's instructions, colours the change from the baseline (red:
 * grew, blue: shrank, the deeper the colour the larger the change), as in
 * Brendan Gregg's difffolded.pl.  `perfgate explain --flamegraph FILE`.
 *
 * Errors and ownership: cannot fail; appends to the caller's pg_buf and
 * keeps no pointer to the stacks.
 */
#ifndef PG_REPORTERS_FLAMEGRAPH_H
#define PG_REPORTERS_FLAMEGRAPH_H

#include <stddef.h>

#include "util/buf.h"

/* One folded stack ("a;b;c") and its own instructions on each side. */
struct report_flame_stack {
	const char *stack;
	double base, cand;
};

/*
 * Write the SVG of stacks[0..n) (in any order) to out, with title and a
 * note (may be NULL) under it.  Every name is XML-escaped.
 */
void report_flamegraph_svg(struct pg_buf *out,
                           const struct report_flame_stack *stacks, size_t n,
                           const char *title, const char *note);

#endif
