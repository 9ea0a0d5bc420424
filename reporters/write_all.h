/*
 * write_all.h - write every report a gate asked for, in one call.
 *
 * The terminal report goes to term; JUnit, Markdown, JSON and OpenMetrics
 * go to their files (written atomically); under GitHub Actions
 * ($GITHUB_ACTIONS=true) the Markdown is appended to $GITHUB_STEP_SUMMARY
 * within GitHub's 1 MiB and the ::error/::warning annotations go to
 * annotations.  Under GitLab CI ($GITLAB_CI=true) JUnit goes to
 * PG_GITLAB_JUNIT when no junit path is given.
 */
#ifndef PG_REPORTERS_WRITE_ALL_H
#define PG_REPORTERS_WRITE_ALL_H

#include <stdio.h>

#include "reporters/reporter.h"

/* Where the reports go; every path borrowed, NULL: that report not asked. */
struct reporters_outputs {
	const char *junit, *markdown, *json, *metrics;
	int fail_on_inconclusive; /* as report_opts */
	int verbose; /* terminal: every row */
	int color; /* terminal: ANSI colours */
	size_t width; /* terminal: wrap notes at this width, 0: do not */
	FILE *term; /* the terminal report; NULL: none */
	FILE *annotations; /* GitHub workflow commands (stdout) */
};

/* Every field zero, term stderr and annotations stdout. */
void reporters_outputs_init(struct reporters_outputs *o);

/*
 * Write rep to every output o asks for.  The terminal report is written
 * first and always; the files stop at the first that cannot be written.
 * 0 or PG_ERUNTIME naming the file.
 */
int reporters_write_all(const struct report *rep,
                        const struct reporters_outputs *o);

#endif
