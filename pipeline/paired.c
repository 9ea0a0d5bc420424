/*
 * The paired gate's session: see pipeline/paired.h.  The baseline tree is
 * exported into a scratch directory under $TMPDIR (or the tree cache),
 * which pipeline_paired_release() removes on every way out; the caller
 * releases on SIGINT/SIGTERM too (view->cancel stops every wait).
 */
#include "pipeline/paired.h"
#include "gate/baseline.h"
#include "gate/paired.h"
#include "model/report.h"
#include "runner/pairs.h"
#include "runner/treecache.h"
#include "store/export.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void on_solo(void *ctx, const char *bench, const char *why)
{
	struct pipeline_paired *s = ctx;

	s->solo = pg_realloc(s->solo, (s->nsolo + 1) * sizeof(char *));
	s->solo_why = pg_realloc(s->solo_why, (s->nsolo + 1) * sizeof(char *));
	s->solo[s->nsolo] = pg_strdup(bench);
	s->solo_why[s->nsolo++] = pg_strdup(why);
}

/* The runner's progress and looks, passed on to the view. */
static void on_progress(void *ctx, const char *bench, long pair, long total)
{
	struct pipeline_paired *s = ctx;

	if (s->view && s->view->progress)
		s->view->progress(s->view->ctx, bench, pair, total);
}

static void on_look(void *ctx, size_t look, long pairs, size_t running)
{
	struct pipeline_paired *s = ctx;

	if (s->view && s->view->look)
		s->view->look(s->view->ctx, look, s->po.nlooks, pairs, running);
}

/* Where the baseline is; 0 with s->b.start "" and a notice when nowhere. */
static int find_base(struct pipeline_paired *s,
                     const struct pipeline_gate_opts *go, const char *base_rev)
{
	struct gate_baseline_opts bo = {0};

	/* ab: exactly that revision, even HEAD itself (an A/A run) */
	if (base_rev)
		return store_resolve(s->t.store, base_rev, s->b.start);
	bo.base_rev = go->base;
	bo.base_branch = go->base_branch;
	bo.window = 1;
	return gate_base_commit(&s->b, s->t.store, s->t.sha, &bo);
}

/*
 * The cache entry of the baseline's built tree: its files (tree id), how
 * it is built (the config's hash) and where (the runner).  0 without one:
 * turned off, or another session holds it.
 */
static int open_cache(struct pipeline_paired *s)
{
	const char *off = getenv(PG_TREE_CACHE_ENV);
	struct store_commit c;
	struct pg_buf key = PG_BUF_INIT, dir = PG_BUF_INIT;
	char *env = result_run_env_key(&s->cand), hex[17];
	int err, ready = 0;

	if ((off && !strcmp(off, "0")) ||
	    (err = store_commit_info(s->t.store, s->b.start, &c)) < 0) {
		free(env);
		return 0;
	}
	pg_buf_addf(&key, "%s\n%s\n%s\n%s", c.tree, s->cfg.hash, env,
	            PERFGATE_VERSION);
	result_hash_hex(key.s, key.len, hex);
	pg_buf_addf(&dir, "%s%s", store_common_dir(s->t.store),
	            PG_TREE_CACHE_SUBDIR);
	err = runner_treecache_open(&s->cache, dir.s, hex, &ready);
	if (err < 0) {
		/* no cache is no failure: build in a scratch tree */
		fprintf(stderr, "perfgate: warning: paired: %s\n",
		        pg_error_last());
		pg_error_clear();
		err = 0;
	}
	if (s->cache) {
		s->base_root = pg_strdup(runner_treecache_path(s->cache));
		s->base_built = ready;
	}
	store_commit_release(&c);
	pg_buf_release(&key);
	pg_buf_release(&dir);
	free(env);
	return err;
}

