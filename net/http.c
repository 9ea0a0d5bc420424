/*
 * The libcurl side of net/http.h: one easy handle per net_http_send(),
 * options set explicitly for every attempt, the body into a pg_buf.
 * The parts that need no network (retry policy, Link parsing, redaction,
 * error messages) are in net/http_util.c.
 */
#include "net/http.h"
#include "net/curl_lib.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

/*
 * Every libcurl call goes through the table of net/curl_lib.h, filled by
 * net_http_global_init(); the names stay libcurl's.
 */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init (net_curl_lib()->global_init)
#define curl_global_cleanup (net_curl_lib()->global_cleanup)
#define curl_easy_strerror (net_curl_lib()->easy_strerror)
#define curl_easy_init (net_curl_lib()->easy_init)
#define curl_easy_setopt (net_curl_lib()->easy_setopt)
#define curl_easy_perform (net_curl_lib()->easy_perform)
#define curl_easy_getinfo (net_curl_lib()->easy_getinfo)
#define curl_easy_cleanup (net_curl_lib()->easy_cleanup)
#define curl_slist_append (net_curl_lib()->slist_append)
#define curl_slist_free_all (net_curl_lib()->slist_free_all)
#define curl_getdate (net_curl_lib()->getdate)

int net_http_global_init(void)
{
	CURLcode rc;
	int err;

	if ((err = net_curl_lib_load()) < 0)
		return err;
	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		return pg_error_runtime("cannot initialise libcurl: %s",
		                        curl_easy_strerror(rc));
	return 0;
}

void net_http_global_cleanup(void)
{
	curl_global_cleanup();
}

static void default_sleep(double seconds, void *ctx)
{
	struct timespec ts;

	(void)ctx;
	if (!(seconds > 0))
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	/* a signal cuts the sleep short; the caller checks o->cancel */
	nanosleep(&ts, NULL);
}

struct transfer {
	const struct net_http_options *o;
	struct net_http_response *res;
	int too_big;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	size_t len = size * n;

	if (t->res->body.len + len > NET_HTTP_MAX_BODY) {
		t->too_big = 1;
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	}
	pg_buf_add(&t->res->body, data, len);
	return len;
}

static void clear_headers(struct net_http_response *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	r->nheaders = 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
	struct transfer *t = ctx;
	struct net_http_response *r = t->res;
	size_t len = size * n, nlen, vstart;
	const char *colon;
	struct net_http_header *h;

	/* a status line starts each response (1xx, proxy CONNECT, final) */
	if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
		clear_headers(r);
		return len;
	}
	colon = memchr(data, ':', len);
	if (!colon || colon == data)
		return len; /* the blank line, or a continuation we ignore */
	nlen = (size_t)(colon - data);
	vstart = nlen + 1;
	while (vstart < len && (data[vstart] == ' ' || data[vstart] == '\t'))
		vstart++;
	while (len > vstart &&
	       (data[len - 1] == '\r' || data[len - 1] == '\n' ||
	        data[len - 1] == ' ' || data[len - 1] == '\t'))
		len--;
	r->headers = pg_grow_array(r->headers, sizeof(*r->headers),
	                           r->nheaders + 1, &r->aheaders);
	h = &r->headers[r->nheaders++];
	h->name = pg_strndup(data, nlen);
	h->value = pg_strndup(data + vstart, len - vstart);
	return size * n;
}

static int on_progress(void *ctx, curl_off_t dlt, curl_off_t dln,
                       curl_off_t ult, curl_off_t uln)
{
	const struct transfer *t = ctx;

	(void)dlt, (void)dln, (void)ult, (void)uln;
	return t->o->cancel && *t->o->cancel;
}

/* Retry-After in seconds (delta or HTTP-date), or -1 when absent. */
static double retry_after(const struct net_http_response *r)
{
	const char *v = net_http_header_get(r, "Retry-After");
	char *end;
	double s;
	time_t when;

	if (!v || !*v)
		return -1;
	s = strtod(v, &end);
	if (end != v && !*end && s >= 0 && isfinite(s))
		return s;
	when = curl_getdate(v, NULL);
	if (when == (time_t)-1)
		return -1;
	s = difftime(when, time(NULL));
	return s > 0 ? s : 0;
}

static long ms(double seconds)
{
	return seconds > 0 ? (long)ceil(seconds * 1000) : 0;
}

static struct curl_slist *build_headers(const struct net_http_request *req)
{
	struct curl_slist *list = NULL, *l;
	const char *const *h;

	/* no "Expect: 100-continue" round trip before large bodies */
	list = curl_slist_append(list, "Expect:");
	for (h = req->headers; h && *h && list; h++) {
		l = curl_slist_append(list, *h);
		if (!l) {
			curl_slist_free_all(list);
			return NULL;
		}
		list = l;
	}
	return list;
}

