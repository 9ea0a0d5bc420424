#include "stats/runvar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/describe.h"
#include "util/mem.h"

/*
 * The largest |d_i| still counted as noise: STATS_RUNVAR_DIFF_SDS robust
 * sds of the differences, at least cutoff.  The sd comes from the
 * differences within cutoff (1.4826 median |d|): the steps a history
 * is full of must not set the scale that finds them.
 */
static double diff_limit(const double *m, size_t k, double cutoff)
{
	double *a = pg_malloc((k - 1) * sizeof(*a)), sd;
	size_t i, n = 0;

	for (i = 0; i + 1 < k; i++) {
		double d = fabs(m[i] - m[i + 1]);

		if (d <= cutoff)
			a[n++] = d;
	}
	if (n < 2) { /* everything is large: the scale of all of it */
		for (i = n = 0; i + 1 < k; i++)
			a[n++] = fabs(m[i] - m[i + 1]);
	}
	sd = 1.4826 * stats_median(a, n);
	free(a);
	return sd * STATS_RUNVAR_DIFF_SDS > cutoff ? sd * STATS_RUNVAR_DIFF_SDS
	                                           : cutoff;
}

void stats_runvar_estimate(struct stats_runvar *out, const double *m, size_t k,
                           double cutoff)
{
	double sum = 0, denom = 0, limit;
	size_t i, stretch = 0;

	memset(out, 0, sizeof(*out));
	out->runs = k;
	if (k < 2)
		return;
	limit = diff_limit(m, k, cutoff);
	for (i = 0; i + 1 < k; i++) {
		double d = m[i] - m[i + 1];

		if (fabs(d) > limit) {
			out->dropped++;
			if (stretch)
				denom += 12.0 * (double)stretch - 4;
			stretch = 0;
			continue;
		}
		sum += d * d;
		out->diffs++;
		stretch++;
	}
	if (stretch)
		denom += 12.0 * (double)stretch - 4;
	if (!out->diffs)
		return;
	out->var = sum / (2.0 * (double)out->diffs);
	out->df = 8.0 * (double)out->diffs * (double)out->diffs / denom;
}
