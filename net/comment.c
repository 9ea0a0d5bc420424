/* One comment per pull/merge request, found again by its marker. */
#include "net/comment.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/defaults.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

void net_comment_result_release(struct net_comment_result *r)
{
	if (!r)
		return;
	free(r->url);
	memset(r, 0, sizeof(*r));
}

int net_comment_marker(char **out, const char *id)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;

	*out = NULL;
	if (!id) {
		*out = pg_strdup(PG_DEFAULT_COMMENT_MARKER);
		return 0;
	}
	for (p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".:_/-", *p))
			break;
	if (!*id || *p || p - id > 64 || strstr(id, "--"))
		return pg_error_input("--marker '%s': use up to 64 letters, "
		                      "digits and '.:_/-', without '--'",
		                      id);
	pg_buf_addf(&b, "<!-- perfgate:%s -->", id);
	*out = pg_buf_detach(&b, NULL);
	return 0;
}

static const char truncated_note[] =
        "\n**The report was cut to fit the comment size limit; the job "
        "summary and artifacts have all of it.**\n";

void net_comment_body(struct pg_buf *out, enum net_forge_kind kind,
                      const char *marker, const char *markdown, int *truncated)
{
	size_t limit = kind == NET_FORGE_GITHUB ? PG_GITHUB_COMMENT_MAX_BYTES
	                                        : PG_GITLAB_NOTE_MAX_BYTES;
	size_t head = strlen(marker) + 1, len = strlen(markdown), keep;

	pg_buf_addstr(out, marker);
	pg_buf_addch(out, '\n');
	*truncated = head + len > limit;
	if (!*truncated) {
		pg_buf_addstr(out, markdown);
		return;
	}
	keep = limit - head - (sizeof(truncated_note) - 1);
	/* whole lines only: never half a table row or a UTF-8 sequence */
	while (keep > 0 && markdown[keep - 1] != '\n')
		keep--;
	pg_buf_add(out, markdown, keep);
	pg_buf_addstr(out, truncated_note);
}

/* What one upsert shares between its requests. */
struct forge_ctx {
	const struct net_http_options *o;
	const struct net_forge_target *t;
	const char *headers[6];
	char *auth; /* "Authorization: Bearer ..." or "PRIVATE-TOKEN: ..." */
	struct pg_buf list_url; /* the request's comments, no query */
};

static void ctx_init(struct forge_ctx *c, const struct net_http_options *o,
                     const struct net_forge_target *t)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;
	size_t n = 0;

	memset(c, 0, sizeof(*c));
	c->o = o;
	c->t = t;
	pg_buf_init(&c->list_url);
	if (t->kind == NET_FORGE_GITHUB) {
		pg_buf_addf(&b, "Authorization: Bearer %s", t->token);
		c->headers[n++] = "Accept: application/vnd.github+json";
		c->headers[n++] = "X-GitHub-Api-Version: 2022-11-28";
		pg_buf_addf(&c->list_url, "%s/repos/%s/issues/%ld/comments",
		            t->api_url, t->project, t->number);
	} else {
		pg_buf_addf(&b, "PRIVATE-TOKEN: %s", t->token);
		c->headers[n++] = "Accept: application/json";
		pg_buf_addf(&c->list_url, "%s/projects/", t->api_url);
		/* a project path is one URL-encoded segment */
		for (p = t->project; *p; p++)
			if (*p == '/')
				pg_buf_addstr(&c->list_url, "%2F");
			else
				pg_buf_addch(&c->list_url, *p);
		pg_buf_addf(&c->list_url, "/merge_requests/%ld/notes",
		            t->number);
	}
	c->auth = pg_buf_detach(&b, NULL);
	c->headers[n++] = c->auth;
	c->headers[n++] = "Content-Type: application/json";
	c->headers[n] = NULL;
}

static void ctx_release(struct forge_ctx *c)
{
	/* the token is in there: wipe it before free */
	if (c->auth)
		memset(c->auth, 0, strlen(c->auth));
	free(c->auth);
	pg_buf_release(&c->list_url);
}

static const char *hint(const struct forge_ctx *c, long status)
{
	if (status != 401 && status != 403 && status != 404)
		return "";
	if (c->t->kind == NET_FORGE_GITHUB)
		return status == 401
		               ? " (check the token)"
		               : " (the token needs 'pull-requests: write'; "
		                 "pull requests from forks get a read-only "
		                 "token)";
	return " (the token needs the api scope and at least the Reporter "
	       "role; CI_JOB_TOKEN cannot post notes)";
}

