/*
 * json.h - the JSON reporter (`--json FILE`): the whole report, machine-
 * readable and versioned ({"schema": 1, ...}), documented field by field
 * in docs/report-json.md.  Numbers are printed so that they read back
 * exactly; NAN (no value) is null; strings are valid UTF-8 (invalid bytes
 * become U+FFFD).  Rows keep the report's order and the raw,
 * worse-positive estimate of report.h.
 *
 * Errors and ownership: as every reporter (reporters/reporter.h): appends
 * to the caller's buffer, reads the report and keeps nothing.
 */
#ifndef PG_REPORTERS_JSON_H
#define PG_REPORTERS_JSON_H

#include "reporters/format.h"

/* Version of the report JSON document; bump on incompatible changes. */
#define REPORT_JSON_SCHEMA 1

extern const struct reporter report_json;

#endif
