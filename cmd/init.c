/*
 * perfgate init: look at the repository, write a starter perfgate.json
 * (and with --ci the CI file), say what was found and what to check.
 * Nothing that exists is overwritten without --force.
 */
#include "cmd/cmd.h"
#include "pipeline/init.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_init_usage[] =
        "usage: perfgate init [--force] [--ci github|gitlab] [--measure]\n"
        "                     [--stdout] [-c FILE]\n"
        "\n"
        "Look at the repository (a Makefile or CMake build, Google\n"
        "Benchmark sources, go test -bench packages, pytest-benchmark "
        "tests,\n"
        "hyperfine commands in scripts, cargo bench, JMH, package.json\n"
        "scripts and Makefile targets named bench*) and write a starter\n"
        "perfgate.json at the work tree's root: valid JSON, commented with\n"
        "\"//\" keys, relative paths and the \"build\" paired mode needs.  "
        "It says\nwhat it found and what to check, and ends with the lines "
        "to add to CI.\n"
        "\n"
        "  -c, --config FILE   write FILE instead of perfgate.json at the\n"
        "                      work tree's root\n"
        "  --force             overwrite an existing config (and CI file)\n"
        "  --ci PLATFORM       also write the CI file: github\n"
        "                      (.github/workflows/perfgate.yml) or gitlab\n"
        "                      (.gitlab-ci.yml)\n"
        "  --measure           then run 'perfgate noise' on the new config\n"
        "  --stdout            print the config instead of writing it\n"
        "\n"
        "An existing file is never overwritten without --force: init says\n"
        "so and exits 2 before writing anything.\n";

struct init_args {
	const char *config, *ci;
	int force, measure, to_stdout;
};

enum {
	OPT_FORCE = 256,
	OPT_CI,
	OPT_MEASURE,
	OPT_STDOUT,
};

/* clang-format off */
static const struct option init_options[] = {
	{"config",  required_argument, NULL, 'c'},
	{"force",   no_argument,       NULL, OPT_FORCE},
	{"ci",      required_argument, NULL, OPT_CI},
	{"measure", no_argument,       NULL, OPT_MEASURE},
	{"stdout",  no_argument,       NULL, OPT_STDOUT},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int parse_args(struct init_args *a, int argc, char **argv)
{
	int c;

	memset(a, 0, sizeof(*a));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", init_options, NULL)) != -1) {
		if (c == 'c')
			a->config = optarg;
		else if (c == OPT_FORCE)
			a->force = 1;
		else if (c == OPT_CI)
			a->ci = optarg;
		else if (c == OPT_MEASURE)
			a->measure = 1;
		else if (c == OPT_STDOUT)
			a->to_stdout = 1;
		else
			return cmd_bad_option("init", argv, c);
	}
	if (optind < argc) {
		cmd_error("init: unexpected argument '%s'", argv[optind]);
		return PG_EXIT_INPUT;
	}
	if (a->ci && !init_ci_path(a->ci)) {
		cmd_error("init: --ci: '%s' is not github or gitlab", a->ci);
		return PG_EXIT_INPUT;
	}
	return 0;
}

