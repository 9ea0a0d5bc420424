/*
 * Unit tests for net/: what needs no HTTP server (specs, GitHub events,
 * the CI environment, redaction, Link headers, the retry policy, comment
 * bodies, API error messages), plus the retry loop against a closed port
 * on 127.0.0.1 with an injected sleep.  The wire itself is tested by
 * tests/t/t9100-comment.sh against a recording server.
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "net/comment.h"
#include "net/forge.h"
#include "net/http.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

static void test_parse_github_spec(void **state)
{
	struct net_forge_target t = {0};
	static const char *const bad[] = {
	        "octo/app",   "octo/app#",     "octo/app#0",  "octo/app#-3",
	        "octo/app#x", "octo#3",        "/app#3",      "octo/#3",
	        "a/b/c#3",    "octo/app#3 ",   "oc to/app#3", "octo/app#12a",
	        "",           "octo/app#1e10", NULL};
	const char *const *s;

	assert_int_equal(net_forge_parse_github(&t, "octo/my.app_2-x#12"), 0);
	assert_int_equal(t.kind, NET_FORGE_GITHUB);
	assert_string_equal(t.project, "octo/my.app_2-x");
	assert_int_equal(t.number, 12);
	net_forge_target_release(&t);
	for (s = bad; *s; s++) {
		if (net_forge_parse_github(&t, *s) != PG_EINPUT)
			fail_msg("'%s' was accepted", *s);
		assert_contains(pg_error_last(), "expected OWNER/REPO#N");
		assert_contains(pg_error_last(), *s);
	}
	net_forge_target_release(&t);
}

static void test_parse_gitlab_spec(void **state)
{
	struct net_forge_target t = {0};
	static const char *const bad[] = {"42",    "42!",    "42!0",
	                                  "!3",    "a//b!3", "a/b/!3",
	                                  "a b!3", "42#3",   NULL};
	const char *const *s;

	assert_int_equal(net_forge_parse_gitlab(&t, "42!7"), 0);
	assert_int_equal(t.kind, NET_FORGE_GITLAB);
	assert_string_equal(t.project, "42");
	assert_int_equal(t.number, 7);
	assert_int_equal(net_forge_parse_gitlab(&t, "group/sub/app!900"), 0);
	assert_string_equal(t.project, "group/sub/app");
	assert_int_equal(t.number, 900);
	net_forge_target_release(&t);
	for (s = bad; *s; s++) {
		if (net_forge_parse_gitlab(&t, *s) != PG_EINPUT)
			fail_msg("'%s' was accepted", *s);
		assert_contains(pg_error_last(), "expected PROJECT!IID");
	}
	net_forge_target_release(&t);
}

static long event_pr(const char *json)
{
	long n = -1;

	assert_int_equal(
	        net_forge_github_event_pr(&n, json, strlen(json), "event.json"),
	        0);
	return n;
}

static void test_github_event(void **state)
{
	long n = -1;
	const char bad[] = "{\"pull_request\": {\"number\": 3}} x";

	assert_int_equal(event_pr("{\"action\": \"synchronize\", \"number\": "
	                          "5, \"pull_request\": {\"number\": 5}}"),
	                 5);
	/* issue_comment on a pull request, and on a plain issue */
	assert_int_equal(event_pr("{\"issue\": {\"number\": 8, "
	                          "\"pull_request\": {\"url\": \"u\"}}}"),
	                 8);
	assert_int_equal(event_pr("{\"issue\": {\"number\": 8}}"), 0);
	assert_int_equal(event_pr("{\"ref\": \"refs/heads/main\"}"), 0);
	assert_int_equal(event_pr("{\"pull_request\": {\"number\": \"5\"}}"),
	                 0);
	assert_int_equal(event_pr("{\"pull_request\": {\"number\": 1.5}}"), 0);
	assert_int_equal(event_pr("{\"pull_request\": {\"number\": -2}}"), 0);
	/* case matters: cJSON_GetObjectItem would accept these */
	assert_int_equal(event_pr("{\"Pull_Request\": {\"number\": 5}}"), 0);
	assert_int_equal(event_pr("[]"), 0);
	assert_int_equal(
	        net_forge_github_event_pr(&n, bad, strlen(bad), "event.json"),
	        PG_EINPUT);
	assert_contains(pg_error_last(), "'event.json': invalid JSON");
}

