/*
 * http.h - perfgate's small HTTP client over libcurl.  Only net/ includes
 * <curl/curl.h>: net/http.c, and net/curl_lib.{c,h}, which load libcurl
 * with dlopen() on first use (net/curl_lib.h says why).  This header
 * mentions no curl type; everything it returns is our own structs.
 *
 * What every request gets:
 * - User-Agent "perfgate/<version>" (GitHub answers 403 without one);
 * - connect and total time limits (net_http_options);
 * - retries with exponential backoff on 429, 5xx and 403 with a
 *   Retry-After header (GitHub's secondary rate limit), honouring
 *   Retry-After up to a cap, and on transport errors when that is safe
 *   (see net_http_send);
 * - proxies from the environment: libcurl reads http_proxy, https_proxy,
 *   ALL_PROXY and NO_PROXY (and their upper-case forms, except HTTP_PROXY,
 *   which it ignores because CGI programs can be made to set it) whenever
 *   CURLOPT_PROXY is not set, which perfgate never does;
 * - no redirects followed, so headers carrying tokens never reach a host
 *   the caller did not name;
 * - the body in memory, never on stdout, capped at NET_HTTP_MAX_BODY.
 *
 * Secrets: a request names the secret it carries (a token); every message
 * this module records has that secret replaced by "***".
 *
 * Errors: functions that can fail return 0 or PG_ERUNTIME (util/error.h)
 * with a message.  A struct net_http_response owns its body and headers;
 * net_http_response_release() frees them.
 */
#ifndef PG_NET_HTTP_H
#define PG_NET_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "util/buf.h"

/* Largest response body kept; a longer one fails the request. */
#define NET_HTTP_MAX_BODY ((size_t)16 * 1024 * 1024)

/*
 * Initialise libcurl for the whole process.  Call once from cmd/ before
 * any other function here, while only one thread runs, and
 * net_http_global_cleanup() at exit.  Returns 0 or PG_ERUNTIME.
 */
int net_http_global_init(void);
void net_http_global_cleanup(void);

/* Sleep for seconds; the default is nanosleep(), cut short by signals. */
typedef void (*net_http_sleep_fn)(double seconds, void *ctx);

struct net_http_options {
	double connect_timeout_s; /* TCP + TLS handshake */
	double timeout_s; /* one whole attempt */
	unsigned retries; /* attempts after the first */
	double backoff_s; /* first retry delay; doubles each time */
	double backoff_max_s; /* cap of the doubling */
	double retry_after_max_s; /* longer Retry-After: give up at once */
	net_http_sleep_fn sleep; /* NULL: nanosleep */
	void *sleep_ctx;
	/* when non-NULL and non-zero, stop (transfers and retries) */
	const volatile sig_atomic_t *cancel;
};

/* Fill o with the defaults of util/defaults.h. */
void net_http_options_init(struct net_http_options *o);

struct net_http_request {
	const char *method; /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *url;
	/* NULL-terminated "Name: value" strings, or NULL */
	const char *const *headers;
	/* request body, borrowed for the duration of the call; NULL: none */
	const char *body;
	size_t body_len;
	/* the token the headers carry, redacted from messages; or NULL */
	const char *secret;
};

struct net_http_header {
	char *name; /* as the server spelled it */
	char *value; /* trimmed */
};

struct net_http_response {
	long status; /* final HTTP status */
	struct pg_buf body;
	/* headers of the final response, in order */
	struct net_http_header *headers;
	size_t nheaders, aheaders;
	unsigned attempts; /* 1 + retries used */
};

/* An empty response; release it with net_http_response_release(). */
void net_http_response_init(struct net_http_response *r);
/* Free what r owns and empty it. */
void net_http_response_release(struct net_http_response *r);

/*
 * The value of header name (case-insensitive) in r, or NULL.  Borrowed:
 * lives as long as r.
 */
const char *net_http_header_get(const struct net_http_response *r,
                                const char *name);

/*
 * Send req, retrying as described above, and fill res (initialised here;
 * release it with net_http_response_release() whatever the result).
 *
 * Returns 0 whenever a response arrived, whatever its status: the caller
 * judges res->status (after retries of 429/5xx were exhausted it is the
 * last one).  Returns PG_ERUNTIME, with a message naming method and URL
 * (secret redacted), when no response arrived: cannot connect, time limit,
 * body too large, cancelled.  Transport errors are retried for GET, PUT,
 * PATCH and DELETE; a POST only when the connection failed, since a POST
 * whose answer was lost may have been applied.
 */
int net_http_send(const struct net_http_options *o,
                  const struct net_http_request *req,
                  struct net_http_response *res);

/*
 * The delay before retry number attempt (0 for the first retry), given
 * the response's Retry-After in seconds (negative when absent): Retry-After
 * when present, else backoff_s * 2^attempt capped at backoff_max_s.
 * Returns a negative value when no retry should happen: attempt >=
 * o->retries, or Retry-After above retry_after_max_s.
 */
double net_http_retry_delay(const struct net_http_options *o, unsigned attempt,
                            double retry_after);

/* Whether a response with this status may be retried (429, 5xx). */
int net_http_status_retryable(long status, int has_retry_after);

/*
 * The URL of rel="next" in an RFC 8288 Link header value, newly allocated
 * (caller frees), or NULL when there is none.
 */
char *net_http_link_next(const char *link);

/*
 * Replace every occurrence of secret (when non-NULL and non-empty) in s
 * by "***", in place: the result is never longer.  Returns s.
 */
char *net_redact(char *s, const char *secret);

/*
 * A short human-readable reason for a failed response, appended to out:
 * "403 Forbidden: <message>" where message is the API's JSON "message"
 * (GitHub; GitLab's may be an object) or "error" (GitLab OAuth), else the
 * start of the body on one line.  secret is redacted.
 */
void net_http_describe_failure(struct pg_buf *out,
                               const struct net_http_response *r,
                               const char *secret);

#endif
