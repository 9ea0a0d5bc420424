#include "model/report.h"
#include "util/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[] = {
        [REPORT_REGRESSION] = "regression",
        [REPORT_OVER_BUDGET] = "over-budget",
        [REPORT_ERROR] = "error",
        [REPORT_INCONCLUSIVE] = "inconclusive",
        [REPORT_ACCEPTED] = "accepted",
        [REPORT_IMPROVEMENT] = "improvement",
        [REPORT_UNCHANGED] = "unchanged",
        [REPORT_ADDED] = "added",
        [REPORT_REMOVED] = "removed",
        [REPORT_NO_BASELINE] = "no-baseline",
};

const char *report_verdict_name(enum report_verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return "unknown";
	return verdict_names[v];
}

void report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->alpha = NAN;
	r->duration = NAN;
}

static void row_release(struct report_row *row)
{
	free(row->group);
	free(row->bench);
	free(row->metric);
	free(row->unit);
	free(row->test);
	free(row->method);
	free(row->note);
	free(row->error);
	free(row->budget);
	free(row->explain);
	free(row->base_samples);
	free(row->cand_samples);
	free(row->trend);
}

static void curves_release(struct report *r)
{
	size_t i;

	for (i = 0; i < r->ncurves; i++) {
		free(r->curves[i].bench);
		free(r->curves[i].axis);
		free(r->curves[i].points);
		free(r->curves[i].failure_base);
		free(r->curves[i].failure_cand);
		free(r->curves[i].slo_name);
	}
	free(r->curves);
}

const char *report_curve_metric(enum report_curve_stat s)
{
	static const char *const names[] = {"latency_p50", "latency_p95",
	                                    "latency_p99", "error_rate",
	                                    "throughput"};

	return (unsigned)s < REPORT_CURVE_NSTATS ? names[s] : "?";
}

struct report_curve *report_curve_get(struct report *r, const char *bench,
                                      const char *axis)
{
	struct report_curve *c;
	size_t i;

	for (i = 0; i < r->ncurves; i++)
		if (!strcmp(r->curves[i].bench, bench))
			return &r->curves[i];
	r->curves = pg_realloc(r->curves, (r->ncurves + 1) * sizeof(*c));
	c = &r->curves[r->ncurves++];
	memset(c, 0, sizeof(*c));
	c->bench = pg_strdup(bench);
	c->axis = pg_strdup(axis);
	c->capacity_base = c->capacity_cand = NAN;
	c->capacity_level_base = c->capacity_level_cand = NAN;
	c->slo_limit = NAN;
	return c;
}

struct report_curve_point *report_curve_point(struct report_curve *c,
                                              double level)
{
	struct report_curve_point *p;
	size_t i, k;

	for (i = 0; i < c->npoints && c->points[i].level <= level; i++)
		if (c->points[i].level == level)
			return &c->points[i];
	c->points = pg_realloc(c->points, (c->npoints + 1) * sizeof(*p));
	memmove(&c->points[i + 1], &c->points[i],
	        (c->npoints - i) * sizeof(*p));
	c->npoints++;
	p = &c->points[i];
	p->level = level;
	for (k = 0; k < REPORT_CURVE_NSTATS; k++)
		p->base[k] = p->cand[k] = NAN;
	return p;
}

void report_release(struct report *r)
{
	size_t i;

	curves_release(r);
	for (i = 0; i < r->nrows; i++)
		row_release(&r->rows[i]);
	free(r->rows);
	for (i = 0; i < r->nbaseline_commits; i++)
		free(r->baseline_commits[i]);
	free(r->baseline_commits);
	free(r->title);
	free(r->mode);
	free(r->mode_reason);
	free(r->method);
	free(r->base_commit);
	free(r->cand_commit);
	free(r->base_env);
	free(r->cand_env);
	free(r->notice);
	free(r->correction);
	report_alerts_release(r);
	report_init(r);
}

