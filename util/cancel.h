/*
 * cancel.h - asking long work to stop: SIGINT and SIGTERM.
 *
 * cmd/'s signal handler records the signal here; library code that may
 * run for long on one input (parsing a huge file or note, checking its
 * samples) polls pg_cancel_check() every so many items and gives up with
 * PG_ERUNTIME, so that an interrupted verb ends within a second, with exit
 * 3, before it writes anything (hardening #18, finding 8).  Library code
 * never installs handlers itself.
 */
#ifndef PG_UTIL_CANCEL_H
#define PG_UTIL_CANCEL_H

#include <signal.h>

/* The signal that asked to stop, 0 until one did.  Set by a handler. */
extern volatile sig_atomic_t pg_cancel_signal;

/* Poll every this many items: a volatile load each time is cheap enough. */
#define PG_CANCEL_EVERY 4096

/*
 * 0, or PG_ERUNTIME with the message "interrupted" once a signal asked to
 * stop.
 */
int pg_cancel_check(void);

#endif
