/*
 * select.h - the median by selection, for hot loops.
 *
 * Unlike the rest of stats/, this reorders its input: it is for callers
 * that summarise many small samples they own (perfgate log: one median per
 * benchmark per commit over thousands of commits), where sorting with
 * qsort() and a comparison callback was a tenth of the time.
 *
 * Errors and ownership: cannot fail; x belongs to the caller, who gets it
 * back reordered.
 */
#ifndef PG_STATS_SELECT_H
#define PG_STATS_SELECT_H

#include <stddef.h>

/*
 * The median of x[0..n) (n > 0): the middle value, or the mean of the two
 * middle values (a + b) / 2, exactly as after sorting.  Reorders x.
 * Linear expected time (quickselect).  NaNs are not allowed.
 */
double stats_median_select(double *x, size_t n);

/*
 * The type-7 quantile of x[0..n) (n > 0, 0 <= p <= 1), as
 * stats_quantile() computes it by sorting.  Reorders x; linear expected
 * time.  NaNs are not allowed.
 */
double stats_quantile_select(double *x, size_t n, double p);

#endif
