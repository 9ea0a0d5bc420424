/*
 * budget.h - absolute limits (budgets, SLOs) on a candidate's metrics,
 * such as "p95 of wall_time <= 250ms" or a stress test's ">= 500 req/s",
 * checked against the one-sided confidence bound of the statistic
 * (stats/bound.h): a ceiling is over budget only when even its lower
 * bound exceeds the limit, a floor only when even its upper bound falls
 * below it, so noise alone never trips a budget.  An error rate is
 * checked on its request counts, a soak's memory growth on its Theil-Sen
 * slope (gate/load.h).
 */
#ifndef PG_GATE_BUDGET_H
#define PG_GATE_BUDGET_H

#include "model/report.h"
#include "model/config.h"
#include "model/result.h"

/*
 * Check every budget of the config (suite-wide and of benchmark b; cfg may
 * be NULL: none) and b's soak memory slope on the rows of b already in
 * rep: each budget's text is added to its row's budget ("; " between
 * them), and row->over_budget is set when one is exceeded.  Budgets of a
 * metric without a row, and a benchmark that failed (b->error), are
 * skipped; a stress entry's budgets apply to its own benchmark only
 * (gate/stress.h).  confidence is the level of the bounds.  Returns 0, or
 * PG_EINPUT for a budget on a metric b does not measure, whose unit does
 * not fit the metric, or whose direction (a floor on a lower-is-better
 * metric) does not; or the error of an error-rate budget.
 */
int gate_check_budgets(struct report *rep, const struct config *cfg,
                       const struct result_bench *b, double confidence);

#endif
