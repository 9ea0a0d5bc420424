/*
 * accept.h - regressions that a reviewed commit says are the price of a
 * feature.
 *
 * A commit message line (usually a trailer)
 *
 *   Perfgate-Accept: sort-1m wall_time +15% faster startup needs the cache
 *
 * accepts a regression of benchmark "sort-1m", metric "wall_time", up to
 * 15%.  The metric may be left out (wall_time).  The gate reads these lines
 * from the commits between the baseline and the candidate, so an acceptance
 * expires by itself once a baseline that includes its commit exists.
 */
#ifndef PG_GATE_ACCEPT_H
#define PG_GATE_ACCEPT_H

#include <stddef.h>

#include "util/config.h"

struct gate_accepts {
	struct config_accept *items; /* bench, metric, max_effect, ... */
	size_t n, alloc;
};

void gate_accepts_init(struct gate_accepts *a);
void gate_accepts_release(struct gate_accepts *a);

/*
 * Add the Perfgate-Accept lines of message (a commit of sha) to a.
 * Returns 0, or PG_EINPUT naming the commit and the malformed line.
 */
int gate_accepts_parse_message(struct gate_accepts *a, const char *message,
                               const char *sha);

/* Add a copy of one entry (from perfgate.json). */
void gate_accepts_add(struct gate_accepts *a, const struct config_accept *c);

/*
 * The acceptance that covers a regression of effect (0.12 = 12% worse) on
 * bench's metric, or NULL.  The largest accepted amount wins; an effect
 * above every accepted amount is not covered.
 */
const struct config_accept *gate_accepts_find(const struct gate_accepts *a,
                                              const char *bench,
                                              const char *metric,
                                              double effect);

#endif
