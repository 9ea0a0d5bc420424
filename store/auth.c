/*
 * Credentials for remotes: what CI runners already have.  libgit2 1.5
 * reads neither credential helpers nor http.extraheader, so both the
 * tokens CI exports and the extra headers that actions/checkout writes
 * into .git/config are supplied here.
 */
#include "store/internal.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

static const char *const token_vars[] = {"PERFGATE_TOKEN", "GITHUB_TOKEN",
                                         "CI_JOB_TOKEN", NULL};

/* Does config key "http.<url>.extraheader" apply to remote url? */
static int header_applies(const char *key, const char *url)
{
	const char *start = key + 5, *end = strrchr(key, '.');
	size_t n;

	if (end == key + 4) /* "http.extraheader": every URL */
		return 1;
	n = (size_t)(end - start);
	return strlen(url) >= n && !strncmp(url, start, n);
}

void store_auth_init(struct store_auth *a, struct store *s, const char *url)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	size_t alloc = 0;

	memset(a, 0, sizeof(*a));
	/* not a glob iterator: libgit2's pcre2 regex leaks per match */
	if (git_repository_config_snapshot(&cfg, s->repo) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		git_error_clear();
		goto out;
	}
	while (git_config_next(&e, it) == 0) {
		/* the shortest key is "http.extraheader", 16 characters */
		size_t n = strlen(e->name);

		if (n < 16 || strncmp(e->name, "http.", 5) ||
		    strcmp(e->name + n - 12, ".extraheader") || !e->value ||
		    !*e->value || !header_applies(e->name, url))
			continue;
		a->headers = pg_grow_array(a->headers, sizeof(char *),
		                           a->nheaders + 1, &alloc);
		a->headers[a->nheaders++] = pg_strdup(e->value);
	}
	git_error_clear();
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
}

void store_auth_release(struct store_auth *a)
{
	size_t i;

	for (i = 0; i < a->nheaders; i++)
		free(a->headers[i]);
	free(a->headers);
	memset(a, 0, sizeof(*a));
}

int store_auth_credentials(git_credential **out, const char *url,
                           const char *username_from_url,
                           unsigned int allowed_types, void *payload)
{
	struct store_auth *a = payload;
	const char *token = NULL, *user;
	size_t i;

	if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) && !a->tried_agent) {
		a->tried_agent = 1;
		return git_credential_ssh_key_from_agent(
		        out, username_from_url ? username_from_url : "git");
	}
	if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) &&
	    !a->tried_token) {
		a->tried_token = 1;
		for (i = 0; token_vars[i] && !token; i++) {
			token = getenv(token_vars[i]);
			if (token && !*token)
				token = NULL;
			else if (token)
				a->token_vars_used = token_vars[i];
		}
		if (token) {
			/* GitLab wants this user name for job tokens */
			user = !strcmp(a->token_vars_used, "CI_JOB_TOKEN")
			               ? "gitlab-ci-token"
			       : username_from_url ? username_from_url
			                           : "x-access-token";
			return git_credential_userpass_plaintext_new(out, user,
			                                             token);
		}
	}
	if (allowed_types & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(
		        out, username_from_url ? username_from_url : "git");
	return GIT_PASSTHROUGH;
}
