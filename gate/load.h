/*
 * load.h - how the gate compares load-test metrics (docs/load.md), where
 * the generic comparison of samples would be wrong:
 *
 *   error_rate      a proportion of requests: tested on the summed
 *                   request and failure counts (Fisher's exact test or
 *                   the score test, stats/proportion.h), never on the
 *                   one rate per run; its budget is checked against the
 *                   Wilson upper bound of the rate;
 *   latency_pNN     with too few runs for a rank test on the per-run
 *                   percentiles, and raw latencies on both sides: the
 *                   percentile of the raw latencies with a bootstrap CI
 *                   and p-values (stats/quantile.h);
 *   rss_slope       a soak's memory growth: checked against the soak's
 *                   "max_rss_slope" with the lower bound of its
 *                   Theil-Sen CI.
 *
 * Every function fills a struct stats_comparison the way stats_compare()
 * does, so the suite-wide correction and the verdict rules apply
 * unchanged, and a one-line note (malloc'd, the caller's) that says which
 * method was used.
 */
#ifndef PG_GATE_LOAD_H
#define PG_GATE_LOAD_H

#include "stats/compare.h"
#include "model/config.h"
#include "model/result.h"

#define GATE_LOAD_ERROR_RATE "error_rate"
#define GATE_LOAD_RSS_SLOPE "rss_slope"

/*
 * For metric error_rate when base and cand both carry "requests" and
 * "failures": compare the counts (each summed over the bench's runs) and
 * fill *c (estimate: the candidate's rate minus the baseline's, in rate
 * points, with Newcombe's hybrid score interval at so->confidence).
 * Returns 1 when filled, 0 when this is not such a metric, PG_EINPUT for
 * counts that are not whole numbers.
 */
int gate_load_error_rate(struct stats_comparison *c, char **note,
                         const struct result_bench *base,
                         const struct result_bench *cand, const char *metric,
                         const struct stats_compare_opts *so);

/*
 * For metric latency_pNN (0 < NN < 100) when base and cand both carry raw
 * "latency" samples: the NN-th percentiles of the raw latencies compared
 * by a seeded percentile bootstrap of their ratio.  Returns 1 when
 * filled, 0 when not applicable, a negative code on error.
 */
int gate_load_quantile(struct stats_comparison *c, char **note,
                       const struct result_bench *base,
                       const struct result_bench *cand, const char *metric,
                       const struct stats_compare_opts *so);

/*
 * The note of an aggregate metric compared with fewer than two runs on a
 * side (a tool's one p99 per run): why the result is inconclusive and
 * what to do.  malloc'd.
 */
char *gate_load_single_run_note(const char *metric);

/*
 * The error-rate budget of cand: when cand carries request and failure
 * counts, *bound is the one-sided Wilson upper bound of the summed
 * failures / requests at level confidence, *text (malloc'd) describes it,
 * and 1 is returned; 0 when there are no counts.
 */
int gate_load_error_budget(double *bound, char **text,
                           const struct result_bench *cand, double limit,
                           double confidence);

/*
 * The memory-slope limit of a soak: when cand carries rss_slope with the
 * lower bound of its CI (the parameter "rss_slope_low", B/s) and cfgb (may
 * be NULL) sets soak.max_rss_slope, *over = 1 when that lower bound
 * exceeds it, *text (malloc'd) describes it, and 1 is returned; 0 when
 * not applicable.
 */
int gate_load_rss_slope(int *over, char **text, const struct result_bench *cand,
                        const struct config_bench *cfgb);

#endif
