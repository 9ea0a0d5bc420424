/* Where to comment: specs, GitHub event payloads, the CI environment. */
#include "net/forge.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

const char *net_forge_name(enum net_forge_kind kind)
{
	switch (kind) {
	case NET_FORGE_GITHUB:
		return "github";
	case NET_FORGE_GITLAB:
		return "gitlab";
	default:
		return "none";
	}
}

void net_forge_target_release(struct net_forge_target *t)
{
	if (!t)
		return;
	free(t->api_url);
	free(t->project);
	free(t->token);
	memset(t, 0, sizeof(*t));
}

/* A positive decimal number with nothing around it, else 0. */
static long parse_number(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return 0;
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v > 1000000000L ? 0 : v;
}

/* Owner, repository and group names: letters, digits, '.', '_', '-'. */
static int name_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-';
}

/* Path segments of name_char, separated by single '/'. */
static int valid_path(const char *s, size_t len, int max_segments)
{
	size_t i, seglen = 0;
	int segments = 1;

	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '/') {
			if (!seglen || ++segments > max_segments)
				return 0;
			seglen = 0;
		} else if (name_char((unsigned char)s[i])) {
			seglen++;
		} else {
			return 0;
		}
	}
	return seglen > 0;
}

int net_forge_parse_github(struct net_forge_target *t, const char *spec)
{
	const char *hash = strrchr(spec, '#');
	size_t plen = hash ? (size_t)(hash - spec) : 0;
	long n = hash ? parse_number(hash + 1) : 0;

	if (!hash || !n || !valid_path(spec, plen, 2) ||
	    !memchr(spec, '/', plen))
		return pg_error_input("--github '%s': expected OWNER/REPO#N, "
		                      "for example octo/app#12",
		                      spec);
	t->kind = NET_FORGE_GITHUB;
	free(t->project);
	t->project = pg_strndup(spec, plen);
	t->number = n;
	return 0;
}

int net_forge_parse_gitlab(struct net_forge_target *t, const char *spec)
{
	const char *bang = strrchr(spec, '!');
	size_t plen = bang ? (size_t)(bang - spec) : 0;
	long n = bang ? parse_number(bang + 1) : 0;

	/* GitLab nests groups up to 20 deep */
	if (!bang || !n || !valid_path(spec, plen, 21))
		return pg_error_input("--gitlab '%s': expected PROJECT!IID, "
		                      "PROJECT a numeric id or a path, for "
		                      "example group/app!7",
		                      spec);
	t->kind = NET_FORGE_GITLAB;
	free(t->project);
	t->project = pg_strndup(spec, plen);
	t->number = n;
	return 0;
}

static long json_positive(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 1e9 ||
	    v->valuedouble != (double)(long)v->valuedouble)
		return 0;
	return (long)v->valuedouble;
}

int net_forge_github_event_pr(long *number, const char *json, size_t len,
                              const char *what)
{
	const cJSON *pr, *issue;
	cJSON *root = NULL;
	int err;

	*number = 0;
	if ((err = pg_json_parse(&root, json, len, what)) < 0)
		return err;
	pr = pg_json_get(root, "pull_request");
	issue = pg_json_get(root, "issue");
	if (cJSON_IsObject(pr))
		*number = json_positive(pg_json_get(pr, "number"));
	else if (cJSON_IsObject(issue) &&
	         cJSON_IsObject(pg_json_get(issue, "pull_request")))
		*number = json_positive(pg_json_get(issue, "number"));
	cJSON_Delete(root);
	return 0;
}

