/* History alerts on the target branch; see gate/alert.h. */
#include "gate/alert.h"
#include "gate/accept.h"
#include "gate/baseline.h"
#include "gate/cells.h"
#include "gate/compare.h"
#include "history/series.h"
#include "history/summary.h"
#include "history/walk.h"
#include "store/alerts.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int gate_on_change_parse(enum gate_on_change *out, const char *s)
{
	if (!strcmp(s, "fail"))
		*out = GATE_ON_CHANGE_FAIL;
	else if (!strcmp(s, "warn"))
		*out = GATE_ON_CHANGE_WARN;
	else
		return pg_error_input("on_change: '%s' is not 'fail' or "
		                      "'warn'",
		                      s);
	return 0;
}

void gate_alert_opts_init(struct gate_alert_opts *o)
{
	memset(o, 0, sizeof(*o));
	history_alert_opts_init(&o->alert);
	o->commits = PG_DEFAULT_HISTORY_COMMITS;
	o->on_change = GATE_ON_CHANGE_FAIL;
	o->record = 1;
}

/* The walk: one series per benchmark x gating metric. */
struct collect {
	struct history_series *h;
	const struct config *cfg;
	struct history_filter filter;
	struct history_pool pool;
	struct history_row *rows;
	size_t rows_alloc;
};

static size_t add_bench(struct collect *c, const struct result_run *runs,
                        size_t n, const struct result_bench *b, size_t nrows)
{
	size_t k;

	for (k = 0; k < b->nmetrics; k++) {
		if (!gate_metric_gating(c->cfg, b, &b->metrics[k]))
			continue;
		c->rows = pg_grow_array(c->rows, sizeof(*c->rows), nrows + 1,
		                        &c->rows_alloc);
		nrows += history_summarise(&c->rows[nrows], &c->pool, runs, n,
		                           b->name, b->metrics[k].name,
		                           &c->filter);
	}
	return nrows;
}

static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct collect *c = payload;
	struct pg_strmap seen = PG_STRMAP_INIT;
	size_t i, j, nrows = 0;

	/* each name once, in first-seen order: a hash set, as log does */
	for (i = 0; i < n; i++)
		for (j = 0; j < runs[i].nbenches; j++)
			if (pg_strmap_add(&seen, runs[i].benches[j].name, 0,
			                  NULL))
				nrows = add_bench(c, runs, n,
				                  &runs[i].benches[j], nrows);
	pg_strmap_release(&seen);
	if (nrows)
		history_series_add(c->h, k, c->rows, nrows);
	return 0;
}

/* The state of one alert and the accepting or earlier gate, in a->note. */
struct judge {
	struct store *s;
	const struct config *cfg;
	const char *cand;
	const struct gate_alert_opts *o;
	struct history_series *h;
};

/* A perfgate.json "accept" entry with this alert's commit. */
static int config_accepted(const struct judge *j, struct report_alert *a)
{
	struct pg_buf note = PG_BUF_INIT;
	size_t i;
	char sha[41];

	for (i = 0; j->cfg && i < j->cfg->naccepts; i++) {
		const struct config_accept *c = &j->cfg->accepts[i];

		if (!c->commit || strcmp(c->bench, a->bench) ||
		    (c->metric && strcmp(c->metric, a->metric)))
			continue;
		if (store_resolve(j->s, c->commit, sha) < 0)
			return pg_error_input("'%s': accept[%zu]: unknown "
			                      "commit '%s'",
			                      j->cfg->path, i, c->commit);
		if (strcmp(sha, a->commit) ||
		    (c->max_effect > 0 && fabs(a->shift) > c->max_effect))
			continue;
		pg_buf_addstr(&note, "in perfgate.json");
		if (c->reason)
			pg_buf_addf(&note, ": %s", c->reason);
		a->note = pg_buf_detach(&note, NULL);
		return 1;
	}
	return 0;
}

/* A Perfgate-Accept: BENCH@COMMIT line in a commit after the culprit. */
static int trailer_accepted(const struct judge *j, struct report_alert *a)
{
	const struct gate_alert_accept *x;
	struct gate_accepts acc;
	struct pg_buf note = PG_BUF_INIT;
	int err;

	gate_accepts_init(&acc);
	err = gate_collect_accepts(&acc, j->s, j->cand, a->commit,
	                           j->o->commits);
	x = err < 0 ? NULL : gate_accepts_find_alert(&acc, a->bench, a->commit);
	if (x) {
		pg_buf_addf(&note, "by %.7s", x->by ? x->by : "?");
		if (x->reason)
			pg_buf_addf(&note, ": %s", x->reason);
		a->note = pg_buf_detach(&note, NULL);
	}
	gate_accepts_release(&acc);
	return err < 0 ? err : x != NULL;
}

/* Recorded by an earlier gate on a commit near shift x (see
 * history_alert_known_range()). */
static int recorded(const struct judge *j, struct report_alert *a,
                    const struct history_row *const *rows, size_t n,
                    const struct history_shift *x)
{
	size_t lo, hi, i, k, na;
	int err = 0, found = 0;

	history_alert_known_range(x, &j->o->alert, &lo, &hi);
	for (i = lo; i < n && i <= hi && !found; i++) {
		const struct history_row *unused;
		size_t nu;
		const struct store_commit *c =
		        history_series_get(j->h, rows[i]->commit, &unused, &nu);
		struct store_alert *al = NULL;

		if ((err = store_read_alerts(j->s, c->sha, &al, &na)) < 0)
			return err;
		for (k = 0; k < na && !found; k++)
			if (!strcmp(al[k].bench, a->bench) &&
			    !strcmp(al[k].metric, a->metric)) {
				struct pg_buf note = PG_BUF_INIT;

				found = 1;
				pg_buf_addf(&note, "raised on push %.7s",
				            al[k].raised_on[0] ? al[k].raised_on
				                               : "?");
				a->note = pg_buf_detach(&note, NULL);
			}
		store_alerts_free(al, na);
	}
	return found;
}