/*
 * One API call; 0 only for a 2xx answer.  On failure the message names
 * the forge, method, URL, status, the API's message and a hint.
 */
static int call(struct forge_ctx *c, const char *method, const char *url,
                const struct pg_buf *body, struct net_http_response *res)
{
	struct net_http_request req = {method, url, c->headers,
	                               NULL,   0,   c->t->token};
	struct pg_buf msg = PG_BUF_INIT;
	int err;

	if (body) {
		req.body = body->s;
		req.body_len = body->len;
	}
	err = net_http_send(c->o, &req, res);
	if (err < 0)
		return pg_error_wrap(err, "%s", net_forge_name(c->t->kind));
	if (res->status >= 200 && res->status < 300)
		return 0;
	pg_buf_addf(&msg, "%s: %s '%s': ", net_forge_name(c->t->kind), method,
	            url);
	net_http_describe_failure(&msg, res, c->t->token);
	pg_buf_addstr(&msg, hint(c, res->status));
	if (res->attempts > 1)
		pg_buf_addf(&msg, " (after %u attempts)", res->attempts);
	err = pg_error_runtime("%s", msg.s);
	pg_buf_release(&msg);
	return err;
}

/* "scheme://host[:port]" of url: its length, 0 when there is none. */
static size_t origin_len(const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return 0;
	p += 3;
	return (size_t)(p - url) + strcspn(p, "/?#");
}

static int same_origin(const char *a, const char *b)
{
	size_t n = origin_len(a);

	return n && n == origin_len(b) && !strncasecmp(a, b, n);
}

static int parse_json(cJSON **out, const struct net_http_response *res,
                      const char *url)
{
	int err = pg_json_parse(out, res->body.s, res->body.len, url);

	if (err < 0)
		return pg_error_wrap(PG_ERUNTIME,
		                     "the API answered HTTP %ld with something "
		                     "that is not JSON (is the API URL right?)",
		                     res->status);
	return 0;
}

static int body_has_marker(const char *body, const char *marker)
{
	while (isspace((unsigned char)*body))
		body++;
	return !strncmp(body, marker, strlen(marker));
}

/* An existing comment: found, its id and body (owned). */
struct found {
	int found;
	long long id;
	char *body;
};

/* Look through one page (a JSON array) for the marker. */
static int scan_page(struct found *f, const cJSON *page, const char *marker,
                     const char *url)
{
	const cJSON *item, *id, *body;

	if (!cJSON_IsArray(page))
		return pg_error_runtime("'%s': expected a JSON array of "
		                        "comments",
		                        url);
	cJSON_ArrayForEach(item, page)
	{
		if (cJSON_IsTrue(pg_json_get(item, "system")))
			continue; /* GitLab's "added 1 commit" notes */
		id = pg_json_get(item, "id");
		body = pg_json_get(item, "body");
		if (!cJSON_IsNumber(id) || !cJSON_IsString(body) ||
		    !body_has_marker(body->valuestring, marker))
			continue;
		f->found = 1;
		f->id = (long long)id->valuedouble;
		f->body = pg_strdup(body->valuestring);
		return 0;
	}
	return 0;
}

static int find_comment(struct forge_ctx *c, const char *marker,
                        struct found *f)
{
	struct net_http_response res;
	struct pg_buf url = PG_BUF_INIT;
	cJSON *page = NULL;
	char *next = NULL;
	int err = 0, n;

	net_http_response_init(&res);
	pg_buf_addf(&url, "%s?per_page=%d", c->list_url.s,
	            PG_COMMENT_PAGE_SIZE);
	if (c->t->kind == NET_FORGE_GITLAB)
		pg_buf_addstr(&url, "&sort=asc&order_by=created_at");
	for (n = 0; n < PG_COMMENT_MAX_PAGES && !f->found; n++) {
		if ((err = call(c, "GET", url.s, NULL, &res)) < 0 ||
		    (err = parse_json(&page, &res, url.s)) < 0 ||
		    (err = scan_page(f, page, marker, url.s)) < 0)
			break;
		cJSON_Delete(page);
		page = NULL;
		free(next);
		next = net_http_link_next(
		        net_http_header_get(&res, "Link")
		                ? net_http_header_get(&res, "Link")
		                : "");
		net_http_response_release(&res);
		if (!next || f->found)
			break;
		/* the token goes with the request: stay on the API's host */
		if (!same_origin(next, c->t->api_url)) {
			err = pg_error_runtime("%s: the next page '%s' is not "
			                       "on '%s'; not following it",
			                       net_forge_name(c->t->kind), next,
			                       c->t->api_url);
			break;
		}
		pg_buf_reset(&url);
		pg_buf_addstr(&url, next);
	}
	net_http_response_release(&res);
	cJSON_Delete(page);
	free(next);
	pg_buf_release(&url);
	return err;
}

