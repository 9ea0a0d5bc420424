/*
 * defaults.h - every named default of perfgate in one place.  Each is
 * documented in `perfgate --help` / `perfgate help <verb>` and the README;
 * change them together.
 */
#ifndef PG_UTIL_DEFAULTS_H
#define PG_UTIL_DEFAULTS_H

/* perfgate run */
#define PG_DEFAULT_CONFIG "perfgate.json"
#define PG_DEFAULT_RUNS 10
#define PG_DEFAULT_WARMUP 1
#define PG_DEFAULT_TIMEOUT_S 60.0
/* Bytes of a failing benchmark's stderr kept for its error message. */
#define PG_STDERR_TAIL_BYTES 2048

/* Store */
#define PG_DEFAULT_NOTES_REF "refs/notes/perfgate"

#endif
