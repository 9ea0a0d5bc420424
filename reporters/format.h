/*
 * format.h - the one interface every output format implements, and what
 * the formats share about rows (their reading order).
 *
 * A reporter turns a struct report (model/report.h) into bytes appended
 * to a pg_buf; cmd/ decides where they go (a file, stderr,
 * $GITHUB_STEP_SUMMARY, stdout for workflow commands).  Reporters only
 * read the report and never print.  Each format's header (junit.h, ...)
 * declares its struct reporter; reporters/reporter.h finds one by name.
 *
 * Display convention shared by every human-readable format: a change is
 * shown as the relative change of the value itself.  report_row.estimate
 * is "worse-positive"; for a higher-is-better metric (items/s) the sign of
 * the estimate and its CI is flipped, so a 12% throughput loss reads
 * "-12.0%".  The JSON report carries the raw fields unchanged.
 */
#ifndef PG_REPORTERS_FORMAT_H
#define PG_REPORTERS_FORMAT_H

#include <stddef.h>

#include "model/report.h"
#include "util/buf.h"

struct report_opts {
	/* terminal: use ANSI colours (the caller checks isatty/NO_COLOR) */
	int color;
	/* inconclusive rows fail, as in report_exit_code() */
	int fail_on_inconclusive;
	/*
	 * markdown: the output never exceeds this many bytes; rows that do
	 * not fit are dropped with a note.  0 means
	 * PG_DEFAULT_MARKDOWN_MAX_BYTES.  When appending to an existing step
	 * summary, pass what is left of GitHub's 1 MiB.
	 */
	size_t max_bytes;
	/* github: at most this many ::error and ::warning lines each; 0 means
	 * PG_DEFAULT_MAX_ANNOTATIONS */
	size_t max_annotations;
	/* terminal: show every row; else non-gating rows that are unchanged,
	 * inconclusive or zero on both sides fold into one summary line */
	int verbose;
	/* terminal: wrap notes at this many columns; 0: do not wrap */
	size_t width;
};

struct reporter {
	const char
	        *name; /* "junit", "markdown", "json", "terminal", "github" */
	/*
	 * Append the report to out.  opts may be NULL (defaults).  Returns 0;
	 * reporters cannot fail on a well-formed report (allocation failure
	 * aborts, see util/mem.h).  Any string of the report may be NULL or
	 * hold arbitrary bytes: each format escapes or strips what it cannot
	 * carry.
	 */
	int (*write)(const struct report *r, struct pg_buf *out,
	             const struct report_opts *opts);
};

/* Every option zero: no colour, defaults for the limits. */
void report_opts_init(struct report_opts *opts);

/*
 * Indexes of r->rows in reading order: regressions (largest first), then
 * over-budget, errors, inconclusive, accepted, improvements, unchanged,
 * added, removed, no-baseline, then the informational (not gating) rows in
 * the same order (unless over budget); otherwise the report's order.  Returns a
 * malloc'd array of r->nrows indexes the caller frees (NULL when empty).
 */
size_t *report_sorted_rows(const struct report *r);

#endif
