/*
 * log.h - the output of `perfgate log`: each commit with results and its
 * benchmarks' pooled medians (history/summary.h) as text, JSON or CSV,
 * with the change points of `log --changes` (history/series.h).  The
 * caller appends with these functions and writes c->out where it wants,
 * resetting it as it goes (log streams one commit at a time).
 *
 *   report_log_init(&l, REPORT_LOG_JSON, 0);
 *   report_log_begin(&l, notes_ref);
 *   report_log_commit(&l, commit, rows, n);   (per commit)
 *   report_log_end(&l, NULL, walked, shallow, warnings);
 */
#ifndef PG_REPORTERS_LOG_H
#define PG_REPORTERS_LOG_H

#include <stddef.h>

#include "history/series.h"
#include "stats/changepoint.h"
#include "store/repo.h"
#include "util/buf.h"

enum report_log_format { REPORT_LOG_TEXT, REPORT_LOG_JSON, REPORT_LOG_CSV };

struct report_log {
	enum report_log_format format;
	int with_changes; /* --changes: change columns and the changes list */
	size_t shown; /* commits written */
	struct pg_buf out; /* what to write next; the caller resets it */
	struct pg_buf changes; /* json: the "changes" list so far */
	size_t nchanges;
};

/* Empty buffers, nothing shown. */
void report_log_init(struct report_log *c, enum report_log_format format,
                     int with_changes);
void report_log_release(struct report_log *c);

/* "text", "json" or "csv" into *out; PG_EINPUT naming arg otherwise. */
int report_log_format_parse(enum report_log_format *out, const char *arg);

/* The head: json's opening with the notes ref, csv's header line. */
void report_log_begin(struct report_log *c, const char *notes_ref);

/*
 * Commit k and its n rows (a row's change, if set, is shown with it and,
 * in json, added to the "changes" list).
 */
void report_log_commit(struct report_log *c, const struct store_commit *k,
                       const struct history_row *rows, size_t n);

/* --changes, text: the line counting the change points and the method. */
void report_log_changes_total(struct report_log *c, size_t total,
                              const struct stats_cp_opts *cp);

/*
 * The tail: json's closing with the change point method (cp, with
 * with_changes), the commits walked, whether the clone is shallow and the
 * unreadable notes skipped.  Nothing for text and csv.
 */
void report_log_end(struct report_log *c, const struct stats_cp_opts *cp,
                    size_t walked, int shallow, size_t warnings);

#endif