/* id and web address of the comment in a create/update answer. */
static void read_result(struct net_comment_result *r,
                        const struct net_http_response *res)
{
	const cJSON *id, *url;
	cJSON *root = NULL;

	if (pg_json_parse(&root, res->body.s, res->body.len, "response") < 0) {
		pg_error_clear();
		return;
	}
	id = pg_json_get(root, "id");
	url = pg_json_get(root, "html_url");
	if (cJSON_IsNumber(id))
		r->id = (long long)id->valuedouble;
	if (cJSON_IsString(url)) {
		free(r->url);
		r->url = pg_strdup(url->valuestring);
	}
	cJSON_Delete(root);
}

int net_comment_upsert(const struct net_http_options *o,
                       const struct net_forge_target *t, const char *marker,
                       const char *markdown, struct net_comment_result *res)
{
	struct forge_ctx c;
	struct found f = {0, 0, NULL};
	struct pg_buf text = PG_BUF_INIT, json = PG_BUF_INIT, url = PG_BUF_INIT;
	struct net_http_response r;
	int err;

	memset(res, 0, sizeof(*res));
	net_http_response_init(&r);
	ctx_init(&c, o, t);
	net_comment_body(&text, t->kind, marker, markdown, &res->truncated);
	pg_buf_addstr(&json, "{\"body\":");
	pg_json_add_string(&json, text.s);
	pg_buf_addch(&json, '}');
	if ((err = find_comment(&c, marker, &f)) < 0)
		goto out;
	if (f.found && !strcmp(f.body, text.s)) {
		res->action = NET_COMMENT_UNCHANGED;
		res->id = f.id;
	} else if (f.found) {
		if (t->kind == NET_FORGE_GITHUB)
			pg_buf_addf(&url, "%s/repos/%s/issues/comments/%lld",
			            t->api_url, t->project, f.id);
		else
			pg_buf_addf(&url, "%s/%lld", c.list_url.s, f.id);
		err = call(&c, t->kind == NET_FORGE_GITHUB ? "PATCH" : "PUT",
		           url.s, &json, &r);
		res->action = NET_COMMENT_UPDATED;
		res->id = f.id;
	} else {
		err = call(&c, "POST", c.list_url.s, &json, &r);
		res->action = NET_COMMENT_CREATED;
	}
	if (err == 0)
		read_result(res, &r);
out:
	net_http_response_release(&r);
	free(f.body);
	pg_buf_release(&url);
	pg_buf_release(&json);
	pg_buf_release(&text);
	ctx_release(&c);
	return err;
}

int net_webhook_post(const struct net_http_options *o, const char *url,
                     const char *json, size_t len, long *status)
{
	static const char *const headers[] = {
	        "Content-Type: application/json",
	        "Accept: application/json, text/plain, */*", NULL};
	size_t olen = origin_len(url);
	/* the path of a chat webhook is its secret */
	const char *secret = olen && strlen(url + olen) > 1 ? url + olen : NULL;
	struct net_http_request req = {"POST", url, headers, json, len, secret};
	struct net_http_response res;
	struct pg_buf msg = PG_BUF_INIT;
	int err;

	*status = 0;
	if (!olen ||
	    (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)))
		return pg_error_input("--webhook: not an http or https URL");
	err = net_http_send(o, &req, &res);
	if (err < 0) {
		err = pg_error_wrap(err, "webhook");
		goto out;
	}
	*status = res.status;
	if (res.status < 200 || res.status >= 300) {
		pg_buf_addf(&msg, "webhook: POST '%s': ", url);
		net_http_describe_failure(&msg, &res, NULL);
		net_redact(msg.s, secret);
		err = pg_error_runtime("%s", msg.s);
	}
out:
	net_http_response_release(&res);
	pg_buf_release(&msg);
	return err;
}
