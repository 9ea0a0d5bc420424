/* One page per benchmark: its trend charts; see reporters/html.h. */
#include "reporters/html.h"
#include "reporters/spark.h"
#include "reporters/svg.h"
#include "util/buf.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_WIDTH 820
#define CHART_HEIGHT 300

/* A chart being assembled: points, marks and the strings they point to. */
struct chart {
	struct svg_point *pts;
	size_t npts;
	struct svg_mark *marks;
	size_t nmarks, marks_alloc;
	char **strings; /* what points and marks point to, freed at the end */
	size_t nstrings, strings_alloc;
	double factor; /* display unit per series unit */
};

/* A copy of s that lives as long as the chart. */
static const char *keep(struct chart *c, const struct pg_buf *s)
{
	c->strings = pg_grow_array(c->strings, sizeof(*c->strings),
	                           c->nstrings + 1, &c->strings_alloc);
	return c->strings[c->nstrings++] = pg_strdup(s->s ? s->s : "");
}

static void commit_title(struct pg_buf *t, const struct html_site *st,
                         const struct log_series *s, const struct log_row *r)
{
	const struct store_commit *c = html_commit_of(st, r);
	char date[11];

	store_commit_date(c, date);
	pg_buf_addf(t, "%s %s %s: ", c->short_sha, date, c->subject);
	html_value(t, r->median, s->unit);
	pg_buf_addf(t, " (n=%zu, %zu run%s)", r->samples, r->runs,
	            r->runs == 1 ? "" : "s");
}

/* One point per commit. */
static void points_each(struct chart *c, const struct html_site *st,
                        const struct log_series *s, size_t k)
{
	struct pg_buf t;
	size_t i;

	pg_buf_init(&t);
	c->pts = pg_calloc(s->n ? s->n : 1, sizeof(*c->pts));
	for (i = 0; i < s->n; i++) {
		const struct log_row *r = html_nth(st, s, i);
		struct svg_point *p = &c->pts[c->npts++];

		p->x = (double)html_pos(st, r);
		p->y = r->median * c->factor;
		p->lo = r->lo * c->factor;
		p->hi = r->hi * c->factor;
		pg_buf_reset(&t);
		commit_title(&t, st, s, r);
		p->title = keep(c, &t);
		pg_buf_reset(&t);
		pg_buf_addf(&t, "s%zu-%s", k, html_commit_of(st, r)->short_sha);
		p->id = keep(c, &t);
		if (st->commit_url) {
			pg_buf_reset(&t);
			pg_buf_addf(&t, "%s%s", st->commit_url,
			            html_commit_of(st, r)->sha);
			p->href = keep(c, &t);
		}
	}
	pg_buf_release(&t);
}

/* Fixed buckets of consecutive commits: min, median and max. */
static void points_bucketed(struct chart *c, const struct html_site *st,
                            const struct log_series *s)
{
	double *y = pg_malloc(s->n * sizeof(*y));
	struct spark_bucket *bk;
	struct pg_buf t;
	size_t i, nb;

	for (i = 0; i < s->n; i++)
		y[i] = html_nth(st, s, i)->median;
	bk = spark_downsample(y, s->n, st->max_points, &nb);
	c->pts = pg_calloc(nb ? nb : 1, sizeof(*c->pts));
	pg_buf_init(&t);
	for (i = 0; i < nb; i++) {
		const struct log_row *a = html_nth(st, s, bk[i].first);
		const struct log_row *z =
		        html_nth(st, s, bk[i].first + bk[i].n - 1);
		struct svg_point *p = &c->pts[c->npts++];

		p->x = ((double)html_pos(st, a) + (double)html_pos(st, z)) / 2;
		p->y = bk[i].median * c->factor;
		p->lo = bk[i].min * c->factor;
		p->hi = bk[i].max * c->factor;
		pg_buf_reset(&t);
		pg_buf_addf(&t, "%zu commits %s..%s: median ", bk[i].n,
		            html_commit_of(st, a)->short_sha,
		            html_commit_of(st, z)->short_sha);
		html_value(&t, bk[i].median, s->unit);
		pg_buf_addstr(&t, ", min ");
		html_value(&t, bk[i].min, s->unit);
		pg_buf_addstr(&t, ", max ");
		html_value(&t, bk[i].max, s->unit);
		p->title = keep(c, &t);
	}
	pg_buf_release(&t);
	free(bk);
	free(y);
}

static void add_mark(struct chart *c, double x, enum svg_mark_kind kind,
                     const struct pg_buf *label, const struct pg_buf *title)
{
	struct svg_mark *m;

	c->marks = pg_grow_array(c->marks, sizeof(*c->marks), c->nmarks + 1,
	                         &c->marks_alloc);
	m = &c->marks[c->nmarks++];
	memset(m, 0, sizeof(*m));
	m->x = x;
	m->kind = kind;
	m->label = label ? keep(c, label) : NULL;
	m->title = keep(c, title);
}

