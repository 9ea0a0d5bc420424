#include "gate/baseline.h"
#include "gate/accept.h"
#include "store/notes.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void gate_baseline_release(struct gate_baseline *b)
{
	result_runs_free(b->runs, b->nruns);
	free(b->commits);
	free(b->target);
	free(b->notice);
	free(b->warnings);
	memset(b, 0, sizeof(*b));
}

/* Resolve a branch name as origin/NAME, then NAME; 0 when found. */
static int resolve_branch(struct store *s, const char *name, char sha[41])
{
	struct pg_buf remote = PG_BUF_INIT;
	int err;

	pg_buf_addf(&remote, "origin/%s", name);
	err = store_resolve(s, remote.s, sha);
	pg_buf_release(&remote);
	if (err < 0)
		err = store_resolve(s, name, sha);
	pg_error_clear();
	return err;
}

/*
 * The target branch into sha and b->target: 1 when found, 0 when not
 * (*missing: the first branch the CI named that this clone lacks, or
 * NULL), PG_EINPUT for an unknown --base-branch.
 */
static int find_target(struct gate_baseline *b, struct store *s,
                       const struct gate_baseline_opts *o, char sha[41],
                       const char **missing)
{
	const char *env[] = {"GITHUB_BASE_REF",
	                     "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
	                     "CI_DEFAULT_BRANCH"};
	const char *fallback[] = {"HEAD", "main", "master"};
	size_t i;

	if (o->base_branch) {
		if (resolve_branch(s, o->base_branch, sha) < 0)
			return pg_error_input("--base-branch '%s': no such "
			                      "branch (tried origin/%s and %s)",
			                      o->base_branch, o->base_branch,
			                      o->base_branch);
		b->target = pg_strdup(o->base_branch);
		return 1;
	}
	for (i = 0; i < sizeof(env) / sizeof(env[0]); i++) {
		const char *v = getenv(env[i]);

		if (v && *v && resolve_branch(s, v, sha) == 0) {
			b->target = pg_strdup(v);
			return 1;
		}
		if (v && *v && !*missing)
			*missing = v;
	}
	/* the CI named the target: guessing another would gate wrongly */
	if (*missing)
		return 0;
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		/* "HEAD" here means origin/HEAD: the remote's default */
		if (i == 0 ? store_resolve(s, "origin/HEAD", sha) == 0
		           : resolve_branch(s, fallback[i], sha) == 0) {
			b->target =
			        pg_strdup(i == 0 ? "origin/HEAD" : fallback[i]);
			pg_error_clear();
			return 1;
		}
		pg_error_clear();
	}
	return 0;
}

/* Why there is no target branch, and what to do. */
static char *no_target_notice(const struct store *s, const char *missing)
{
	struct pg_buf b = PG_BUF_INIT;

	if (missing)
		pg_buf_addf(&b,
		            "the target branch '%s' named by the CI is not in "
		            "this %sclone: fetch it (fetch-depth: 0, or "
		            "git fetch origin %s)",
		            missing, store_is_shallow(s) ? "shallow " : "",
		            missing);
	else
		pg_buf_addf(&b,
		            "no target branch found%s (set --base-branch "
		            "or --base)",
		            store_is_shallow(s) ? " in this shallow clone"
		                                : "");
	return pg_buf_detach(&b, NULL);
}

/* Where the walk starts; 0 with start "" when there is nowhere to go. */
static int find_start(struct gate_baseline *b, struct store *s,
                      const char *cand, const struct gate_baseline_opts *o)
{
	struct store_commit c;
	char target[41];
	const char *missing = NULL;
	int found = 0, gap = 0, err;

	if (o->base_rev) {
		if ((err = store_resolve(s, o->base_rev, b->start)) < 0)
			return pg_error_wrap(PG_EINPUT, "--base");
	} else {
		if ((err = find_target(b, s, o, target, &missing)) < 0)
			return err;
		if (!err) {
			b->notice = no_target_notice(s, missing);
			return 0;
		}
		if ((err = store_merge_base(s, cand, target, b->start, &found,
		                            &gap)) < 0)
			return err;
		if (!found) {
			struct pg_buf n = PG_BUF_INIT;

			pg_buf_addf(
			        &n,
			        "no merge-base of the candidate with '%s'%s",
			        b->target,
			        gap ? " in this shallow clone (fetch with "
			              "fetch-depth: 0)"
			            : "");
			b->notice = pg_buf_detach(&n, NULL);
			b->start[0] = '\0';
			return 0;
		}
	}
	if (strcmp(b->start, cand))
		return 0;
	/* the candidate is on the target branch: start at its parent */
	b->on_target = !o->base_rev;
	if ((err = store_commit_info(s, cand, &c)) < 0)
		return err;
	memcpy(b->start, c.first_parent, sizeof(b->start));
	store_commit_release(&c);
	if (!b->start[0])
		b->notice = pg_strdup("the candidate is a root commit: no "
		                      "earlier results to compare with");
	return 0;
}

struct walk {
	struct gate_baseline *b;
	struct store *s;
	const struct gate_baseline_opts *o;
	struct pg_buf warnings;
	size_t runs_alloc;
	int err;
	size_t summarised; /* runs skipped: gc dropped their samples */
};

