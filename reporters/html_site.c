/* The index and benchmark pages of the HTML site; see reporters/html.h. */
#include "reporters/html.h"
#include "reporters/spark.h"
#include "reporters/svg.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHART_WIDTH 820
#define CHART_HEIGHT 300
#define SPARK_WIDTH 120
#define SPARK_HEIGHT 24

/* What the index shows of one series. */
struct view {
	const struct history_line *s;
	size_t k; /* series index */
	const struct history_row *newest, *prev;
	const struct report_row *gate; /* its row of the gate report */
	double change; /* of the value, newest against its baseline */
};

static const struct report_row *gate_row(const struct html_site *st,
                                         const struct history_line *s)
{
	size_t i;

	for (i = 0; st->gate && i < st->gate->nrows; i++) {
		const struct report_row *r = &st->gate->rows[i];

		if (r->bench && r->metric && !strcmp(r->bench, s->name) &&
		    !strcmp(r->metric, s->metric))
			return r;
	}
	return NULL;
}

static void view_of(struct view *v, const struct html_site *st, size_t k)
{
	memset(v, 0, sizeof(*v));
	v->k = k;
	v->s = history_series_line(st->history, k);
	v->newest = html_nth(st, v->s, v->s->n - 1);
	v->prev = v->s->n > 1 ? html_nth(st, v->s, v->s->n - 2) : NULL;
	v->gate = gate_row(st, v->s);
	v->change = NAN;
	if (v->gate && isfinite(v->gate->base_value) && v->gate->base_value > 0)
		v->change = v->gate->cand_value / v->gate->base_value - 1;
	else if (v->prev && v->prev->median > 0)
		v->change = v->newest->median / v->prev->median - 1;
}

static int by_change(const void *a, const void *b)
{
	double x = fabs(((const struct view *)a)->change);
	double y = fabs(((const struct view *)b)->change);

	if (!isfinite(x))
		x = -1;
	if (!isfinite(y))
		y = -1;
	return x < y   ? 1
	       : x > y ? -1
	               : (int)((const struct view *)a)->k -
	                         (int)((const struct view *)b)->k;
}

static void bench_href(struct pg_buf *b, const char *name)
{
	struct pg_buf f;

	pg_buf_init(&f);
	html_bench_file(&f, name);
	html_esc(b, f.s);
	pg_buf_release(&f);
}

static void index_row(struct pg_buf *b, const struct html_site *st,
                      const struct view *v)
{
	size_t n = v->s->n < st->spark_points ? v->s->n : st->spark_points;
	double *y = pg_malloc((n ? n : 1) * sizeof(*y));
	const struct store_commit *c = html_commit_of(st, v->newest);
	struct pg_buf t;
	size_t i;

	for (i = 0; i < n; i++)
		y[i] = html_nth(st, v->s, v->s->n - n + i)->median;
	pg_buf_init(&t);
	pg_buf_addf(&t, "last %zu commits with results of ", n);
	pg_buf_addstr(&t, v->s->name);
	pg_buf_addstr(b, "<tr><td><a href=\"");
	bench_href(b, v->s->name);
	pg_buf_addf(b, "#s%zu\">", v->k);
	html_esc(b, v->s->name);
	pg_buf_addstr(b, "</a></td><td>");
	html_esc(b, *v->s->env ? v->s->env : "(unlabelled)");
	pg_buf_addstr(b, "</td><td>");
	html_esc(b, v->s->metric);
	pg_buf_addstr(b, "</td><td>");
	svg_sparkline(b, y, n, SPARK_WIDTH, SPARK_HEIGHT, t.s);
	pg_buf_addstr(b, "</td><td class=\"num\">");
	html_value(b, v->newest->median, v->s->unit);
	pg_buf_addf(b, " <code>%.7s</code></td><td class=\"num\">",
	            c->short_sha);
	html_percent(b, v->change);
	pg_buf_addstr(b, html_worse_word(v->s, v->change));
	pg_buf_addstr(b, v->gate   ? " vs baseline"
	                 : v->prev ? " vs previous"
	                           : "");
	pg_buf_addstr(b, "</td><td>");
	if (v->gate)
		html_verdict(b, v->gate);
	else
		pg_buf_addstr(b, "\xe2\x80\x94");
	pg_buf_addstr(b, "</td><td>");
	if (v->s->ncps) {
		const struct history_row *r =
		        html_nth(st, v->s, v->s->cps[v->s->ncps - 1].index);

		pg_buf_addf(b, "<code>%.7s</code> ",
		            html_commit_of(st, r)->short_sha);
		html_change_point(b, st, v->s, v->s->ncps - 1);
	} else {
		pg_buf_addstr(b, "none");
	}
	pg_buf_addstr(b, "</td></tr>\n");
	pg_buf_release(&t);
	free(y);
}

