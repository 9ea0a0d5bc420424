/*
 * junit.h - the JUnit XML reporter (`--junit FILE`), for Jenkins and GitLab.
 *
 * One <testsuites> holding one <testsuite> named after the report's title
 * (one suite per report), and one <testcase> per row, named
 * "<bench> [<metric>]" with classname = the row's group (GitLab displays
 * and de-duplicates on it).  A failing row (report_row_fails()) carries one
 * <failure type="regression|over-budget|inconclusive" message="+12.3%
 * [+9.8%, +14.9%] p=0.0004"> whose text holds every number; a benchmark
 * that failed to run an <error>; no-baseline, added and removed rows a
 * <skipped>; every other testcase a <system-out> with its numbers.  The
 * report's notice and provenance go to <properties> and the suite's
 * <system-out>.
 *
 * time attributes are plain decimal seconds (%.6f): a testcase's is its
 * candidate median when the metric is a time (unit "s"), else 0; the
 * suite's is report.duration.  Text is escaped, and what XML 1.0 cannot
 * carry (most C0 controls, U+FFFE/U+FFFF, invalid UTF-8) is stripped.
 * tests/junit.xsd encodes the shape; every test validates against it.
 *
 * Errors and ownership: as every reporter (reporters/reporter.h): appends
 * to the caller's buffer, reads the report and keeps nothing.
 */
#ifndef PG_REPORTERS_JUNIT_H
#define PG_REPORTERS_JUNIT_H

#include "reporters/format.h"

extern const struct reporter report_junit;

/*
 * Append s to b escaped for XML 1.0 character data (attr = 0) or a
 * double-quoted attribute value (attr = 1), stripping what XML 1.0
 * forbids.  s may be NULL (nothing is appended).
 */
void report_xml_escape(struct pg_buf *b, const char *s, int attr);

#endif
