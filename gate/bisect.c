/* The search of `perfgate bisect`: see bisect.h. */
#include "gate/bisect.h"
#include "util/mem.h"

#include <stdlib.h>

void gate_bisect_init(struct gate_bisect *b, size_t n)
{
	b->marks = pg_calloc(n, sizeof(*b->marks));
	b->n = n;
	b->marks[0] = GATE_BISECT_SAME;
	b->lo = 0;
	b->hi = n - 1;
	b->measured = 0;
}

void gate_bisect_release(struct gate_bisect *b)
{
	free(b->marks);
	b->marks = NULL;
	b->n = 0;
}

/* The untested commit strictly between lo and hi nearest their middle. */
static int pick(const struct gate_bisect *b, size_t *out)
{
	size_t mid = b->lo + (b->hi - b->lo) / 2, d;

	for (d = 0; d <= mid - b->lo; d++) {
		if (mid - d > b->lo &&
		    b->marks[mid - d] == GATE_BISECT_UNTESTED) {
			*out = mid - d;
			return 1;
		}
		if (mid + d < b->hi &&
		    b->marks[mid + d] == GATE_BISECT_UNTESTED) {
			*out = mid + d;
			return 1;
		}
	}
	return 0;
}

enum gate_bisect_outcome gate_bisect_next(const struct gate_bisect *b,
                                          size_t *next)
{
	size_t k;

	switch (b->marks[b->n - 1]) {
	case GATE_BISECT_UNTESTED:
		*next = b->n - 1;
		return GATE_BISECT_RUNNING;
	case GATE_BISECT_SAME:
		return GATE_BISECT_NO_SHIFT;
	case GATE_BISECT_SHIFTED:
		break;
	default:
		return GATE_BISECT_BAD_UNCLEAR;
	}
	for (k = b->lo + 1; k < b->hi; k++)
		if (b->marks[k] == GATE_BISECT_UNCLEAR)
			return GATE_BISECT_BETWEEN;
	if (b->hi - b->lo == 1)
		return GATE_BISECT_CULPRIT;
	return pick(b, next) ? GATE_BISECT_RUNNING : GATE_BISECT_BETWEEN;
}

void gate_bisect_mark(struct gate_bisect *b, size_t k,
                      enum gate_bisect_mark mark)
{
	if (k == 0 || k >= b->n)
		return;
	b->marks[k] = mark;
	b->measured++;
	if (mark == GATE_BISECT_SAME && k > b->lo && k < b->hi)
		b->lo = k;
	else if (mark == GATE_BISECT_SHIFTED && k < b->hi && k > b->lo)
		b->hi = k;
}

const char *gate_bisect_mark_name(enum gate_bisect_mark m)
{
	switch (m) {
	case GATE_BISECT_SAME:
		return "same";
	case GATE_BISECT_SHIFTED:
		return "shifted";
	case GATE_BISECT_SKIP:
		return "skipped";
	case GATE_BISECT_UNCLEAR:
		return "unclear";
	default:
		return "untested";
	}
}
