/*
 * Credential redaction (util/redact.h).  A small scanner rather than
 * regexes: it runs on every recorded message, and must never fail.
 */
#include "util/redact.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct out {
	char *dst;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->dst[o->len] = s[i];
}

/* Does s start with word, ignoring case? */
static int starts(const char *s, const char *word)
{
	return !strncasecmp(s, word, strlen(word));
}

/* A character that ends a credential value. */
static int value_end(char c)
{
	return !c || isspace((unsigned char)c) || strchr("\"'&#,;<>()[]{}", c);
}

/* userinfo: "://" then up to '@' before any '/', '?', '#' or space. */
static size_t userinfo_len(const char *s)
{
	size_t n = strcspn(s, "@/?#\"' \t\r\n<>");

	return s[n] == '@' && n > 0 ? n : 0;
}

/*
 * "user:pass@" without a scheme, at the start of a word (libgit2 prints
 * file:// remotes so): its length up to the '@', else 0.
 */
static size_t bare_userinfo_len(const char *s)
{
	size_t user = strcspn(s, ":@/?#\"' \t\r\n<>"), n;

	if (!user || s[user] != ':')
		return 0;
	n = user + 1 + strcspn(s + user + 1, "@/?#\"' \t\r\n<>");
	return s[n] == '@' && (s[n + 1] == '/' ||
	                       isalnum((unsigned char)s[n + 1]))
	               ? n
	               : 0;
}

static const char *const query_keys[] = {
        "access_token", "private_token", "api_key", "apikey",
        "password",     "signature",     "secret",  "token",
        "auth",         "code",          "key",     "sig",
};

/* After '?' or '&': "name=" of a credential, its length, else 0. */
static size_t query_key_len(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(query_keys) / sizeof(query_keys[0]); i++) {
		n = strlen(query_keys[i]);
		if (starts(s, query_keys[i]) && s[n] == '=')
			return n + 1;
	}
	return 0;
}

static const char *const headers[] = {
        "proxy-authorization", "authorization", "private-token",
        "job-token",           "cookie",
};

/* A header name then ':' or '"' ':' with blanks and quotes: prefix length. */
static size_t header_len(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		n = strlen(headers[i]);
		if (!starts(s, headers[i]))
			continue;
		n += strspn(s + n, "\"' \t");
		if (s[n] != ':' && s[n] != '=')
			continue;
		n++;
		n += strspn(s + n, "\"' \t");
		/* "Authorization: Basic x" keeps the scheme word */
		if (starts(s + n, "basic ") || starts(s + n, "bearer ") ||
		    starts(s + n, "token "))
			n += strcspn(s + n, " ") + 1;
		return n;
	}
	return 0;
}

/* "Basic " or "Bearer " then a credential: prefix length, else 0. */
static size_t scheme_len(const char *s)
{
	size_t n, len, i;

	if (starts(s, "basic "))
		n = 6;
	else if (starts(s, "bearer "))
		n = 7;
	else
		return 0;
	/*
	 * only something shaped like a credential, not "basic rules": eight
	 * or more base64 or token characters with a digit, a capital or a
	 * symbol among them
	 */
	len = strspn(s + n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
	                    "wxyz0123456789+/=._~-");
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)s[n + i]))
			return len >= 8 ? n : 0;
	return 0;
}

/* The credential after a prefix: the rest up to value_end(). */
static const char *skip_value(const char *s)
{
	while (!value_end(*s))
		s++;
	return s;
}

size_t pg_redact(char *dst, size_t size, const char *src)
{
	struct out o = {dst, size, 0};
	const char *s = src;
	size_t n;

	while (*s) {
		int word_start = s == src || !isalnum((unsigned char)s[-1]);

		if (!strncmp(s, "://", 3) && (n = userinfo_len(s + 3))) {
			put(&o, "://" PG_REDACTED "@",
			    3 + strlen(PG_REDACTED) + 1);
			s += 3 + n + 1;
			continue;
		}
		if (word_start && (s == src || strchr("'\" \t", s[-1])) &&
		    (n = bare_userinfo_len(s))) {
			put(&o, PG_REDACTED "@", strlen(PG_REDACTED) + 1);
			s += n + 1;
			continue;
		}
		if ((*s == '?' || *s == '&') && (n = query_key_len(s + 1)) &&
		    !value_end(s[1 + n])) {
			put(&o, s, 1 + n);
			put(&o, PG_REDACTED, strlen(PG_REDACTED));
			s = skip_value(s + 1 + n);
			continue;
		}
		if (word_start &&
		    ((n = header_len(s)) || (n = scheme_len(s))) &&
		    !value_end(s[n])) {
			put(&o, s, n);
			put(&o, PG_REDACTED, strlen(PG_REDACTED));
			s = skip_value(s + n);
			continue;
		}
		put(&o, s++, 1);
	}
	if (size)
		dst[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}