static void test_github_ref(void **state)
{
	assert_int_equal(net_forge_github_ref_pr("refs/pull/12/merge"), 12);
	assert_int_equal(net_forge_github_ref_pr("refs/pull/7/head"), 7);
	assert_int_equal(net_forge_github_ref_pr("refs/pull/12/merged"), 0);
	assert_int_equal(net_forge_github_ref_pr("refs/pull//merge"), 0);
	assert_int_equal(net_forge_github_ref_pr("refs/heads/main"), 0);
	assert_int_equal(net_forge_github_ref_pr("refs/pull/x/merge"), 0);
	assert_int_equal(net_forge_github_ref_pr(NULL), 0);
}

static void clear_env(void)
{
	static const char *const vars[] = {"GITHUB_REPOSITORY",
	                                   "GITHUB_EVENT_PATH",
	                                   "GITHUB_EVENT_NAME",
	                                   "GITHUB_REF",
	                                   "GITHUB_API_URL",
	                                   "GITHUB_TOKEN",
	                                   "PERFGATE_TOKEN",
	                                   "CI_PROJECT_ID",
	                                   "CI_MERGE_REQUEST_IID",
	                                   "CI_API_V4_URL",
	                                   "PERFGATE_GITLAB_TOKEN",
	                                   "CI_JOB_TOKEN",
	                                   NULL};
	const char *const *v;

	for (v = vars; *v; v++)
		unsetenv(*v);
}

static void test_detect_github(void **state)
{
	struct net_forge_target t;

	clear_env();
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "neither GITHUB_REPOSITORY nor "
	                                 "CI_PROJECT_ID");
	setenv("GITHUB_REPOSITORY", "octo/app", 1);
	setenv("GITHUB_EVENT_NAME", "push", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "not a pull request: the 'push'");
	setenv("GITHUB_REF", "refs/pull/31/merge", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "no GitHub token");
	setenv("GITHUB_TOKEN", "gh-token", 1);
	setenv("GITHUB_API_URL", "https://ghe.example/api/v3//", 1);
	assert_int_equal(net_forge_detect(&t), 0);
	assert_int_equal(t.kind, NET_FORGE_GITHUB);
	assert_string_equal(t.project, "octo/app");
	assert_int_equal(t.number, 31);
	assert_string_equal(t.api_url, "https://ghe.example/api/v3");
	assert_string_equal(t.token, "gh-token");
	assert_string_equal(t.token_var, "GITHUB_TOKEN");
	net_forge_target_release(&t);
	/* PERFGATE_TOKEN wins; the default API URL */
	setenv("PERFGATE_TOKEN", "pg-token", 1);
	unsetenv("GITHUB_API_URL");
	assert_int_equal(net_forge_detect(&t), 0);
	assert_string_equal(t.token, "pg-token");
	assert_string_equal(t.api_url, PG_DEFAULT_GITHUB_API_URL);
	net_forge_target_release(&t);
	setenv("GITHUB_EVENT_PATH", "/nonexistent/event.json", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "GITHUB_EVENT_PATH: "
	                                 "'/nonexistent/event.json'");
	setenv("GITHUB_REPOSITORY", "octo", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "GITHUB_REPOSITORY 'octo'");
	clear_env();
}

