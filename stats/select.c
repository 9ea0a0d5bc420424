/* Median by selection; see stats/select.h. */
#include "stats/select.h"

static void swap(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/*
 * Partition x[lo..hi) around the value v: afterwards x[lo..*lt) < v and
 * x[*lt..hi) >= v.  Branch-free (every element is swapped, the boundary
 * moves by the comparison's result): with samples in random order a
 * branch per comparison mispredicted half the time and cost more than
 * the comparisons.
 */
static size_t partition_below(double *x, size_t lo, size_t hi, double v)
{
	size_t i, j = lo;

	for (i = lo; i < hi; i++) {
		double e = x[i];

		x[i] = x[j];
		x[j] = e;
		j += e < v;
	}
	return j;
}

/* The same moving the elements equal to v to the front of x[lo..hi). */
static size_t partition_equal(double *x, size_t lo, size_t hi, double v)
{
	size_t i, j = lo;

	for (i = lo; i < hi; i++) {
		double e = x[i];

		x[i] = x[j];
		x[j] = e;
		j += e == v;
	}
	return j;
}

/*
 * Reorder x[0..n) so that x[k] holds the value a sort would put there,
 * nothing before it greater and nothing after it smaller (quickselect,
 * median-of-three pivot).  Elements equal to the pivot are set apart, so
 * many equal samples (byte counts often are) stay linear.
 */
static void select_kth(double *x, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 2) {
		size_t mid = lo + (hi - lo) / 2, lt, eq;
		double pivot;

		if (x[mid] < x[lo])
			swap(&x[mid], &x[lo]);
		if (x[hi - 1] < x[mid])
			swap(&x[hi - 1], &x[mid]);
		if (x[mid] < x[lo])
			swap(&x[mid], &x[lo]);
		pivot = x[mid];
		lt = partition_below(x, lo, hi, pivot);
		if (k < lt) {
			hi = lt;
			continue;
		}
		eq = partition_equal(x, lt, hi, pivot);
		if (k < eq)
			return; /* x[lt..eq) are all the pivot */
		lo = eq;
	}
	if (hi - lo == 2 && x[lo + 1] < x[lo])
		swap(&x[lo], &x[lo + 1]);
}

double stats_median_select(double *x, size_t n)
{
	size_t k = n / 2, i;
	double below;

	select_kth(x, n, k);
	if (n % 2)
		return x[k];
	/* the lower middle value is the largest of those before x[k] */
	below = x[0];
	for (i = 1; i < k; i++)
		if (x[i] > below)
			below = x[i];
	return (below + x[k]) / 2;
}

double stats_quantile_select(double *x, size_t n, double p)
{
	double h = (double)(n - 1) * p, next;
	size_t k = (size_t)h, i;

	if (k >= n - 1) {
		select_kth(x, n, n - 1);
		return x[n - 1];
	}
	select_kth(x, n, k);
	/* the next order statistic is the smallest of those after x[k] */
	next = x[k + 1];
	for (i = k + 2; i < n; i++)
		if (x[i] < next)
			next = x[i];
	return x[k] + (h - (double)k) * (next - x[k]);
}
