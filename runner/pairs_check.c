/*
 * Where a paired session's commands run, and whether they can: path
 * mapping into the baseline tree, commands naming the work tree by absolute
 * path, and the preflight.  See runner/pairs.h.
 */
#include "runner/pairs.h"
#include "runner/pairs_session.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* path with symbolic links resolved as far as it exists. */
static char *canonical(const char *path)
{
	char buf[PATH_MAX];
	const char *slash;
	struct pg_buf b = PG_BUF_INIT;
	char *parent, *head;

	if (realpath(path, buf))
		return pg_strdup(buf);
	slash = strrchr(path, '/');
	if (!slash || slash == path)
		return pg_strdup(path);
	parent = pg_strndup(path, (size_t)(slash - path));
	head = canonical(parent);
	pg_buf_addf(&b, "%s%s", head, slash);
	free(parent);
	free(head);
	return pg_buf_detach(&b, NULL);
}

int runner_pairs_map_path(char **out, const struct runner_pairs_opts *o,
                          const char *root, const char *path)
{
	char *top = canonical(o->cand_root), *p = canonical(path);
	size_t len = strlen(top);
	struct pg_buf b = PG_BUF_INIT;
	int err = 0;

	*out = NULL;
	while (len > 1 && top[len - 1] == '/')
		top[--len] = '\0';
	if (strncmp(p, top, len) || (p[len] != '/' && p[len] != '\0')) {
		err = pg_error_input("'%s' is outside the work tree '%s': "
		                     "paired mode runs each side in its own "
		                     "tree (use --stored)",
		                     path, top);
		goto out;
	}
	pg_buf_addf(&b, "%s%s", root, p + len);
	*out = pg_buf_detach(&b, NULL);
out:
	free(top);
	free(p);
	return err;
}

/* How a command reads in messages: its argv joined, or its shell line. */
static void describe_command(struct pg_buf *b, char *const *argv,
                             const char *shell)
{
	size_t i;

	if (shell) {
		pg_buf_addstr(b, shell);
		return;
	}
	for (i = 0; argv && argv[i]; i++)
		pg_buf_addf(b, "%s%s", i ? " " : "", argv[i]);
}

/* 1 when text names a path inside the directory top (canonical). */
static int names_path_in(const char *text, const char *top)
{
	size_t len = strlen(top);
	const char *at = text;

	while ((at = strstr(at, top)) != NULL) {
		if (at[len] == '/' || at[len] == '\0' || at[len] == ' ' ||
		    at[len] == '"' || at[len] == '\'')
			return 1;
		at += len;
	}
	return 0;
}

/*
 * Refuse a command that names the candidate's tree by absolute path: the
 * baseline side would run the candidate's copy, a silent A/A.
 */
static int check_absolute(const struct pairs_session *s, const char *bench,
                          char *const *argv, const char *shell)
{
	char *top = canonical(s->o->cand_root);
	struct pg_buf cmd = PG_BUF_INIT;
	size_t i;
	int bad = shell && names_path_in(shell, top), err = 0;

	for (i = 0; !bad && argv && argv[i]; i++)
		bad = names_path_in(argv[i], top);
	if (bad) {
		describe_command(&cmd, argv, shell);
		err = pg_error_input(
		        "benchmark '%s': '%s' names a path in the "
		        "work tree '%s' by its absolute path, so "
		        "both sides would run the candidate's copy: "
		        "use a path relative to the benchmark's "
		        "\"cwd\"",
		        bench, cmd.s, top);
	}
	pg_buf_release(&cmd);
	free(top);
	return err;
}

int pairs_check_paths(const struct pairs_session *s,
                      const struct config_bench *cb)
{
	int err = check_absolute(s, cb->name, cb->argv, cb->shell);

	if (!err && cb->service)
		err = check_absolute(s, cb->name, cb->service->argv,
		                     cb->service->shell);
	return err;
}

/*
 * One warmup invocation of p on side in an invoker of its own: *failed
 * and why as runner_invoker_run(), a process that cannot be set up
 * included.  Returns 0, or an error of the invoker (cancelled, bad
 * harness output).
 */