static void test_detect_gitlab(void **state)
{
	struct net_forge_target t;

	clear_env();
	setenv("CI_PROJECT_ID", "42", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "CI_MERGE_REQUEST_IID is unset");
	setenv("CI_MERGE_REQUEST_IID", "9", 1);
	setenv("CI_JOB_TOKEN", "job", 1);
	assert_int_equal(net_forge_detect(&t), PG_EINPUT);
	assert_contains(pg_error_last(), "CI_JOB_TOKEN cannot post merge "
	                                 "request notes");
	/* a generic PERFGATE_TOKEN serves GitLab too, after the specific */
	setenv("PERFGATE_TOKEN", "generic", 1);
	assert_int_equal(net_forge_detect(&t), 0);
	assert_string_equal(t.token_var, "PERFGATE_TOKEN");
	net_forge_target_release(&t);
	setenv("PERFGATE_GITLAB_TOKEN", "glpat", 1);
	setenv("CI_API_V4_URL", "https://gitlab.example/api/v4", 1);
	assert_int_equal(net_forge_detect(&t), 0);
	assert_int_equal(t.kind, NET_FORGE_GITLAB);
	assert_string_equal(t.project, "42");
	assert_int_equal(t.number, 9);
	assert_string_equal(t.token, "glpat");
	assert_string_equal(t.token_var, "PERFGATE_GITLAB_TOKEN");
	assert_string_equal(t.api_url, "https://gitlab.example/api/v4");
	net_forge_target_release(&t);
	clear_env();
}

static void test_redact(void **state)
{
	char s1[] = "Bearer s3cret and s3cret again, s3cre";
	char s2[] = "nothing here";
	char s3[] = "ab";
	char s4[] = "s3crets3cret";

	assert_string_equal(net_redact(s1, "s3cret"),
	                    "Bearer *** and *** again, s3cre");
	assert_string_equal(net_redact(s2, "s3cret"), "nothing here");
	assert_string_equal(net_redact(s2, ""), "nothing here");
	assert_string_equal(net_redact(s2, NULL), "nothing here");
	assert_string_equal(net_redact(s3, "b"), "a*");
	assert_string_equal(net_redact(s4, "s3cret"), "******");
	assert_null(net_redact(NULL, "x"));
}

static void expect_next(const char *link, const char *want)
{
	char *got = net_http_link_next(link);

	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s': got '%s', expected '%s'", link,
		         got ? got : "(null)", want);
	if (!want && got)
		fail_msg("'%s': got '%s', expected none", link, got);
	free(got);
}

static void test_link_next(void **state)
{
	/* GitHub's form */
	expect_next("<https://api.github.com/repositories/1/issues/2/"
	            "comments?page=2>; rel=\"next\", "
	            "<https://api.github.com/repositories/1/issues/2/"
	            "comments?page=5>; rel=\"last\"",
	            "https://api.github.com/repositories/1/issues/2/"
	            "comments?page=2");
	/* next after others, unquoted, several rels, other parameters */
	expect_next("<http://a/?p=1>; rel=\"prev\", <http://a/?p=3>; rel=next",
	            "http://a/?p=3");
	expect_next("<http://a/1>; rel=\"first\", <http://a/3>; title=\"x\"; "
	            "rel=\"last next\"",
	            "http://a/3");
	expect_next("<http://a/3>;rel=\"NEXT\"", "http://a/3");
	expect_next("<http://a/1>; rel=\"prev\", <http://a/9>; rel=\"last\"",
	            NULL);
	expect_next("<http://a/1>; rel=\"nextish\"", NULL);
	expect_next("", NULL);
	expect_next("<http://a/1", NULL);
}

static void test_retry_delay(void **state)
{
	struct net_http_options o;

	net_http_options_init(&o);
	o.retries = 4;
	o.backoff_s = 1;
	o.backoff_max_s = 5;
	o.retry_after_max_s = 60;
	assert_close(net_http_retry_delay(&o, 0, -1), 1, 0);
	assert_close(net_http_retry_delay(&o, 1, -1), 2, 0);
	assert_close(net_http_retry_delay(&o, 2, -1), 4, 0);
	assert_close(net_http_retry_delay(&o, 3, -1), 5, 0); /* capped */
	assert_true(net_http_retry_delay(&o, 4, -1) < 0); /* retries spent */
	/* Retry-After wins over backoff, including 0, up to the cap */
	assert_close(net_http_retry_delay(&o, 0, 7), 7, 0);
	assert_close(net_http_retry_delay(&o, 3, 0), 0, 0);
	assert_close(net_http_retry_delay(&o, 0, 60), 60, 0);
	assert_true(net_http_retry_delay(&o, 0, 61) < 0);
	assert_true(net_http_retry_delay(&o, 4, 1) < 0);
	o.retries = 0;
	assert_true(net_http_retry_delay(&o, 0, -1) < 0);

	assert_true(net_http_status_retryable(429, 0));
	assert_true(net_http_status_retryable(500, 0));
	assert_true(net_http_status_retryable(503, 1));
	assert_true(net_http_status_retryable(403, 1));
	assert_false(net_http_status_retryable(403, 0));
	assert_false(net_http_status_retryable(404, 1));
	assert_false(net_http_status_retryable(200, 0));
	assert_false(net_http_status_retryable(422, 0));
}

