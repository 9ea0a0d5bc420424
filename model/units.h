/*
 * units.h - human-readable values in perfgate's normalised units.
 *
 * Errors and ownership: cannot fail and allocates nothing; the text goes
 * into the caller's buffer.
 */
#ifndef PG_MODEL_UNITS_H
#define PG_MODEL_UNITS_H

#include <stddef.h>

/*
 * Format v, measured in unit ("s", "B", "B/s", "items/s", "req/s", anything
 * else printed verbatim after the number), with 3-4 significant digits and a
 * scaled unit: 0.0123 "s" -> "12.3 ms", 1536 "B" -> "1.50 KiB".  Writes at
 * most n bytes (NUL included) into out and returns out.
 */
char *pg_format_value(char *out, size_t n, double v, const char *unit);

#endif
