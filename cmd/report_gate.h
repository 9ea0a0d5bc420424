/*
 * report_gate.h - the verdicts of `perfgate report --html` when no gate
 * report is given: the newest commit with results compared with its
 * default baseline, as `perfgate compare` would.
 */
#ifndef PG_CMD_REPORT_GATE_H
#define PG_CMD_REPORT_GATE_H

#include "history/series.h"
#include "model/report.h"
#include "store/repo.h"
#include "util/buf.h"

/*
 * Compare the newest commit of h that has results (its runs of the newest
 * run's runner class, paired sessions left out) with the stored baseline
 * before it (the ancestors' window, perfgate.json of the working tree when
 * there is one, Perfgate-Accept lines applied) into rep.  *have is 1 when
 * rep was filled; src says in one sentence where the verdicts come from,
 * or why there are none.  Returns 0 or a store or comparison error.
 */
int report_gate_recompute(struct report *rep, struct store *s,
                          const struct history_series *h, int *have,
                          struct pg_buf *src);

#endif
