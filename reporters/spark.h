/*
 * spark.h - scaling a series of values for drawing: Unicode sparklines
 * (terminal, Markdown), nice axis ticks, display units, and the
 * downsampling of long histories into buckets.  Pure computation on
 * arrays; the SVG and HTML writers (reporters/svg.h, reporters/html.h)
 * and `perfgate log --plot` draw with it.
 *
 * Errors and ownership: nothing here can fail; text is appended to the
 * caller's pg_buf, and the few results that are allocated or static say so
 * below.
 */
#ifndef PG_REPORTERS_SPARK_H
#define PG_REPORTERS_SPARK_H

#include <stddef.h>

#include "util/buf.h"

/* Levels of a Unicode sparkline: U+2581 (lowest) .. U+2588 (highest). */
#define SPARK_LEVELS 8

/*
 * The level (0 .. SPARK_LEVELS - 1) of v on a scale from lo to hi:
 * linear, rounded to the nearest level; a flat scale (hi <= lo) is the
 * middle level; v outside [lo, hi] is clamped.  Non-finite v is -1.
 */
int spark_level(double v, double lo, double hi);

/*
 * Append the sparkline of x[0..n) (oldest first) to b: one block per
 * value, scaled from the smallest to the largest finite value; a
 * non-finite value is a space.  Nothing for n == 0.
 */
void spark_unicode(struct pg_buf *b, const double *x, size_t n);

/*
 * Up to max "nice" tick values (1, 2 or 5 times a power of ten apart)
 * covering [lo, hi], into ticks; returns how many (at least 2 when
 * lo < hi and max >= 2; 1 for a flat range).  *step is their spacing.
 */
size_t spark_ticks(double lo, double hi, size_t max, double *ticks,
                   double *step);

/*
 * The display unit for values in unit whose largest magnitude is vmax:
 * seconds as s, ms, us or ns, bytes as B, KiB, MiB or GiB (also per
 * second), anything else unchanged.  *factor multiplies a value in unit
 * into the display unit; the returned name is static.
 */
const char *spark_display_unit(const char *unit, double vmax, double *factor);

/* One drawn point of a downsampled series. */
struct spark_bucket {
	size_t first, n; /* the points x[first .. first + n) it stands for */
	double min, median, max; /* of their values */
};

/*
 * Split x[0..n) into at most max buckets of consecutive points.  n <= max:
 * one bucket per point.  Otherwise ceil(n / max) points per bucket (the
 * last one may be shorter), each with the min, median and max of its
 * values.  Returns a malloc'd array of *nout buckets (the caller frees
 * it), NULL when n == 0.
 */
struct spark_bucket *spark_downsample(const double *x, size_t n, size_t max,
                                      size_t *nout);

#endif
