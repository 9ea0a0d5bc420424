/*
 * perfgate comment: put the Markdown report on the pull/merge request
 * (one comment, updated in place) and/or POST the JSON report to a
 * webhook.  The work is in net/; this file parses options, reads the
 * files and decides what a failure means (--optional).
 */
#include "cmd/cmd.h"
#include "net/comment.h"
#include "net/forge.h"
#include "net/http.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/json.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char
        cmd_comment_usage
                [] = "usage: perfgate comment --markdown FILE [--github "
                     "OWNER/REPO#N |\n"
                     "                        --gitlab PROJECT!IID] [options]\n"
                     "       perfgate comment --webhook URL --json FILE "
                     "[options]\n"
                     "\n"
                     "Post the Markdown report (perfgate gate/compare "
                     "--markdown FILE) as\n"
                     "a comment on the pull request or merge request, or POST "
                     "the JSON\n"
                     "report (--json FILE) to a webhook; both when both are "
                     "given.\n"
                     "\n"
                     "The comment is created once and then edited in place: "
                     "its first\n"
                     "line is a hidden marker, \"<!-- perfgate -->\", by which "
                     "later runs\n"
                     "find it again (all pages of comments are searched).  A "
                     "run whose\n"
                     "report did not change leaves the comment alone.  Reports "
                     "longer\n"
                     "than GitHub's limit (65536 characters) are cut at a "
                     "line, with a\n"
                     "note.\n"
                     "\n"
                     "Options:\n"
                     "  --markdown FILE        the comment's text (Markdown)\n"
                     "  --github OWNER/REPO#N  comment on this GitHub pull "
                     "request\n"
                     "                         (default: detected, see below)\n"
                     "  --gitlab PROJECT!IID   comment on this GitLab merge "
                     "request;\n"
                     "                         PROJECT is a numeric id or a "
                     "path such\n"
                     "                         as group/app (default: "
                     "detected)\n"
                     "  --marker ID            use the marker \"<!-- "
                     "perfgate:ID -->\",\n"
                     "                         so that several suites keep one "
                     "comment\n"
                     "                         each (ID: letters, digits, "
                     "'.:_/-')\n"
                     "  --webhook URL          POST the --json report to URL "
                     "with\n"
                     "                         Content-Type: application/json; "
                     "any 2xx\n"
                     "                         answer is success.  Messages "
                     "show only\n"
                     "                         the URL's scheme and host\n"
                     "  --json FILE            the JSON report for --webhook\n"
                     "                         (perfgate gate/compare --json "
                     "FILE)\n"
                     "  --optional             a failure to post is a warning "
                     "and exit\n"
                     "                         0, for example on pull requests "
                     "from\n"
                     "                         forks, whose token is "
                     "read-only\n"
                     "  --timeout SECONDS      time limit of one HTTP attempt "
                     "(default\n"
                     "                         " STR(PG_DEFAULT_HTTP_TIMEOUT_S) ")\n"
                                                                                "  --connect-timeout SECONDS\n"
                                                                                "                         time limit to connect (default " STR(
                                                                                        PG_DEFAULT_HTTP_CONNECT_TIMEOUT_S) ")\n"
                                                                                                                           "  --retries N            retries after 429, 5xx, timeouts and\n"
                                                                                                                           "                         lost connections (default " STR(PG_DEFAULT_HTTP_RETRIES) "); the\n"
                                                                                                                                                                                                              "                         delay is the server's Retry-After (up to\n"
                                                                                                                                                                                                              "                         " STR(PG_DEFAULT_HTTP_RETRY_AFTER_MAX_S) " "
                                                                                                                                                                                                                                                                                 "s; a longer one fails at once), else\n"
                                                                                                                                                                                                                                                                                 "                         exponential backoff\n"
                                                                                                                                                                                                                                                                                 "  --retry-delay SECONDS  first backoff delay, doubled each retry\n"
                                                                                                                                                                                                                                                                                 "                         up to " STR(PG_DEFAULT_HTTP_BACKOFF_MAX_S) " s (default " STR(PG_DEFAULT_HTTP_BACKOFF_S) ")\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "Where the comment goes, without --github/--gitlab:\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "  GitHub Actions  GITHUB_REPOSITORY, and the pull request number\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  from the event at GITHUB_EVENT_PATH (or\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  GITHUB_REF refs/pull/N/merge).  Token:\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  PERFGATE_TOKEN, else GITHUB_TOKEN, sent as\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  \"Authorization: Bearer\"; the job needs\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  \"permissions: pull-requests: write\".  API:\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  GITHUB_API_URL (default " PG_DEFAULT_GITHUB_API_URL
                                                                                                                                                                                                                                                                                                                                                                                                    ")\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "  GitLab CI       CI_PROJECT_ID and CI_MERGE_REQUEST_IID (merge\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  request pipelines).  Token:\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  PERFGATE_GITLAB_TOKEN, else PERFGATE_TOKEN, sent\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  as PRIVATE-TOKEN; it needs the api scope.\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  CI_JOB_TOKEN cannot post notes.  API:\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  CI_API_V4_URL (default\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "                  " PG_DEFAULT_GITLAB_API_URL
                                                                                                                                                                                                                                                                                                                                                                                                    ")\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "With --github or --gitlab the token and API URL come from the same\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "variables.  Proxies: libcurl's http_proxy, https_proxy, ALL_PROXY\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "and NO_PROXY (not HTTP_PROXY).  Tokens never appear in output.\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "comment exits 0 when it posted; 2 on bad usage, unreadable files,\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "a missing token or no pull request to comment on; 3 when posting\n"
                                                                                                                                                                                                                                                                                                                                                                                                    "failed.  With --optional only bad usage and unreadable files fail.\n";

enum {
	OPT_MARKDOWN = 256,
	OPT_GITHUB,
	OPT_GITLAB,
	OPT_MARKER,
	OPT_WEBHOOK,
	OPT_JSON,
	OPT_OPTIONAL,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_RETRIES,
	OPT_RETRY_DELAY,
};

/* clang-format off */
static const struct option comment_options[] = {
	{"markdown",        required_argument, NULL, OPT_MARKDOWN},
	{"github",          required_argument, NULL, OPT_GITHUB},
	{"gitlab",          required_argument, NULL, OPT_GITLAB},
	{"marker",          required_argument, NULL, OPT_MARKER},
	{"webhook",         required_argument, NULL, OPT_WEBHOOK},
	{"json",            required_argument, NULL, OPT_JSON},
	{"optional",        no_argument,       NULL, OPT_OPTIONAL},
	{"timeout",         required_argument, NULL, OPT_TIMEOUT},
	{"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
	{"retries",         required_argument, NULL, OPT_RETRIES},
	{"retry-delay",     required_argument, NULL, OPT_RETRY_DELAY},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct comment_args {
	const char *markdown, *github, *gitlab, *marker_id;
	const char *webhook, *json;
	int optional;
	struct net_http_options http;
};

static int positive(const char *opt, const char *arg, double *out)
{
	if (cmd_parse_double("comment", opt, arg, out))
		return PG_EXIT_INPUT;
	if (!(*out > 0)) {
		cmd_error("comment: %s: '%s' must be more than 0", opt, arg);
		return PG_EXIT_INPUT;
	}
	return 0;
}

static int parse_option(struct comment_args *a, int c)
{
	long n;

	switch (c) {
	case OPT_MARKDOWN:
		a->markdown = optarg;
		return 0;
	case OPT_GITHUB:
		a->github = optarg;
		return 0;
	case OPT_GITLAB:
		a->gitlab = optarg;
		return 0;
	case OPT_MARKER:
		a->marker_id = optarg;
		return 0;
	case OPT_WEBHOOK:
		a->webhook = optarg;
		return 0;
	case OPT_JSON:
		a->json = optarg;
		return 0;
	case OPT_OPTIONAL:
		a->optional = 1;
		return 0;
	case OPT_TIMEOUT:
		return positive("--timeout", optarg, &a->http.timeout_s);
	case OPT_CONNECT_TIMEOUT:
		return positive("--connect-timeout", optarg,
		                &a->http.connect_timeout_s);
	case OPT_RETRY_DELAY:
		return positive("--retry-delay", optarg, &a->http.backoff_s);
	case OPT_RETRIES:
		if (cmd_parse_long("comment", "--retries", optarg, 0, &n))
			return PG_EXIT_INPUT;
		if (n > 20) {
			cmd_error("comment: --retries: '%s' is more than 20",
			          optarg);
			return PG_EXIT_INPUT;
		}
		a->http.retries = (unsigned)n;
		return 0;
	default:
		return -1;
	}
}

static int usage_error(const char *what)
{
	cmd_error("comment: %s (see 'perfgate help comment')", what);
	return PG_EXIT_INPUT;
}

static int parse_args(struct comment_args *a, int argc, char **argv)
{
	int c, r;

	memset(a, 0, sizeof(*a));
	net_http_options_init(&a->http);
	a->http.cancel = &cmd_interrupted;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", comment_options, NULL)) !=
	       -1) {
		if ((r = parse_option(a, c)) < 0)
			return cmd_bad_option("comment", argv, c);
		if (r)
			return r;
	}
	if (optind < argc)
		return usage_error("unexpected argument");
	if (!a->markdown && !a->webhook)
		return usage_error("nothing to post: give --markdown FILE, "
		                   "--webhook URL, or both");
	if (a->github && a->gitlab)
		return usage_error("--github and --gitlab exclude each other");
	if (!a->markdown && (a->github || a->gitlab || a->marker_id))
		return usage_error("--github, --gitlab and --marker need "
		                   "--markdown FILE");
	if (!!a->webhook != !!a->json)
		return usage_error("--webhook URL and --json FILE go together");
	return 0;
}

/* A failure to post: exit 3 (2 for bad input), or a warning. */
static int post_failed(const struct comment_args *a, int err)
{
	if (!a->optional)
		return cmd_fail(err);
	fprintf(stderr, "perfgate: warning: %s (--optional: not failing)\n",
	        pg_error_last());
	return PG_EXIT_PASS;
}

static int post_comment(const struct comment_args *a, const char *markdown,
                        const char *marker)
{
	struct net_forge_target t;
	struct net_comment_result r;
	static const char *const verbs[] = {"", "created", "updated",
	                                    "unchanged"};
	int err;

	memset(&t, 0, sizeof(t));
	memset(&r, 0, sizeof(r));
	if (a->github || a->gitlab) {
		err = a->github ? net_forge_parse_github(&t, a->github)
		                : net_forge_parse_gitlab(&t, a->gitlab);
		/* a malformed spec is bad usage even with --optional */
		if (err < 0) {
			net_forge_target_release(&t);
			return cmd_fail(err);
		}
		err = net_forge_complete(&t);
	} else {
		err = net_forge_detect(&t);
	}
	if (err == 0)
		err = net_comment_upsert(&a->http, &t, marker, markdown, &r);
	if (err == 0) {
		printf("perfgate: comment %s on %s %s%c%ld", verbs[r.action],
		       net_forge_name(t.kind), t.project,
		       t.kind == NET_FORGE_GITHUB ? '#' : '!', t.number);
		if (r.url)
			printf(": %s", r.url);
		else if (r.id)
			printf(" (id %lld)", r.id);
		putchar('\n');
		if (r.truncated)
			fprintf(stderr, "perfgate: warning: the report was cut "
			                "to fit the comment size limit\n");
	}
	net_comment_result_release(&r);
	net_forge_target_release(&t);
	return err < 0 ? post_failed(a, err) : PG_EXIT_PASS;
}

static int post_webhook(const struct comment_args *a, const struct pg_buf *json)
{
	long status;
	int err = net_webhook_post(&a->http, a->webhook, json->s, json->len,
	                           &status);

	if (err == PG_EINPUT)
		return cmd_fail(err);
	if (err < 0)
		return post_failed(a, err);
	printf("perfgate: webhook answered HTTP %ld\n", status);
	return PG_EXIT_PASS;
}

/* Read the files and the marker: bad input is exit 2 whatever --optional. */
static int read_inputs(const struct comment_args *a, struct pg_buf *markdown,
                       struct pg_buf *json, char **marker)
{
	cJSON *tree = NULL;
	int err = 0;

	if (a->markdown && (err = pg_buf_read_file(markdown, a->markdown)) < 0)
		return pg_error_wrap(err, "--markdown");
	if (a->markdown && strlen(markdown->s) != markdown->len)
		return pg_error_input("--markdown '%s': contains a NUL byte",
		                      a->markdown);
	if (a->json &&
	    ((err = pg_buf_read_file(json, a->json)) < 0 ||
	     (err = pg_json_parse(&tree, json->s, json->len, a->json)) < 0))
		return pg_error_wrap(err, "--json");
	cJSON_Delete(tree);
	if (a->markdown)
		err = net_comment_marker(marker, a->marker_id);
	return err;
}

int cmd_comment(int argc, char **argv)
{
	struct comment_args a;
	struct pg_buf markdown = PG_BUF_INIT, json = PG_BUF_INIT;
	char *marker = NULL;
	int code, err, worst = PG_EXIT_PASS;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	if ((err = read_inputs(&a, &markdown, &json, &marker)) < 0) {
		worst = cmd_fail(err);
		goto out;
	}
	if ((err = net_http_global_init()) < 0) {
		worst = post_failed(&a, err);
		goto out;
	}
	if (a.markdown)
		worst = post_comment(&a, markdown.s, marker);
	if (a.webhook && !cmd_interrupted) {
		code = post_webhook(&a, &json);
		if (code > worst)
			worst = code;
	}
	net_http_global_cleanup();
out:
	free(marker);
	pg_buf_release(&markdown);
	pg_buf_release(&json);
	return worst;
}
