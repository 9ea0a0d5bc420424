/*
 * comment.h - one perfgate comment per pull/merge request, updated in
 * place, and the JSON webhook.
 *
 * The comment's body starts with a hidden marker line (an HTML comment,
 * PG_DEFAULT_COMMENT_MARKER unless the caller names another), which is how
 * a later run finds it again: net_comment_upsert lists the request's
 * comments page by page (following Link: rel="next" on the API's own
 * origin only, so the token is never sent elsewhere), and edits the first
 * one whose body starts with the marker, or creates one when none does.
 *
 * GitHub: GET/POST  {api}/repos/{owner}/{repo}/issues/{n}/comments,
 *         PATCH     {api}/repos/{owner}/{repo}/issues/comments/{id},
 *         with "Authorization: Bearer <token>".
 * GitLab: GET/POST  {api}/projects/{id}/merge_requests/{iid}/notes,
 *         PUT       {api}/projects/{id}/merge_requests/{iid}/notes/{id},
 *         with "PRIVATE-TOKEN: <token>" (system notes are skipped).
 */
#ifndef PG_NET_COMMENT_H
#define PG_NET_COMMENT_H

#include <stddef.h>

#include "net/forge.h"
#include "net/http.h"
#include "util/buf.h"

enum net_comment_action {
	NET_COMMENT_CREATED = 1,
	NET_COMMENT_UPDATED,
	NET_COMMENT_UNCHANGED, /* the existing comment already said this */
};

struct net_comment_result {
	enum net_comment_action action;
	long long id; /* the comment's id */
	char *url; /* its web address when the API gave one, else NULL */
	int truncated; /* the report was cut to fit the size limit */
};

void net_comment_result_release(struct net_comment_result *r);

/*
 * The marker line for id: "<!-- perfgate -->" for NULL, else
 * "<!-- perfgate:ID -->", newly allocated.  ID may hold letters, digits
 * and ".:_/-" (at most 64), so that it cannot end the HTML comment.
 * Returns 0 or PG_EINPUT naming id.
 */
int net_comment_marker(char **out, const char *id);

/*
 * The comment body for kind into out: the marker line, then markdown,
 * cut at a line boundary to the forge's size limit with a note saying so
 * (*truncated set).
 */
void net_comment_body(struct pg_buf *out, enum net_forge_kind kind,
                      const char *marker, const char *markdown, int *truncated);

/*
 * Create or update the comment on t carrying marker, with markdown as its
 * report.  res is filled (release it whatever the result).  Returns 0, or
 * PG_ERUNTIME with a message naming the request, the HTTP status and the
 * API's own message, and a hint about tokens on 401/403/404; the token
 * never appears in it.
 */
int net_comment_upsert(const struct net_http_options *o,
                       const struct net_forge_target *t, const char *marker,
                       const char *markdown, struct net_comment_result *res);

/*
 * POST len bytes of JSON to url (Content-Type: application/json).
 * Webhook URLs are often secret (a chat's incoming webhook), so messages
 * show only the URL's origin.  Returns 0 for a 2xx answer, else
 * PG_ERUNTIME.  *status gets the HTTP status (0: none).
 */
int net_webhook_post(const struct net_http_options *o, const char *url,
                     const char *json, size_t len, long *status);

#endif
