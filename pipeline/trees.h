/*
 * trees.h - scratch trees of commits for `perfgate explain` and `perfgate
 * bisect`: exported with libgit2 (store_export) into one private
 * directory under $TMPDIR, each with the working tree's perfgate.json
 * mapped into it (so that the working tree's config describes every
 * side, as in paired mode), built with the config's "build".  The
 * directory is removed by pipeline_trees_release() on every way out.
 */
#ifndef PG_PIPELINE_TREES_H
#define PG_PIPELINE_TREES_H

#include <signal.h>

#include "model/config.h"

struct store;

struct pipeline_trees {
	char *scratch; /* NULL until the first export */
	const struct config *work; /* the working tree's config, borrowed */
	const char *workdir; /* the working tree's root, borrowed */
	const volatile sig_atomic_t *cancel;
};

/* No tree yet; builds stop when *cancel is set (cancel may be NULL). */
void pipeline_trees_init(struct pipeline_trees *t, const struct config *work,
                         const char *workdir,
                         const volatile sig_atomic_t *cancel);

/*
 * Remove the scratch directory and free.  0, or the error of removing it
 * (everything is freed either way).
 */
int pipeline_trees_release(struct pipeline_trees *t);

/*
 * Export commit sha into scratch/name (removing what was there), into
 * *root (malloc'd), and load the working tree's config as if it lay at the
 * same place in that tree into cfg (initialised here; release it with
 * config_release() in every case).  Returns 0, PG_EINPUT when the config
 * is not under the working tree, or a store error.
 */
int pipeline_trees_export(struct pipeline_trees *t, struct store *s,
                          const char *sha, const char *name, char **root,
                          struct config *cfg);

/*
 * The working tree's config as it would be at the same place under root
 * (root: the working tree itself, or a tree exported by
 * pipeline_trees_export()), into cfg (released by the caller in every case).
 */
int pipeline_trees_config(const struct pipeline_trees *t, const char *root,
                          struct config *cfg);

/* Run cfg's "build" in root (cfg from pipeline_trees_config() of root):
 * runner_pairs_build(). */
int pipeline_trees_build(const struct pipeline_trees *t,
                         const struct config *cfg, const char *root);

#endif
