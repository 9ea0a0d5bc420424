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
#include <sys/random.h>

static const long default_looks[PG_DEFAULT_NPAIRS] = PG_DEFAULT_PAIRS;

void cmd_paired_opts_init(struct cmd_paired_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static int parse_pairs(struct cmd_paired_opts *o, const char *verb,
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

int cmd_paired_option(struct cmd_paired_opts *o, const char *verb, int c,
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

const long *cmd_paired_looks(const struct cmd_paired_opts *o,
                             const struct config *cfg, size_t *n)
{
	if (o->nlooks) {
		*n = o->nlooks;
		return o->looks;
	}
	if (o->runs > 0) {
		*n = 1;
		return &o->runs;
	}
	if (cfg && cfg->npairs) {
		*n = cfg->npairs;
		return cfg->pairs;
	}
	*n = PG_DEFAULT_NPAIRS;
	return default_looks;
}

int cmd_paired_session_id(char id[33])
{
	unsigned char rnd[16];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return pg_error_runtime("cannot make a session id: getrandom: "
		                        "%s",
		                        strerror(errno));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}
