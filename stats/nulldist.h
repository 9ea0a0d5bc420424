/*
 * nulldist.h - exact null distributions of the rank statistics, computed
 * as probability mass functions by dynamic programming.
 *
 * They serve both the exact tests (stats/ranktest.h) and the
 * distribution-free confidence intervals (stats/effect.h).  The arrays are
 * malloc'd; the caller frees them.  Costs are stated so that callers can
 * fall back to normal approximations for large samples.
 *
 * Errors: none of these can fail (allocation failure aborts, util/mem.h).
 */
#ifndef PG_STATS_NULLDIST_H
#define PG_STATS_NULLDIST_H

#include <stddef.h>

/*
 * The Mann-Whitney U statistic of m against n samples without ties:
 * pmf[u] = P(U = u) for u = 0..m*n (the array has m*n + 1 entries).
 * Computed as the coefficients of the Gaussian binomial [m+n choose m]_q,
 * one factor (1 - q^(n+i)) / (1 - q^i) at a time, rescaled to
 * probabilities so nothing overflows.  Cost O(min(m,n) * m * n).
 */
double *stats_mwu_pmf(size_t m, size_t n);

/*
 * The signed-rank statistic T+ (sum of the ranks of the positive
 * differences) when each of n differences is positive or negative with
 * probability 1/2, independently.  rank2[i] are twice the (mid)ranks of
 * |d_i|, so ties (half-integer midranks) stay integral: pmf has
 * sum(rank2) + 1 entries and pmf[s] = P(2 T+ = s).  With rank2 == NULL the
 * ranks are 1..n without ties and pmf is indexed by T+ itself
 * (n(n+1)/2 + 1 entries).  Cost O(n * sum(rank2)).
 */
double *stats_signrank_pmf(size_t n, const size_t *rank2, size_t *len);

/*
 * Smallest k >= 0 with P(X <= k) >= p for the pmf of len entries (R's
 * qwilcox/qsignrank when pmf is their distribution).
 */
size_t stats_pmf_quantile(const double *pmf, size_t len, double p);

/* P(X >= k) and P(X <= k) from a pmf of len entries. */
double stats_pmf_upper(const double *pmf, size_t len, size_t k);
double stats_pmf_lower(const double *pmf, size_t len, size_t k);

#endif
