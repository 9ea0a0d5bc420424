/*
 * forge.h - where `perfgate comment` posts: a GitHub pull request or a
 * GitLab merge request, named on the command line or detected from the CI
 * environment, with the API base URL and the token to use.
 *
 * Environment read (net_forge_detect, net_forge_complete):
 *   GitHub: GITHUB_REPOSITORY (owner/repo), GITHUB_EVENT_PATH (the event
 *   JSON: pull_request.number, or issue.number for comments on a pull
 *   request), else GITHUB_REF (refs/pull/N/merge); GITHUB_API_URL (default
 *   https://api.github.com); token PERFGATE_TOKEN, else GITHUB_TOKEN.
 *   GitLab: CI_PROJECT_ID, CI_MERGE_REQUEST_IID; CI_API_V4_URL (default
 *   https://gitlab.com/api/v4); token PERFGATE_GITLAB_TOKEN, else
 *   PERFGATE_TOKEN.  CI_JOB_TOKEN is never used: it cannot post merge
 *   request notes.
 */
#ifndef PG_NET_FORGE_H
#define PG_NET_FORGE_H

#include <stddef.h>

enum net_forge_kind {
	NET_FORGE_NONE = 0,
	NET_FORGE_GITHUB,
	NET_FORGE_GITLAB,
};

struct net_forge_target {
	enum net_forge_kind kind;
	char *api_url; /* no trailing slash */
	/* GitHub "owner/repo"; GitLab a numeric id or "group/project" */
	char *project;
	long number; /* pull request number or merge request IID */
	char *token;
	const char *token_var; /* static: the variable the token came from */
};

/* "github" or "gitlab" (static). */
const char *net_forge_name(enum net_forge_kind kind);

/* Free the members and zero t; accepts a zeroed t. */
void net_forge_target_release(struct net_forge_target *t);

/*
 * Parse "OWNER/REPO#N" (--github) into t->kind, project and number.
 * Returns 0 or PG_EINPUT naming spec.
 */
int net_forge_parse_github(struct net_forge_target *t, const char *spec);

/*
 * Parse "PROJECT!IID" (--gitlab), PROJECT a numeric id or a path like
 * "group/sub/project".  Returns 0 or PG_EINPUT naming spec.
 */
int net_forge_parse_gitlab(struct net_forge_target *t, const char *spec);

/*
 * The pull request number in a GitHub event payload of len bytes: the
 * pull_request event's pull_request.number, or issue.number when the
 * issue is a pull request (issue_comment).  *number is 0 when the event
 * concerns no pull request.  Returns 0, or PG_EINPUT when the JSON is
 * invalid (what names the file).
 */
int net_forge_github_event_pr(long *number, const char *json, size_t len,
                              const char *what);

/* N from GITHUB_REF's "refs/pull/N/merge" or ".../head", else 0. */
long net_forge_github_ref_pr(const char *ref);

/*
 * Fill t from the CI environment (GitHub Actions first, then GitLab CI):
 * kind, project, number, then as net_forge_complete().  Returns 0, or
 * PG_EINPUT explaining what is missing (no CI detected, not a pull or
 * merge request, no token).
 */
int net_forge_detect(struct net_forge_target *t);

/*
 * Given t->kind (and project, number), set api_url and token from the
 * environment.  Returns 0 or PG_EINPUT when there is no usable token; for
 * GitLab with only CI_JOB_TOKEN set, the message says why it cannot work.
 */
int net_forge_complete(struct net_forge_target *t);

#endif