static void change_marks(struct chart *c, const struct html_site *st,
                         const struct log_series *s)
{
	struct pg_buf label, title;
	size_t k;

	pg_buf_init(&label);
	pg_buf_init(&title);
	for (k = 0; k < s->ncps; k++) {
		const struct log_row *r = html_nth(st, s, s->cps[k].index);
		int worse = *html_worse_word(s, s->cps[k].shift) == ' ' &&
		            html_worse_word(s, s->cps[k].shift)[1] == 'w';

		pg_buf_reset(&label);
		pg_buf_reset(&title);
		html_change_point(&label, st, s, k);
		pg_buf_addf(&title, "change point at %s: ",
		            html_commit_of(st, r)->short_sha);
		pg_buf_add(&title, label.s, label.len);
		pg_buf_addf(&title, ", p=%.3g", s->cps[k].p_value);
		add_mark(c, (double)html_pos(st, r),
		         worse ? SVG_MARK_WORSE : SVG_MARK_BETTER, &label,
		         &title);
	}
	pg_buf_release(&label);
	pg_buf_release(&title);
}

/* 1 when commit i of the history lies inside s's chart. */
static int inside(const struct html_site *st, const struct log_series *s,
                  size_t i)
{
	size_t x = log_history_count(st->history) - 1 - i;

	return x >= html_pos(st, html_nth(st, s, 0)) &&
	       x <= html_pos(st, html_nth(st, s, s->n - 1));
}

static void commit_marks(struct chart *c, const struct html_site *st,
                         const struct log_series *s)
{
	size_t i, n = log_history_count(st->history);
	struct pg_buf title;
	const struct log_row *rows;

	pg_buf_init(&title);
	for (i = 0; i < st->naccepts; i++) {
		const struct html_accept *a = &st->accepts[i];

		if (strcmp(a->bench, s->name) ||
		    (a->metric && strcmp(a->metric, s->metric)) ||
		    !inside(st, s, a->commit))
			continue;
		pg_buf_reset(&title);
		pg_buf_addf(&title, "%s accepted: %s",
		            log_history_get(st->history, a->commit, &rows, &n)
		                    ->short_sha,
		            a->text);
		add_mark(c,
		         (double)(log_history_count(st->history) - 1 -
		                  a->commit),
		         SVG_MARK_ACCEPTED, NULL, &title);
	}
	for (i = 0; st->paired && i < log_history_count(st->history); i++) {
		if (!st->paired[i] || !inside(st, s, i))
			continue;
		pg_buf_reset(&title);
		pg_buf_addf(
		        &title,
		        "%s: a paired session ran here (not part of "
		        "the trend)",
		        log_history_get(st->history, i, &rows, &n)->short_sha);
		add_mark(c, (double)(log_history_count(st->history) - 1 - i),
		         SVG_MARK_PAIRED, NULL, &title);
	}
	pg_buf_release(&title);
}

static void chart_release(struct chart *c)
{
	size_t i;

	free(c->pts);
	free(c->marks);
	for (i = 0; i < c->nstrings; i++)
		free(c->strings[i]);
	free(c->strings);
}

static void y_label(struct pg_buf *b, const struct log_series *s,
                    const char *unit)
{
	pg_buf_addf(b, "%s (%s), %s", s->metric, unit,
	            s->direction == RESULT_HIGHER_IS_BETTER
	                    ? "higher is better \xe2\x86\x91"
	                    : "lower is better \xe2\x86\x93");
}

static void end_label(struct pg_buf *b, const struct html_site *st,
                      const struct log_series *s, size_t i, const char *side)
{
	const struct store_commit *c = html_commit_of(st, html_nth(st, s, i));
	char date[11];

	store_commit_date(c, date);
	pg_buf_addf(b, "%s: %.7s %s", side, c->short_sha, date);
}

static void draw(struct pg_buf *b, const struct html_site *st,
                 const struct log_series *s, size_t k, struct chart *c)
{
	struct pg_buf yl, left, right, title;
	struct svg_chart sc;
	double vmax = 0;
	const char *unit;
	size_t i;

	for (i = 0; i < s->n; i++)
		vmax = fmax(vmax, fabs(html_nth(st, s, i)->median));
	unit = spark_display_unit(s->unit, vmax, &c->factor);
	if (s->n <= st->max_points)
		points_each(c, st, s, k);
	else
		points_bucketed(c, st, s);
	change_marks(c, st, s);
	commit_marks(c, st, s);
	pg_buf_init(&yl);
	pg_buf_init(&left);
	pg_buf_init(&right);
	pg_buf_init(&title);
	y_label(&yl, s, unit);
	end_label(&left, st, s, 0, "oldest");
	end_label(&right, st, s, s->n - 1, "newest");
	pg_buf_addf(&title, "%s %s on %s", s->name, s->metric,
	            *s->env ? s->env : "(unlabelled)");
	memset(&sc, 0, sizeof(sc));
	sc.width = CHART_WIDTH;
	sc.height = CHART_HEIGHT;
	sc.xmin = (double)html_pos(st, html_nth(st, s, 0));
	sc.xmax = (double)html_pos(st, html_nth(st, s, s->n - 1));
	sc.y_label = yl.s;
	sc.x_left = left.s;
	sc.x_right = right.s;
	sc.title = title.s;
	sc.desc = "Median per commit with its spread; the table below "
	          "holds the same numbers.";
	sc.pts = c->pts;
	sc.n = c->npts;
	sc.marks = c->marks;
	sc.nmarks = c->nmarks;
	svg_chart_write(b, &sc);
	pg_buf_release(&yl);
	pg_buf_release(&left);
	pg_buf_release(&right);
	pg_buf_release(&title);
}

