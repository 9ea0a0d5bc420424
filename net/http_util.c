/*
 * The parts of net/http.h that need no network: options, responses, the
 * retry policy, Link headers, redaction and failure messages.  Kept apart
 * from net/http.c so that unit tests exercise them without a server.
 */
#include "net/http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/defaults.h"
#include "util/json.h"
#include "util/mem.h"

void net_http_options_init(struct net_http_options *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_s = PG_DEFAULT_HTTP_CONNECT_TIMEOUT_S;
	o->timeout_s = PG_DEFAULT_HTTP_TIMEOUT_S;
	o->retries = PG_DEFAULT_HTTP_RETRIES;
	o->backoff_s = PG_DEFAULT_HTTP_BACKOFF_S;
	o->backoff_max_s = PG_DEFAULT_HTTP_BACKOFF_MAX_S;
	o->retry_after_max_s = PG_DEFAULT_HTTP_RETRY_AFTER_MAX_S;
}

void net_http_response_init(struct net_http_response *r)
{
	memset(r, 0, sizeof(*r));
	pg_buf_init(&r->body);
}

void net_http_response_release(struct net_http_response *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	pg_buf_release(&r->body);
	net_http_response_init(r);
}

const char *net_http_header_get(const struct net_http_response *r,
                                const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return r->headers[i].value;
	return NULL;
}

int net_http_status_retryable(long status, int has_retry_after)
{
	/* GitHub's secondary rate limit is a 403 with Retry-After */
	return status == 429 || (status >= 500 && status <= 599) ||
	       (status == 403 && has_retry_after);
}

double net_http_retry_delay(const struct net_http_options *o, unsigned attempt,
                            double retry_after)
{
	double d;
	unsigned i;

	if (attempt >= o->retries)
		return -1;
	if (retry_after >= 0)
		return retry_after <= o->retry_after_max_s ? retry_after : -1;
	d = o->backoff_s;
	for (i = 0; i < attempt && d < o->backoff_max_s; i++)
		d *= 2;
	return d < o->backoff_max_s ? d : o->backoff_max_s;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * Whether the parameters of one link (from just after '>' to the next
 * link) contain rel="next" or rel=next, rel being a space-separated list.
 */
static int has_rel_next(const char *p, const char *end)
{
	const char *v, *ve;

	while (p < end) {
		p = skip_ws(p);
		if (*p == ';')
			p = skip_ws(p + 1);
		if ((size_t)(end - p) > 4 && !strncasecmp(p, "rel", 3) &&
		    skip_ws(p + 3)[0] == '=') {
			v = skip_ws(skip_ws(p + 3) + 1);
			if (*v == '"') {
				v++;
				ve = memchr(v, '"', (size_t)(end - v));
				if (!ve)
					ve = end;
			} else {
				ve = v;
				while (ve < end && *ve != ';' && *ve != ' ')
					ve++;
			}
			while (v < ve) {
				const char *w = v;

				while (w < ve && *w != ' ')
					w++;
				if (w - v == 4 && !strncasecmp(v, "next", 4))
					return 1;
				v = w < ve ? w + 1 : w;
			}
			p = ve < end ? ve + 1 : end;
		} else {
			p = memchr(p, ';', (size_t)(end - p));
			if (!p)
				return 0;
		}
	}
	return 0;
}

char *net_http_link_next(const char *link)
{
	const char *p = link, *lt, *gt, *next;

	while (p && (lt = strchr(p, '<'))) {
		gt = strchr(lt, '>');
		if (!gt)
			return NULL;
		/* the parameters end at the next link's '<' */
		next = strchr(gt, '<');
		if (!next)
			next = gt + strlen(gt);
		if (has_rel_next(gt + 1, next))
			return pg_strndup(lt + 1, (size_t)(gt - lt - 1));
		p = next;
	}
	return NULL;
}

char *net_redact(char *s, const char *secret)
{
	size_t slen;
	char *hit, *w, *r;

	if (!s || !secret || !*secret)
		return s;
	slen = strlen(secret);
	if (!strstr(s, secret))
		return s;
	for (r = w = s; (hit = strstr(r, secret)); r = hit + slen) {
		memmove(w, r, (size_t)(hit - r));
		w += hit - r;
		/* "***" is never longer than what it replaces when slen >= 3 */
		if (slen >= 3) {
			memcpy(w, "***", 3);
			w += 3;
		} else {
			memset(w, '*', slen);
			w += slen;
		}
	}
	memmove(w, r, strlen(r) + 1);
	return s;
}

/* The API's explanation in a JSON error body, appended to out. */
static int json_message(struct pg_buf *out, const struct pg_buf *body)
{
	cJSON *root = NULL;
	const cJSON *m;
	char *printed;
	int found = 0;

	if (!body->len ||
	    pg_json_parse(&root, body->s, body->len, "body") < 0) {
		pg_error_clear();
		return 0;
	}
	m = pg_json_get(root, "message");
	if (!m)
		m = pg_json_get(root, "error_description");
	if (!m)
		m = pg_json_get(root, "error");
	if (cJSON_IsString(m)) {
		pg_buf_addstr(out, m->valuestring);
		found = 1;
	} else if (m && (printed = cJSON_PrintUnformatted(m))) {
		/* GitLab: {"message": {"note": ["is too long"]}} */
		pg_buf_addstr(out, printed);
		cJSON_free(printed);
		found = 1;
	}
	cJSON_Delete(root);
	return found;
}

void net_http_describe_failure(struct pg_buf *out,
                               const struct net_http_response *r,
                               const char *secret)
{
	size_t start = out->len, i, n;

	pg_buf_addf(out, "HTTP %ld", r->status);
	if (r->body.len) {
		pg_buf_addstr(out, ": ");
		if (!json_message(out, &r->body)) {
			/* not JSON: the start of the body on one line */
			n = r->body.len < 200 ? r->body.len : 200;
			for (i = 0; i < n; i++) {
				unsigned char ch = (unsigned char)r->body.s[i];

				pg_buf_addch(out, isprint(ch) ? (char)ch : ' ');
			}
			if (n < r->body.len)
				pg_buf_addstr(out, "...");
		}
	}
	net_redact(out->s + start, secret);
	out->len = start + strlen(out->s + start);
}
