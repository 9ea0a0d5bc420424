/*
 * perfgate hook: install or remove the pre-push check, and the entry
 * points the installed hook calls.
 */
#include "cmd/cmd.h"
#include "cmd/hook.h"
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

/* Marks a hook perfgate wrote; uninstall removes only such a file. */
#define HOOK_MARKER "# perfgate-hook: pre-push v1"
#define CHAINED_SUFFIX ".perfgate-chained"

struct hook_paths {
	char *dir; /* the hooks directory */
	char *hook; /* dir/pre-push */
	char *chained; /* dir/pre-push.perfgate-chained */
};

static void hook_paths_release(struct hook_paths *p)
{
	free(p->dir);
	free(p->hook);
	free(p->chained);
}

static int find_paths(struct hook_paths *p)
{
	struct store *s = NULL;
	struct pg_buf b = PG_BUF_INIT;
	int err;

	memset(p, 0, sizeof(*p));
	err = store_open(&s, NULL, NULL, STORE_ALLOW_UNBORN);
	if (!err)
		err = store_hooks_dir(s, &p->dir);
	store_free(s);
	if (err < 0)
		return err;
	pg_buf_addf(&b, "%s/pre-push", p->dir);
	p->hook = pg_buf_detach(&b, NULL);
	pg_buf_addf(&b, "%s/pre-push%s", p->dir, CHAINED_SUFFIX);
	p->chained = pg_buf_detach(&b, NULL);
	return 0;
}

/* 1 when path exists, -1 when it cannot be checked, else 0. */
static int exists(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* 1 when the file at path carries perfgate's marker. */
static int is_ours(const char *path)
{
	struct pg_buf text = PG_BUF_INIT;
	int ours = pg_buf_read_file(&text, path) == 0 &&
	           strstr(text.s, HOOK_MARKER) != NULL;

	pg_buf_release(&text);
	pg_error_clear();
	return ours;
}

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

/* Single-quote s for /bin/sh. */
static void add_sh_quoted(struct pg_buf *b, const char *s)
{
	pg_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			pg_buf_addstr(b, "'\\''");
		else
			pg_buf_addch(b, *s);
	}
	pg_buf_addch(b, '\'');
}

static void hook_text(struct pg_buf *b, int chained)
{
	char *self = self_path();

	pg_buf_addstr(b, "#!/bin/sh\n" HOOK_MARKER "\n"
	                 "# Written by 'perfgate hook install'; remove it with "
	                 "'perfgate hook uninstall'.\n"
	                 "# Bypass once: PERFGATE_SKIP=1 git push, or git push "
	                 "--no-verify.\n");
	if (chained)
		pg_buf_addstr(
		        b, "# The hook that was here runs first, with "
		           "the same arguments and input.\n"
		           "input=$(cat)\n"
		           "feed() { [ -z \"$input\" ] || "
		           "printf '%s\\n' \"$input\"; }\n"
		           "chained=\"$(dirname \"$0\")/pre-push" CHAINED_SUFFIX
		           "\"\n"
		           "if [ -x \"$chained\" ]; then\n"
		           "\tfeed | \"$chained\" \"$@\" || exit\n"
		           "fi\n");
	pg_buf_addstr(b, "perfgate=");
	add_sh_quoted(b, self);
	pg_buf_addstr(b, "\n[ -x \"$perfgate\" ] || perfgate=perfgate\n");
	if (chained)
		pg_buf_addstr(b, "feed | \"$perfgate\" hook pre-push \"$@\"\n");
	else
		pg_buf_addstr(b, "exec \"$perfgate\" hook pre-push \"$@\"\n");
	free(self);
}

static int write_hook(const char *path, int chained)
{
	struct pg_buf text = PG_BUF_INIT;
	int err;

	hook_text(&text, chained);
	err = pg_write_file_atomic(path, text.s, text.len);
	if (!err && chmod(path, 0755) < 0)
		err = pg_error_runtime("cannot make '%s' executable: %s", path,
		                       strerror(errno));
	pg_buf_release(&text);
	return err;
}

static int install(int chain)
{
	struct hook_paths p;
	int err, have, have_chained;

	if ((err = find_paths(&p)) < 0)
		return cmd_fail(err);
	if (mkdir(p.dir, 0755) < 0 && errno != EEXIST) {
		err = pg_error_runtime("cannot create '%s': %s", p.dir,
		                       strerror(errno));
		goto out;
	}
	have = exists(p.hook);
	have_chained = exists(p.chained);
	if (have < 0 || have_chained < 0) {
		err = pg_error_runtime("cannot look at '%s': %s", p.hook,
		                       strerror(errno));
		goto out;
	}
	if (have && is_ours(p.hook)) {
		/* an update of our own hook keeps its chain */
		if (!(err = write_hook(p.hook, have_chained)))
			fprintf(stderr, "perfgate: updated '%s'\n", p.hook);
		goto out;
	}
	if (have && !chain) {
		err = pg_error_input("'%s' exists and perfgate did not write "
		                     "it: use 'perfgate hook install --chain' "
		                     "to run it before perfgate's check, or "
		                     "remove it",
		                     p.hook);
		goto out;
	}
	if (have && have_chained) {
		err = pg_error_input("cannot chain: '%s' exists already",
		                     p.chained);
		goto out;
	}
	if (have && rename(p.hook, p.chained) < 0) {
		err = pg_error_runtime("cannot move '%s' to '%s': %s", p.hook,
		                       p.chained, strerror(errno));
		goto out;
	}
	if ((err = write_hook(p.hook, have)) < 0) {
		if (have)
			rename(p.chained, p.hook);
		goto out;
	}
	if (have)
		fprintf(stderr,
		        "perfgate: installed '%s'; the existing hook runs "
		        "first, kept as '%s'\n",
		        p.hook, p.chained);
	else
		fprintf(stderr, "perfgate: installed '%s'\n", p.hook);
out:
	hook_paths_release(&p);
	return cmd_fail(err);
}

static int uninstall(void)
{
	struct hook_paths p;
	int err, have;

	if ((err = find_paths(&p)) < 0)
		return cmd_fail(err);
	have = exists(p.hook);
	if (have <= 0) {
		err = have < 0 ? pg_error_runtime("cannot look at '%s': %s",
		                                  p.hook, strerror(errno))
		               : pg_error_input("no pre-push hook at '%s'",
		                                p.hook);
		goto out;
	}
	if (!is_ours(p.hook)) {
		err = pg_error_input("'%s' was not written by perfgate: "
		                     "leaving it alone",
		                     p.hook);
		goto out;
	}
	if (exists(p.chained) == 1) {
		if (rename(p.chained, p.hook) < 0)
			err = pg_error_runtime("cannot move '%s' back to '%s': "
			                       "%s",
			                       p.chained, p.hook,
			                       strerror(errno));
		else
			fprintf(stderr,
			        "perfgate: removed perfgate's check; '%s' is "
			        "the hook that was chained\n",
			        p.hook);
	} else if (unlink(p.hook) < 0) {
		err = pg_error_runtime("cannot remove '%s': %s", p.hook,
		                       strerror(errno));
	} else {
		fprintf(stderr, "perfgate: removed '%s'\n", p.hook);
	}
out:
	hook_paths_release(&p);
	return cmd_fail(err);
}

static int settings(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"config", required_argument, NULL, 'c'},
	        {NULL, 0, NULL, 0},
	};
	const char *path = PG_DEFAULT_CONFIG;
	struct config cfg;
	int c, err;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", opts, NULL)) != -1) {
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