static int export_base(struct pipeline_paired *s)
{
	struct pg_buf p = PG_BUF_INIT;
	int err;

	if ((err = open_cache(s)) < 0)
		return err;
	if (!s->cache) {
		if ((err = pg_mkdtemp(&s->scratch, "perfgate-ab.")) < 0)
			return err;
		pg_buf_addf(&p, "%s/tree", s->scratch);
		s->base_root = pg_buf_detach(&p, NULL);
		if (mkdir(s->base_root, 0700) < 0)
			return pg_error_runtime("cannot make '%s': %s",
			                        s->base_root, strerror(errno));
	}
	s->po.base_root = s->base_root;
	fprintf(stderr, "perfgate: paired: baseline %.12s", s->b.start);
	if (s->b.target)
		fprintf(stderr, " (merge-base with '%s')", s->b.target);
	fprintf(stderr, " in '%s'%s\n", s->base_root,
	        s->base_built ? ", built by an earlier session" : "");
	return s->base_built
	               ? 0
	               : store_export(s->t.store, s->b.start, s->base_root);
}

/*
 * The baseline tree's own perfgate.json, to tell the benchmarks a change
 * adds from those the baseline cannot run.  Not there: every benchmark is
 * new; unreadable: not known (nothing counts as added).
 */
static void read_base_config(struct pipeline_paired *s)
{
	char *path = NULL;

	if (runner_pairs_map_path(&path, &s->po, s->base_root, s->cfg.path) <
	    0) {
		pg_error_clear();
		return;
	}
	if (access(path, F_OK) != 0) {
		s->po.base_cfg_read = 1;
	} else if (config_load(&s->base_cfg, path) == 0) {
		s->po.base_cfg_read = 1;
		s->po.base_cfg = &s->base_cfg;
	} else {
		fprintf(stderr,
		        "perfgate: warning: paired: the baseline's config "
		        "cannot be read (%s): no benchmark counts as new\n",
		        pg_error_last());
		pg_error_clear();
	}
	free(path);
}

static int stamp(struct pipeline_paired *s, struct result_run *run,
                 const struct pipeline_run_opts *ro, const char *side,
                 const char *sha, int dirty)
{
	int err = result_run_stamp(run, ro->label);

	run->source = pg_strdup("run");
	run->config_hash = pg_strdup(s->cfg.hash);
	run->mode = pg_strdup(RESULT_MODE_PAIRED);
	run->session = pg_strdup(s->id);
	run->side = pg_strdup(side);
	run->commit = pg_strdup(sha);
	run->dirty = dirty;
	return err;
}

static int build_both(struct pipeline_paired *s)
{
	int err;

	if (!s->cfg.build_argv && !s->cfg.build_shell)
		return s->cache ? runner_treecache_done(s->cache) : 0;
	if (!s->base_built) {
		fprintf(stderr, "perfgate: paired: building the baseline\n");
		if ((err = runner_pairs_build(&s->cfg, &s->po, s->base_root)) <
		            0 ||
		    (s->cache && (err = runner_treecache_done(s->cache)) < 0))
			return err;
	}
	fprintf(stderr, "perfgate: paired: building the candidate\n");
	return runner_pairs_build(&s->cfg, &s->po, s->po.cand_root);
}

int pipeline_paired_store(struct pipeline_paired *s)
{
	int err, cerr;

	/* both are tried and both kept in files when they cannot be stored */
	if ((err = store_append_run(s->t.store, s->b.start, &s->base)) < 0)
		pipeline_target_keep(&s->t, s->b.start, &s->base, err);
	if ((cerr = store_append_run(s->t.store, s->t.sha, &s->cand)) < 0)
		err = pipeline_target_keep(&s->t, s->t.sha, &s->cand, cerr);
	if (err < 0)
		return err;
	fprintf(stderr,
	        "perfgate: stored paired session %s: baseline run on %.12s, "
	        "candidate run on %.12s%s\n",
	        s->id, s->b.start, s->t.sha,
	        s->t.dirty ? " (dirty working tree)" : "");
	return 0;
}

static void cleanup_error(const struct pipeline_paired *s)
{
	if (s->view && s->view->error)
		s->view->error(s->view->ctx, pg_error_last());
	pg_error_clear();
}

void pipeline_paired_release(struct pipeline_paired *s)
{
	if (s->scratch && pg_remove_tree(s->scratch) < 0)
		cleanup_error(s);
	if (runner_treecache_close(s->cache, PG_DEFAULT_TREE_CACHE_BYTES) < 0)
		cleanup_error(s);
	free(s->scratch);
	free(s->base_root);
	free(s->selected);
	result_run_release(&s->base);
	result_run_release(&s->cand);
	config_release(&s->base_cfg);
	paired_rule_release(&s->rule);
	pg_strv_free_n(s->solo, s->nsolo);
	pg_strv_free_n(s->stored_names, s->nstored);
	pg_strv_free_n(s->stored_why, s->nstored);
	free(s->stored);
	pg_strv_free_n(s->solo_why, s->nsolo);
	gate_baseline_release(&s->b);
	pipeline_target_release(&s->t);
	config_release(&s->cfg);
}

