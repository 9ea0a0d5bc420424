/* A small SVG chart writer; see reporters/svg.h. */
#include "reporters/svg.h"
#include "reporters/junit.h"
#include "reporters/spark.h"

#include <math.h>
#include <stdio.h>

/* Margins around the plot area, pixels. */
#define SVG_LEFT 78
#define SVG_RIGHT 16
#define SVG_TOP 14
#define SVG_BOTTOM 34
#define SVG_MAX_TICKS 6
#define SVG_POINT_R 3

double svg_map(double v, double lo, double hi, double p0, double p1)
{
	if (!(hi > lo))
		return (p0 + p1) / 2;
	return p0 + (v - lo) / (hi - lo) * (p1 - p0);
}

/*
 * A pixel coordinate with one decimal: printf's %f is most of the cost of
 * a page of 2,000 points, and coordinates stay far below 1e9.
 */
static void coord(struct pg_buf *b, double v)
{
	char d[24];
	size_t n = 0;
	long long t = llround(fabs(v) * 10);

	if (!isfinite(v) || fabs(v) >= 1e15) {
		pg_buf_addch(b, '0');
		return;
	}
	d[n++] = (char)('0' + t % 10);
	d[n++] = '.';
	t /= 10;
	do {
		d[n++] = (char)('0' + t % 10);
		t /= 10;
	} while (t);
	if (v < 0 && (n > 3 || d[0] != '0' || d[2] != '0'))
		d[n++] = '-';
	while (n)
		pg_buf_addch(b, d[--n]);
}

/* " name=\"v\"" */
static void attr(struct pg_buf *b, const char *name, double v)
{
	pg_buf_addch(b, ' ');
	pg_buf_addstr(b, name);
	pg_buf_addstr(b, "=\"");
	coord(b, v);
	pg_buf_addch(b, '"');
}

static void esc(struct pg_buf *b, const char *s)
{
	report_xml_escape(b, s, 1);
}

struct frame {
	double x0, x1, y0, y1; /* plot area in pixels (y0 top) */
	double xmin, xmax, ymin, ymax;
};

static double fx(const struct frame *f, double x)
{
	return svg_map(x, f->xmin, f->xmax, f->x0, f->x1);
}

static double fy(const struct frame *f, double y)
{
	return svg_map(y, f->ymin, f->ymax, f->y1, f->y0);
}

static void y_range(const struct svg_chart *c, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < c->n; i++) {
		*lo = fmin(*lo, c->pts[i].y);
		*hi = fmax(*hi, c->pts[i].y);
		if (isfinite(c->pts[i].lo))
			*lo = fmin(*lo, c->pts[i].lo);
		if (isfinite(c->pts[i].hi))
			*hi = fmax(*hi, c->pts[i].hi);
	}
	if (!isfinite(*lo)) {
		*lo = 0;
		*hi = 1;
	}
}

static void axes(struct pg_buf *b, const struct svg_chart *c, struct frame *f)
{
	double ticks[SVG_MAX_TICKS + 2], step, lo, hi;
	size_t i, n;

	y_range(c, &lo, &hi);
	n = spark_ticks(lo, hi, SVG_MAX_TICKS, ticks, &step);
	f->ymin = fmin(lo, ticks[0]);
	f->ymax = fmax(hi, ticks[n - 1]);
	if (!(f->ymax > f->ymin)) { /* flat: a band around the value */
		double pad = fabs(f->ymin) > 0 ? fabs(f->ymin) * 0.05 : 1;

		f->ymin -= pad;
		f->ymax += pad;
	}
	pg_buf_addf(b,
	            "<g class=\"axis\"><line x1=\"%.1f\" y1=\"%.1f\" "
	            "x2=\"%.1f\" y2=\"%.1f\"/>",
	            f->x0, f->y1, f->x1, f->y1);
	pg_buf_addf(b,
	            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
	            f->x0, f->y0, f->x0, f->y1);
	for (i = 0; i < n; i++) {
		double y = fy(f, ticks[i]);

		pg_buf_addf(b,
		            "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" "
		            "x2=\"%.1f\" y2=\"%.1f\"/><text x=\"%.1f\" "
		            "y=\"%.1f\" text-anchor=\"end\">%g</text>",
		            f->x0, y, f->x1, y, f->x0 - 4, y + 4, ticks[i]);
	}
	pg_buf_addf(b,
	            "<text class=\"ylabel\" transform=\"translate(12,%.1f) "
	            "rotate(-90)\" text-anchor=\"middle\">",
	            (f->y0 + f->y1) / 2);
	esc(b, c->y_label);
	pg_buf_addf(b, "</text><text x=\"%.1f\" y=\"%.1f\">", f->x0,
	            f->y1 + 18);
	esc(b, c->x_left);
	pg_buf_addf(b,
	            "</text><text x=\"%.1f\" y=\"%.1f\" "
	            "text-anchor=\"end\">",
	            f->x1, f->y1 + 18);
	esc(b, c->x_right);
	pg_buf_addstr(b, "</text></g>\n");
}

static void point(struct pg_buf *b, const struct frame *f,
                  const struct svg_point *p)
{
	double x = fx(f, p->x);

	if (p->href) {
		pg_buf_addstr(b, "<a href=\"");
		esc(b, p->href);
		pg_buf_addstr(b, "\">");
	}
	if (isfinite(p->lo) && isfinite(p->hi)) {
		pg_buf_addstr(b, "<line class=\"wh\"");
		attr(b, "x1", x);
		attr(b, "y1", fy(f, p->lo));
		attr(b, "x2", x);
		attr(b, "y2", fy(f, p->hi));
		pg_buf_addstr(b, "/>");
	}
	pg_buf_addstr(b, "<circle class=\"pt\"");
	if (p->id) {
		pg_buf_addstr(b, " id=\"");
		esc(b, p->id);
		pg_buf_addch(b, '"');
	}
	attr(b, "cx", x);
	attr(b, "cy", fy(f, p->y));
	pg_buf_addf(b, " r=\"%d\"><title>", SVG_POINT_R);
	report_xml_escape(b, p->title, 0);
	pg_buf_addstr(b, "</title></circle>");
	if (p->href)
		pg_buf_addstr(b, "</a>");
	pg_buf_addch(b, '\n');
}

