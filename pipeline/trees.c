/* Scratch trees of commits: see pipeline/trees.h. */
#include "pipeline/trees.h"
#include "util/error.h"
#include "runner/pairs.h"
#include "store/export.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void pipeline_trees_init(struct pipeline_trees *t, const struct config *work,
                         const char *workdir,
                         const volatile sig_atomic_t *cancel)
{
	memset(t, 0, sizeof(*t));
	t->work = work;
	t->workdir = workdir;
	t->cancel = cancel;
}

int pipeline_trees_release(struct pipeline_trees *t)
{
	int err = t->scratch ? pg_remove_tree(t->scratch) : 0;

	free(t->scratch);
	t->scratch = NULL;
	return err;
}

/* runner_pairs_map_path() from the working tree into root. */
static int map(const struct pipeline_trees *t, const char *root,
               const char *path, char **out)
{
	struct runner_pairs_opts po;

	runner_pairs_opts_init(&po);
	po.cand_root = t->workdir;
	return runner_pairs_map_path(out, &po, root, path);
}

int pipeline_trees_config(const struct pipeline_trees *t, const char *root,
                          struct config *cfg)
{
	struct pg_buf text = PG_BUF_INIT;
	char *dir = NULL;
	const char *base = strrchr(t->work->path, '/');
	struct pg_buf path = PG_BUF_INIT;
	int err;

	config_init(cfg);
	if ((err = map(t, root, t->work->dir, &dir)) < 0 ||
	    (err = pg_buf_read_file(&text, t->work->path)) < 0)
		goto out;
	pg_buf_addf(&path, "%s/%s", dir, base ? base + 1 : t->work->path);
	config_release(cfg);
	err = config_parse(cfg, text.s, text.len, path.s);
out:
	free(dir);
	pg_buf_release(&text);
	pg_buf_release(&path);
	return err;
}

int pipeline_trees_export(struct pipeline_trees *t, struct store *s,
                          const char *sha, const char *name, char **root,
                          struct config *cfg)
{
	struct pg_buf p = PG_BUF_INIT;
	int err;

	*root = NULL;
	config_init(cfg);
	if (!t->scratch &&
	    (err = pg_mkdtemp(&t->scratch, "perfgate-tree.")) < 0)
		return err;
	pg_buf_addf(&p, "%s/%s", t->scratch, name);
	*root = pg_buf_detach(&p, NULL);
	if ((err = pg_remove_tree(*root)) < 0)
		return err;
	if (mkdir(*root, 0700) < 0)
		return pg_error_runtime("cannot make '%s': %s", *root,
		                        strerror(errno));
	if ((err = store_export(s, sha, *root)) < 0)
		return err;
	config_release(cfg);
	return pipeline_trees_config(t, *root, cfg);
}

int pipeline_trees_build(const struct pipeline_trees *t,
                         const struct config *cfg, const char *root)
{
	struct runner_pairs_opts po;

	runner_pairs_opts_init(&po);
	po.cand_root = root;
	po.cancel = t->cancel;
	return runner_pairs_build(cfg, &po, root);
}
