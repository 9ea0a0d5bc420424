/*
 * hook.h - installing and removing the pre-push hook of `perfgate hook`.
 *
 * The hook perfgate writes is a small /bin/sh script marked as perfgate's
 * (uninstall removes only such a file) that calls `perfgate hook
 * pre-push` back (cmd/hook.h has the check it runs).  An existing hook
 * perfgate did not write is left alone, or, with chain, moved aside to
 * pre-push.perfgate-chained and run first with the same arguments and
 * input.
 */
#ifndef PG_PIPELINE_HOOK_H
#define PG_PIPELINE_HOOK_H

/* What install or uninstall did. */
enum pipeline_hook_done {
	PIPELINE_HOOK_NOTHING,
	PIPELINE_HOOK_INSTALLED, /* a new hook */
	PIPELINE_HOOK_CHAINED, /* a new hook; the one there runs first */
	PIPELINE_HOOK_UPDATED, /* perfgate's own hook rewritten */
	PIPELINE_HOOK_REMOVED, /* perfgate's hook removed */
	PIPELINE_HOOK_UNCHAINED, /* the chained hook put back in its place */
};

/* Where the hooks are, and what was done; release with
 * pipeline_hook_release() whatever the result. */
struct pipeline_hook {
	char *dir; /* the hooks directory (core.hooksPath or .git/hooks) */
	char *hook; /* dir/pre-push */
	char *chained; /* dir/pre-push.perfgate-chained */
	enum pipeline_hook_done done;
};

/*
 * Install the hook of the repository of the current directory into p,
 * calling self (this perfgate's path) back; chain: keep an existing hook
 * perfgate did not write and run it first.  0, or PG_EINPUT for a hook
 * that is not perfgate's (without chain, or with a chained one already),
 * PG_ERUNTIME when a file cannot be written or moved (an existing hook is
 * put back).
 */
int pipeline_hook_install(struct pipeline_hook *p, const char *self, int chain);

/*
 * Remove perfgate's hook of the repository of the current directory,
 * putting a chained hook back.  0, PG_EINPUT when there is no hook or it
 * is not perfgate's, PG_ERUNTIME when it cannot be removed.
 */
int pipeline_hook_uninstall(struct pipeline_hook *p);

void pipeline_hook_release(struct pipeline_hook *p);

#endif