/* The default branch: main or master when one exists, else main. */
static const char *default_branch(struct store *s)
{
	char sha[41];

	if (s && store_resolve(s, "refs/heads/main", sha) < 0 &&
	    store_resolve(s, "refs/heads/master", sha) == 0) {
		pg_error_clear();
		return "master";
	}
	pg_error_clear();
	return "main";
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int mkdirs(const char *path)
{
	char *p = pg_strdup(path), *q;
	int err = 0;

	for (q = strchr(p + 1, '/'); q && !err; q = strchr(q + 1, '/')) {
		*q = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			err = pg_error_runtime("cannot create '%s': %s", p,
			                       strerror(errno));
		*q = '/';
	}
	free(p);
	return err;
}

static void say_found(const struct init_found *f, const char *path)
{
	printf("perfgate init: wrote %s\n", path);
	if (f->found.len)
		printf("\nFound:\n%s", f->found.s);
	else
		printf("\nFound no benchmarks: the config times 'true' under "
		       "the name replace-me;\nput your benchmark's command "
		       "there.\n");
	printf("\nCheck:\n%s", f->check.s ? f->check.s : "");
	printf("the commands run from %s's directory, as \"command\" "
	       "arrays (no shell)\n",
	       path);
	if (f->build)
		printf("\"build\" (%s) builds a fresh checkout: paired mode "
		       "runs it in both trees\n",
		       f->build);
	printf("then: perfgate ab HEAD   (an A/A run: expect a pass)\n");
}

static void say_ci(const char *ci, const char *branch)
{
	printf("\nAdd to CI (docs/ci.md):\n");
	if (!ci || !strcmp(ci, "github"))
		printf("  GitHub, in a job with 'permissions: contents: read, "
		       "pull-requests: write':\n"
		       "    - uses: actions/checkout@v4\n"
		       "      with: {fetch-depth: 0}\n"
		       "    - uses: %s@v1\n",
		       PG_ACTION_REPO);
	if (!ci || !strcmp(ci, "gitlab"))
		printf("  GitLab, in .gitlab-ci.yml:\n"
		       "    include:\n"
		       "      - component: $CI_SERVER_FQDN/%s/perfgate@1\n",
		       PG_GITLAB_COMPONENT_PROJECT);
	printf("  (pushes to %s store the baselines; 'perfgate init --ci "
	       "github|gitlab' writes the whole file)\n",
	       branch);
}

static int write_new(const char *path, const struct pg_buf *text)
{
	int err = mkdirs(path);

	return err ? err : pg_write_file_atomic(path, text->s, text->len);
}

/* Render both files, refuse to overwrite, then write both. */
static int run_init(const struct init_args *a, const char *root,
                    const char *branch)
{
	struct init_found f;
	struct pg_buf cfg = PG_BUF_INIT, ci = PG_BUF_INIT, path = PG_BUF_INIT,
	              ci_path = PG_BUF_INIT;
	int err;

	init_found_init(&f);
	if ((err = init_detect(&f, root)) < 0)
		goto out;
	init_render(&f, &cfg);
	if (a->to_stdout) {
		fwrite(cfg.s, 1, cfg.len, stdout);
		goto out;
	}
	if (a->config)
		pg_buf_addstr(&path, a->config);
	else
		pg_buf_addf(&path, "%s/perfgate.json", root);
	if (a->ci) {
		pg_buf_addf(&ci_path, "%s/%s", root, init_ci_path(a->ci));
		init_render_ci(&ci, a->ci,
		               !strcmp(a->ci, "github") ? "v1" : "1", branch);
	}
	if (!a->force && exists(path.s))
		err = pg_error_input("'%s' exists: perfgate init never "
		                     "overwrites it (--force does; --stdout "
		                     "prints the new one)",
		                     path.s);
	else if (!a->force && a->ci && exists(ci_path.s))
		err = pg_error_input("'%s' exists: perfgate init never "
		                     "overwrites it (--force does); add the "
		                     "lines 'perfgate init --stdout' prints",
		                     ci_path.s);
	if (!err)
		err = write_new(path.s, &cfg);
	if (!err && a->ci && (err = write_new(ci_path.s, &ci)) == 0)
		printf("perfgate init: wrote %s\n", ci_path.s);
	if (!err)
		say_found(&f, path.s);
	if (!err && !a->ci)
		say_ci(NULL, branch);
out:
	init_found_release(&f);
	pg_buf_release(&cfg);
	pg_buf_release(&ci);
	pg_buf_release(&path);
	pg_buf_release(&ci_path);
	return err;
}

int cmd_init(int argc, char **argv)
{
	struct init_args a;
	struct store *s = NULL;
	char *root;
	int code, err;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	/* outside a repository, the current directory */
	if (store_open(&s, NULL, NULL, STORE_ALLOW_UNBORN) < 0) {
		pg_error_clear();
		s = NULL;
	}
	root = pg_strdup(s && store_workdir(s) ? store_workdir(s) : ".");
	if (strlen(root) > 1 && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	err = run_init(&a, root, default_branch(s));
	store_free(s);
	if (err < 0 || !a.measure || a.to_stdout) {
		free(root);
		return err < 0 ? cmd_fail(err) : PG_EXIT_PASS;
	}
	{
		char *nargv[] = {"noise", "-c", NULL, NULL};
		struct pg_buf path = PG_BUF_INIT;
		int rc;

		if (a.config)
			pg_buf_addstr(&path, a.config);
		else
			pg_buf_addf(&path, "%s/perfgate.json", root);
		nargv[2] = path.s;
		printf("\nperfgate noise -c %s:\n", path.s);
		fflush(stdout);
		optind = 0;
		rc = cmd_noise(3, nargv);
		pg_buf_release(&path);
		free(root);
		return rc;
	}
}
