/* The options of a comparison; see gate/compare_opts.h. */
#include "gate/compare_opts.h"
#include "util/defaults.h"

#include <math.h>
#include <string.h>

void gate_compare_opts_init(struct gate_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->alpha = PG_DEFAULT_ALPHA;
	o->threshold = NAN;
	o->confidence = PG_DEFAULT_CONFIDENCE;
	o->correction = STATS_CORRECTION_BH;
	o->seed = PG_DEFAULT_SEED;
}
