/*
 * plot.h - `perfgate log --plot`: one Unicode sparkline per benchmark of
 * the walked history, for the terminal.
 *
 * Errors and ownership: cannot fail; appends to the caller's pg_buf and
 * reads the history without keeping any pointer.
 */
#ifndef PG_REPORTERS_PLOT_H
#define PG_REPORTERS_PLOT_H

#include <stddef.h>

#include "history/series.h"
#include "util/buf.h"

/*
 * Append one line per series of h: its name (and runner class when the
 * history has several), the sparkline of its medians oldest first (at most
 * width characters: longer series are drawn as fixed buckets, each the
 * median of its commits' medians), the lowest and highest median, the
 * newest and the number of commits.  With change points found, each is
 * counted on its line.
 */
void report_plot_history(struct pg_buf *b, const struct history_series *h,
                         size_t width);

#endif
