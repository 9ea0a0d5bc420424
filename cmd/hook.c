/*
 * perfgate hook: install or remove the pre-push check, and the entry
 * points the installed hook calls.
 */
#include "cmd/cmd.h"
#include "cmd/hook.h"
#include "pipeline/hook.h"
#include "store/repo.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STR_(x) #x
#define STR(x) STR_(x)

const char cmd_hook_usage[] =
        "usage: perfgate hook install [--chain]\n"
        "       perfgate hook uninstall\n"
        "       perfgate hook settings [-c FILE]\n"
        "       perfgate hook pre-push REMOTE URL\n"
        "\n"
        "install writes the repository's pre-push hook (.git/hooks/pre-push,\n"
        "or core.hooksPath), which gates every pushed branch before it\n"
        "leaves: the pushed commit against its merge-base with the remote's\n"
        "default branch (refs/remotes/REMOTE/HEAD, else REMOTE/main or\n"
        "REMOTE/master; PERFGATE_PRE_PUSH_BASE names another), each checked\n"
        "out in a temporary directory.  Deletions and tags are not gated.  A\n"
        "regression (or a failure of perfgate) blocks the push.  The hook\n"
        "runs perfgate gate --paired: both commits are built with the\n"
        "config's \"build\" and measured in interleaved pairs in this one\n"
        "run.  (A perfgate found on PATH that has no --paired makes the hook\n"
        "measure the merge-base first, into a private notes ref deleted\n"
        "afterwards.)  Nothing is stored in refs/notes/perfgate and nothing\n"
        "is pushed.\n"
        "\n"
        "What runs comes from the pushed commit's perfgate.json:\n"
        "  \"pre_push\": {\"filter\": \"REGEX\", \"pairs\": N}\n"
        "filter selects benchmarks by name (POSIX ERE; default: all), pairs\n"
        "is the runs per side (default " STR(
                PG_DEFAULT_PRE_PUSH_PAIRS) ").\n"
                                           "\n"
                                           "Bypass it once with "
                                           "PERFGATE_SKIP=1 git push, or git "
                                           "push\n"
                                           "--no-verify.\n"
                                           "\n"
                                           "  install            refuses when "
                                           "a pre-push hook that perfgate did\n"
                                           "                     not write "
                                           "exists (it never overwrites one);\n"
                                           "                     rewrites "
                                           "perfgate's own\n"
                                           "  --chain            keep the "
                                           "existing hook as "
                                           "pre-push.perfgate-\n"
                                           "                     chained and "
                                           "run it first, with the same\n"
                                           "                     arguments and "
                                           "input; the push stops if it\n"
                                           "                     fails\n"
                                           "  uninstall          remove "
                                           "perfgate's hook (and put a chained "
                                           "hook\n"
                                           "                     back); "
                                           "refuses to remove a hook perfgate "
                                           "did\n"
                                           "                     not write\n"
                                           "  settings [-c FILE] print the "
                                           "pre-push runs per side, then the\n"
                                           "                     filter "
                                           "(empty: all), one per line "
                                           "(default\n"
                                           "                     FILE: "
                                           "perfgate.json)\n"
                                           "  pre-push REMOTE URL  the check "
                                           "itself, as the hook runs it\n";

/* This perfgate's absolute path, for the hook to call it back. */
static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return pg_strdup("perfgate");
	buf[n] = '\0';
	return pg_strdup(buf);
}

static int install(int chain)
{
	struct pipeline_hook p;
	char *self = self_path();
	int err = pipeline_hook_install(&p, self, chain);

	if (p.done == PIPELINE_HOOK_UPDATED)
		fprintf(stderr, "perfgate: updated '%s'\n", p.hook);
	else if (p.done == PIPELINE_HOOK_CHAINED)
		fprintf(stderr,
		        "perfgate: installed '%s'; the existing hook runs "
		        "first, kept as '%s'\n",
		        p.hook, p.chained);
	else if (p.done == PIPELINE_HOOK_INSTALLED)
		fprintf(stderr, "perfgate: installed '%s'\n", p.hook);
	pipeline_hook_release(&p);
	free(self);
	return cmd_fail(err);
}

static int uninstall(void)
{
	struct pipeline_hook p;
	int err = pipeline_hook_uninstall(&p);

	if (p.done == PIPELINE_HOOK_UNCHAINED)
		fprintf(stderr,
		        "perfgate: removed perfgate's check; '%s' is "
		        "the hook that was chained\n",
		        p.hook);
	else if (p.done == PIPELINE_HOOK_REMOVED)
		fprintf(stderr, "perfgate: removed '%s'\n", p.hook);
	pipeline_hook_release(&p);
	return cmd_fail(err);
}

/* clang-format off */
static const struct option hook_settings_options[] = {
	{"config", required_argument, NULL, 'c'},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int settings(int argc, char **argv)
{
	const char *path = PG_DEFAULT_CONFIG;
	struct config cfg;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", hook_settings_options,
	                        NULL)) != -1) {
		if (c != 'c')
			return cmd_bad_option("hook settings", argv, c);
		path = optarg;
	}
	if (optind < argc) {
		cmd_error("hook settings: unexpected argument '%s'",
		          argv[optind]);
		return PG_EXIT_INPUT;
	}
	err = config_load(&cfg, path);
	if (!err)
		printf("%ld\n%s\n", cfg.pre_push_pairs,
		       cfg.pre_push_filter ? cfg.pre_push_filter : "");
	config_release(&cfg);
	return cmd_fail(err);
}

static int pre_push(int argc, char **argv)
{
	char *self;

	if (argc < 2 || argc > 3) {
		cmd_error("hook pre-push: expected REMOTE [URL], as git passes "
		          "them (see 'perfgate help hook')");
		return PG_EXIT_INPUT;
	}
	self = self_path();
	if (setenv("PERFGATE_BIN", self, 1) < 0) {
		free(self);
		cmd_error("hook pre-push: cannot set PERFGATE_BIN");
		return PG_EXIT_RUNTIME;
	}
	free(self);
	execl("/bin/sh", "sh", "-c", cmd_hook_pre_push_script,
	      "perfgate-pre-push", argv[1], argc > 2 ? argv[2] : argv[1],
	      (char *)NULL);
	cmd_error("hook pre-push: cannot run /bin/sh: %s", strerror(errno));
	return PG_EXIT_RUNTIME;
}

int cmd_hook(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (sub && !strcmp(sub, "install")) {
		if (argc == 3 && !strcmp(argv[2], "--chain"))
			return install(1);
		if (argc == 2)
			return install(0);
	} else if (sub && !strcmp(sub, "uninstall") && argc == 2) {
		return uninstall();
	} else if (sub && !strcmp(sub, "settings")) {
		return settings(argc - 1, argv + 1);
	} else if (sub && !strcmp(sub, "pre-push")) {
		return pre_push(argc - 1, argv + 1);
	} else if (sub) {
		cmd_error("hook: unknown subcommand '%s' (see 'perfgate help "
		          "hook')",
		          sub);
		return PG_EXIT_INPUT;
	}
	if (!sub)
		cmd_error("hook: expected install, uninstall, settings or "
		          "pre-push (see 'perfgate help hook')");
	else
		cmd_error("hook %s: unexpected argument '%s' (see 'perfgate "
		          "help hook')",
		          sub, argv[2]);
	return PG_EXIT_INPUT;
}
