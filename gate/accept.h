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
 *
 * A history alert (gate/alert.h) names the commit that shifted a
 * benchmark; a later commit clears it with
 *
 *   Perfgate-Accept: parse@abc1234 the new tokenizer is worth it
 *
 * BENCHMARK@COMMIT (a prefix of at least 7 hex digits of the alert's
 * commit, as the alert prints it) and an optional reason: every metric of
 * that benchmark shifted by that commit is accepted, whatever the amount.
 * The gate reads these lines from the commits after the alert's commit up
 * to the one gated.  A perfgate.json "accept" entry with "commit" clears
 * the alert too (gate_accepts_add_alert()).
 */
#ifndef PG_GATE_ACCEPT_H
#define PG_GATE_ACCEPT_H

#include <stddef.h>

#include "model/config.h"

/* An accepted history alert: bench's shift at commit. */
struct gate_alert_accept {
	char *bench;
	char *commit; /* hex prefix (trailer) or full SHA (config) */
	char *by; /* the commit whose message accepts it; NULL: config */
	char *reason; /* may be NULL */
};

struct gate_accepts {
	struct config_accept *items; /* bench, metric, max_effect, ... */
	size_t n, alloc;
	struct gate_alert_accept *alerts; /* BENCHMARK@COMMIT lines */
	size_t nalerts, alerts_alloc;
};

void gate_accepts_init(struct gate_accepts *a);
void gate_accepts_release(struct gate_accepts *a);

/*
 * Add the Perfgate-Accept lines of message (a commit of sha) to a.
 * Returns 0, or PG_EINPUT naming the commit and the malformed line.
 */
int gate_accepts_parse_message(struct gate_accepts *a, const char *message,
                               const char *sha);

/*
 * Accept the history alert of bench at commit (a full SHA or a hex
 * prefix); by is the accepting commit (NULL for perfgate.json).  Copies.
 */
void gate_accepts_add_alert(struct gate_accepts *a, const char *bench,
                            const char *commit, const char *by,
                            const char *reason);

/*
 * The acceptance of bench's history alert at commit sha (full SHA), or
 * NULL.  Borrowed from a.
 */
const struct gate_alert_accept *
gate_accepts_find_alert(const struct gate_accepts *a, const char *bench,
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
