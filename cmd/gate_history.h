/*
 * gate_history.h - the history alert of `perfgate gate` on a push to the
 * target branch (gate/alert.h), as one call for the gate's flow.
 */
#ifndef PG_CMD_GATE_HISTORY_H
#define PG_CMD_GATE_HISTORY_H

#include "cmd/gate_common.h"
#include "store/repo.h"
#include "model/config.h"
#include "model/result.h"

/*
 * When sha (the gated commit, whose run `run` is already stored) is on
 * the target branch itself (gate/baseline.h: on_target; never with
 * --base), look for history alerts and keep them in o->alerts for
 * cmd_gate_report() to put in every report; otherwise do nothing.  New
 * alerts are recorded on their commits' notes.  --on-change, else the
 * config's "on_change", says whether a new alert fails.  Returns 0 or
 * a negative error (see gate_history_alert()); the caller reports it.
 * o->alerts is freed by cmd_gate_history_release().
 */
int cmd_gate_history(struct pipeline_gate_opts *o, struct store *s,
                     const struct config *cfg, const struct result_run *run,
                     const char *sha);

/* Free o->alerts.  Safe when there are none. */
void cmd_gate_history_release(struct pipeline_gate_opts *o);

#endif
