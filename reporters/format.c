/* What every output format shares; see reporters/format.h. */
#include "reporters/format.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void report_opts_init(struct report_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
}

struct sort_key {
	int rank;
	double size; /* regressions: larger first */
	size_t idx;
};

static int cmp_key(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t *report_sorted_rows(const struct report *r)
{
	struct sort_key *keys;
	size_t *idx, i;

	if (!r->nrows)
		return NULL;
	keys = pg_calloc(r->nrows, sizeof(*keys));
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[i];

		keys[i].rank = (int)row->verdict;
		if (report_row_over_budget(row) &&
		    keys[i].rank > (int)REPORT_OVER_BUDGET)
			keys[i].rank = REPORT_OVER_BUDGET;
		/* metrics that only inform come after every gating one */
		else if (row->informational)
			keys[i].rank += (int)REPORT_NO_BASELINE + 1;
		keys[i].size = 0;
		if (row->verdict == REPORT_REGRESSION &&
		    isfinite(row->estimate))
			keys[i].size = row->estimate;
		keys[i].idx = i;
	}
	qsort(keys, r->nrows, sizeof(*keys), cmp_key);
	idx = pg_calloc(r->nrows, sizeof(*idx));
	for (i = 0; i < r->nrows; i++)
		idx[i] = keys[i].idx;
	free(keys);
	return idx;
}
