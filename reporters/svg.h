/*
 * svg.h - the inline SVG charts of `perfgate report --html`: a trend
 * chart (points with spread whiskers, marks for change points, accepted
 * regressions and paired sessions) and a sparkline.
 *
 * Debian ships no C library that writes SVG charts with what these need
 * (cairo's SVG surface, PLplot's and plotutils' SVG drivers draw glyphs as
 * paths and carry no <title>, links or ids; librsvg only reads SVG), so
 * this is a small writer: the caller gives values already scaled to display
 * units; it maps them to pixels (reporters/spark.h ticks) and escapes every
 * string. The SVG is well-formed XML and works inline in HTML5.
 *
 * Errors and ownership: cannot fail; appends to the caller's pg_buf and
 * keeps no pointer to the chart it is given.
 */
#ifndef PG_REPORTERS_SVG_H
#define PG_REPORTERS_SVG_H

#include <stddef.h>

#include "util/buf.h"

/* One drawn point: x in commit positions, values in display units. */
struct svg_point {
	double x;
	double y, lo, hi; /* lo/hi: whisker ends, NAN for none */
	const char *title; /* hover text (escaped here) */
	const char *href; /* link around the point, NULL for none */
	const char *id; /* element id, NULL for none */
};

enum svg_mark_kind {
	SVG_MARK_WORSE, /* a change point that made things worse */
	SVG_MARK_BETTER, /* a change point that made things better */
	SVG_MARK_ACCEPTED, /* a commit with a Perfgate-Accept for it */
	SVG_MARK_PAIRED, /* a commit with a paired session */
};

/* A vertical mark at position x, with a label drawn beside it. */
struct svg_mark {
	double x;
	enum svg_mark_kind kind;
	const char *label; /* short text on the chart, NULL for none */
	const char *title; /* hover text */
	const char *id;
};

struct svg_chart {
	double width, height; /* pixels */
	double xmin, xmax; /* positions shown */
	const char *y_label; /* "wall_time (ms), lower is better" */
	const char *x_left, *x_right; /* labels under the ends of the x axis */
	const char *title, *desc; /* the chart's <title> and <desc> */
	const struct svg_point *pts;
	size_t n;
	const struct svg_mark *marks;
	size_t nmarks;
};

/*
 * Append the chart as an <svg> element.  The y axis covers every point's
 * y, lo and hi, with nice ticks; points are circles of class "pt",
 * whiskers lines of class "wh", marks groups of class "cp-worse",
 * "cp-better", "accepted" or "paired", each kind with its own shape and
 * dash so that it reads without colour.
 */
void svg_chart_write(struct pg_buf *b, const struct svg_chart *c);

/*
 * Append a sparkline of y[0..n) (oldest first) as an <svg> of width x
 * height pixels: a polyline, its newest point a dot.  title is its text
 * alternative.  Non-finite values are skipped.
 */
void svg_sparkline(struct pg_buf *b, const double *y, size_t n, double width,
                   double height, const char *title);

/*
 * The pixel coordinate of v on an axis mapping [lo, hi] to [p0, p1]
 * (p1 may be below p0, as on a y axis); a flat axis maps to the middle.
 */
double svg_map(double v, double lo, double hi, double p0, double p1);

#endif
