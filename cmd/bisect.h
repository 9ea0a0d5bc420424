/*
 * bisect.h - `perfgate bisect`, split along one seam: cmd/bisect_run.c
 * exports, builds and measures commits; cmd/bisect.c parses options and
 * prints what was found (docs/bisect.md).
 */
#ifndef PG_CMD_BISECT_H
#define PG_CMD_BISECT_H

#include <stddef.h>

#include "cmd/gate_common.h"
#include "cmd/paired.h"
#include "gate/bisect.h"
#include "gate/bisect_probe.h"

struct store;

struct cmd_bisect_opts {
	const char *config; /* -c */
	const char *filter; /* --filter REGEX: exactly one benchmark */
	const char *metric; /* --metric M: the one that decides; NULL: all */
	const char *json; /* --json FILE */
	int no_store;
	int change; /* --change: GOOD and BAD from `log --changes` */
	struct pipeline_gate_opts gate; /* --alpha, --threshold, --notes-ref */
	struct pipeline_paired_opts paired; /* --pairs, --seed */
};

/* The finished search, all borrowed. */
struct cmd_bisect_result {
	const struct gate_bisect *search;
	enum gate_bisect_outcome outcome;
	const char (*path)[41]; /* GOOD ... BAD, search->n of them */
	const struct gate_bisect_probe *probes; /* one per path commit */
	struct store *store; /* for the commits' subjects */
};

/*
 * Bisect between the revisions good and bad (both NULL with o->change);
 * prints progress on stderr
 * and, through cmd_bisect_print(), the outcome.  Returns the exit status.
 */
int cmd_bisect_run(const struct cmd_bisect_opts *o, const char *good,
                   const char *bad);

/*
 * GOOD and BAD (full SHAs) around the newest change point that `perfgate
 * log --changes` finds for benchmark bench in the history of head: BAD
 * is the first commit with results after the shift, GOOD the commit with
 * results before it.  Returns 0, PG_EINPUT when there is no change
 * point, or a store error.
 */
int cmd_bisect_change(struct store *s, const char *head, const char *bench,
                      char good[41], char bad[41]);

/*
 * Print r on stdout (and as JSON into o->json); 0, or the exit status of
 * a failure to write the JSON.
 */
int cmd_bisect_print(const struct cmd_bisect_result *r,
                     const struct cmd_bisect_opts *o);

#endif