static void test_marker(void **state)
{
	char *m = NULL;

	assert_int_equal(net_comment_marker(&m, NULL), 0);
	assert_string_equal(m, "<!-- perfgate -->");
	free(m);
	assert_int_equal(net_comment_marker(&m, "linux-x86_64/gcc:12.2"), 0);
	assert_string_equal(m, "<!-- perfgate:linux-x86_64/gcc:12.2 -->");
	free(m);
	assert_int_equal(net_comment_marker(&m, "a-->b"), PG_EINPUT);
	assert_null(m);
	assert_contains(pg_error_last(), "--marker 'a-->b'");
	assert_int_equal(net_comment_marker(&m, "a b"), PG_EINPUT);
	assert_int_equal(net_comment_marker(&m, ""), PG_EINPUT);
	assert_int_equal(net_comment_marker(&m, "a--b"), PG_EINPUT);
}

static void test_comment_body(void **state)
{
	struct pg_buf b = PG_BUF_INIT, md = PG_BUF_INIT;
	const char *marker = PG_DEFAULT_COMMENT_MARKER;
	int truncated = -1;
	size_t i;

	net_comment_body(&b, NET_FORGE_GITHUB, marker, "| a |\n", &truncated);
	assert_string_equal(b.s, "<!-- perfgate -->\n| a |\n");
	assert_int_equal(truncated, 0);
	/* 1000 lines of 100 bytes (with a 2-byte character), over GitHub's
	 * limit only; 654 lines fit in 65536 - 18 (marker) - 101 (note) */
	for (i = 0; i < 1000; i++)
		pg_buf_addf(&md, "| %04zu | %-89s|\n", i, "\xc3\xbc");
	assert_int_equal(md.len, 100000);
	pg_buf_reset(&b);
	net_comment_body(&b, NET_FORGE_GITLAB, marker, md.s, &truncated);
	assert_int_equal(truncated, 0);
	assert_int_equal(b.len, 18 + md.len);
	pg_buf_reset(&b);
	net_comment_body(&b, NET_FORGE_GITHUB, marker, md.s, &truncated);
	assert_int_equal(truncated, 1);
	assert_true(b.len <= PG_GITHUB_COMMENT_MAX_BYTES);
	/* whole lines only: the kept part is a prefix ending in a newline */
	assert_true(!strncmp(b.s + 18, md.s, 100 * 654));
	assert_contains(b.s, "| 0653 |");
	assert_null(strstr(b.s, "| 0654 |"));
	assert_contains(b.s, "|\n\n**The report was cut to fit");
	assert_true(b.len + 100 > PG_GITHUB_COMMENT_MAX_BYTES);
	pg_buf_release(&b);
	pg_buf_release(&md);
}

static void describe(const char *body, long status, const char *secret,
                     const char *want)
{
	struct net_http_response r;
	struct pg_buf out = PG_BUF_INIT;

	net_http_response_init(&r);
	r.status = status;
	pg_buf_addstr(&r.body, body);
	pg_buf_addstr(&out, "prefix: ");
	net_http_describe_failure(&out, &r, secret);
	assert_string_equal(out.s, want);
	assert_int_equal(out.len, strlen(out.s));
	pg_buf_release(&out);
	net_http_response_release(&r);
}

