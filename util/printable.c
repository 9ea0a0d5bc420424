/* Printable user text (util/printable.h). */
#include "util/printable.h"

#include <string.h>

size_t pg_utf8_seq(const char *str, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long c, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, c = s[0] & 0x1F, min = 0x80;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, c = s[0] & 0x0F, min = 0x800;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Is code point cp a control character? */
static int is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

void pg_buf_add_printable(struct pg_buf *b, const char *s)
{
	unsigned long cp;
	size_t n;

	while (s && *s) {
		n = pg_utf8_seq(s, &cp);
		if (n && !is_control(cp)) {
			pg_buf_add(b, s, n);
			s += n;
			continue;
		}
		n = n ? n : 1;
		while (n--)
			pg_buf_addf(b, "\\x%02x", (unsigned char)*s++);
	}
}

int pg_utf8_valid(const char *s)
{
	unsigned long cp;
	size_t n;

	for (; *s; s += n)
		if (!(n = pg_utf8_seq(s, &cp)))
			return 0;
	return 1;
}

int pg_is_printable(const char *s)
{
	unsigned long cp;
	size_t n;

	while (s && *s) {
		n = pg_utf8_seq(s, &cp);
		if (!n || is_control(cp))
			return 0;
		s += n;
	}
	return 1;
}

const char *pg_printable(const char *s)
{
	static struct pg_buf b = PG_BUF_INIT;

	pg_buf_reset(&b);
	pg_buf_add_printable(&b, s);
	return b.s ? b.s : "";
}
