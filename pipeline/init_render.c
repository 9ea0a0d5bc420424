/*
 * perfgate init: the starter perfgate.json and CI file.  The config is
 * written by hand rather than by cJSON so that its layout (one benchmark a
 * line, comments first) reads well; every string goes through
 * pg_json_add_string, so it is valid JSON whatever the names.
 */
#include "pipeline/init.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/json.h"

#include <string.h>

/* the name of the placeholder entry when nothing was found */
#define INIT_PLACEHOLDER "replace-me"

static void add_key(struct pg_buf *b, const char *indent, const char *key,
                    const char *value, int comma)
{
	pg_buf_addstr(b, indent);
	pg_json_add_string(b, key);
	pg_buf_addstr(b, ": ");
	pg_json_add_string(b, value);
	pg_buf_addstr(b, comma ? ",\n" : "\n");
}

static void add_bench(struct pg_buf *b, const struct init_bench *e, int last)
{
	size_t i;

	pg_buf_addstr(b, "    {\"//\": ");
	pg_json_add_string(b, e->why);
	pg_buf_addstr(b, ",\n     \"name\": ");
	pg_json_add_string(b, e->name);
	pg_buf_addstr(b, ",\n     \"command\": [");
	for (i = 0; i < e->argc; i++) {
		if (i)
			pg_buf_addstr(b, ", ");
		pg_json_add_string(b, e->argv[i]);
	}
	pg_buf_addch(b, ']');
	if (e->format) {
		pg_buf_addstr(b, ",\n     \"format\": ");
		pg_json_add_string(b, e->format);
	}
	if (e->output) {
		pg_buf_addstr(b, ", \"output\": ");
		pg_json_add_string(b, e->output);
	}
	pg_buf_addstr(b, last ? "}\n" : "},\n");
}

void init_render(const struct init_found *f, struct pg_buf *b)
{
	static const char *const placeholder[] = {"true", NULL};
	struct init_bench none = {INIT_PLACEHOLDER,
	                          (char **)placeholder,
	                          1,
	                          NULL,
	                          NULL,
	                          "nothing found: put your benchmark's "
	                          "command here"};
	size_t i;

	pg_buf_addstr(b, "{\n");
	add_key(b, "  ", "//",
	        "Written by 'perfgate init'.  Keys starting with // are "
	        "comments.  Check the commands, then try 'perfgate ab HEAD' "
	        "(an A/A run) and 'perfgate noise'.  Every key: man 5 "
	        "perfgate.json",
	        1);
	if (f->build) {
		add_key(b, "  ", "//build",
		        "paired mode builds the baseline and the candidate "
		        "trees with this, then runs them in interleaved pairs",
		        1);
		add_key(b, "  ", "build", f->build, 1);
	}
	add_key(b, "  ", "//runs",
	        "stored mode: runs per benchmark; paired mode: pairs at each "
	        "look",
	        1);
	pg_buf_addf(b, "  \"runs\": %d,\n  \"warmup\": %d,\n", PG_INIT_RUNS,
	            PG_INIT_WARMUP);
	pg_buf_addf(b, "  \"pairs\": [10, 20, 30],\n");
	add_key(b, "  ", "//threshold",
	        "not set: 5% stored, 2% paired.  'perfgate noise' says what "
	        "this machine can tell apart and prints the line to add",
	        1);
	pg_buf_addstr(b, "  \"benchmarks\": [\n");
	for (i = 0; i < f->nbenches; i++)
		add_bench(b, &f->benches[i], i + 1 == f->nbenches);
	if (!f->nbenches)
		add_bench(b, &none, 1);
	pg_buf_addstr(b, "  ]\n}\n");
}

const char *init_ci_path(const char *platform)
{
	if (!strcmp(platform, "github"))
		return ".github/workflows/perfgate.yml";
	if (!strcmp(platform, "gitlab"))
		return ".gitlab-ci.yml";
	return NULL;
}

static void render_github(struct pg_buf *b, const char *version,
                          const char *branch)
{
	pg_buf_addf(
	        b,
	        "# perfgate: gate pull requests on performance, keep results "
	        "of %s.\n"
	        "# Written by 'perfgate init --ci github'; see docs/ci.md.\n"
	        "name: perfgate\n"
	        "on:\n"
	        "  pull_request:\n"
	        "  push:\n"
	        "    branches: [%s]\n"
	        "# a newer push to a pull request cancels its older run; "
	        "pushes to %s\n# are never cancelled: they store the "
	        "baselines\n"
	        "concurrency:\n"
	        "  group: perfgate-${{ github.ref }}\n"
	        "  cancel-in-progress: ${{ github.event_name == "
	        "'pull_request' }}\n"
	        "jobs:\n"
	        "  gate:\n"
	        "    if: github.event_name == 'pull_request'\n"
	        "    runs-on: ubuntu-latest\n"
	        "    permissions:\n"
	        "      contents: read\n"
	        "      pull-requests: write\n"
	        "    steps:\n"
	        "      - uses: actions/checkout@v4\n"
	        "        with:\n"
	        "          fetch-depth: 0\n"
	        "      - uses: %s@%s\n"
	        "  baseline:\n"
	        "    if: github.event_name == 'push'\n"
	        "    runs-on: ubuntu-latest\n"
	        "    permissions:\n"
	        "      contents: write\n"
	        "    steps:\n"
	        "      - uses: actions/checkout@v4\n"
	        "        with:\n"
	        "          fetch-depth: 0\n"
	        "      - uses: %s@%s\n"
	        "        with:\n"
	        "          comment: \"false\"\n",
	        branch, branch, branch, PG_ACTION_REPO, version, PG_ACTION_REPO,
	        version);
}

static void render_gitlab(struct pg_buf *b, const char *version)
{
	pg_buf_addf(b,
	            "# perfgate: gate merge requests on performance, keep "
	            "results of the\n# default branch.  Written by 'perfgate "
	            "init --ci gitlab'; see docs/ci.md.\n"
	            "include:\n"
	            "  - component: $CI_SERVER_FQDN/%s/perfgate@%s\n"
	            "    inputs:\n"
	            "      mode: auto\n",
	            PG_GITLAB_COMPONENT_PROJECT, version);
}

int init_render_ci(struct pg_buf *out, const char *platform,
                   const char *version, const char *branch)
{
	if (!strcmp(platform, "github"))
		render_github(out, version, branch);
	else if (!strcmp(platform, "gitlab"))
		render_gitlab(out, version);
	else
		return pg_error_input("--ci: '%s' is not github or gitlab",
		                      platform);
	return 0;
}
