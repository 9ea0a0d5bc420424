/*
 * jsonnum.h - reading JSON numbers fast and exactly.
 *
 * strtod() is exact but slow (glibc converts through multi-precision
 * arithmetic and consults the locale); reading 6 million samples spent
 * most of its time there.  pg_json_scan_number() returns bit for bit what
 * strtod() returns, with the common cases done in integer arithmetic:
 *
 *   - a significand up to 2^53 and a decimal exponent within +-22: one
 *     correctly rounded double operation on exact operands (Clinger);
 *   - at most 19 significant digits and a decimal exponent in [-21, 19]:
 *     the exact quotient or product in 128-bit integers, rounded to
 *     nearest-even by hand;
 *   - anything else: strtod() itself.
 *
 * Errors and ownership: nothing here fails or allocates: a number that is
 * not there is a NULL return, and out is the caller's buffer.
 */
#ifndef PG_UTIL_JSONNUM_H
#define PG_UTIL_JSONNUM_H

#include <stddef.h>

/*
 * Scan a JSON number at p (reading no byte at or after end), in the
 * grammar of RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
 * On success *out is the value - exactly what strtod() gives for the same
 * characters in the C locale, including -0, infinities for overflow and 0
 * or subnormals for underflow - and the return value points just past the
 * number.  Returns NULL (and leaves *out alone) when p does not start with
 * such a number.  The character after the number is not examined.
 */
const char *pg_json_scan_number(const char *p, const char *end, double *out);

/* Room for any number pg_json_format_number() prints, NUL included. */
#define PG_JSON_NUMBER_BUF 32

/*
 * Print finite v into out[PG_JSON_NUMBER_BUF] as perfgate always has: the
 * first of "%.15g", "%.16g" and "%.17g" that reads back as v.  Returns the
 * length.  It costs one snprintf("%.16e") instead of up to three: the
 * shorter forms are rounded from those 17 digits and laid out as %g lays
 * them out, except when the dropped digits are exactly "5" or "50", where
 * the 17 digits cannot tell which way printf rounds the exact value, and
 * printf is asked.
 */
int pg_json_format_number(char *out, double v);

#endif