static int try_side(struct pairs_session *s, struct pair_entry *p, int side,
                    int *failed, struct pg_buf *why)
{
	struct result_run *runs[2] = {s->base, s->cand};
	struct runner_hooks hooks = {0};
	struct runner_invoker *v = NULL;
	int err;

	hooks.cancel = s->o->cancel;
	hooks.icount = s->o->counter;
	*failed = 0;
	err = runner_invoker_open(&v, &p->side_cb[side], &hooks,
	                          &p->state[side]);
	if (err == PG_ERUNTIME && !(s->o->cancel && *s->o->cancel)) {
		*failed = 1;
		pg_buf_addstr(why, pg_error_last());
		err = 0;
	} else if (!err) {
		err = runner_invoker_run(v, runs[side], 1, failed, why);
	}
	runner_invoker_close(v);
	if (err == PG_EINPUT)
		err = pg_error_wrap(err, "%s", pairs_side_name[side]);
	return err;
}

/* 1 when the baseline's own config has entry cb (or is not known). */
static int in_base(const struct pairs_session *s, const struct config_bench *cb)
{
	if (!s->o->base_cfg_read)
		return 1;
	return s->o->base_cfg && config_find_bench(s->o->base_cfg, cb->name);
}

/* Measure p on the candidate side only, and say why. */
static void go_solo(struct pairs_session *s, struct pair_entry *p,
                    const char *why)
{
	p->solo = 1;
	if (s->o->solo)
		s->o->solo(s->o->ctx, p->cb->name, why);
}

static void go_solo_because(struct pairs_session *s, struct pair_entry *p,
                            const char *why)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "the baseline side cannot run it: %s", why);
	go_solo(s, p, b.s);
	pg_buf_release(&b);
}

/* The exit-2 message when no benchmark can run on the baseline side. */
static int no_baseline_side(const struct pairs_session *s,
                            const struct pair_entry *p, const char *why)
{
	struct pg_buf cmd = PG_BUF_INIT;
	int err;

	describe_command(&cmd, p->cb->argv, p->cb->shell);
	err = pg_error_input(
	        "benchmark '%s': the baseline side cannot run '%s' in '%s': "
	        "%s; the baseline tree is an export of the commit, without "
	        "untracked or ignored files%s",
	        p->cb->name, cmd.s, p->side_cb[0].cwd, why,
	        s->cfg->build_argv || s->cfg->build_shell
	                ? " (is \"build\" building what it runs?)"
	                : ": add a \"build\" command to perfgate.json that "
	                  "builds what the benchmarks run");
	pg_buf_release(&cmd);
	return err;
}

/*
 * Each entry once on each side, baseline first, before any measured pair:
 * see runner_pairs_measure().  A load test is left to its batch (its service
 * starts there and its failures name the side).
 */
int pairs_preflight(struct pairs_session *s)
{
	struct pg_buf why = PG_BUF_INIT;
	const struct pair_entry *bad = NULL;
	char *bad_why = NULL;
	size_t i, runnable = 0;
	int err = 0, failed = 0, side;

	for (i = 0; i < s->nentries && !err; i++) {
		struct pair_entry *p = &s->entries[i];

		if (p->cb->service || !p->running) {
			runnable += p->running != 0;
			continue;
		}
		for (side = 0, failed = 0; side < 2 && !failed && !err; side++)
			err = try_side(s, p, side, &failed, &why);
		if (err)
			break;
		if (failed && side == 1 && !in_base(s, p->cb)) {
			go_solo(s, p,
			        "new in this change: the baseline's "
			        "config does not have it");
		} else if (failed && side == 1) {
			if (!bad) {
				bad = p;
				bad_why = pg_strdup(why.s);
			}
			go_solo_because(s, p, why.s);
		} else {
			runnable++;
			if (failed)
				pairs_fail(s, p, "candidate", 0, why.s);
			p->warmed = !failed;
		}
		pg_buf_reset(&why);
	}
	if (!err && !runnable && bad)
		err = no_baseline_side(s, bad, bad_why);
	free(bad_why);
	pg_buf_release(&why);
	return err;
}
