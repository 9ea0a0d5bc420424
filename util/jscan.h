/*
 * jscan.h - a JSON scanner that declines rather than explains.
 *
 * The one-pass readers (model/result_fast.c for notes, formats/bmf_stream.c
 * for large bmf files) walk a document with these functions instead of
 * building a cJSON tree.  Each returns 0 when it read what it expected, or
 * PG_JSCAN_DECLINE.  A decline is not an error: the caller then reads the
 * text with cJSON, which gives the result or the message, so every check
 * here only has to be at least as strict as cJSON 1.7.15.  What cJSON is
 * lenient about (numbers such as "01" or "1.", any byte <= 32 as
 * whitespace, raw control characters in strings, "\u" escapes of NUL or
 * with bad hex digits, which it turns into NUL, surrogate pairs) is
 * declined here, so that whatever is accepted reads exactly as cJSON reads
 * it.
 *
 * Ownership: the scanner reads text it does not own (it must outlive the
 * scanner) and owns its key and val buffers, freed by pg_jscan_release().
 * Nothing here records an error message.
 */
#ifndef PG_UTIL_JSCAN_H
#define PG_UTIL_JSCAN_H

#include <stddef.h>

#include "util/buf.h"

#define PG_JSCAN_DECLINE 1
/* cJSON copies at most 63 characters of a number before strtod(). */
#define PG_JSCAN_NUMBER_MAX 63
/* cJSON refuses nesting deeper than 1000; stay well below. */
#define PG_JSCAN_DEPTH_MAX 200

struct pg_jscan {
	const char *p, *end; /* the next byte to read; the end of the text */
	int depth; /* containers skip_value() is inside */
	/* SIGINT/SIGTERM arrived (util/cancel.h): an array was left early */
	int cancelled;
	struct pg_buf key, val; /* the last key / string value read */
};

void pg_jscan_init(struct pg_jscan *s, const char *text, size_t len);
void pg_jscan_release(struct pg_jscan *s);

/* Skip RFC 8259 whitespace (space, tab, CR, LF only). */
void pg_jscan_ws(struct pg_jscan *s);
/* The next byte, or -1 at the end. */
int pg_jscan_peek(const struct pg_jscan *s);
/* Consume c, or decline. */
int pg_jscan_expect(struct pg_jscan *s, char c);
/* Consume the literal word[0..len), or decline. */
int pg_jscan_literal(struct pg_jscan *s, const char *word, size_t len);
/* A string at s->p, unescaped into out (reset first). */
int pg_jscan_string(struct pg_jscan *s, struct pg_buf *out);
/* A number at s->p into *v (util/jsonnum.h: exactly what cJSON reads). */
int pg_jscan_number(struct pg_jscan *s, double *v);
/* 1 when c may start a number. */
int pg_jscan_is_number_start(int c);

/*
 * Object members and array elements.  Call with *first = 1 just after the
 * opening bracket; returns 0 with s->p at the next member's value (its key
 * in s->key) or element, -1 after the closing bracket, DECLINE otherwise.
 * pg_jscan_next_element() declines with s->cancelled set when a signal
 * arrived, so that a single huge array does not hold one.
 */
int pg_jscan_next_member(struct pg_jscan *s, int *first);
int pg_jscan_next_element(struct pg_jscan *s, int *first);

/* Skip any value, nesting at most PG_JSCAN_DEPTH_MAX deep. */
int pg_jscan_skip_value(struct pg_jscan *s);

/*
 * Which of the NULL-terminated names (at most 32) s->key is: its index,
 * or -1.  Bit i of *seen records name i; *dup is set when it was seen
 * before (cJSON readers take the first of two equal keys, a one-pass
 * reader the last: the caller declines).
 */
int pg_jscan_known_key(const struct pg_jscan *s, const char *const *names,
                       unsigned *seen, int *dup);

#endif
