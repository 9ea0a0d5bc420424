#include "stats/effect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/describe.h"
#include "stats/nulldist.h"
#include "util/error.h"
#include "util/mem.h"

/* Beyond these sizes the CI index comes from the normal approximation. */
#define EXACT_UNPAIRED_COST 2e7
#define EXACT_PAIRED_MAX 400

/*
 * How many values of a set are <= t, with the largest such value (below)
 * and the smallest larger one (above), or +-INFINITY when there is none.
 */
struct count {
	size_t c;
	double below, above;
};

static void count_init(struct count *k)
{
	k->c = 0;
	k->below = -INFINITY;
	k->above = INFINITY;
}

static void count_see(struct count *k, double v, int le)
{
	if (le && v > k->below)
		k->below = v;
	if (!le && v < k->above)
		k->above = v;
}

/*
 * Differences y_j - x_i: for ascending x the number of j with
 * y_j - x_i <= t never decreases, so one pointer sweeps y once.
 */
static void count_diffs(struct count *k, const double *xs, size_t nx,
                        const double *ys, size_t ny, double t)
{
	size_t i, j = 0;

	count_init(k);
	for (i = 0; i < nx; i++) {
		while (j < ny && ys[j] - xs[i] <= t)
			j++;
		k->c += j;
		if (j > 0)
			count_see(k, ys[j - 1] - xs[i], 1);
		if (j < ny)
			count_see(k, ys[j] - xs[i], 0);
	}
}

/* Walsh averages (d_i + d_j) / 2, i <= j, of ascending d. */
static void count_walsh(struct count *k, const double *ds, size_t n, double t)
{
	size_t i, hi = n; /* one past the last j with w(i, j) <= t */

	count_init(k);
	for (i = 0; i < n; i++) {
		while (hi > i && (ds[i] + ds[hi - 1]) / 2 > t)
			hi--;
		if (hi <= i) {
			count_see(k, (ds[i] + ds[i]) / 2, 0);
			break; /* every later row lies above t too */
		}
		k->c += hi - i;
		count_see(k, (ds[i] + ds[hi - 1]) / 2, 1);
		if (hi < n)
			count_see(k, (ds[i] + ds[hi]) / 2, 0);
	}
}

/*
 * The k-th smallest value of a set given by its counting function: keep
 * [lo, hi], two members of the set that bracket the answer, and bisect on
 * the value, snapping to members; O(log) counts.
 */
static double kth(const double *xs, size_t nx, const double *ys, size_t ny,
                  size_t k, double lo, double hi)
{
	struct count c;

	while (lo < hi) {
		double mid = lo + (hi - lo) / 2;

		if (mid >= hi)
			mid = lo; /* adjacent doubles: probe the lower one */

		if (ys)
			count_diffs(&c, xs, nx, ys, ny, mid);
		else
			count_walsh(&c, xs, nx, mid);
		if (c.c == k)
			return c.below;
		if (c.c > k)
			hi = c.below;
		else
			lo = c.above;
	}
	return hi;
}

double stats_kth_difference(const double *xs, size_t nx, const double *ys,
                            size_t ny, size_t k)
{
	return kth(xs, nx, ys, ny, k, ys[0] - xs[nx - 1], ys[ny - 1] - xs[0]);
}

double stats_kth_walsh(const double *ds, size_t n, size_t k)
{
	return kth(ds, n, NULL, 0, k, ds[0], ds[n - 1]);
}

/* The median of the N values whose k-th smallest is kth_of(k). */
static double median_of(const double *xs, size_t nx, const double *ys,
                        size_t ny, size_t total)
{
	double m1, m2;

	if (ys) {
		m1 = stats_kth_difference(xs, nx, ys, ny, (total + 1) / 2);
		m2 = total % 2 ? m1
		               : stats_kth_difference(xs, nx, ys, ny,
		                                      total / 2 + 1);
	} else {
		m1 = stats_kth_walsh(xs, nx, (total + 1) / 2);
		m2 = total % 2 ? m1 : stats_kth_walsh(xs, nx, total / 2 + 1);
	}
	return (m1 + m2) / 2;
}

/*
 * The 1-based order-statistic index k of the lower CI bound (the upper
 * one is total + 1 - k) and the confidence achieved.  pmf is the exact
 * null distribution or NULL for the normal approximation (mean mu, sd
 * sigma).
 */
static size_t ci_index(double *achieved, const double *pmf, size_t len,
                       double mu, double sigma, double confidence)
{
	double half = (1 - confidence) / 2;
	size_t k;

	*achieved = confidence;
	if (pmf) {
		k = stats_pmf_quantile(pmf, len, half);
		if (k == 0) {
			*achieved = 1 - 2 * pmf[0];
			k = 1;
		}
		return k;
	}
	/* smallest q with P(U <= q) >= half, with continuity correction */
	{
		double q =
		        ceil(mu - gsl_cdf_ugaussian_Qinv(half) * sigma - 0.5);

		if (q < 1) {
			*achieved =
			        1 - 2 * gsl_cdf_ugaussian_P((0.5 - mu) / sigma);
			q = 1;
		}
		return (size_t)q;
	}
}