struct report_row *report_add_row(struct report *r, const char *group,
                                  const char *bench, const char *metric)
{
	struct report_row *row;

	r->rows = pg_grow_array(r->rows, sizeof(*r->rows), r->nrows + 1,
	                        &r->rows_alloc);
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	row->group = pg_strdup_or_null(group);
	row->bench = pg_strdup_or_null(bench);
	row->metric = pg_strdup_or_null(metric);
	row->base_value = NAN;
	row->cand_value = NAN;
	row->estimate = NAN;
	row->ci_low = NAN;
	row->ci_high = NAN;
	row->confidence = NAN;
	row->p_value = NAN;
	row->p_adjusted = NAN;
	row->mde = NAN;
	row->threshold = NAN;
	return row;
}

void report_row_add_note(struct report_row *row, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;

	if (row->note)
		pg_buf_addf(&b, "%s; ", row->note);
	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(row->note);
	row->note = pg_buf_detach(&b, NULL);
}

void report_take_rows(struct report *dst, struct report *src, const char *note)
{
	size_t i;

	for (i = 0; i < src->nrows; i++) {
		struct report_row *row = &src->rows[i];

		if (note && row->note) {
			struct pg_buf b = PG_BUF_INIT;

			pg_buf_addf(&b, "%s; %s", note, row->note);
			free(row->note);
			row->note = pg_buf_detach(&b, NULL);
		} else if (note) {
			row->note = pg_strdup(note);
		}
		dst->rows = pg_grow_array(dst->rows, sizeof(*dst->rows),
		                          dst->nrows + 1, &dst->rows_alloc);
		dst->rows[dst->nrows++] = *row;
	}
	src->nrows = 0;
	/* a stress test's curve goes with its rows */
	dst->curves = pg_realloc(dst->curves, (dst->ncurves + src->ncurves) *
	                                              sizeof(*dst->curves));
	for (i = 0; i < src->ncurves; i++)
		dst->curves[dst->ncurves++] = src->curves[i];
	src->ncurves = 0;
}

void report_add_baseline_commit(struct report *r, const char *sha)
{
	size_t alloc = r->nbaseline_commits;

	r->baseline_commits =
	        pg_realloc(r->baseline_commits,
	                   (alloc + 1) * sizeof(*r->baseline_commits));
	r->baseline_commits[r->nbaseline_commits++] = pg_strdup(sha);
}

int report_row_over_budget(const struct report_row *row)
{
	return row->verdict == REPORT_OVER_BUDGET || row->over_budget;
}

int report_row_fails(const struct report_row *row, int fail_on_inconclusive)
{
	int gating = !row->informational;

	return (gating && row->verdict == REPORT_REGRESSION) ||
	       report_row_over_budget(row) ||
	       (gating && fail_on_inconclusive &&
	        row->verdict == REPORT_INCONCLUSIVE);
}

const char *report_row_verdict_name(const struct report_row *row)
{
	if (row->informational && row->verdict == REPORT_REGRESSION)
		return "regression (not gating)";
	if (row->informational && row->verdict == REPORT_INCONCLUSIVE)
		return "inconclusive (not gating)";
	return report_verdict_name(row->verdict);
}

int report_exit_code(const struct report *r, int fail_on_inconclusive)
{
	size_t i;
	int code = 0;

	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].verdict == REPORT_ERROR)
			return 3;
		if (report_row_fails(&r->rows[i], fail_on_inconclusive))
			code = 1;
	}
	return report_alerts_fail(r) ? 1 : code;
}

size_t report_count(const struct report *r, enum report_verdict v)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++)
		n += r->rows[i].verdict == v;
	return n;
}

const struct report_row *report_find_row(const struct report *r,
                                         const char *bench, const char *metric)
{
	size_t i;

	for (i = 0; r && i < r->nrows; i++)
		if (r->rows[i].bench && r->rows[i].metric &&
		    !strcmp(r->rows[i].bench, bench) &&
		    !strcmp(r->rows[i].metric, metric))
			return &r->rows[i];
	return NULL;
}
