/*
 * alerts.h - history alerts recorded beside the results of the commit
 * that caused them.
 *
 * When `perfgate gate` on the target branch finds that a commit shifted a
 * benchmark (gate/alert.h), it records the alert in that commit's note,
 * next to its runs:
 *
 *   {"schema":1,"runs":[...],
 *    "alerts":[{"id":"parse/wall_time","benchmark":"parse",
 *               "metric":"wall_time","shift":0.062,"ci":[0.041,0.083],
 *               "p_value":0.001,"raised_on":"<sha of the push>"}]}
 *
 * so that later pushes report it as known instead of failing again.  The
 * runs are never rewritten: the alert goes in through the same
 * compare-and-swap append as a run (store/notes.h), alerts are
 * de-duplicated by id, and `perfgate sync` merges them like runs.
 */
#ifndef PG_STORE_ALERTS_H
#define PG_STORE_ALERTS_H

#include <stddef.h>

#include "store/repo.h"

/* The member of a note document that holds its alerts. */
#define STORE_NOTE_ALERTS "alerts"

struct store_alert {
	char *bench, *metric;
	double shift, ci_low, ci_high, p_value; /* NAN when not recorded */
	char raised_on[41]; /* the commit whose gate raised it ("" unknown) */
};

/* Free alerts[0..n) and the array.  Accepts NULL. */
void store_alerts_free(struct store_alert *alerts, size_t n);

/*
 * Record a on the note of commit sha (which should already hold runs).
 * An alert with the same benchmark and metric already there is kept as it
 * is.  Returns 0, or the errors of store_append_run().
 */
int store_append_alert(struct store *s, const char *sha,
                       const struct store_alert *a);

/*
 * The alerts recorded on sha into *out (malloc'd, caller frees with
 * store_alerts_free()), *n of them (0 and NULL when none or no note).
 * Entries that are not objects with "benchmark" and "metric" strings are
 * skipped: a note is read, never rejected, for its alerts.  Returns 0, or
 * PG_ERUNTIME when the repository cannot be read.
 */
int store_read_alerts(struct store *s, const char *sha,
                      struct store_alert **out, size_t *n);

#endif