static void test_describe_failure(void **state)
{
	char big[600];

	describe("{\"message\": \"Bad credentials\", \"documentation_url\": "
	         "\"x\"}",
	         401, NULL, "prefix: HTTP 401: Bad credentials");
	describe("{\"message\": {\"note\": [\"is too long\"]}}", 400, NULL,
	         "prefix: HTTP 400: {\"note\":[\"is too long\"]}");
	describe("{\"error\": \"insufficient_scope\", \"error_description\": "
	         "\"needs api\"}",
	         403, NULL, "prefix: HTTP 403: needs api");
	describe("<html>\r\n<b>Bad gateway</b></html>", 502, NULL,
	         "prefix: HTTP 502: <html>  <b>Bad gateway</b></html>");
	describe("", 500, NULL, "prefix: HTTP 500");
	describe("{\"message\": \"token tok123 expired\"}", 401, "tok123",
	         "prefix: HTTP 401: token *** expired");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		struct net_http_response r;
		struct pg_buf out = PG_BUF_INIT;

		net_http_response_init(&r);
		r.status = 503;
		pg_buf_addstr(&r.body, big);
		net_http_describe_failure(&out, &r, NULL);
		assert_int_equal(out.len, strlen("HTTP 503: ") + 200 + 3);
		pg_buf_release(&out);
		net_http_response_release(&r);
	}
}

struct sleeps {
	double d[8];
	int n;
};

static void record_sleep(double s, void *ctx)
{
	struct sleeps *z = ctx;

	if (z->n < 8)
		z->d[z->n] = s;
	z->n++;
}

/*
 * Connection refused on 127.0.0.1 port 1: retried (nothing was sent, so
 * even a POST), with the injected sleep getting the backoff delays; the
 * message names method and URL and never the secret.
 */
static void test_send_retries_refused_connection(void **state)
{
	static const char *const headers[] = {"Authorization: Bearer tok-42",
	                                      NULL};
	struct net_http_request req = {"POST",  "http://127.0.0.1:1/tok-42/x",
	                               headers, "{}",
	                               2,       "tok-42"};
	struct net_http_options o;
	struct net_http_response res;
	struct sleeps z = {{0}, 0};

	net_http_options_init(&o);
	o.retries = 3;
	o.backoff_s = 0.5;
	o.backoff_max_s = 1.5;
	o.sleep = record_sleep;
	o.sleep_ctx = &z;
	assert_int_equal(net_http_send(&o, &req, &res), PG_ERUNTIME);
	assert_int_equal(z.n, 3);
	assert_close(z.d[0], 0.5, 0);
	assert_close(z.d[1], 1.0, 0);
	assert_close(z.d[2], 1.5, 0);
	assert_int_equal(res.attempts, 4);
	assert_int_equal(res.status, 0);
	assert_contains(pg_error_last(), "POST 'http://127.0.0.1:1/***/x': ");
	assert_contains(pg_error_last(), "(after 4 attempts)");
	assert_null(strstr(pg_error_last(), "tok-42"));
	net_http_response_release(&res);
}

static void test_send_cancelled(void **state)
{
	struct net_http_request req = {
	        "GET", "http://127.0.0.1:1/", NULL, NULL, 0, NULL};
	static volatile sig_atomic_t cancel = 1;
	struct net_http_options o;
	struct net_http_response res;
	struct sleeps z = {{0}, 0};

	net_http_options_init(&o);
	o.sleep = record_sleep;
	o.sleep_ctx = &z;
	o.cancel = &cancel;
	assert_int_equal(net_http_send(&o, &req, &res), PG_ERUNTIME);
	assert_contains(pg_error_last(), "interrupted");
	assert_int_equal(z.n, 0);
	net_http_response_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_github_spec),
	        cmocka_unit_test(test_parse_gitlab_spec),
	        cmocka_unit_test(test_github_event),
	        cmocka_unit_test(test_github_ref),
	        cmocka_unit_test(test_detect_github),
	        cmocka_unit_test(test_detect_gitlab),
	        cmocka_unit_test(test_redact),
	        cmocka_unit_test(test_link_next),
	        cmocka_unit_test(test_retry_delay),
	        cmocka_unit_test(test_marker),
	        cmocka_unit_test(test_comment_body),
	        cmocka_unit_test(test_describe_failure),
	        cmocka_unit_test(test_send_retries_refused_connection),
	        cmocka_unit_test(test_send_cancelled),
	};
	int rc;

	if (net_http_global_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	net_http_global_cleanup();
	return rc;
}
