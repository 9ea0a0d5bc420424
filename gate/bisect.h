/*
 * bisect.h - the search of `perfgate bisect`: which commit on the
 * first-parent path from GOOD to BAD shifted a benchmark.  Pure
 * bookkeeping: the caller measures the commit next() names (a paired
 * comparison against GOOD) and marks it; nothing here spawns or prints.
 *
 * The path is indexed 0 (GOOD, same by definition) to n - 1 (BAD, which
 * is measured first: when it did not shift there is nothing to find).
 * The search keeps lo, the newest commit measured "same", and hi, the
 * oldest measured "shifted", and measures the untested commit nearest to
 * their middle.  A commit that does not build is skipped (as `git bisect
 * skip`); a comparison that cannot tell ("unclear": inconclusive, too
 * noisy or too small to place) ends the search: the step lies between lo
 * and hi, and no guess is made.
 *
 * Errors and ownership: nothing here can fail; a struct gate_bisect owns
 * its marks (gate_bisect_release() frees them); names are static strings.
 */
#ifndef PG_GATE_BISECT_H
#define PG_GATE_BISECT_H

#include <stddef.h>

enum gate_bisect_mark {
	GATE_BISECT_UNTESTED = 0,
	GATE_BISECT_SAME, /* no shift of at least theta from GOOD */
	GATE_BISECT_SHIFTED, /* shifted (a regression) from GOOD */
	GATE_BISECT_SKIP, /* could not be built or measured */
	GATE_BISECT_UNCLEAR, /* the comparison could not tell */
};

enum gate_bisect_outcome {
	GATE_BISECT_RUNNING, /* next() names a commit to measure */
	GATE_BISECT_CULPRIT, /* hi is the first shifted commit: lo = hi - 1 */
	GATE_BISECT_BETWEEN, /* the step is after lo, at or before hi */
	GATE_BISECT_NO_SHIFT, /* BAD did not shift from GOOD */
	GATE_BISECT_BAD_UNCLEAR, /* BAD's own comparison could not tell */
};

struct gate_bisect {
	enum gate_bisect_mark *marks; /* n of them */
	size_t n;
	size_t lo, hi;
	size_t measured; /* commits marked, skips included */
};

/* A search over n >= 2 commits.  Release with gate_bisect_release(). */
void gate_bisect_init(struct gate_bisect *b, size_t n);
void gate_bisect_release(struct gate_bisect *b);

/* Where the search stands; *next is the index to measure when RUNNING. */
enum gate_bisect_outcome gate_bisect_next(const struct gate_bisect *b,
                                          size_t *next);

/* Record the outcome of measuring commit k (1 <= k < n). */
void gate_bisect_mark(struct gate_bisect *b, size_t k,
                      enum gate_bisect_mark mark);

/* "same", "shifted", ... for progress lines and JSON. */
const char *gate_bisect_mark_name(enum gate_bisect_mark m);

#endif