static CURLcode setup(CURL *c, const struct net_http_request *req,
                      struct curl_slist *headers, struct transfer *t,
                      char *errbuf)
{
	const struct net_http_options *o = t->o;
	CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                          \
	do {                                                                   \
		if (rc == CURLE_OK)                                            \
			rc = curl_easy_setopt(c, opt, val);                    \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_USERAGENT, "perfgate/" PERFGATE_VERSION);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_CONNECTTIMEOUT_MS, ms(o->connect_timeout_s));
	SET(CURLOPT_TIMEOUT_MS, ms(o->timeout_s));
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, t);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, t);
	SET(CURLOPT_NOPROGRESS, 0L);
	if (req->body) {
		/* the body is borrowed for the call; curl does not copy it */
		SET(CURLOPT_POSTFIELDS, req->body);
		SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	} else {
		SET(CURLOPT_HTTPGET, 1L);
	}
	if (strcmp(req->method, req->body ? "POST" : "GET"))
		SET(CURLOPT_CUSTOMREQUEST, req->method);
#undef SET
	return rc;
}

/* Transport errors worth another attempt for this method. */
static int transport_retryable(CURLcode rc, const char *method)
{
	if (rc == CURLE_COULDNT_CONNECT)
		return 1; /* nothing was sent */
	if (!strcmp(method, "POST"))
		return 0;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

static int transport_error(const struct net_http_request *req, CURLcode rc,
                           const char *errbuf, const struct transfer *t)
{
	struct pg_buf msg = PG_BUF_INIT;
	int err;

	pg_buf_addf(&msg, "%s '%s': ", req->method, req->url);
	if (t->too_big)
		pg_buf_addf(&msg, "response larger than %zu bytes",
		            NET_HTTP_MAX_BODY);
	else if (rc == CURLE_ABORTED_BY_CALLBACK)
		pg_buf_addstr(&msg, "interrupted");
	else
		pg_buf_addstr(&msg, *errbuf ? errbuf : curl_easy_strerror(rc));
	if (t->res->attempts > 1)
		pg_buf_addf(&msg, " (after %u attempts)", t->res->attempts);
	net_redact(msg.s, req->secret);
	err = pg_error_runtime("%s", msg.s);
	pg_buf_release(&msg);
	return err;
}

/*
 * One attempt.  Returns 0 with res filled, or the CURLcode (> 0) with
 * errbuf set.
 */
static CURLcode attempt(const struct net_http_request *req,
                        struct curl_slist *headers, struct transfer *t,
                        char *errbuf)
{
	struct net_http_response *res = t->res;
	CURLcode rc;
	CURL *c;

	pg_buf_reset(&res->body);
	clear_headers(res);
	res->status = 0;
	t->too_big = 0;
	errbuf[0] = '\0';
	c = curl_easy_init();
	if (!c)
		return CURLE_FAILED_INIT;
	rc = setup(c, req, headers, t, errbuf);
	if (rc == CURLE_OK)
		rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_cleanup(c);
	return rc;
}

int net_http_send(const struct net_http_options *o,
                  const struct net_http_request *req,
                  struct net_http_response *res)
{
	char errbuf[CURL_ERROR_SIZE];
	struct transfer t = {o, res, 0};
	struct curl_slist *headers;
	net_http_sleep_fn sleep_fn = o->sleep ? o->sleep : default_sleep;
	unsigned n;
	double delay;
	CURLcode rc;
	int err = 0;

	net_http_response_init(res);
	headers = build_headers(req);
	if (!headers)
		return pg_error_runtime("%s: cannot build request headers",
		                        req->method);
	for (n = 0;; n++) {
		res->attempts = n + 1;
		rc = attempt(req, headers, &t, errbuf);
		if (o->cancel && *o->cancel) {
			err = transport_error(req, CURLE_ABORTED_BY_CALLBACK,
			                      "", &t);
			break;
		}
		if (rc != CURLE_OK) {
			delay = transport_retryable(rc, req->method) &&
			                        !t.too_big
			                ? net_http_retry_delay(o, n, -1)
			                : -1;
			if (delay < 0) {
				err = transport_error(req, rc, errbuf, &t);
				break;
			}
		} else if (net_http_status_retryable(
		                   res->status,
		                   net_http_header_get(res, "Retry-After") !=
		                           NULL)) {
			delay = net_http_retry_delay(o, n, retry_after(res));
			if (delay < 0)
				break; /* the caller judges the last status */
		} else {
			break;
		}
		sleep_fn(delay, o->sleep_ctx);
	}
	curl_slist_free_all(headers);
	return err;
}
