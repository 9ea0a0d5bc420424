#include "stats/nulldist.h"

#include <stdlib.h>

#include "util/mem.h"

double *stats_mwu_pmf(size_t m, size_t n)
{
	size_t len, i, j, deg = 0;
	double *c;

	/* symmetric in m and n; the loop runs over the smaller one */
	if (m > n) {
		size_t t = m;
		m = n;
		n = t;
	}
	len = m * n + 1;
	c = pg_calloc(len + m + 1, sizeof(*c));
	c[0] = 1.0;
	for (i = 1; i <= m; i++) {
		size_t k = n + i;
		double scale = (double)i / (double)(n + i);

		/* multiply by (1 - q^k): the degree grows to deg + k */
		for (j = deg + k + 1; j-- > k;)
			c[j] -= c[j - k];
		/* divide by (1 - q^i): a running sum with stride i */
		deg += n;
		for (j = i; j <= deg; j++)
			c[j] += c[j - i];
		/* what the division leaves above the new degree is zero */
		for (j = deg + 1; j <= deg + i; j++)
			c[j] = 0;
		/* [n+i choose i]_q sums to C(n+i, i): rescale to a pmf */
		for (j = 0; j <= deg; j++)
			c[j] *= scale;
	}
	for (j = 0; j < len; j++)
		if (c[j] < 0)
			c[j] = 0; /* rounding in the far tails */
	return c;
}

double *stats_signrank_pmf(size_t n, const size_t *rank2, size_t *len)
{
	size_t i, s, total = 0;
	double *c;

	for (i = 0; i < n; i++)
		total += rank2 ? rank2[i] : i + 1;
	c = pg_calloc(total + 1, sizeof(*c));
	c[0] = 1.0;
	total = 0;
	for (i = 0; i < n; i++) {
		size_t r = rank2 ? rank2[i] : i + 1;

		total += r;
		for (s = total + 1; s-- > 0;)
			c[s] = 0.5 * (c[s] + (s >= r ? c[s - r] : 0.0));
	}
	*len = total + 1;
	return c;
}

size_t stats_pmf_quantile(const double *pmf, size_t len, double p)
{
	double cum = 0;
	size_t k;

	/* a relative slack so that exact ties with p are not lost to
	 * rounding, as R's qwilcox does with its fuzz */
	for (k = 0; k < len; k++) {
		cum += pmf[k];
		if (cum >= p * (1 - 64 * 2.2e-16))
			return k;
	}
	return len - 1;
}

double stats_pmf_upper(const double *pmf, size_t len, size_t k)
{
	double p = 0;
	size_t j;

	/* sum from the tail up: small terms first */
	for (j = len; j-- > k;)
		p += pmf[j];
	return p > 1 ? 1 : p;
}

double stats_pmf_lower(const double *pmf, size_t len, size_t k)
{
	double p = 0;
	size_t j;

	for (j = 0; j <= k && j < len; j++)
		p += pmf[j];
	return p > 1 ? 1 : p;
}
