/*
 * A stress entry in a paired session: R ramp pairs, a ramp of each side
 * in coin-flip order, each on a newly started service from the side's own
 * tree on its own port.  See pairs_stress_batch() in runner/pairs_session.h.
 */
#include "runner/pairs_session.h"
#include "runner/stress.h"
#include "util/defaults.h"
#include "util/error.h"

long runner_pairs_stress_ramps(const struct config_bench *cb)
{
	if (!cb->stress)
		return 0;
	return cb->stress->ramps_set ? cb->stress->ramps
	                             : PG_DEFAULT_STRESS_RAMPS_PAIRED;
}

/*
 * One ramp of side into its run; on a failure, the entry fails on both
 * sides (naming the side and the ramp pair) and stops.  Returns 0, or the
 * error that ends the session (cancelled, output that does not parse).
 */
static int side_ramp(struct pairs_session *s, struct pair_entry *p, int side,
                     const struct runner_hooks *hooks)
{
	struct result_run *runs[2] = {s->base, s->cand};
	int err = runner_stress_ramp(runs[side], &p->side_cb[side], hooks);

	if (err >= 0)
		return 0;
	pairs_fail(s, p, pairs_side_name[side], p->pairs + 1, pg_error_last());
	if (err == PG_EINPUT)
		return pg_error_wrap(err, "%s", pairs_side_name[side]);
	return s->o->cancel && *s->o->cancel ? err : 0;
}

int pairs_stress_batch(struct pairs_session *s, struct pair_entry *p)
{
	struct runner_hooks hooks = {0};
	long total = runner_pairs_stress_ramps(p->cb);
	int err = 0, k;

	hooks.cancel = s->o->cancel;
	while (p->pairs < total && p->running && !err) {
		int first = (int)(runner_pairs_rand(&s->rng) & 1);

		if (s->o->progress)
			s->o->progress(s->o->ctx, p->cb->name, p->pairs + 1,
			               total);
		for (k = p->solo; k < 2 && p->running && !err; k++)
			err = side_ramp(s, p,
			                p->solo ? 1
			                : k     ? !first
			                        : first,
			                &hooks);
		if (p->running && !err)
			p->pairs++;
	}
	/* one batch: sequential looks do not apply to a stress entry */
	p->running = 0;
	return err;
}
