/* Scaling series for drawing; see reporters/spark.h. */
#include "reporters/spark.h"
#include "stats/select.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int spark_level(double v, double lo, double hi)
{
	double f;

	if (!isfinite(v))
		return -1;
	if (!(hi > lo))
		return SPARK_LEVELS / 2 - 1;
	f = (v - lo) / (hi - lo) * (SPARK_LEVELS - 1);
	if (f < 0)
		f = 0;
	if (f > SPARK_LEVELS - 1)
		f = SPARK_LEVELS - 1;
	return (int)lround(f);
}

void spark_unicode(struct pg_buf *b, const double *x, size_t n)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	for (i = 0; i < n; i++) {
		if (isfinite(x[i])) {
			lo = fmin(lo, x[i]);
			hi = fmax(hi, x[i]);
		}
	}
	for (i = 0; i < n; i++) {
		int level = spark_level(x[i], lo, hi);

		if (level < 0) {
			pg_buf_addch(b, ' ');
			continue;
		}
		/* U+2581 + level, in UTF-8: E2 96 81+level */
		pg_buf_addch(b, (char)0xE2);
		pg_buf_addch(b, (char)0x96);
		pg_buf_addch(b, (char)(0x81 + level));
	}
}

/* 1, 2 or 5 times a power of ten, the smallest >= raw. */
static double nice_step(double raw)
{
	double p = pow(10, floor(log10(raw))), f = raw / p;

	if (f <= 1)
		return p;
	if (f <= 2)
		return 2 * p;
	if (f <= 5)
		return 5 * p;
	return 10 * p;
}

size_t spark_ticks(double lo, double hi, size_t max, double *ticks,
                   double *step)
{
	double s, t;
	size_t n = 0;

	if (!(hi > lo) || max < 2) {
		ticks[0] = lo;
		*step = 0;
		return 1;
	}
	s = nice_step((hi - lo) / (double)(max - 1));
	while (floor(hi / s) - ceil(lo / s) + 1 > (double)max)
		s = nice_step(s * 1.5);
	for (t = ceil(lo / s - 1e-9) * s; t <= hi + s * 1e-9 && n < max; t += s)
		ticks[n++] = fabs(t) < s * 1e-9 ? 0 : t;
	if (n < 2) { /* the range holds no two multiples: its ends */
		ticks[0] = lo;
		ticks[1] = hi;
		n = 2;
		s = hi - lo;
	}
	*step = s;
	return n;
}

struct unit_step {
	const char *base, *name;
	double size;
};

static const struct unit_step unit_steps[] = {
        {"s", "s", 1},
        {"s", "ms", 1e-3},
        {"s", "us", 1e-6},
        {"s", "ns", 1e-9},
        {"B", "GiB", 1 << 30},
        {"B", "MiB", 1 << 20},
        {"B", "KiB", 1 << 10},
        {"B", "B", 1},
        {"B/s", "GiB/s", 1 << 30},
        {"B/s", "MiB/s", 1 << 20},
        {"B/s", "KiB/s", 1 << 10},
        {"B/s", "B/s", 1},
};

const char *spark_display_unit(const char *unit, double vmax, double *factor)
{
	const char *last = NULL;
	size_t i;

	*factor = 1;
	for (i = 0; i < sizeof(unit_steps) / sizeof(unit_steps[0]); i++) {
		if (strcmp(unit_steps[i].base, unit))
			continue;
		last = unit_steps[i].name;
		*factor = 1 / unit_steps[i].size;
		if (fabs(vmax) >= unit_steps[i].size)
			return last;
	}
	return last ? last : unit;
}

struct spark_bucket *spark_downsample(const double *x, size_t n, size_t max,
                                      size_t *nout)
{
	size_t per, i, j, nb;
	struct spark_bucket *b;
	double *tmp;

	*nout = 0;
	if (!n || !max)
		return NULL;
	per = n <= max ? 1 : (n + max - 1) / max;
	nb = (n + per - 1) / per;
	b = pg_calloc(nb, sizeof(*b));
	tmp = pg_malloc(per * sizeof(*tmp));
	for (i = 0; i < nb; i++) {
		b[i].first = i * per;
		b[i].n = n - b[i].first < per ? n - b[i].first : per;
		b[i].min = b[i].max = x[b[i].first];
		for (j = 0; j < b[i].n; j++) {
			tmp[j] = x[b[i].first + j];
			b[i].min = fmin(b[i].min, tmp[j]);
			b[i].max = fmax(b[i].max, tmp[j]);
		}
		b[i].median = stats_median_select(tmp, b[i].n);
	}
	free(tmp);
	*nout = nb;
	return b;
}
