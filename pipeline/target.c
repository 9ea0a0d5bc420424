/*
 * Where `perfgate run` stores (pipeline/target.h) its results: HEAD by default,
 * --commit REV, or on GitHub pull_request events the PR head commit rather than
 * the synthetic merge commit that actions/checkout checks out.
 */
#include "pipeline/target.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "model/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * pull_request.head.sha from $GITHUB_EVENT_PATH on pull_request events,
 * into sha; 0 when this is not such an event.
 */
static int github_pr_head(char sha[41])
{
	const char *event = getenv("GITHUB_EVENT_NAME");
	const char *path = getenv("GITHUB_EVENT_PATH");
	struct pg_buf text = PG_BUF_INIT;
	const cJSON *pr, *head, *hsha;
	cJSON *root = NULL;
	int found = 0;

	if (!event || !path ||
	    (strcmp(event, "pull_request") &&
	     strcmp(event, "pull_request_target")))
		return 0;
	if (pg_buf_read_file(&text, path) < 0 ||
	    pg_json_parse(&root, text.s, text.len, path) < 0) {
		fprintf(stderr,
		        "perfgate: warning: cannot read the GitHub "
		        "event: %s; storing on HEAD\n",
		        pg_error_last());
		goto out;
	}
	pr = pg_json_get(root, "pull_request");
	head = pg_json_get(pr, "head");
	hsha = pg_json_get(head, "sha");
	if (cJSON_IsString(hsha) && strlen(hsha->valuestring) == 40) {
		memcpy(sha, hsha->valuestring, 41);
		found = 1;
	}
out:
	cJSON_Delete(root);
	pg_buf_release(&text);
	return found;
}

int pipeline_target_prepare(struct pipeline_target *t, const char *commit,
                            const char *notes_ref)
{
	int err;

	memset(t, 0, sizeof(*t));
	err = store_open(&t->store, NULL, notes_ref, 0);
	if (err < 0) {
		/* outside a repository, measuring still makes sense */
		if (!commit && pg_error_reason() == PG_ENOTREPO) {
			fprintf(stderr,
			        "perfgate: note: not in a git repository: "
			        "results are not stored\n");
			pg_error_clear();
			return 0;
		}
		return err;
	}
	if (commit) {
		err = store_resolve(t->store, commit, t->sha);
	} else if (github_pr_head(t->sha)) {
		fprintf(stderr,
		        "perfgate: note: pull_request event: storing "
		        "on the PR head %.12s, not the merge commit\n",
		        t->sha);
	} else {
		err = store_resolve(t->store, "HEAD", t->sha);
	}
	if (err == 0)
		err = store_is_dirty(t->store, &t->dirty);
	if (err < 0) {
		store_free(t->store);
		t->store = NULL;
	}
	return err;
}

void pipeline_target_stamp(struct pipeline_target *t, struct result_run *run)
{
	if (!t->store)
		return;
	run->dirty = t->dirty;
	free(run->commit);
	run->commit = pg_strdup(t->sha);
}

static void say_stored(const struct pipeline_target *t, const char *id)
{
	fprintf(stderr, "perfgate: stored run %s on %.12s in '%s'%s\n", id,
	        t->sha, store_notes_ref(t->store),
	        t->dirty ? " (dirty working tree: never a baseline)" : "");
}

int pipeline_target_save(struct pipeline_target *t, struct result_run *run)
{
	int err;

	if (!t->store)
		return 0;
	pipeline_target_stamp(t, run);
	err = store_append_run(t->store, t->sha, run);
	if (err < 0)
		return pipeline_target_keep(t, t->sha, run, err);
	say_stored(t, run->id);
	return 0;
}

int pipeline_target_save_doc(struct pipeline_target *t, const char *id,
                             const struct pg_buf *doc)
{
	int err;

	if (!t->store)
		return 0;
	err = store_append_run_doc(t->store, t->sha, doc);
	if (err < 0)
		return pipeline_target_keep_doc(t, t->sha, id, doc, err);
	say_stored(t, id);
	return 0;
}

int pipeline_target_keep(struct pipeline_target *t, const char *sha,
                         const struct result_run *run, int err)
{
	struct pg_buf doc = PG_BUF_INIT;

	result_doc_to_json(run, 1, &doc);
	err = pipeline_target_keep_doc(t, sha, run->id, &doc, err);
	pg_buf_release(&doc);
	return err;
}

int pipeline_target_keep_doc(struct pipeline_target *t, const char *sha,
                             const char *id, const struct pg_buf *doc, int err)
{
	const char *tmp = getenv("TMPDIR");
	struct pg_buf path = PG_BUF_INIT, why = PG_BUF_INIT;

	pg_buf_addf(&why, "cannot store run %s on %.12s: %s", id, sha,
	            pg_error_last());
	pg_buf_addf(&path, "%s/perfgate-unstored-%s.json",
	            tmp && *tmp ? tmp : "/tmp", id);
	if (pg_write_file_atomic(path.s, doc->s, doc->len) < 0)
		pg_buf_addf(&why, "; the run is lost: %s", pg_error_last());
	else
		pg_buf_addf(
		        &why,
		        "; the run is kept in '%s': store it later with "
		        "'perfgate import --format perfgate --commit %s %s'",
		        path.s, sha, path.s);
	err = pg_error_code(err, "%s", why.s);
	if (t->save_error) /* an earlier run of the same session */
		pg_buf_addf(&why, "; %s", t->save_error);
	free(t->save_error);
	t->save_error = pg_buf_detach(&why, NULL);
	pg_buf_release(&path);
	return err;
}

void pipeline_target_release(struct pipeline_target *t)
{
	free(t->save_error);
	store_free(t->store);
	memset(t, 0, sizeof(*t));
}
