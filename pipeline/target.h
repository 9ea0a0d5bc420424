/*
 * target.h - where a run is stored: the repository of the current
 * directory and the commit the results belong to.
 */
#ifndef PG_PIPELINE_TARGET_H
#define PG_PIPELINE_TARGET_H

struct pg_buf;
struct store;
struct result_run;

/*
 * Storing the results of `perfgate run`.  prepare opens
 * the repository of the current directory and picks the commit: REV when
 * commit is non-NULL, the PR head on GitHub pull_request events
 * (pull_request.head.sha from $GITHUB_EVENT_PATH), else HEAD; and records
 * whether the working tree is dirty.  Outside a git repository (and
 * without commit) it prints a note and leaves t->store NULL, so save does
 * nothing.  Errors: unborn HEAD, bare repository, unknown REV (PG_EINPUT).
 * save fills run->commit and run->dirty and appends the run.  When the
 * append fails, save keeps the run in a file (pipeline_target_keep) and records
 * the whole message, naming that file, in t->save_error (owned by t) so
 * that a verb can write its reports first and then fail with it.
 */
struct pipeline_target {
	struct store *store;
	char sha[41];
	int dirty;
	char *save_error; /* why the last save failed, or NULL */
};
int pipeline_target_prepare(struct pipeline_target *t, const char *commit,
                            const char *notes_ref);
int pipeline_target_save(struct pipeline_target *t, struct result_run *run);
/*
 * A run stored in two steps, for one serialised before it is stored
 * (model/result_spool.h): stamp fills run->commit and run->dirty as save
 * does (nothing outside a repository); save_doc then appends doc, the
 * document of that one run (whose id is id), which must read back, and
 * keeps it in a file when the append fails, as save does.
 */
void pipeline_target_stamp(struct pipeline_target *t, struct result_run *run);
int pipeline_target_save_doc(struct pipeline_target *t, const char *id,
                             const struct pg_buf *doc);
/*
 * After store_append_run(run on sha) failed with err: write run to
 * $TMPDIR/perfgate-unstored-<id>.json, extend the recorded message with
 * that path and how to store it later, and copy that message into
 * t->save_error.  Returns err.  keep_doc does the same for run id's
 * document doc.
 */
int pipeline_target_keep(struct pipeline_target *t, const char *sha,
                         const struct result_run *run, int err);
int pipeline_target_keep_doc(struct pipeline_target *t, const char *sha,
                             const char *id, const struct pg_buf *doc, int err);
void pipeline_target_release(struct pipeline_target *t);

#endif
