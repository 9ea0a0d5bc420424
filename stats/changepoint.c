#include "stats/changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "stats/describe.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

void stats_cp_opts_init(struct stats_cp_opts *o)
{
	o->p_threshold = PG_DEFAULT_CP_PVALUE;
	o->window = PG_DEFAULT_CP_WINDOW;
	o->permutations = PG_DEFAULT_CP_PERMUTATIONS;
	o->min_size = 2;
	o->seed = PG_DEFAULT_SEED;
}

static double q_of(double cross, double wl, double wr, double m, double n)
{
	double e = 2 * cross / (m * n);

	if (m > 1)
		e -= 2 * wl / (m * (m - 1));
	if (n > 1)
		e -= 2 * wr / (n * (n - 1));
	return m * n / (m + n) * e;
}

/*
 * The best split of z[0..len) with at least min points per side: returns
 * its Q and sets *at (the first index of the right part), or -INFINITY.
 * Moving one point from right to left updates the three sums in O(len).
 */
static double best_split(const double *z, size_t len, size_t min, size_t *at)
{
	double cross = 0, wl = 0, wr = 0, best = -INFINITY;
	size_t i, j, tau = min;

	if (len < 2 * min)
		return best;
	for (i = 0; i < len; i++)
		for (j = i + 1; j < len; j++) {
			double d = fabs(z[i] - z[j]);

			if (j < tau)
				wl += d;
			else if (i >= tau)
				wr += d;
			else
				cross += d;
		}
	for (;;) {
		double q =
		        q_of(cross, wl, wr, (double)tau, (double)(len - tau));

		if (q > best) {
			best = q;
			*at = tau;
		}
		if (tau + 1 > len - min)
			break;
		/* z[tau] moves to the left part */
		{
			double dl = 0, dr = 0;

			for (i = 0; i < tau; i++)
				dl += fabs(z[i] - z[tau]);
			for (j = tau + 1; j < len; j++)
				dr += fabs(z[j] - z[tau]);
			wl += dl;
			wr -= dr;
			cross += dr - dl;
		}
		tau++;
	}
	return best;
}

struct cand {
	double q;
	size_t start, len, at; /* window and split (absolute index) */
};

/* The best split over the windows of segment [s, e). */
static void scan_segment(struct cand *best, const double *x, size_t s, size_t e,
                         const struct stats_cp_opts *o)
{
	size_t w = o->window, step = w / 2, start = s;

	for (;;) {
		size_t len = e - start < w ? e - start : w, at = 0;
		double q = best_split(x + start, len, o->min_size, &at);

		if (q > best->q) {
			best->q = q;
			best->start = start;
			best->len = len;
			best->at = start + at;
		}
		if (start + len >= e)
			break;
		/* the last window ends exactly at e */
		start = start + step + w > e ? e - w : start + step;
	}
}

static double permutation_p(const double *x, const struct cand *c, gsl_rng *r,
                            const struct stats_cp_opts *o)
{
	double *z = pg_malloc(c->len * sizeof(*z));
	size_t i, hits = 0, at;
	/* stop once p can no longer reach the threshold */
	double limit = o->p_threshold * (double)(o->permutations + 1);

	memcpy(z, x + c->start, c->len * sizeof(*z));
	for (i = 0; i < o->permutations; i++) {
		gsl_ran_shuffle(r, z, c->len, sizeof(*z));
		if (best_split(z, c->len, o->min_size, &at) >= c->q)
			hits++;
		if ((double)(hits + 1) > limit)
			break;
	}
	free(z);
	if (i < o->permutations)
		return (double)(hits + 1) / (double)(i + 2);
	return (double)(hits + 1) / (double)(o->permutations + 1);
}

static int cmp_cp(const void *a, const void *b)
{
	const struct stats_changepoint *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static void segment_shifts(struct stats_changepoint *cp, size_t ncp,
                           const double *x, size_t n)
{
	size_t i;

	if (ncp > 1)
		qsort(cp, ncp, sizeof(*cp), cmp_cp);
	for (i = 0; i < ncp; i++) {
		size_t s = i ? cp[i - 1].index : 0;
		size_t e = i + 1 < ncp ? cp[i + 1].index : n;

		cp[i].before = stats_median(x + s, cp[i].index - s);
		cp[i].after = stats_median(x + cp[i].index, e - cp[i].index);
		cp[i].shift =
		        cp[i].before > 0 ? cp[i].after / cp[i].before - 1 : NAN;
	}
}

static int check(const double *x, size_t n, const struct stats_cp_opts *o)
{
	size_t i;

	if (o->min_size < 1 || o->window < 2 * o->min_size ||
	    o->permutations < 1 || !(o->p_threshold > 0 && o->p_threshold < 1))
		return pg_error_input("bad change-point options: window %zu, "
		                      "min size %zu, %zu permutations, p %g",
		                      o->window, o->min_size, o->permutations,
		                      o->p_threshold);
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return pg_error_input("point %zu of the series is not "
			                      "a finite number",
			                      i + 1);
	return 0;
}

int stats_changepoints(struct stats_changepoint **out, size_t *nout,
                       const double *x, size_t n, const struct stats_cp_opts *o)
{
	struct stats_changepoint *cp = NULL;
	size_t ncp = 0, alloc = 0, i;
	gsl_rng *r;
	int err;

	*out = NULL;
	*nout = 0;
	if ((err = check(x, n, o)) < 0)
		return err;
	stats_init();
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return pg_error_runtime("cannot allocate a random generator");
	gsl_rng_set(r, (unsigned long)o->seed);
	for (;;) {
		struct cand best = {-INFINITY, 0, 0, 0};
		size_t s = 0;
		double p;

		/* segments between the sorted change points so far */
		if (ncp > 1)
			qsort(cp, ncp, sizeof(*cp), cmp_cp);
		for (i = 0; i <= ncp; i++) {
			size_t e = i < ncp ? cp[i].index : n;

			scan_segment(&best, x, s, e, o);
			s = e;
		}
		if (!(best.q > 0))
			break;
		p = permutation_p(x, &best, r, o);
		if (p > o->p_threshold)
			break;
		cp = pg_grow_array(cp, sizeof(*cp), ncp + 1, &alloc);
		memset(&cp[ncp], 0, sizeof(cp[ncp]));
		cp[ncp].index = best.at;
		cp[ncp].p_value = p;
		cp[ncp].q = best.q;
		ncp++;
	}
	gsl_rng_free(r);
	segment_shifts(cp, ncp, x, n);
	*out = cp;
	*nout = ncp;
	return 0;
}
