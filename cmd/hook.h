/*
 * hook.h - the pre-push check of `perfgate hook`.
 *
 * .git/hooks/pre-push (written by `perfgate hook install`) runs
 * `perfgate hook pre-push REMOTE URL`, which runs this script with
 * /bin/sh, PERFGATE_BIN naming the perfgate binary, the hook's arguments
 * and its standard input.  For every pushed branch (deletions, tags and
 * other refs are skipped) it gates the pushed commit against its
 * merge-base with the remote's default branch, in checkouts of both
 * commits in a temporary directory, with the "pre_push" settings of the
 * pushed commit's perfgate.json; nothing is stored in refs/notes/perfgate
 * or pushed.  Exit 0 lets the push go on; 1 (a regression) or any failure
 * blocks it.  PERFGATE_SKIP=1 skips it.
 */
#ifndef PG_CMD_HOOK_H
#define PG_CMD_HOOK_H

extern const char cmd_hook_pre_push_script[];

#endif
