/*
 * terminal.h - the human report for stderr.
 *
 * A verdict line with the counts, the notice, then one aligned line per
 * row in reading order (report_sorted_rows()): verdict, benchmark, metric,
 * baseline -> candidate, change with CI, adjusted p; errors, notes and
 * budgets on indented lines below; the commits and method last.
 *
 * ANSI colour only when opts->color is set (the caller decides: a TTY and
 * no NO_COLOR).  Red marks regressions and exceeded budgets and nothing
 * else.  Control characters in names are shown as '?', so a benchmark name
 * cannot send escape sequences to the terminal.
 */
#ifndef PG_REPORTERS_TERMINAL_H
#define PG_REPORTERS_TERMINAL_H

#include "reporters/format.h"

extern const struct reporter report_terminal;

#endif