/*
 * The exact one-sided signed-rank test of n pairs cannot go below
 * p = 2^-n: a look with fewer pairs than that needs can never fail.  A
 * single look from --runs N is raised to what alpha needs (the pre-push
 * hook asks for few pairs); configured looks are only warned about.
 */
/* The fewest pairs whose exact signed-rank test can reach p < a (2^-n). */
static long pairs_needed(double a)
{
	long need = 1;

	while (need < PG_MAX_PAIRS && ldexp(1, (int)-need) >= a)
		need++;
	return need;
}

/*
 * A stress entry runs its ramp pairs in one batch, at the whole alpha:
 * warn when they are too few to ever fail (a budget still can).
 */
static void check_ramps(const struct pipeline_paired *s)
{
	double alpha = s->rule.cmp.alpha;
	size_t i;

	for (i = 0; i < s->cfg.nbenches; i++) {
		const struct config_bench *cb = &s->cfg.benches[i];
		long r = runner_pairs_stress_ramps(cb), need;

		if (!s->selected[i] || !cb->stress)
			continue;
		need = pairs_needed(config_alpha(&s->cfg, cb, alpha));
		if (r < need)
			fprintf(stderr,
			        "perfgate: warning: paired: '%s': %ld ramp "
			        "pairs can never fail at alpha %.3g (it needs "
			        "%ld: \"ramps\"; a budget still gates)\n",
			        cb->name, r, config_alpha(&s->cfg, cb, alpha),
			        need);
	}
}

static void check_looks(struct pipeline_paired *s,
                        const struct pipeline_paired_opts *po)
{
	double alpha = s->rule.cmp.alpha;
	size_t k;
	long need;

	check_ramps(s);
	for (k = 0; k < s->po.nlooks; k++) {
		double a = alpha * paired_spend(s->po.looks, s->po.nlooks, k);

		need = pairs_needed(a);
		if (s->po.looks[k] >= need)
			continue;
		if (!po->nlooks && po->runs > 0 && s->po.nlooks == 1) {
			fprintf(stderr,
			        "perfgate: note: paired: %ld pairs can never "
			        "reach alpha %g; measuring %ld\n",
			        s->po.looks[0], a, need);
			s->one_look = need;
			s->po.looks = &s->one_look;
			return;
		}
		fprintf(stderr,
		        "perfgate: warning: paired: look %zu at %ld pairs can "
		        "never fail at alpha %.3g (it needs %ld pairs)\n",
		        k + 1, s->po.looks[k], a, need);
	}
}

static int prepare(struct pipeline_paired *s,
                   const struct pipeline_run_opts *ro,
                   const struct pipeline_gate_opts *go,
                   const struct pipeline_paired_opts *po)
{
	size_t i;
	int err;

	if ((err = pipeline_run_load_config(&s->cfg, ro)) < 0 ||
	    (err = pipeline_target_prepare(&s->t, ro->commit, ro->notes_ref)) <
	            0)
		return err;
	if (!s->t.store)
		return pg_error_input("paired mode needs a git repository");
	if (!store_workdir(s->t.store))
		return pg_error_input("paired mode needs a working tree");
	s->selected = pg_calloc(s->cfg.nbenches + 1, 1);
	if ((err = pipeline_run_select(&s->cfg, ro->filter, s->selected)) < 0 ||
	    (err = pipeline_paired_session_id(s->id)) < 0)
		return err;
	s->stored = pg_calloc(s->cfg.nbenches + 1, 1);
	if (po->auto_mode)
		s->nstored = pipeline_paired_split(
		        &s->cfg, store_workdir(s->t.store), s->selected,
		        s->stored, &s->stored_names, &s->stored_why);
	runner_pairs_opts_init(&s->po);
	s->po.cand_root = store_workdir(s->t.store);
	s->po.looks = pipeline_paired_looks(po, &s->cfg, &s->po.nlooks);
	s->po.seed = po->seed_set ? po->seed : strtoull(s->id + 16, NULL, 16);
	s->po.selected = s->selected;
	s->po.warmup = ro->warmup;
	s->po.metrics = ro->metrics;
	if ((err = pipeline_run_counter(&s->po.counter, ro)) < 0)
		return err;
	s->po.timeout = ro->timeout;
	s->rule.cfg = &s->cfg;
	s->rule.cmp = go->cmp;
	s->rule.cmp.paired = 1;
	s->rule.cmp.partial = ro->filter != NULL;
	if (!go->alpha_set)
		s->rule.cmp.alpha = PG_DEFAULT_ALPHA_PAIRED;
	check_looks(s, po);
	s->rule.looks = s->po.looks;
	s->rule.nlooks = s->po.nlooks;
	s->po.decide = paired_decide;
	s->po.decide_ctx = &s->rule;
	s->po.cancel = s->view ? s->view->cancel : NULL;
	s->po.solo = on_solo;
	s->po.progress = on_progress;
	s->po.look = on_look;
	s->po.ctx = s;
	for (i = 0; i < s->cfg.nbenches; i++)
		s->count += s->selected[i] != 0;
	return 0;
}

