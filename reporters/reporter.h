/*
 * reporter.h - every output format, found by name.
 *
 * The interface the formats implement is reporters/format.h (included
 * here); this is the list of them, for cmd/ and the tests:
 *
 *   const struct reporter *rep = report_reporter_find("junit");
 *   struct report_opts opts;
 *   report_opts_init(&opts);
 *   err = rep->write(&report, &buf, &opts);
 */
#ifndef PG_REPORTERS_REPORTER_H
#define PG_REPORTERS_REPORTER_H

#include "reporters/format.h"

/* The reporter called name, or NULL. */
const struct reporter *report_reporter_find(const char *name);

/* All reporters, NULL-terminated, in a stable order. */
extern const struct reporter *const report_reporters[];

#endif