static int excluded(const struct gate_baseline_opts *o,
                    const struct result_run *r)
{
	size_t i;
	char *key;
	int bad;

	/* paired sessions are their own baselines, measured interleaved */
	if (r->dirty || (r->mode && !strcmp(r->mode, RESULT_MODE_PAIRED)))
		return 1;
	for (i = 0; r->id && i < o->nexclude; i++)
		if (o->exclude_ids[i] && !strcmp(r->id, o->exclude_ids[i]))
			return 1;
	if (!o->env_key)
		return 0;
	key = result_run_env_key(r);
	bad = strcmp(key, o->env_key) != 0;
	free(key);
	return bad;
}

static int visit(const struct store_commit *c, void *payload)
{
	struct walk *w = payload;
	struct gate_baseline *b = w->b;
	struct result_run *runs = NULL;
	char *warning = NULL;
	size_t n = 0, i, taken = 0;
	int err;

	b->walked++;
	err = store_read_runs(w->s, c->sha, &runs, &n, &warning);
	if (err < 0) {
		w->err = err;
		return 1;
	}
	if (warning) {
		pg_buf_addf(&w->warnings, "%s\n", warning);
		free(warning);
	}
	for (i = 0; i < n; i++) {
		/*
		 * A run `perfgate gc` summarised keeps quantile points, not
		 * samples (model/result_summary.h): the comparison needs the
		 * samples, so it is never a stored baseline.  gc keeps the
		 * newest commits of every branch raw, far beyond the window.
		 */
		if (runs[i].summarised && !excluded(w->o, &runs[i]))
			w->summarised++;
		if (runs[i].summarised || excluded(w->o, &runs[i])) {
			result_run_release(&runs[i]);
			continue;
		}
		/* the gate counts the level commits by run.commit */
		if (!runs[i].commit)
			runs[i].commit = pg_strdup(c->sha);
		b->runs = pg_grow_array(b->runs, sizeof(*b->runs), b->nruns + 1,
		                        &w->runs_alloc);
		b->runs[b->nruns++] = runs[i];
		taken++;
	}
	free(runs);
	if (taken) {
		b->commits = pg_realloc(
		        b->commits, (b->ncommits + 1) * sizeof(*b->commits));
		memcpy(b->commits[b->ncommits++], c->sha, 41);
	}
	return b->ncommits >= w->o->window;
}

/* Why a walk found no baseline (malloc'd); boundary: where a shallow
 * history ends. */
static char *no_runs_notice(const struct gate_baseline *b,
                            const struct gate_baseline_opts *o,
                            const char *boundary, size_t summarised)
{
	struct pg_buf n = PG_BUF_INIT;

	pg_buf_addf(
	        &n,
	        "no baseline: none of the %zu commits walked from %.12s has "
	        "clean results%s%s%s",
	        b->walked, b->start, o->env_key ? " for runner '" : "",
	        o->env_key ? o->env_key : "", o->env_key ? "'" : "");
	if (summarised)
		pg_buf_addf(&n,
		            "; %zu runs were summarised by 'perfgate gc' and "
		            "are never baselines (measure the base again)",
		            summarised);
	if (b->shallow)
		pg_buf_addf(&n,
		            "; the clone is shallow (history ends at %.12s): "
		            "fetch with fetch-depth: 0 and the notes with "
		            "+refs/notes/perfgate:refs/notes/perfgate",
		            boundary);
	return pg_buf_detach(&n, NULL);
}

int gate_find_baseline(struct gate_baseline *b, struct store *s,
                       const char *cand, const struct gate_baseline_opts *o)
{
	struct walk w = {b, s, o, PG_BUF_INIT, 0, 0, 0};
	enum store_walk_end end = STORE_WALK_ROOT;
	char boundary[41] = "";
	int err;

	memset(b, 0, sizeof(*b));
	if ((err = find_start(b, s, cand, o)) < 0 || !b->start[0])
		return err;
	err = store_first_parents(s, b->start, o->max_walk, visit, &w, &end,
	                          boundary);
	if (!err)
		err = w.err;
	b->shallow = end == STORE_WALK_SHALLOW;
	if (w.warnings.len)
		b->warnings = pg_buf_detach(&w.warnings, NULL);
	pg_buf_release(&w.warnings);
	if (err < 0 || b->nruns)
		return err;
	b->notice = no_runs_notice(b, o, boundary, w.summarised);
	return 0;
}

int gate_base_commit(struct gate_baseline *b, struct store *s, const char *cand,
                     const struct gate_baseline_opts *o)
{
	memset(b, 0, sizeof(*b));
	return find_start(b, s, cand, o);
}

struct accept_walk {
	struct gate_accepts *a;
	const char *stop;
	int err;
};

static int visit_accepts(const struct store_commit *c, void *payload)
{
	struct accept_walk *w = payload;

	if (w->stop && !strcmp(c->sha, w->stop))
		return 1;
	if (c->message &&
	    (w->err = gate_accepts_parse_message(w->a, c->message, c->sha)) < 0)
		return 1;
	return 0;
}

int gate_collect_accepts(struct gate_accepts *a, struct store *s,
                         const char *cand, const char *stop, size_t max)
{
	struct accept_walk w = {a, stop, 0};
	int err = store_first_parents(s, cand, max, visit_accepts, &w, NULL,
	                              NULL);

	return err < 0 ? err : w.err;
}