long net_forge_github_ref_pr(const char *ref)
{
	const char *p, *slash;
	char num[16];
	size_t n;

	if (!ref || strncmp(ref, "refs/pull/", 10))
		return 0;
	p = ref + 10;
	slash = strchr(p, '/');
	if (!slash || (strcmp(slash, "/merge") && strcmp(slash, "/head")))
		return 0;
	n = (size_t)(slash - p);
	if (!n || n >= sizeof(num))
		return 0;
	memcpy(num, p, n);
	num[n] = '\0';
	return parse_number(num);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static char *api_url(const char *var, const char *fallback)
{
	const char *v = env(var);
	char *url = pg_strdup(v ? v : fallback);
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
	return url;
}

int net_forge_complete(struct net_forge_target *t)
{
	static const char *const github_vars[] = {"PERFGATE_TOKEN",
	                                          "GITHUB_TOKEN", NULL};
	static const char *const gitlab_vars[] = {"PERFGATE_GITLAB_TOKEN",
	                                          "PERFGATE_TOKEN", NULL};
	const char *const *var;
	int github = t->kind == NET_FORGE_GITHUB;

	free(t->api_url);
	free(t->token);
	t->token = NULL;
	t->api_url =
	        github ? api_url("GITHUB_API_URL", PG_DEFAULT_GITHUB_API_URL)
	               : api_url("CI_API_V4_URL", PG_DEFAULT_GITLAB_API_URL);
	for (var = github ? github_vars : gitlab_vars; *var; var++) {
		if (env(*var)) {
			t->token = pg_strdup(env(*var));
			t->token_var = *var;
			return 0;
		}
	}
	if (github)
		return pg_error_input(
		        "no GitHub token: set GITHUB_TOKEN (env: GITHUB_TOKEN: "
		        "${{ github.token }}) or PERFGATE_TOKEN");
	if (env("CI_JOB_TOKEN"))
		return pg_error_input(
		        "no GitLab token: CI_JOB_TOKEN cannot post merge "
		        "request notes; set PERFGATE_GITLAB_TOKEN to a project "
		        "or personal access token with the api scope");
	return pg_error_input("no GitLab token: set PERFGATE_GITLAB_TOKEN to "
	                      "a project or personal access token with the "
	                      "api scope");
}

static int detect_github(struct net_forge_target *t)
{
	const char *path = env("GITHUB_EVENT_PATH");
	const char *repo = env("GITHUB_REPOSITORY");
	struct pg_buf text = PG_BUF_INIT;
	long n = 0;
	int err = 0;

	if (!valid_path(repo, strlen(repo), 2) || !strchr(repo, '/'))
		return pg_error_input("GITHUB_REPOSITORY '%s' is not "
		                      "OWNER/REPO",
		                      repo);
	if (path && ((err = pg_buf_read_file(&text, path)) < 0 ||
	             (err = net_forge_github_event_pr(&n, text.s, text.len,
	                                              path)) < 0)) {
		pg_buf_release(&text);
		return pg_error_wrap(err, "GITHUB_EVENT_PATH");
	}
	pg_buf_release(&text);
	if (!n)
		n = net_forge_github_ref_pr(env("GITHUB_REF"));
	if (!n)
		return pg_error_input(
		        "not a pull request: the '%s' event names none (run "
		        "the comment step on pull_request events, or pass "
		        "--github OWNER/REPO#N)",
		        env("GITHUB_EVENT_NAME") ? env("GITHUB_EVENT_NAME")
		                                 : "unknown");
	t->kind = NET_FORGE_GITHUB;
	t->project = pg_strdup(repo);
	t->number = n;
	return 0;
}

static int detect_gitlab(struct net_forge_target *t)
{
	const char *iid = env("CI_MERGE_REQUEST_IID");
	long n = iid ? parse_number(iid) : 0;

	if (!n)
		return pg_error_input(
		        "not a merge request pipeline: CI_MERGE_REQUEST_IID "
		        "is %s (run the job with rules: - if: "
		        "$CI_PIPELINE_SOURCE == \"merge_request_event\", or "
		        "pass --gitlab PROJECT!IID)",
		        iid ? "not a number" : "unset");
	t->kind = NET_FORGE_GITLAB;
	t->project = pg_strdup(env("CI_PROJECT_ID"));
	t->number = n;
	return 0;
}

int net_forge_detect(struct net_forge_target *t)
{
	int err;

	memset(t, 0, sizeof(*t));
	if (env("GITHUB_REPOSITORY"))
		err = detect_github(t);
	else if (env("CI_PROJECT_ID"))
		err = detect_gitlab(t);
	else
		err = pg_error_input("cannot tell which pull request to "
		                     "comment on: neither GITHUB_REPOSITORY "
		                     "nor CI_PROJECT_ID is set (pass --github "
		                     "OWNER/REPO#N or --gitlab PROJECT!IID)");
	if (err == 0)
		err = net_forge_complete(t);
	if (err < 0)
		net_forge_target_release(t);
	return err;
}
