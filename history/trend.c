/* Recent history per report row; see history/trend.h. */
#include "history/trend.h"
#include "history/log_history.h"
#include "history/log_read.h"
#include "history/summary.h"
#include "store/notes.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct trend_walk {
	struct log_history *h;
	struct history_summary sum;
};

static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct trend_walk *w = payload;

	(void)warning; /* the gate's own reads report unreadable notes */
	history_summarise(&w->sum, runs, n, NULL, NULL);
	if (w->sum.nrows)
		log_history_add(w->h, k, w->sum.rows, w->sum.nrows);
	return 0;
}

/* The series of row in class env (NULL: the newest row's class). */
static const struct log_series *series_for(const struct log_history *h,
                                           const struct report_row *row,
                                           const char *env)
{
	const struct log_series *best = NULL;
	size_t i, newest = (size_t)-1;

	for (i = 0; i < log_history_nseries(h); i++) {
		const struct log_series *s = log_history_series(h, i);
		size_t c = log_history_row(h, s->rows[0])->commit;

		if (strcmp(s->name, row->bench) ||
		    strcmp(s->metric, row->metric) ||
		    (env && strcmp(s->env, env)))
			continue;
		if (c < newest) {
			newest = c;
			best = s;
		}
	}
	return best;
}

int history_attach_trends(struct report *r, struct store *s, const char *from,
                          const char *env_key, size_t max)
{
	struct trend_walk w;
	double *y = NULL;
	size_t i, j, alloc = 0;
	int exists = 0, err;

	memset(&w, 0, sizeof(w));
	if ((err = store_notes_exist(s, &exists)) < 0 || !exists)
		return err;
	w.h = log_history_new();
	history_summary_init(&w.sum);
	err = log_read_walk(s, from, max, on_note, &w, NULL, NULL);
	for (i = 0; err == 0 && i < r->nrows; i++) {
		const struct log_series *ser;

		if (!r->rows[i].bench || !r->rows[i].metric ||
		    !(ser = series_for(w.h, &r->rows[i], env_key)))
			continue;
		y = pg_grow_array(y, sizeof(*y), ser->n, &alloc);
		for (j = 0; j < ser->n; j++)
			y[j] = log_history_row(w.h, ser->rows[ser->n - 1 - j])
			               ->median;
		report_row_set_trend(&r->rows[i], y, ser->n);
	}
	free(y);
	history_summary_release(&w.sum);
	log_history_free(w.h);
	return err;
}
