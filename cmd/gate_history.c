/* The gate's history alert on the target branch; see cmd/gate_history.h. */
#include "cmd/gate_history.h"
#include "gate/alert.h"
#include "gate/baseline.h"
#include "model/report.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>

/* 1 when sha is on the target branch itself (a push to it). */
static int on_target(struct store *s, const struct pipeline_gate_opts *o,
                     const char *sha, int *yes)
{
	struct gate_baseline_opts bo = {0};
	struct gate_baseline b;
	int err;

	bo.base_rev = o->base;
	bo.base_branch = o->base_branch;
	err = gate_base_commit(&b, s, sha, &bo);
	*yes = err == 0 && b.on_target;
	gate_baseline_release(&b);
	return err;
}

int cmd_gate_history(struct pipeline_gate_opts *o, struct store *s,
                     const struct config *cfg, const struct result_run *run,
                     const char *sha)
{
	struct gate_alert_opts ao;
	const char *on_change = o->on_change;
	char *key;
	int yes = 0, err;

	if (!s || !sha)
		return 0;
	if ((err = on_target(s, o, sha, &yes)) < 0 || !yes)
		return err;
	gate_alert_opts_init(&ao);
	if (!on_change && cfg)
		on_change = cfg->on_change;
	if (on_change &&
	    (err = gate_on_change_parse(&ao.on_change, on_change)) < 0)
		return err;
	key = result_run_env_key(run);
	ao.env_key = key;
	cmd_gate_history_release(o);
	o->alerts = pg_malloc(sizeof(*o->alerts));
	report_init(o->alerts);
	err = gate_history_alert(o->alerts, s, cfg, sha, &ao);
	free(key);
	return err;
}

void cmd_gate_history_release(struct pipeline_gate_opts *o)
{
	if (!o->alerts)
		return;
	report_release(o->alerts);
	free(o->alerts);
	o->alerts = NULL;
}
