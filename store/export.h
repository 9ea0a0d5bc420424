/*
 * export.h - write a commit's files into a directory, for paired mode's
 * baseline tree.
 *
 * This is an export (like `git archive | tar x`), not a linked git
 * worktree: the directory gets no .git and the repository gets no
 * administrative entry, so removing the directory is the whole clean-up.
 * Submodules are not checked out.
 */
#ifndef PG_STORE_EXPORT_H
#define PG_STORE_EXPORT_H

#include "store/repo.h"

/*
 * Check out the tree of commit sha (full SHA or revision) into dir, which
 * must exist and be empty, leaving the repository's index, HEAD and
 * working tree alone.  Returns 0, PG_EINPUT for an unknown revision,
 * PG_ERUNTIME when the files cannot be written.
 */
int store_export(struct store *s, const char *sha, const char *dir);

#endif
