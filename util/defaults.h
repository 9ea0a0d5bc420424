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

/* Reporters */
/*
 * Largest Markdown report: GitHub accepts at most 1 MiB of step summary per
 * step; keep 24 KiB of it for whatever else the step appends.
 */
#define PG_DEFAULT_MARKDOWN_MAX_BYTES ((size_t)1000 * 1024)
/* GitHub shows at most 10 error and 10 warning annotations per step. */
#define PG_DEFAULT_MAX_ANNOTATIONS 10

#endif