static void drawing_rule(struct pg_buf *b, const struct html_site *st,
                         const struct log_series *s, const struct chart *c)
{
	if (s->n <= st->max_points)
		pg_buf_addf(b,
		            "<p class=\"note\">%zu commits with results, one "
		            "point each: the median of the commit's samples; "
		            "whiskers from the lowest to the highest run "
		            "median (the interquartile range of the samples "
		            "when the commit has one run).</p>\n",
		            s->n);
	else
		pg_buf_addf(b,
		            "<p class=\"note\">%zu commits with results, more "
		            "than %zu: drawn as %zu fixed buckets of %zu "
		            "consecutive commits (the last may be shorter), "
		            "each the median of the commits' medians with "
		            "whiskers from their min to their max.  Change "
		            "points are found on every commit.</p>\n",
		            s->n, st->max_points, c->npts,
		            (s->n + st->max_points - 1) / st->max_points);
}

static void legend(struct pg_buf *b)
{
	pg_buf_addstr(b, "<p class=\"note\">\xe2\x96\xb2 dashed line: a change "
	                 "point that made it worse; \xe2\x96\xbc dotted line: "
	                 "better; \xe2\x97\x86 an accepted regression "
	                 "(Perfgate-Accept); \xe2\x96\xa1 a paired session "
	                 "ran on that commit (not part of the trend). Hover a "
	                 "point for its commit.</p>\n");
}

static void numbers(struct pg_buf *b, const struct chart *c)
{
	size_t i;

	pg_buf_addstr(b, "<details><summary>The numbers drawn</summary>"
	                 "<table><tr><th>Point</th><th>Median</th><th>Low"
	                 "</th><th>High</th></tr>\n");
	for (i = c->npts; i-- > 0;) {
		pg_buf_addstr(b, "<tr><td>");
		html_esc(b, c->pts[i].title);
		pg_buf_addf(b,
		            "</td><td class=\"num\">%.6g</td><td "
		            "class=\"num\">%.6g</td><td class=\"num\">%.6g"
		            "</td></tr>\n",
		            c->pts[i].y, c->pts[i].lo, c->pts[i].hi);
	}
	pg_buf_addstr(b, "</table></details>\n");
}

static void change_list(struct pg_buf *b, const struct html_site *st,
                        const struct log_series *s)
{
	size_t k;

	if (!s->ncps) {
		pg_buf_addstr(b, "<p>No change points.</p>\n");
		return;
	}
	pg_buf_addstr(b, "<table class=\"cps\"><tr><th>Commit</th><th>"
	                 "Shift [CI]</th><th>Before</th><th>After</th><th>p"
	                 "</th></tr>\n");
	for (k = s->ncps; k-- > 0;) {
		const struct log_row *r = html_nth(st, s, s->cps[k].index);
		const struct store_commit *c = html_commit_of(st, r);

		pg_buf_addf(b,
		            "<tr class=\"cp\" data-sha=\"%s\"><td><code>"
		            "%.7s</code> ",
		            c->sha, c->short_sha);
		html_esc(b, c->subject);
		pg_buf_addstr(b, "</td><td>");
		html_change_point(b, st, s, k);
		pg_buf_addstr(b, "</td><td class=\"num\">");
		html_value(b, s->cps[k].before, s->unit);
		pg_buf_addstr(b, "</td><td class=\"num\">");
		html_value(b, s->cps[k].after, s->unit);
		pg_buf_addf(b, "</td><td class=\"num\">%.3g</td></tr>\n",
		            s->cps[k].p_value);
	}
	pg_buf_addstr(b, "</table>\n");
}

static void series_section(struct pg_buf *b, const struct html_site *st,
                           const struct log_series *s, size_t k)
{
	struct chart c;

	memset(&c, 0, sizeof(c));
	pg_buf_addf(b, "<section class=\"series\" id=\"s%zu\"><h2>", k);
	html_esc(b, s->metric);
	pg_buf_addstr(b, " on ");
	html_esc(b, *s->env ? s->env : "(unlabelled runner)");
	pg_buf_addstr(b, "</h2>\n");
	draw(b, st, s, k, &c);
	drawing_rule(b, st, s, &c);
	change_list(b, st, s);
	numbers(b, &c);
	pg_buf_addstr(b, "</section>\n");
	chart_release(&c);
}

void html_bench_page(struct pg_buf *b, const struct html_site *st,
                     const char *name)
{
	size_t k;

	html_page_begin(b, name, name);
	legend(b);
	for (k = 0; k < log_history_nseries(st->history); k++) {
		const struct log_series *s = log_history_series(st->history, k);

		if (!strcmp(s->name, name) && s->n)
			series_section(b, st, s, k);
	}
	html_page_end(b);
}
