/*
 * Installing and removing perfgate's pre-push hook: see pipeline/hook.h.
 */
#include "pipeline/hook.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Marks a hook perfgate wrote; uninstall removes only such a file. */
#define HOOK_MARKER "# perfgate-hook: pre-push v1"
#define CHAINED_SUFFIX ".perfgate-chained"

void pipeline_hook_release(struct pipeline_hook *p)
{
	free(p->dir);
	free(p->hook);
	free(p->chained);
}

static int find_paths(struct pipeline_hook *p)
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

static void hook_text(struct pg_buf *b, const char *self, int chained)
{

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
}

static int write_hook(const char *path, const char *self, int chained)
{
	struct pg_buf text = PG_BUF_INIT;
	int err;

	hook_text(&text, self, chained);
	err = pg_write_file_atomic(path, text.s, text.len);
	if (!err && chmod(path, 0755) < 0)
		err = pg_error_runtime("cannot make '%s' executable: %s", path,
		                       strerror(errno));
	pg_buf_release(&text);
	return err;
}

int pipeline_hook_install(struct pipeline_hook *p, const char *self, int chain)
{
	int err, have, have_chained;

	if ((err = find_paths(p)) < 0)
		return err;
	if (mkdir(p->dir, 0755) < 0 && errno != EEXIST) {
		err = pg_error_runtime("cannot create '%s': %s", p->dir,
		                       strerror(errno));
		goto out;
	}
	have = exists(p->hook);
	have_chained = exists(p->chained);
	if (have < 0 || have_chained < 0) {
		err = pg_error_runtime("cannot look at '%s': %s", p->hook,
		                       strerror(errno));
		goto out;
	}
	if (have && is_ours(p->hook)) {
		/* an update of our own hook keeps its chain */
		if (!(err = write_hook(p->hook, self, have_chained)))
			p->done = PIPELINE_HOOK_UPDATED;
		goto out;
	}
	if (have && !chain) {
		err = pg_error_input("'%s' exists and perfgate did not write "
		                     "it: use 'perfgate hook install --chain' "
		                     "to run it before perfgate's check, or "
		                     "remove it",
		                     p->hook);
		goto out;
	}
	if (have && have_chained) {
		err = pg_error_input("cannot chain: '%s' exists already",
		                     p->chained);
		goto out;
	}
	if (have && rename(p->hook, p->chained) < 0) {
		err = pg_error_runtime("cannot move '%s' to '%s': %s", p->hook,
		                       p->chained, strerror(errno));
		goto out;
	}
	if ((err = write_hook(p->hook, self, have)) < 0) {
		if (have)
			rename(p->chained, p->hook);
		goto out;
	}
	p->done = have ? PIPELINE_HOOK_CHAINED : PIPELINE_HOOK_INSTALLED;
out:
	return err;
}

int pipeline_hook_uninstall(struct pipeline_hook *p)
{
	int err, have;

	if ((err = find_paths(p)) < 0)
		return err;
	have = exists(p->hook);
	if (have <= 0) {
		err = have < 0 ? pg_error_runtime("cannot look at '%s': %s",
		                                  p->hook, strerror(errno))
		               : pg_error_input("no pre-push hook at '%s'",
		                                p->hook);
		goto out;
	}
	if (!is_ours(p->hook)) {
		err = pg_error_input("'%s' was not written by perfgate: "
		                     "leaving it alone",
		                     p->hook);
		goto out;
	}
	if (exists(p->chained) == 1) {
		if (rename(p->chained, p->hook) < 0)
			err = pg_error_runtime("cannot move '%s' back to '%s': "
			                       "%s",
			                       p->chained, p->hook,
			                       strerror(errno));
		else
			p->done = PIPELINE_HOOK_UNCHAINED;
	} else if (unlink(p->hook) < 0) {
		err = pg_error_runtime("cannot remove '%s': %s", p->hook,
		                       strerror(errno));
	} else {
		p->done = PIPELINE_HOOK_REMOVED;
	}
out:
	return err;
}
