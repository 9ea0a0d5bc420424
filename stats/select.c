/* Median by selection; see stats/select.h. */
#include "stats/select.h"

/*
 * Reorder x so that x[k] holds the value a sort would put there, nothing
 * after it smaller and nothing before it greater (Wirth, "Algorithms +
 * Data Structures = Programs", FIND).  Indices are signed: j may step
 * below lo.
 */
static void select_kth(double *x, long n, long k)
{
	long lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = x[k], t;
		long i = lo, j = hi;

		do {
			while (x[i] < pivot)
				i++;
			while (pivot < x[j])
				j--;
			if (i <= j) {
				t = x[i];
				x[i] = x[j];
				x[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < k)
			lo = i;
		if (k < i)
			hi = j;
	}
}

double stats_median_select(double *x, size_t n)
{
	long k = (long)(n / 2), i;
	double below;

	select_kth(x, (long)n, k);
	if (n % 2)
		return x[k];
	/* the lower middle value is the largest of those before x[k] */
	below = x[0];
	for (i = 1; i < k; i++)
		if (x[i] > below)
			below = x[i];
	return (below + x[k]) / 2;
}
