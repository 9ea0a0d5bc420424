/* Samples and trends attached to report rows; see model/report.h. */
#include "model/report.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/* Pool bench/metric's samples over runs[0..n) into *out, *nout. */
static void pool(double **out, size_t *nout, const struct result_run *runs,
                 size_t n, const char *bench, const char *metric)
{
	size_t i, len = 0, alloc = 0;
	double *x = NULL;

	for (i = 0; i < n; i++) {
		const struct result_bench *b =
		        result_bench_find(&runs[i], bench);
		const struct result_metric *m =
		        b && !b->error ? result_metric_find(b, metric) : NULL;

		if (!m || !m->n)
			continue;
		x = pg_grow_array(x, sizeof(*x), len + m->n, &alloc);
		memcpy(x + len, m->samples, m->n * sizeof(*x));
		len += m->n;
	}
	free(*out);
	*out = x;
	*nout = len;
}

void report_attach_samples(struct report *r, const struct result_run *base,
                           size_t nbase, const struct result_run *cand,
                           size_t ncand)
{
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		struct report_row *row = &r->rows[i];

		if (!row->bench || !row->metric)
			continue;
		pool(&row->base_samples, &row->nbase_samples, base, nbase,
		     row->bench, row->metric);
		pool(&row->cand_samples, &row->ncand_samples, cand, ncand,
		     row->bench, row->metric);
	}
}

void report_row_set_trend(struct report_row *row, const double *values,
                          size_t n)
{
	free(row->trend);
	row->trend = n ? pg_malloc(n * sizeof(*values)) : NULL;
	if (n)
		memcpy(row->trend, values, n * sizeof(*values));
	row->ntrend = n;
}
