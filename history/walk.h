/*
 * walk.h - the first-parent walk of `perfgate log`, the HTML report and
 * history alerts, reading notes on one thread and parsing them on another.
 *
 * Reading a long history is two halves of similar cost: inflating note
 * blobs (libgit2, zlib) and parsing and summarising them.  The calling
 * thread walks and reads; a second thread parses each note and hands it to
 * the callback, one commit at a time in walk order, so the output is the
 * same as a single-threaded walk.  Only the calling thread touches the
 * repository.  If the second thread cannot be started, everything runs on
 * the calling thread.
 */
#ifndef PG_HISTORY_WALK_H
#define PG_HISTORY_WALK_H

#include <stddef.h>

#include "store/repo.h"
#include "model/result.h"

/*
 * The callback's commit carries its whole message only when the message
 * contains this (a Perfgate-Accept trailer, gate/accept.h); copying every
 * message would cost a long walk for nothing.
 */
#define HISTORY_WALK_KEEP_MESSAGE "Perfgate-Accept"

/*
 * Called for each commit walked, newest first, on the parsing thread:
 * runs[0..n) are the commit's runs (n == 0 without a note), warning is
 * non-NULL for a note that could not be read (see store_read_runs()).
 * All borrowed for the call.  Return 0, or a negative code to stop the
 * walk with that error.
 */
typedef int (*history_note_fn)(const struct store_commit *c,
                               const struct result_run *runs, size_t n,
                               const char *warning, void *payload);

/*
 * Walk first-parent history from full SHA from, at most max commits, as
 * store_first_parents() does (end and boundary as there).  Returns 0,
 * the callback's error, or the walk's.
 */
int history_walk(struct store *s, const char *from, size_t max,
                 history_note_fn fn, void *payload, enum store_walk_end *end,
                 char boundary[41]);

#endif
