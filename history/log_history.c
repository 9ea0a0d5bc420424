/* Series of per-commit medians and their change points; see the header. */
#include "history/log_history.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct commit {
	struct store_commit c;
	size_t first, n; /* its rows: h->rows[first .. first + n) */
};

struct log_history {
	struct commit *commits;
	size_t ncommits, commits_alloc;
	struct log_row *rows;
	size_t nrows, rows_alloc;
	struct log_series *series;
	size_t nseries, series_alloc;
	size_t last; /* the series found last: rows come in the same order */
};

struct log_history *log_history_new(void)
{
	return pg_calloc(1, sizeof(struct log_history));
}

void log_history_free(struct log_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->ncommits; i++)
		store_commit_release(&h->commits[i].c);
	for (i = 0; i < h->nseries; i++) {
		free(h->series[i].name);
		free(h->series[i].metric);
		free(h->series[i].unit);
		free(h->series[i].env);
		free(h->series[i].rows);
		free(h->series[i].cps);
	}
	free(h->commits);
	free(h->rows);
	free(h->series);
	free(h);
}

static const char *env_of(const struct log_row *r)
{
	return r->env ? r->env : "";
}

static int same_series(const struct log_series *s, const struct log_row *r)
{
	return !strcmp(s->name, r->name) && !strcmp(s->metric, r->metric) &&
	       !strcmp(s->unit, r->unit) && !strcmp(s->env, env_of(r));
}

/* The series of r, created when new. */
static struct log_series *series_of(struct log_history *h,
                                    const struct log_row *r)
{
	struct log_series *s;
	size_t i, k;

	for (i = 0; i < h->nseries; i++) {
		k = (h->last + 1 + i) % h->nseries;
		if (same_series(&h->series[k], r)) {
			h->last = k;
			return &h->series[k];
		}
	}
	h->series = pg_grow_array(h->series, sizeof(*h->series), h->nseries + 1,
	                          &h->series_alloc);
	s = &h->series[h->nseries];
	memset(s, 0, sizeof(*s));
	s->name = pg_strdup(r->name);
	s->metric = pg_strdup(r->metric);
	s->unit = pg_strdup(r->unit);
	s->env = pg_strdup(env_of(r));
	s->direction = r->direction;
	h->last = h->nseries++;
	return s;
}

void log_history_add(struct log_history *h, const struct store_commit *c,
                     const struct log_row *rows, size_t n)
{
	struct commit *k;
	size_t i;

	h->commits = pg_grow_array(h->commits, sizeof(*h->commits),
	                           h->ncommits + 1, &h->commits_alloc);
	k = &h->commits[h->ncommits++];
	memset(k, 0, sizeof(*k));
	memcpy(k->c.sha, c->sha, sizeof(c->sha));
	memcpy(k->c.short_sha, c->short_sha, sizeof(c->short_sha));
	k->c.subject = pg_strdup(c->subject ? c->subject : "");
	k->c.message = c->message ? pg_strdup(c->message) : NULL;
	k->c.time = c->time;
	k->c.tz_minutes = c->tz_minutes;
	k->first = h->nrows;
	k->n = n;
	h->rows = pg_grow_array(h->rows, sizeof(*h->rows), h->nrows + n,
	                        &h->rows_alloc);
	for (i = 0; i < n; i++) {
		struct log_series *s = series_of(h, &rows[i]);
		struct log_row *r = &h->rows[h->nrows];

		*r = rows[i];
		/* point at the series' copies, which outlive the walk */
		r->name = s->name;
		r->metric = s->metric;
		r->unit = s->unit;
		r->env = s->env;
		r->change = NULL;
		r->commit = h->ncommits - 1;
		s->rows = pg_grow_array(s->rows, sizeof(*s->rows), s->n + 1,
		                        &s->alloc);
		s->rows[s->n++] = h->nrows++;
	}
}

static int series_changes(struct log_history *h, struct log_series *s,
                          const struct stats_cp_opts *o)
{
	double *x = pg_malloc((s->n ? s->n : 1) * sizeof(*x));
	size_t i;
	int err;

	/* oldest first: the rows were added newest first */
	for (i = 0; i < s->n; i++)
		x[i] = h->rows[s->rows[s->n - 1 - i]].median;
	err = stats_changepoints(&s->cps, &s->ncps, x, s->n, o);
	free(x);
	if (err < 0)
		return err;
	for (i = 0; i < s->ncps; i++)
		h->rows[s->rows[s->n - 1 - s->cps[i].index]].change =
		        &s->cps[i];
	return 0;
}

int log_history_find_changes(struct log_history *h,
                             const struct stats_cp_opts *o, size_t *total)
{
	size_t i;
	int err;

	*total = 0;
	for (i = 0; i < h->nseries; i++) {
		if ((err = series_changes(h, &h->series[i], o)) < 0)
			return err;
		*total += h->series[i].ncps;
	}
	return 0;
}

/* Medians of s's points [from, to) in commit order (oldest first). */
static double *segment(const struct log_history *h, const struct log_series *s,
                       size_t from, size_t to)
{
	double *x = pg_malloc((to > from ? to - from : 1) * sizeof(*x));
	size_t i;

	for (i = from; i < to; i++)
		x[i - from] = h->rows[s->rows[s->n - 1 - i]].median;
	return x;
}

int log_history_change_ci(struct stats_interval *out,
                          const struct log_history *h,
                          const struct log_series *s, size_t k,
                          double confidence)
{
	const struct stats_changepoint *c = &s->cps[k];
	size_t from = k ? s->cps[k - 1].index : 0;
	size_t to = k + 1 < s->ncps ? s->cps[k + 1].index : s->n;
	double *a, *b;
	int err;

	if (!(c->before > 0) || from >= c->index || c->index >= to)
		return pg_error_code(PG_EINPUT, "no interval for this shift");
	a = segment(h, s, from, c->index);
	b = segment(h, s, c->index, to);
	err = stats_hl_unpaired(out, a, c->index - from, b, to - c->index,
	                        confidence);
	free(a);
	free(b);
	if (err < 0)
		return err;
	out->estimate /= c->before;
	out->low /= c->before;
	out->high /= c->before;
	return 0;
}

size_t log_history_nseries(const struct log_history *h)
{
	return h->nseries;
}

const struct log_series *log_history_series(const struct log_history *h,
                                            size_t i)
{
	return &h->series[i];
}

const struct log_row *log_history_row(const struct log_history *h, size_t i)
{
	return &h->rows[i];
}

size_t log_history_count(const struct log_history *h)
{
	return h->ncommits;
}

const struct store_commit *log_history_get(const struct log_history *h,
                                           size_t i,
                                           const struct log_row **rows,
                                           size_t *n)
{
	*rows = h->rows + h->commits[i].first;
	*n = h->commits[i].n;
	return &h->commits[i].c;
}
