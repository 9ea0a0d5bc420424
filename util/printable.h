/*
 * printable.h - user text (benchmark names, messages) made safe for a
 * terminal or a CI log.
 *
 * A name may hold ESC sequences, newlines or bytes that are not UTF-8.
 * Printed raw, a newline can start a line with a GitHub workflow command
 * ("::add-mask::", "::stop-commands::"), and GitHub parses those on stderr
 * too; an ESC sequence can rewrite the terminal.  Every human output
 * (tables, show, log text and CSV, error messages) goes through
 * pg_buf_add_printable().
 *
 * Errors and ownership: nothing here can fail; text is appended to the
 * caller's pg_buf, except pg_printable()'s static buffer (below).
 */
#ifndef PG_UTIL_PRINTABLE_H
#define PG_UTIL_PRINTABLE_H

#include "util/buf.h"

#include <stddef.h>
#include <stdio.h>

/*
 * Append s to b with C0 controls (tab included), DEL, C1 controls and
 * every byte that is not part of valid UTF-8 written as "\xHH"; the rest
 * (printable ASCII and valid UTF-8) as is.
 */
void pg_buf_add_printable(struct pg_buf *b, const char *s);

/* 1 when s is valid UTF-8 (see pg_utf8_seq), else 0. */
int pg_utf8_valid(const char *s);

/* 1 when pg_buf_add_printable() would copy s unchanged. */
int pg_is_printable(const char *s);

/*
 * The length of the valid UTF-8 sequence at s (1-4), or 0 when s does not
 * start one (overlong forms, surrogates and code points above U+10FFFF
 * are invalid); *cp is its code point.
 */
size_t pg_utf8_seq(const char *s, unsigned long *cp);

/*
 * s as pg_buf_add_printable() writes it, in a static buffer reused on
 * the next call (for fprintf arguments; one per statement).
 */
const char *pg_printable(const char *s);

#endif
