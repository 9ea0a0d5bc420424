/*
 * Paired mode's command-line options, shared by gate, ab, noise and the
 * hook: --pairs, --seed, the looks to use, the session id.  See
 * cmd/paired.h.
 */
#include "cmd/paired.h"
#include "cmd/cmd.h"
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cmd_paired_opts_init(struct pipeline_paired_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static int parse_pairs(struct pipeline_paired_opts *o, const char *verb,
                       const char *arg)
{
	const char *p = arg;
	char *end;

	o->nlooks = 0;
	while (*p) {
		long v;

		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno || v < PG_MIN_PAIRS || v > PG_MAX_PAIRS ||
		    (o->nlooks && v <= o->looks[o->nlooks - 1]) ||
		    o->nlooks == PG_MAX_LOOKS || (*end && *end != ','))
			goto bad;
		o->looks[o->nlooks++] = v;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			goto bad;
	}
	if (o->nlooks)
		return 1;
bad:
	cmd_error("%s: --pairs: '%s' must be 1 to %d increasing whole numbers "
	          "from %d to %d, separated by commas",
	          verb, arg, PG_MAX_LOOKS, PG_MIN_PAIRS, PG_MAX_PAIRS);
	return PG_EXIT_INPUT;
}

int cmd_paired_option(struct pipeline_paired_opts *o, const char *verb, int c,
                      const char *arg)
{
	char *end;

	switch (c) {
	case CMD_PAIRED_OPT_PAIRS:
		return parse_pairs(o, verb, arg);
	case CMD_PAIRED_OPT_SEED:
		errno = 0;
		o->seed = strtoull(arg, &end, 10);
		if (!*arg || *end || errno || arg[0] == '-') {
			cmd_error("%s: --seed: '%s' is not a whole number",
			          verb, arg);
			return PG_EXIT_INPUT;
		}
		o->seed_set = 1;
		return 1;
	default:
		return 0;
	}
}