static void method_note(struct pg_buf *b, const struct html_site *st)
{
	pg_buf_addf(b,
	            "<p class=\"note\">Change points: E-divisive means on "
	            "each series' per-commit medians, p &lt;= %g, window "
	            "%zu, %zu permutations, seed %llu (as <code>perfgate log "
	            "--changes</code>); their intervals are %.0f%% "
	            "Hodges-Lehmann intervals of the shift. Charts draw one "
	            "point per commit up to %zu commits; longer histories "
	            "are drawn as fixed buckets of consecutive commits "
	            "showing min, median and max (statistics always use "
	            "every commit).</p>\n",
	            st->cp->p_threshold, st->cp->window, st->cp->permutations,
	            (unsigned long long)st->cp->seed, 100 * HTML_CP_CONFIDENCE,
	            st->max_points);
}

void html_index_page(struct pg_buf *b, const struct html_site *st)
{
	size_t i, n = history_series_nseries(st->history);
	struct view *v = pg_calloc(n ? n : 1, sizeof(*v));

	html_page_begin(b, st->title, st->title);
	pg_buf_addf(b, "<p>First-parent history from <code>");
	html_esc(b, st->revision);
	pg_buf_addf(b,
	            "</code>: %zu commits walked, %zu with results, %zu "
	            "series (benchmark \xc3\x97 runner class, primary "
	            "metric).</p>\n<p>",
	            st->walked, history_series_count(st->history), n);
	html_esc(b, st->gate_source);
	if (st->gate)
		pg_buf_addstr(b, " <a href=\"gate.html\">Gate report</a>.");
	pg_buf_addstr(b, "</p>\n");
	for (i = 0; i < n; i++)
		view_of(&v[i], st, i);
	qsort(v, n, sizeof(*v), by_change);
	pg_buf_addstr(b, "<table id=\"index\"><caption>Ordered by the size of "
	                 "the newest change</caption>\n<tr><th>Benchmark</th>"
	                 "<th>Runner</th><th>Metric</th><th>Trend</th>"
	                 "<th>Newest</th><th>Change</th><th>Verdict</th>"
	                 "<th>Newest change point</th></tr>\n");
	for (i = 0; i < n; i++)
		index_row(b, st, &v[i]);
	pg_buf_addstr(b, "</table>\n");
	method_note(b, st);
	html_page_end(b);
	free(v);
}

static int write_page(const char *dir, const char *file,
                      const struct pg_buf *page, struct html_stats *st)
{
	struct pg_buf path;
	int err;

	pg_buf_init(&path);
	pg_buf_addf(&path, "%s/%s", dir, file);
	err = pg_write_file_atomic(path.s, page->s, page->len);
	pg_buf_release(&path);
	if (err < 0)
		return err;
	st->pages++;
	st->bytes += page->len;
	if (page->len > st->largest)
		st->largest = page->len;
	return 0;
}

/* 1 when series k is the first of its benchmark. */
static int first_of_bench(const struct history_series *h, size_t k)
{
	const char *name = history_series_line(h, k)->name;
	size_t i;

	for (i = 0; i < k; i++)
		if (!strcmp(history_series_line(h, i)->name, name))
			return 0;
	return 1;
}

int html_site_write(const struct html_site *s, const char *dir,
                    struct html_stats *st)
{
	struct pg_buf page, file;
	size_t k;
	int err;

	memset(st, 0, sizeof(*st));
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return pg_error_runtime("cannot create '%s': %s", dir,
		                        strerror(errno));
	pg_buf_init(&page);
	pg_buf_init(&file);
	html_index_page(&page, s);
	err = write_page(dir, "index.html", &page, st);
	for (k = 0; !err && k < history_series_nseries(s->history); k++) {
		const char *name = history_series_line(s->history, k)->name;

		if (!first_of_bench(s->history, k))
			continue;
		pg_buf_reset(&page);
		pg_buf_reset(&file);
		html_bench_page(&page, s, name);
		html_bench_file(&file, name);
		err = write_page(dir, file.s, &page, st);
	}
	if (!err && s->gate) {
		pg_buf_reset(&page);
		html_gate_page(&page, s);
		err = write_page(dir, "gate.html", &page, st);
	}
	pg_buf_release(&page);
	pg_buf_release(&file);
	return err;
}