static int record(const struct judge *j, const struct report_alert *a)
{
	struct store_alert rec;

	memset(&rec, 0, sizeof(rec));
	rec.bench = a->bench;
	rec.metric = a->metric;
	rec.shift = a->shift;
	rec.ci_low = a->ci_low;
	rec.ci_high = a->ci_high;
	rec.p_value = a->p_value;
	memcpy(rec.raised_on, j->cand, sizeof(rec.raised_on));
	rec.raised_on[40] = '\0';
	return store_append_alert(j->s, a->commit, &rec);
}

static int judge_alert(const struct judge *j, struct report_alert *a,
                       const struct history_row *const *rows, size_t n,
                       const struct history_shift *x)
{
	int r;

	if ((r = config_accepted(j, a)) < 0 ||
	    (!r && (r = trailer_accepted(j, a)) < 0))
		return r;
	if (r) {
		a->state = REPORT_ALERT_ACCEPTED;
		return 0;
	}
	if ((r = recorded(j, a, rows, n, x)) < 0)
		return r;
	if (r) {
		a->state = REPORT_ALERT_KNOWN;
		return 0;
	}
	a->state = REPORT_ALERT_NEW;
	a->fails = j->o->on_change == GATE_ON_CHANGE_FAIL;
	return j->o->record ? record(j, a) : 0;
}

static void fill_alert(struct report_alert *a, const struct history_shift *x,
                       const struct history_row *const *rows, size_t n,
                       const struct gate_alert_opts *o)
{
	size_t i;

	a->unit = pg_strdup(rows[0]->unit);
	a->shift = x->shift;
	a->ci_low = x->ci_low;
	a->ci_high = x->ci_high;
	a->confidence = o->alert.confidence;
	a->p_value = x->p_value;
	a->threshold = o->alert.threshold;
	a->before = x->before;
	a->after = x->after;
	a->later_commits = x->later;
	for (i = x->index + 1; i < n; i++)
		a->later_runs += rows[i]->runs;
}

static int all_positive(const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			return 0;
	return n > 0;
}

static int series_alerts(struct report *rep, const struct judge *j, size_t k)
{
	const struct history_row **rows = NULL;
	struct history_shift *sh = NULL;
	double *x;
	size_t n = history_series_points(j->h, k, &rows), i, ns = 0;
	int err;

	x = pg_malloc((n ? n : 1) * sizeof(*x));
	for (i = 0; i < n; i++)
		x[i] = rows[i]->median;
	/*
	 * A relative shift needs positive values: a series with a zero (an
	 * error rate of 0, a count of 0) has no history alert
	 */
	err = all_positive(x, n)
	              ? history_alert_find(&sh, &ns, x, n, rows[0]->direction,
	                                   &j->o->alert)
	              : 0;
	for (i = 0; i < ns && err >= 0; i++) {
		const struct history_row *unused;
		size_t nu;
		const struct store_commit *c = history_series_get(
		        j->h, rows[sh[i].index]->commit, &unused, &nu);
		struct report_alert *a = report_add_alert(
		        rep, rows[0]->name, rows[0]->metric, c->sha);

		a->subject = pg_strdup(c->subject ? c->subject : "");
		fill_alert(a, &sh[i], rows, n, j->o);
		err = judge_alert(j, a, rows, n, &sh[i]);
	}
	free(sh);
	free(x);
	free(rows);
	return err;
}

static void summary_line(struct report *rep, const struct history_series *h,
                         const struct gate_alert_opts *o)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b,
	            "history: %zu commits with results, %zu series; change "
	            "points among the newest %zu commits (E-divisive means, "
	            "p <= %g",
	            history_series_count(h), history_series_nseries(h),
	            o->alert.recent, o->alert.cp.p_threshold);
	if (o->alert.online_max)
		pg_buf_addf(&b, "; online look at the newest %zu-%zu",
		            o->alert.online_min, o->alert.online_max);
	pg_buf_addf(&b, "), worse by >= %g%%", o->alert.threshold * 100);
	free(rep->history);
	rep->history = pg_buf_detach(&b, NULL);
}

int gate_history_alert(struct report *rep, struct store *s,
                       const struct config *cfg, const char *cand,
                       const struct gate_alert_opts *o)
{
	struct collect c;
	struct judge j;
	size_t k;
	int err;

	memset(&c, 0, sizeof(c));
	c.h = history_series_new();
	c.cfg = cfg;
	c.filter.env_key = o->env_key;
	c.filter.clean_only = 1;
	err = history_walk(s, cand, o->commits, on_note, &c, NULL, NULL);
	j.s = s;
	j.cfg = cfg;
	j.cand = cand;
	j.o = o;
	j.h = c.h;
	for (k = 0; err >= 0 && k < history_series_nseries(c.h); k++)
		err = series_alerts(rep, &j, k);
	if (err >= 0)
		summary_line(rep, c.h, o);
	history_pool_release(&c.pool);
	free(c.rows);
	history_series_free(c.h);
	return err < 0 ? err : 0;
}
