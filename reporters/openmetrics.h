/*
 * openmetrics.h - the OpenMetrics reporter (`--metrics FILE`): one gauge
 * sample per benchmark and metric, the candidate's median in its
 * normalised unit, plus the relative change and the verdict counts, in
 * the OpenMetrics text format that GitLab's artifacts:reports:metrics
 * reads to show metric changes in the merge request widget (a GitLab
 * paid-tier feature; the file is plain text anyone can read).
 *
 * Errors and ownership: as every reporter (reporters/reporter.h): appends
 * to the caller's buffer, reads the report and keeps nothing.
 */
#ifndef PG_REPORTERS_OPENMETRICS_H
#define PG_REPORTERS_OPENMETRICS_H

#include "reporters/format.h"

extern const struct reporter report_openmetrics;

#endif
