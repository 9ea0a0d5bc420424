/*
 * icount.h - the `instructions` metric: user-space instructions of a
 * benchmark process and all its descendants, counted in runs of their own
 * (separate from the timing runs).
 *
 * Two sources, in order of preference:
 *
 *   perf      a hardware counter (PERF_COUNT_HW_INSTRUCTIONS) through
 *             perf_event_open, attached between fork and exec, inherited
 *             by children, user space only (runner/perfcount.h).  The
 *             program runs at full speed.  Counts vary by a few
 *             instructions per run (interrupt skid, page faults).
 *   valgrind  `valgrind --tool=callgrind --trace-children=yes` where the
 *             kernel or VM has no hardware counters (most CI VMs).  Every
 *             process writes its own output file into a private temporary
 *             directory; the count is the sum of their totals.  Callgrind
 *             rather than cachegrind because it can dump before fork():
 *             a child created by fork() without exec starts with a copy of
 *             its parent's counts, so summing cachegrind's files counts
 *             the parent twice, while callgrind's dump-and-zero before
 *             fork() makes the sum exact.  Instructions executed before an
 *             exec() in a traced process are lost (valgrind starts afresh
 *             in the new program).  20 to 60 times slower than native.
 *
 * The two count differently (valgrind counts each iteration of a rep-
 * prefixed instruction, and the work of the dynamic loader differs), so
 * runs are only compared with runs of the same source: the bench param
 * RESULT_INSTRUCTIONS_SOURCE records it ("perf" or "valgrind").
 *
 * Every counting run has address-space randomisation off
 * (ADDR_NO_RANDOMIZE), so a program's layout, and with it the count,
 * repeats.
 */
#ifndef PG_RUNNER_ICOUNT_H
#define PG_RUNNER_ICOUNT_H

#include <stddef.h>

#include "runner/hooks.h"
#include "model/config.h"
#include "model/result.h"

/* "auto", "perf", "valgrind". */
const char *runner_icount_source_name(enum runner_icount_source s);

/* Parse one of those names; 0 or PG_EINPUT naming the value. */
int runner_icount_source_parse(enum runner_icount_source *out, const char *s);

/*
 * Resolve want (AUTO picks perf when a hardware instruction counter counts
 * here, else valgrind when it is on PATH) into *out.  Returns 0, or
 * PG_ERUNTIME when the wanted source (any, for AUTO) is unavailable, with
 * the reason and what to install.
 */
int runner_icount_resolve(enum runner_icount_source *out,
                          enum runner_icount_source want);

/*
 * The instruction total of one callgrind or cachegrind output file in
 * text[0..len): the "Ir" column of its "totals:" line (callgrind, which
 * writes it last), else of its "summary:" line (cachegrind), the column
 * found from the "events:" line.  what names the file in messages.
 * Returns 0 or PG_EINPUT for a file without such a line (a callgrind file
 * without "totals:" was cut short) or without an Ir event.
 */
int runner_icount_parse(double *out, const char *text, size_t len,
                        const char *what);

/*
 * Sum runner_icount_parse() over every regular file in dir, and delete
 * them.  Returns 0, PG_ERUNTIME when dir has no output file or cannot be
 * read, PG_EINPUT for a file that does not parse.
 */
int runner_icount_collect(double *out, const char *dir);

/*
 * valgrind's command line (callgrind, children traced, one file per
 * process in dir) around cb's command, NULL-terminated.  Its strings are
 * borrowed from cb and from *outfile, which the caller frees, as it
 * frees the array (free(), not the strings).
 */
char **runner_icount_valgrind_argv(const struct config_bench *cb,
                                   const char *dir, char **outfile);

/*
 * Count cb's instructions runs times with source (not AUTO) and add the
 * counts to b as metric RESULT_INSTRUCTIONS (unit "count", lower is
 * better), with param RESULT_INSTRUCTIONS_SOURCE.  Under valgrind each
 * run's timeout is cb->timeout * PG_VALGRIND_TIMEOUT_FACTOR +
 * PG_VALGRIND_TIMEOUT_EXTRA_S.  A failing run (non-zero exit, signal,
 * timeout, unreadable valgrind output) is recorded as b's error with the
 * tail of its stderr, like runner_run_bench(), and 0 returned; returns
 * PG_ERUNTIME when cancelled.  hooks may be NULL; before_run is called
 * with warmup 0.
 */
int runner_count_instructions(struct result_bench *b,
                              const struct config_bench *cb, long runs,
                              enum runner_icount_source source,
                              const struct runner_hooks *hooks);

#endif
