/*
 * github.h - GitHub Actions workflow commands (annotations), written to
 * stdout by cmd/ when GITHUB_ACTIONS=true.
 *
 *   ::error title=perfgate%3A regression in sort-1m [wall_time]::...
 *   ::warning title=perfgate%3A inconclusive: ...::...
 *   ::notice title=perfgate::no baseline found ...
 *
 * ::error for rows that fail the gate (regressions, exceeded budgets,
 * inconclusive rows under fail_on_inconclusive) and benchmarks that failed
 * to run; ::warning for other inconclusive rows; one ::notice for the
 * report's notice.  GitHub shows at most 10 of each per step, so at most
 * opts->max_annotations lines of each kind are written: when there are
 * more, the last one says how many were left out.  Data is escaped as the
 * Actions toolkit does (% -> %25, CR -> %0D, LF -> %0A), properties also
 * : -> %3A and , -> %2C; other control characters become '?' and invalid
 * UTF-8 U+FFFD.
 *
 * Errors and ownership: as every reporter (reporters/reporter.h): appends
 * to the caller's buffer, reads the report and keeps nothing.
 */
#ifndef PG_REPORTERS_GITHUB_H
#define PG_REPORTERS_GITHUB_H

#include "reporters/format.h"

extern const struct reporter report_github;

/* Escape s as workflow-command data (property = 0) or a property value. */
void report_gh_escape(struct pg_buf *b, const char *s, int property);

#endif