static int check_confidence(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		return pg_error_input("confidence level '%g' is not between 0 "
		                      "and 1",
		                      confidence);
	return 0;
}

int stats_hl_unpaired(struct stats_interval *out, const double *x, size_t nx,
                      const double *y, size_t ny, double confidence)
{
	double *xs, *ys, *pmf = NULL, m, n;
	size_t total = nx * ny, k;
	int err;

	if (!nx || !ny)
		return pg_error_input("hodges-lehmann needs two non-empty "
		                      "samples");
	if ((err = check_confidence(confidence)) < 0)
		return err;
	stats_init();
	xs = stats_sorted_copy(x, nx);
	ys = stats_sorted_copy(y, ny);
	m = (double)nx;
	n = (double)ny;
	out->estimate = median_of(xs, nx, ys, ny, total);
	if (m * n * (m < n ? m : n) <= EXACT_UNPAIRED_COST)
		pmf = stats_mwu_pmf(nx, ny);
	k = ci_index(&out->confidence, pmf, total + 1, m * n / 2,
	             sqrt(m * n * (m + n + 1) / 12), confidence);
	out->low = stats_kth_difference(xs, nx, ys, ny, k);
	out->high = stats_kth_difference(xs, nx, ys, ny, total + 1 - k);
	free(pmf);
	free(xs);
	free(ys);
	return 0;
}

int stats_hl_paired(struct stats_interval *out, const double *d, size_t n,
                    double confidence)
{
	double *ds, *pmf = NULL, nn = (double)n;
	size_t total = n * (n + 1) / 2, k, len = total + 1;
	int err;

	if (!n)
		return pg_error_input(
		        "hodges-lehmann needs a non-empty sample");
	if ((err = check_confidence(confidence)) < 0)
		return err;
	stats_init();
	ds = stats_sorted_copy(d, n);
	out->estimate = median_of(ds, n, NULL, 0, total);
	if (n <= EXACT_PAIRED_MAX)
		pmf = stats_signrank_pmf(n, NULL, &len);
	k = ci_index(&out->confidence, pmf, len, nn * (nn + 1) / 4,
	             sqrt(nn * (nn + 1) * (2 * nn + 1) / 24), confidence);
	out->low = stats_kth_walsh(ds, n, k);
	out->high = stats_kth_walsh(ds, n, total + 1 - k);
	free(pmf);
	free(ds);
	return 0;
}

static double resample_median(double *work, const double *x, size_t n,
                              const size_t *idx)
{
	size_t i;

	for (i = 0; i < n; i++)
		work[i] = x[idx[i]];
	return gsl_stats_median(work, 1, n);
}

static void draw(gsl_rng *r, size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		idx[i] = gsl_rng_uniform_int(r, n);
}

int stats_bootstrap_ratio(struct stats_interval *out, const double *a,
                          size_t na, const double *b, size_t nb, int paired,
                          double confidence, size_t resamples, uint64_t seed)
{
	double *work, *ratio, ma, mb;
	size_t *ia, *ib, i, nmax = na > nb ? na : nb;
	gsl_rng *r;
	int err;

	if (!na || !nb || resamples < 10 || (paired && na != nb))
		return pg_error_input("bootstrap needs two non-empty samples "
		                      "(of equal length when paired) and at "
		                      "least 10 resamples");
	if ((err = check_confidence(confidence)) < 0)
		return err;
	ma = stats_median(a, na);
	mb = stats_median(b, nb);
	if (!(ma > 0 && mb > 0))
		return pg_error_input("bootstrap of a ratio needs positive "
		                      "medians");
	stats_init();
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return pg_error_runtime("cannot allocate a random generator");
	gsl_rng_set(r, (unsigned long)seed);
	work = pg_malloc(nmax * sizeof(*work));
	ratio = pg_malloc(resamples * sizeof(*ratio));
	ia = pg_malloc(nmax * sizeof(*ia));
	ib = pg_malloc(nmax * sizeof(*ib));
	for (i = 0; i < resamples; i++) {
		draw(r, ia, na);
		if (paired)
			memcpy(ib, ia, nb * sizeof(*ib));
		else
			draw(r, ib, nb);
		ratio[i] = resample_median(work, b, nb, ib) /
		           resample_median(work, a, na, ia);
	}
	out->estimate = mb / ma - 1;
	out->low = stats_quantile(ratio, resamples, (1 - confidence) / 2) - 1;
	out->high = stats_quantile(ratio, resamples, (1 + confidence) / 2) - 1;
	out->confidence = confidence;
	free(ia);
	free(ib);
	free(ratio);
	free(work);
	gsl_rng_free(r);
	return 0;
}
