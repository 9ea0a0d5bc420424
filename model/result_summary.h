/*
 * result_summary.h - what `perfgate gc` keeps of raw samples it drops.
 *
 * A summarised metric (model/result.h, struct result_summary) keeps n,
 * mean, sd and scaled MAD, and in place of its samples the
 * RESULT_SUMMARY_POINTS type-7 quantiles at RESULT_SUMMARY_PROBS: min,
 * 5%, 10%, 25%, median, 75%, 90%, 95%, max.  The median of those points is
 * the median of the raw samples, so history (log, --changes, trend bands,
 * history alerts, run-to-run variance), which works on per-run medians,
 * reads a summarised run as it read the raw one.  The format is in
 * docs/results-format.md "Summarised runs".
 *
 * Errors and ownership: nothing here can fail; a summarised metric still
 * owns its (now fewer) values, freed with the run that holds it.
 */
#ifndef PG_MODEL_RESULT_SUMMARY_H
#define PG_MODEL_RESULT_SUMMARY_H

#include <stddef.h>

#include "model/result.h"

/*
 * Summarise x[0..n) (n > RESULT_SUMMARY_POINTS, all finite) into *s and
 * points[0..RESULT_SUMMARY_POINTS), every value rounded to
 * RESULT_SUMMARY_DIGITS significant digits.  Pure computation.
 */
void result_summary_compute(struct result_summary *s,
                            double points[RESULT_SUMMARY_POINTS],
                            const double *x, size_t n);

/*
 * 1 when gc would summarise m: it holds raw samples, more of them than a
 * summary's points.  A metric with fewer samples is kept as it is.
 */
int result_metric_summarisable(const struct result_metric *m);

/*
 * Replace m's raw samples by its summary and quantile points.  Returns 1
 * when m was summarised, 0 when it is kept (!result_metric_summarisable).
 */
int result_metric_summarise(struct result_metric *m);

/*
 * Summarise every summarisable metric of run and mark it summarised.
 * Returns how many metrics were summarised; 0 leaves run unchanged.
 */
size_t result_run_summarise(struct result_run *run);

/* The number of samples m measured: summary.n when summarised, else n. */
size_t result_metric_count(const struct result_metric *m);

#endif
