/*
 * perfgate bisect --change: GOOD and BAD from the newest change point
 * that `perfgate log --changes` finds in the benchmark's stored history
 * (see cmd/bisect.h).
 */
#include "cmd/bisect.h"
#include "cmd/log_history.h"
#include "cmd/log_read.h"
#include "stats/select.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct change_walk {
	const char *bench;
	struct log_history *h;
	double *pool;
	size_t pool_alloc;
};

/*
 * The benchmark's wall time (else its first metric), pooled over the
 * commit's runs, as `perfgate log` summarises a commit.
 */
static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct change_walk *w = payload;
	struct log_row row;
	size_t i, j, len = 0;

	(void)warning;
	memset(&row, 0, sizeof(row));
	row.name = w->bench;
	for (i = 0; i < n; i++) {
		const struct result_bench *b =
		        result_bench_find(&runs[i], w->bench);
		const struct result_metric *m =
		        b ? result_metric_find(b, RESULT_WALL_TIME) : NULL;

		if (b && !m && b->nmetrics)
			m = &b->metrics[0];
		if (!m || b->error ||
		    (row.metric && strcmp(row.metric, m->name)))
			continue;
		row.metric = m->name;
		row.unit = m->unit;
		row.runs++;
		w->pool = pg_grow_array(w->pool, sizeof(*w->pool), len + m->n,
		                        &w->pool_alloc);
		for (j = 0; j < m->n; j++)
			w->pool[len++] = m->samples[j];
	}
	if (!len)
		return 0;
	row.samples = len;
	row.median = stats_median_select(w->pool, len);
	log_history_add(w->h, k, &row, 1);
	return 0;
}

int cmd_bisect_change(struct store *s, const char *head, const char *bench,
                      char good[41], char bad[41])
{
	struct change_walk w = {bench, log_history_new(), NULL, 0};
	struct stats_cp_opts cp;
	const struct log_row *rows;
	size_t i, n, total, count;
	int err;

	stats_cp_opts_init(&cp);
	if ((err = log_read_walk(s, head, PG_DEFAULT_BISECT_MAX_COMMITS,
	                         on_note, &w, NULL, NULL)) < 0 ||
	    (err = log_history_find_changes(w.h, &cp, &total)) < 0)
		goto out;
	count = log_history_count(w.h);
	/* newest first: the first marked row is the newest change point */
	for (i = 0; i + 1 < count; i++) {
		const struct store_commit *k =
		        log_history_get(w.h, i, &rows, &n);

		if (n && rows[0].change) {
			memcpy(bad, k->sha, 41);
			memcpy(good,
			       log_history_get(w.h, i + 1, &rows, &n)->sha, 41);
			goto out;
		}
	}
	err = pg_error_input("--change: `perfgate log --changes` finds no "
	                     "change point for '%s' in the %zu commits with "
	                     "results; give GOOD and BAD",
	                     bench, count);
out:
	free(w.pool);
	log_history_free(w.h);
	return err;
}