static const char *const mark_class[] = {"cp-worse", "cp-better", "accepted",
                                         "paired"};

/* The shape of each kind: readable without colour. */
static void mark_shape(struct pg_buf *b, enum svg_mark_kind k, double x,
                       double y)
{
	switch (k) {
	case SVG_MARK_WORSE: /* triangle pointing up */
		pg_buf_addf(b, "<path d=\"M%.1f %.1fl6 10h-12z\"/>", x, y);
		break;
	case SVG_MARK_BETTER: /* triangle pointing down */
		pg_buf_addf(b, "<path d=\"M%.1f %.1fl6 -10h-12z\"/>", x,
		            y + 10);
		break;
	case SVG_MARK_ACCEPTED: /* diamond */
		pg_buf_addf(b, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\"/>", x,
		            y);
		break;
	case SVG_MARK_PAIRED: /* square */
		pg_buf_addf(b,
		            "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" "
		            "height=\"8\"/>",
		            x - 4, y + 1);
		break;
	}
}

static void mark(struct pg_buf *b, const struct frame *f,
                 const struct svg_mark *m)
{
	double x = fx(f, m->x);
	double y = m->kind == SVG_MARK_PAIRED || m->kind == SVG_MARK_ACCEPTED
	                   ? f->y1 - 12
	                   : f->y0;

	pg_buf_addf(b, "<g class=\"%s\"", mark_class[m->kind]);
	if (m->id) {
		pg_buf_addstr(b, " id=\"");
		esc(b, m->id);
		pg_buf_addch(b, '"');
	}
	pg_buf_addf(b, " data-x=\"%g\"><title>", m->x);
	report_xml_escape(b, m->title, 0);
	pg_buf_addstr(b, "</title>");
	if (m->kind == SVG_MARK_WORSE || m->kind == SVG_MARK_BETTER)
		pg_buf_addf(b,
		            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		            "y2=\"%.1f\"/>",
		            x, f->y0, x, f->y1);
	mark_shape(b, m->kind, x, y);
	if (m->label) {
		int right = x > (f->x0 + f->x1) / 2;

		pg_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\"%s>",
		            right ? x - 8 : x + 8, y + 10,
		            right ? " text-anchor=\"end\"" : "");
		report_xml_escape(b, m->label, 0);
		pg_buf_addstr(b, "</text>");
	}
	pg_buf_addstr(b, "</g>\n");
}

void svg_chart_write(struct pg_buf *b, const struct svg_chart *c)
{
	struct frame f;
	size_t i;

	f.x0 = SVG_LEFT;
	f.x1 = c->width - SVG_RIGHT;
	f.y0 = SVG_TOP;
	f.y1 = c->height - SVG_BOTTOM;
	f.xmin = c->xmin;
	f.xmax = c->xmax;
	pg_buf_addf(b,
	            "<svg class=\"chart\" role=\"img\" width=\"%g\" "
	            "height=\"%g\" viewBox=\"0 0 %g %g\"><title>",
	            c->width, c->height, c->width, c->height);
	report_xml_escape(b, c->title, 0);
	pg_buf_addstr(b, "</title><desc>");
	report_xml_escape(b, c->desc, 0);
	pg_buf_addstr(b, "</desc>\n");
	axes(b, c, &f);
	if (c->n > 1) {
		pg_buf_addstr(b, "<polyline class=\"line\" points=\"");
		for (i = 0; i < c->n; i++) {
			if (i)
				pg_buf_addch(b, ' ');
			coord(b, fx(&f, c->pts[i].x));
			pg_buf_addch(b, ',');
			coord(b, fy(&f, c->pts[i].y));
		}
		pg_buf_addstr(b, "\"/>\n");
	}
	for (i = 0; i < c->nmarks; i++)
		mark(b, &f, &c->marks[i]);
	for (i = 0; i < c->n; i++)
		point(b, &f, &c->pts[i]);
	pg_buf_addstr(b, "</svg>\n");
}

void svg_sparkline(struct pg_buf *b, const double *y, size_t n, double width,
                   double height, const char *title)
{
	double lo = INFINITY, hi = -INFINITY, px = 0, py = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (isfinite(y[i])) {
			lo = fmin(lo, y[i]);
			hi = fmax(hi, y[i]);
		}
	}
	pg_buf_addf(b,
	            "<svg class=\"spark\" role=\"img\" width=\"%g\" "
	            "height=\"%g\" viewBox=\"0 0 %g %g\"><title>",
	            width, height, width, height);
	report_xml_escape(b, title, 0);
	pg_buf_addstr(b, "</title><polyline points=\"");
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i]))
			continue;
		px = svg_map((double)i, 0, n > 1 ? (double)(n - 1) : 0, 2,
		             width - 2);
		py = svg_map(y[i], lo, hi, height - 2, 2);
		pg_buf_addf(b, "%s%.1f,%.1f", k++ ? " " : "", px, py);
	}
	pg_buf_addstr(b, "\"/>");
	if (k)
		pg_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>", px,
		            py);
	pg_buf_addstr(b, "</svg>");
}