static char *mode_name(const struct pipeline_paired *s)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t i;

	pg_buf_addstr(&b, "paired: interleaved pairs in coin-flip order, "
	                  "looks at");
	for (i = 0; i < s->po.nlooks; i++)
		pg_buf_addf(&b, "%s%ld", i ? ", " : " ", s->po.looks[i]);
	pg_buf_addf(&b, " pairs, seed %" PRIu64 ", session %s", s->po.seed,
	            s->id);
	return pg_buf_detach(&b, NULL);
}

int pipeline_paired_build_report(struct report *rep, struct pipeline_paired *s,
                                 const struct pipeline_run_opts *ro,
                                 const struct pipeline_gate_opts *go)
{
	struct pipeline_gate_base base = {0};
	const char(*commits)[41] = (const char(*)[41])s->b.start;
	char *mode = mode_name(s);
	int err;

	base.runs = &s->base;
	base.nruns = 1;
	base.commits = commits;
	base.ncommits = 1;
	base.solo = s->solo;
	base.solo_why = s->solo_why;
	base.nsolo = s->nsolo;
	s->rule.cmp.spend = paired_spend(s->po.looks, s->po.nlooks,
	                                 s->looks_done ? s->looks_done - 1 : 0);
	err = pipeline_gate_build(rep, s->t.store, &s->cfg, &s->cand, 1,
	                          s->t.sha, &base, go, &s->rule.cmp, mode);
	if (!err && s->nstored)
		err = pipeline_paired_stored_part(
		        rep, ro, go, s->view ? s->view->run : NULL, s->stored,
		        s->stored_names, s->stored_why, s->nstored);
	free(mode);
	return err;
}
void pipeline_paired_init(struct pipeline_paired *s,
                          const struct pipeline_paired_view *view)
{
	memset(s, 0, sizeof(*s));
	result_run_init(&s->base);
	result_run_init(&s->cand);
	config_init(&s->cfg);
	config_init(&s->base_cfg);
	s->view = view;
}

int pipeline_paired_prepare(struct pipeline_paired *s,
                            const struct pipeline_run_opts *ro,
                            const struct pipeline_gate_opts *go,
                            const struct pipeline_paired_opts *po,
                            const char *base_rev)
{
	int err;

	if ((err = prepare(s, ro, go, po)) < 0)
		return err;
	return find_base(s, go, base_rev);
}

int pipeline_paired_setup(struct pipeline_paired *s,
                          const struct pipeline_run_opts *ro)
{
	int err;

	/* stamped first: the runner is part of the tree cache's key */
	if ((err = stamp(s, &s->base, ro, "base", s->b.start, 0)) < 0 ||
	    (err = stamp(s, &s->cand, ro, "cand", s->t.sha, s->t.dirty)) < 0 ||
	    (err = export_base(s)) < 0 || (err = build_both(s)) < 0)
		return err;
	read_base_config(s);
	return 0;
}

int pipeline_paired_measure(struct pipeline_paired *s)
{
	return runner_pairs_measure(&s->base, &s->cand, &s->cfg, &s->po,
	                            &s->looks_done);
}
