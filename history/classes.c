/* One commit's runs summarised per benchmark and runner class. */
#include "history/classes.h"
#include "history/summary.h"
#include "stats/describe.h"
#include "stats/select.h"
#include "model/result_summary.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void history_classes_init(struct history_classes *s)
{
	memset(s, 0, sizeof(*s));
}

static void clear_envs(struct history_classes *s)
{
	size_t i;

	for (i = 0; i < s->nenvs; i++)
		free(s->envs[i]);
	s->nenvs = 0;
}

void history_classes_release(struct history_classes *s)
{
	clear_envs(s);
	free(s->envs);
	free(s->rows);
	free(s->pool);
	free(s->medians);
	memset(s, 0, sizeof(*s));
}

static int is_paired(const struct result_run *r)
{
	return r->mode && !strcmp(r->mode, RESULT_MODE_PAIRED);
}

/* Runs i of the class env and benchmark name: pooled into row. */
static int summarise_one(struct history_classes *s,
                         const struct result_run *runs, size_t n,
                         const char *name, const char *env,
                         struct history_row *row)
{
	size_t i, len = 0, count = 0;
	const struct result_metric *last = NULL;

	memset(row, 0, sizeof(*row));
	row->name = name;
	row->env = env;
	for (i = 0; i < n; i++) {
		const struct result_bench *b;
		const struct result_metric *m;

		if (is_paired(&runs[i]) || strcmp(s->envs[i], env))
			continue;
		b = result_bench_find(&runs[i], name);
		m = b ? history_primary(b) : NULL;
		if (!m || !m->n || b->error ||
		    (row->metric && strcmp(row->metric, m->name)))
			continue;
		row->metric = m->name;
		row->unit = m->unit;
		row->direction = m->direction;
		s->pool = pg_grow_array(s->pool, sizeof(*s->pool), len + m->n,
		                        &s->pool_alloc);
		memcpy(s->pool + len, m->samples, m->n * sizeof(*s->pool));
		s->medians = pg_grow_array(s->medians, sizeof(*s->medians),
		                           row->runs + 1, &s->medians_alloc);
		s->medians[row->runs++] =
		        stats_median_select(s->pool + len, m->n);
		len += m->n;
		count += result_metric_count(m);
		last = m;
	}
	row->samples = count; /* gc's summaries count what they measured */
	if (!len)
		return 0;
	if (row->runs >= 2) {
		row->lo = row->hi = s->medians[0];
		for (i = 1; i < row->runs; i++) {
			row->lo = fmin(row->lo, s->medians[i]);
			row->hi = fmax(row->hi, s->medians[i]);
		}
		row->median = stats_median_select(s->pool, len);
	} else if (last->summary.n) {
		/* gc kept the quartiles among its points */
		row->lo = last->samples[RESULT_SUMMARY_Q1];
		row->hi = last->samples[RESULT_SUMMARY_Q3];
		row->median = last->samples[RESULT_SUMMARY_MEDIAN];
	} else { /* by selection: a sort per commit was a tenth of a site */
		row->lo = stats_quantile_select(s->pool, len, 0.25);
		row->hi = stats_quantile_select(s->pool, len, 0.75);
		row->median = stats_median_select(s->pool, len);
	}
	return 1;
}

/* 1 when (name, env) already has a row. */
static int have_row(const struct history_classes *s, const char *name,
                    const char *env)
{
	size_t i;

	for (i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].name, name) &&
		    !strcmp(s->rows[i].env, env))
			return 1;
	return 0;
}

void history_classes_summarise(struct history_classes *s,
                               const struct result_run *runs, size_t n,
                               history_wanted_fn wanted, void *arg)
{
	size_t i, j;

	clear_envs(s);
	s->nrows = 0;
	s->paired = 0;
	s->envs = pg_grow_array(s->envs, sizeof(*s->envs), n ? n : 1,
	                        &s->envs_alloc);
	for (i = 0; i < n; i++)
		s->envs[s->nenvs++] = result_run_env_key(&runs[i]);
	for (i = 0; i < n; i++) {
		if (is_paired(&runs[i])) {
			s->paired = 1;
			continue;
		}
		for (j = 0; j < runs[i].nbenches; j++) {
			const char *name = runs[i].benches[j].name;

			if ((wanted && !wanted(name, arg)) ||
			    have_row(s, name, s->envs[i]))
				continue;
			s->rows = pg_grow_array(s->rows, sizeof(*s->rows),
			                        s->nrows + 1, &s->rows_alloc);
			if (summarise_one(s, runs, n, name, s->envs[i],
			                  &s->rows[s->nrows]))
				s->nrows++;
		}
	}
}
