/*
 * markdown.h - the GitHub-flavoured Markdown reporter (`--markdown FILE`,
 * and $GITHUB_STEP_SUMMARY under GitHub Actions).
 *
 * A heading with the verdict and the counts, the report's notice as a
 * quote, then one table row per benchmark x metric (baseline, candidate in
 * human units, change with CI, adjusted p, verdict), regressions first
 * (report_sorted_rows()), and a collapsed <details> section with the mode,
 * method, correction, the commits and environments compared and, per row,
 * sample counts, test, threshold, budget and note.
 *
 * Names are escaped (every ASCII punctuation character is
 * backslash-escaped, so `|`, `<`, `*`, `[` ... stay literal; control
 * characters become spaces; invalid UTF-8 becomes U+FFFD) and cut at 200
 * bytes.  The output never exceeds opts->max_bytes: when everything does
 * not fit, the tables keep their first rows and a note says how many were
 * dropped.
 *
 * Errors and ownership: as every reporter (reporters/reporter.h): appends
 * to the caller's buffer, reads the report and keeps nothing.
 */
#ifndef PG_REPORTERS_MARKDOWN_H
#define PG_REPORTERS_MARKDOWN_H

#include "reporters/format.h"

extern const struct reporter report_markdown;

#endif
