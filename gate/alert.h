/*
 * alert.h - history alerts: on the target branch, did a recent commit
 * shift a benchmark for the worse?
 *
 * A push to the target branch (main) is gated by a plain run stored for
 * history; the pull request's gate already compared the change with its
 * parent.  What slips through PR gates (a shift too small for one paired
 * session, slow creep from many small steps, a merge of two harmless
 * changes) shows in the branch's stored series.  gate_history_alert()
 * walks the first-parent history from the pushed commit, builds one series
 * per benchmark x gating metric of the clean runs on the candidate's
 * runner class (per-commit medians, history/summary.h), and looks for
 * change points among the newest commits (history/alert.h).  Each alert is
 *
 *   - accepted when a later commit's trailer names it
 *     ("Perfgate-Accept: parse@abc1234 why", gate/accept.h) or a
 *     perfgate.json "accept" entry has its benchmark, metric and "commit"
 *     (and, when given, an amount it does not exceed);
 *   - known when an earlier gate recorded it on the culprit's note
 *     (store/alerts.h; up to PG_HISTORY_ALERT_SLACK commits away, as
 *     later data may move a split by a commit);
 *   - new otherwise: recorded on the culprit's note (so it fails once),
 *     and failing the gate unless on_change is warn.
 */
#ifndef PG_GATE_ALERT_H
#define PG_GATE_ALERT_H

#include <stddef.h>

#include "history/alert.h"
#include "model/report.h"
#include "store/repo.h"
#include "model/config.h"

enum gate_on_change {
	GATE_ON_CHANGE_FAIL, /* a new alert fails the gate (default) */
	GATE_ON_CHANGE_WARN, /* a new alert is reported and passes */
};

/* "fail" or "warn"; PG_EINPUT naming the value otherwise. */
int gate_on_change_parse(enum gate_on_change *out, const char *s);

struct gate_alert_opts {
	struct history_alert_opts alert; /* theta, recent, E-divisive */
	size_t commits; /* first-parent commits walked (100) */
	const char *env_key; /* only runs of this runner class; NULL: any */
	enum gate_on_change on_change;
	int record; /* record new alerts on the culprits' notes */
};

/* Defaults: util/defaults.h; on_change fail; record 1. */
void gate_alert_opts_init(struct gate_alert_opts *o);

/*
 * Look for history alerts on the first-parent history of cand (full SHA,
 * the pushed commit; its own runs must already be stored) and add them to
 * rep (rep->alerts, and rep->history, the one-line summary).  cfg (may be
 * NULL) gives the gating metrics and the "accept" entries.  Returns 0;
 * PG_EINPUT for a malformed Perfgate-Accept line or an unknown commit in
 * an accept entry; PG_ERUNTIME when the repository cannot be read or an
 * alert cannot be recorded.
 */
int gate_history_alert(struct report *rep, struct store *s,
                       const struct config *cfg, const char *cand,
                       const struct gate_alert_opts *o);

#endif
