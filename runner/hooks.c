/* The caller's hooks of a measurement; see runner/hooks.h. */
#include "runner/hooks.h"
#include "runner/runner.h"

int runner_hooks_more(const struct runner_hooks *hooks, long i, long total)
{
	if (i < total)
		return 1;
	/* total is 0 when the command could not be prepared */
	return total > 0 && hooks && hooks->more_runs &&
	       hooks->more_runs(hooks->ctx);
}

void runner_hooks_to_spec(const struct runner_hooks *hooks,
                          struct runner_spec *spec)
{
	if (!hooks || !hooks->tick)
		return;
	spec->tick = hooks->tick;
	spec->tick_ctx = hooks->ctx;
	spec->tick_every = hooks->tick_every;
}
