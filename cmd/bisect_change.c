/*
 * perfgate bisect --change: GOOD and BAD from the newest change point
 * that `perfgate log --changes` finds in the benchmark's stored history,
 * or the newest history alert recorded on a commit for it (see
 * cmd/bisect.h).
 */
#include "cmd/bisect.h"
#include "history/series.h"
#include "history/walk.h"
#include "history/classes.h"
#include "store/alerts.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct change_walk {
	struct store *s;
	const char *bench;
	struct history_series *h;
	struct history_classes sum;
	/* commits (by their index in h) with a history alert for bench */
	char *alerted;
	size_t alerted_alloc;
};

/* 1 when commit sha has a history alert for bench (store/alerts.h). */
static int has_alert(struct change_walk *w, const char *sha)
{
	struct store_alert *a = NULL;
	size_t i, n = 0;
	int yes = 0;

	if (store_read_alerts(w->s, sha, &a, &n) < 0) {
		pg_error_clear(); /* a note is read, never rejected */
		return 0;
	}
	for (i = 0; i < n && !yes; i++)
		yes = !strcmp(a[i].bench, w->bench);
	store_alerts_free(a, n);
	return yes;
}

static int wanted(const char *name, void *arg)
{
	return !strcmp(name, arg);
}

/* The commit's summary as `perfgate log` makes it (paired runs left out). */
static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct change_walk *w = payload;

	(void)warning;
	history_classes_summarise(&w->sum, runs, n, wanted, (void *)w->bench);
	if (w->sum.nrows) {
		size_t i = history_series_count(w->h);

		history_series_add(w->h, k, w->sum.rows, w->sum.nrows);
		w->alerted =
		        pg_grow_array(w->alerted, 1, i + 1, &w->alerted_alloc);
		w->alerted[i] = (char)has_alert(w, k->sha);
	}
	return 0;
}

static int row_changed(const struct history_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].change)
			return 1;
	return 0;
}

int cmd_bisect_change(struct store *s, const char *head, const char *bench,
                      char good[41], char bad[41])
{
	struct change_walk w;
	struct stats_cp_opts cp;
	const struct history_row *rows;
	size_t i, n, total, count;
	int err;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.bench = bench;
	w.h = history_series_new();
	history_classes_init(&w.sum);
	stats_cp_opts_init(&cp);
	if ((err = history_walk(s, head, PG_DEFAULT_BISECT_MAX_COMMITS, on_note,
	                        &w, NULL, NULL)) < 0 ||
	    (err = history_series_find_changes(w.h, &cp, &total)) < 0)
		goto out;
	count = history_series_count(w.h);
	/* newest first: the first marked row is the newest change point */
	for (i = 0; i + 1 < count; i++) {
		const struct store_commit *k =
		        history_series_get(w.h, i, &rows, &n);

		if (row_changed(rows, n) || w.alerted[i]) {
			memcpy(bad, k->sha, 41);
			memcpy(good,
			       history_series_get(w.h, i + 1, &rows, &n)->sha,
			       41);
			goto out;
		}
	}
	err = pg_error_input("--change: neither `perfgate log --changes` nor "
	                     "a history alert marks a change point for '%s' "
	                     "in the %zu commits with results; give GOOD and "
	                     "BAD",
	                     bench, count);
out:
	history_classes_release(&w.sum);
	history_series_free(w.h);
	free(w.alerted);
	return err;
}
