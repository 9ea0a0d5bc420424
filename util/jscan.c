/* The declining JSON scanner; see util/jscan.h. */
#include "util/jscan.h"
#include "util/cancel.h"
#include "util/jsonnum.h"

#include <string.h>

#define DECLINE PG_JSCAN_DECLINE

void pg_jscan_init(struct pg_jscan *s, const char *text, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->p = text;
	s->end = text + len;
	pg_buf_init(&s->key);
	pg_buf_init(&s->val);
}

void pg_jscan_release(struct pg_jscan *s)
{
	pg_buf_release(&s->key);
	pg_buf_release(&s->val);
}

void pg_jscan_ws(struct pg_jscan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
	                         *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

int pg_jscan_peek(const struct pg_jscan *s)
{
	return s->p < s->end ? (unsigned char)*s->p : -1;
}

int pg_jscan_expect(struct pg_jscan *s, char c)
{
	if (s->p >= s->end || *s->p != c)
		return DECLINE;
	s->p++;
	return 0;
}

int pg_jscan_literal(struct pg_jscan *s, const char *word, size_t len)
{
	if ((size_t)(s->end - s->p) < len || memcmp(s->p, word, len))
		return DECLINE;
	s->p += len;
	return 0;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return DECLINE;
	}
	*out = v;
	return 0;
}

/* A "\uXXXX" escape at s->p (after the backslash) into out, as UTF-8. */
static int unicode_escape(struct pg_jscan *s, struct pg_buf *out)
{
	unsigned cp;
	char u[3];

	/* NUL would cut the string; surrogates are rare: leave to cJSON */
	if (s->end - s->p < 5 || hex4(s->p + 1, &cp) || cp == 0 ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return DECLINE;
	s->p += 5;
	if (cp < 0x80) {
		pg_buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		pg_buf_add(out, u, 2);
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		pg_buf_add(out, u, 3);
	}
	return 0;
}

static int escape(struct pg_jscan *s, struct pg_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;

	s->p++; /* the backslash */
	if (s->p >= s->end)
		return DECLINE;
	if (*s->p == 'u')
		return unicode_escape(s, out);
	hit = strchr(from, *s->p);
	if (!hit || !*s->p)
		return DECLINE;
	pg_buf_addch(out, to[hit - from]);
	s->p++;
	return 0;
}

int pg_jscan_string(struct pg_jscan *s, struct pg_buf *out)
{
	const char *run;

	pg_buf_reset(out);
	if (pg_jscan_expect(s, '"'))
		return DECLINE;
	for (;;) {
		run = s->p;
		while (s->p < s->end && *s->p != '"' && *s->p != '\\' &&
		       (unsigned char)*s->p >= 0x20)
			s->p++;
		pg_buf_add(out, run, (size_t)(s->p - run));
		if (s->p >= s->end || (unsigned char)*s->p < 0x20)
			return DECLINE;
		if (*s->p == '"')
			break;
		if (escape(s, out))
			return DECLINE;
	}
	s->p++;
	return 0;
}

int pg_jscan_number(struct pg_jscan *s, double *v)
{
	const char *e = pg_json_scan_number(s->p, s->end, v);

	if (!e || e - s->p > PG_JSCAN_NUMBER_MAX)
		return DECLINE;
	s->p = e;
	return 0;
}

int pg_jscan_is_number_start(int c)
{
	return c == '-' || (c >= '0' && c <= '9');
}

int pg_jscan_next_member(struct pg_jscan *s, int *first)
{
	pg_jscan_ws(s);
	if (*first && pg_jscan_peek(s) == '}') {
		s->p++;
		return -1;
	}
	if (!*first) {
		if (pg_jscan_peek(s) == '}') {
			s->p++;
			return -1;
		}
		if (pg_jscan_expect(s, ','))
			return DECLINE;
		pg_jscan_ws(s);
	}
	*first = 0;
	if (pg_jscan_string(s, &s->key))
		return DECLINE;
	pg_jscan_ws(s);
	if (pg_jscan_expect(s, ':'))
		return DECLINE;
	pg_jscan_ws(s);
	return 0;
}

int pg_jscan_next_element(struct pg_jscan *s, int *first)
{
	if (pg_cancel_signal) {
		s->cancelled = 1;
		return DECLINE;
	}
	pg_jscan_ws(s);
	if (pg_jscan_peek(s) == ']') {
		/* after a comma the value readers decline on ']' */
		s->p++;
		return -1;
	}
	if (!*first && pg_jscan_expect(s, ','))
		return DECLINE;
	*first = 0;
	pg_jscan_ws(s);
	return 0;
}

static int skip_container(struct pg_jscan *s, char open)
{
	int first = 1, k;

	if (++s->depth > PG_JSCAN_DEPTH_MAX)
		return DECLINE;
	s->p++;
	while ((k = open == '{' ? pg_jscan_next_member(s, &first)
	                        : pg_jscan_next_element(s, &first)) == 0)
		if (pg_jscan_skip_value(s))
			return DECLINE;
	s->depth--;
	return k < 0 ? 0 : DECLINE;
}

int pg_jscan_skip_value(struct pg_jscan *s)
{
	double v;
	int c = pg_jscan_peek(s);

	switch (c) {
	case '"':
		return pg_jscan_string(s, &s->val);
	case '{':
	case '[':
		return skip_container(s, (char)c);
	case 't':
		return pg_jscan_literal(s, "true", 4);
	case 'f':
		return pg_jscan_literal(s, "false", 5);
	case 'n':
		return pg_jscan_literal(s, "null", 4);
	default:
		return pg_jscan_is_number_start(c) ? pg_jscan_number(s, &v)
		                                   : DECLINE;
	}
}

int pg_jscan_known_key(const struct pg_jscan *s, const char *const *names,
                       unsigned *seen, int *dup)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(s->key.s, names[i])) {
			*dup = (*seen >> i) & 1;
			*seen |= 1u << i;
			return i;
		}
	}
	*dup = 0;
	return -1;
}
