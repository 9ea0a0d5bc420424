/* A benchmark's pooled median on one commit; see history/summary.h. */
#include "history/summary.h"
#include "stats/select.h"
#include "model/result_summary.h"
#include "util/mem.h"
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

void history_pool_release(struct history_pool *p)
{
	free(p->x);
	p->x = NULL;
	p->alloc = 0;
}

const struct result_metric *history_primary(const struct result_bench *b)
{
	const struct result_metric *m = result_metric_find(b, RESULT_WALL_TIME);

	return m ? m : (b->nmetrics ? &b->metrics[0] : NULL);
}

static int run_counts(const struct result_run *r,
                      const struct history_filter *f)
{
	char *key;
	int same;

	if (!f)
		return 1;
	if (f->clean_only &&
	    (r->dirty || (r->mode && !strcmp(r->mode, RESULT_MODE_PAIRED))))
		return 0;
	if (!f->env_key)
		return 1;
	key = result_run_env_key(r);
	same = key && !strcmp(key, f->env_key);
	free(key);
	return same;
}

int history_summarise(struct history_row *row, struct history_pool *pool,
                      const struct result_run *runs, size_t n, const char *name,
                      const char *metric, const struct history_filter *f)
{
	size_t i, j, len = 0, count = 0;

	memset(row, 0, sizeof(*row));
	row->name = name;
	for (i = 0; i < n; i++) {
		const struct result_bench *b =
		        result_bench_find(&runs[i], name);
		const struct result_metric *m;

		if (!b || b->error || !run_counts(&runs[i], f))
			continue;
		m = metric ? result_metric_find(b, metric) : history_primary(b);
		if (!m || (row->metric && strcmp(row->metric, m->name)))
			continue;
		row->metric = m->name;
		row->unit = m->unit;
		row->direction = m->direction;
		row->runs++;
		pool->x = pg_grow_array(pool->x, sizeof(*pool->x), len + m->n,
		                        &pool->alloc);
		/*
		 * A run gc summarised pools its quantile points: the median
		 * of one run is exact, of several runs close to the pooled
		 * one (docs/results-format.md "Summarised runs").
		 */
		for (j = 0; j < m->n; j++)
			pool->x[len++] = m->samples[j];
		count += result_metric_count(m);
	}
	row->samples = count;
	if (len)
		row->median = stats_median_select(pool->x, len);
	return len > 0;
}

static int wanted(char *const *names, size_t nnames, const char *name)
{
	size_t i;

	if (!nnames)
		return 1;
	for (i = 0; i < nnames; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

size_t history_summarise_note(struct history_row **rows, size_t *alloc,
                              struct history_pool *pool,
                              const struct result_run *runs, size_t n,
                              char *const *names, size_t nnames)
{
	struct pg_strmap seen = PG_STRMAP_INIT;
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < runs[i].nbenches; j++) {
			const char *name = runs[i].benches[j].name;

			*rows = pg_grow_array(*rows, sizeof(**rows), k + 1,
			                      alloc);
			/* a hash set: a note may hold 100k benchmarks */
			if (wanted(names, nnames, name) &&
			    pg_strmap_add(&seen, name, 0, NULL) &&
			    history_summarise(&(*rows)[k], pool, runs, n, name,
			                      NULL, NULL))
				k++;
		}
	}
	pg_strmap_release(&seen);
	return k;
}
