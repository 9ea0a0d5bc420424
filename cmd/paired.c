/*
 * Paired mode on the command line: see cmd/paired.h.  The baseline tree is
 * exported into a scratch directory under $TMPDIR, which is removed on
 * every way out: success, a failed build, an error, SIGINT or SIGTERM (the
 * handler only sets cmd_interrupted, which every wait polls).
 */
#include "cmd/paired.h"
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "reporters/report.h"
#include "gate/baseline.h"
#include "gate/paired.h"
#include "runner/pairs.h"
#include "runner/treecache.h"
#include "stats/describe.h"
#include "store/export.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/mem.h"
#include "util/units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Everything one paired gate holds, released in one place. */
struct pg_session {
	struct config cfg;
	struct pipeline_target t;
	struct gate_baseline b;
	struct result_run base, cand;
	char *scratch; /* the directory to remove, NULL when none */
	struct runner_treecache *cache; /* the baseline's cached tree */
	int base_built; /* the cached tree was built by an earlier session */
	char *base_root; /* scratch/tree */
	char *selected;
	char id[33];
	struct runner_pairs_opts po;
	struct paired_rule rule; /* the stop rule and the comparison */
	size_t looks_done;
	struct config base_cfg; /* the baseline tree's own config */
	/* benchmarks measured on the candidate side only, and why */
	char **solo, **solo_why;
	size_t nsolo;
	/* entries that cannot run in pairs (auto mode): run stored */
	char *stored;
	char **stored_names, **stored_why;
	size_t nstored;
	long one_look; /* --runs N raised to what the test can use */
	int tty, shown;
	/* the progress line: the entry's position in this look, and the
	 * pace so far for the time left */
	const char *last_bench;
	size_t pos, count;
	long pairs_done;
	struct timespec start;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * "  [2/3] parse pair 4/10, ~12 s left": the entry's place among those
 * this look measures and the time left in the look, from the pace so far.
 */
static void progress(void *ctx, const char *bench, long pair, long total)
{
	struct pg_session *s = ctx;
	size_t after;
	long left;

	if (!s->pairs_done)
		clock_gettime(CLOCK_MONOTONIC, &s->start);
	if (!s->last_bench || strcmp(s->last_bench, bench)) {
		s->pos++;
		s->last_bench = bench;
	}
	s->pairs_done++;
	if (!s->tty)
		return;
	after = s->count > s->pos ? s->count - s->pos : 0;
	fprintf(stderr, "\r\033[K  [%zu/%zu] %s ",
	        s->pos < s->count ? s->pos : s->count, s->count,
	        pg_printable(bench));
	if (pair)
		fprintf(stderr, "pair %ld/%ld", pair, total);
	else
		fprintf(stderr, "warmup pair");
	left = total - pair + (long)after * total;
	if (s->pairs_done > 1 && left > 0)
		fprintf(stderr, ", ~%.0f s left",
		        ceil(seconds_since(&s->start) /
		             (double)(s->pairs_done - 1) * (double)left));
	fflush(stderr);
	s->shown = 1;
}

static void clear_progress(struct pg_session *s)
{
	if (s->shown)
		fputs("\r\033[K", stderr);
	s->shown = 0;
}

static void on_solo(void *ctx, const char *bench, const char *why)
{
	struct pg_session *s = ctx;

	s->solo = pg_realloc(s->solo, (s->nsolo + 1) * sizeof(char *));
	s->solo_why = pg_realloc(s->solo_why, (s->nsolo + 1) * sizeof(char *));
	s->solo[s->nsolo] = pg_strdup(bench);
	s->solo_why[s->nsolo++] = pg_strdup(why);
}

static void on_look(void *ctx, size_t look, long pairs, size_t running)
{
	struct pg_session *s = ctx;

	clear_progress(s);
	/* the next look measures the undecided ones, from the first */
	s->count = running;
	s->pos = 0;
	s->last_bench = NULL;
	fprintf(stderr,
	        "perfgate: look %zu of %zu at %ld pairs: %zu benchmark%s "
	        "undecided%s\n",
	        look + 1, s->po.nlooks, pairs, running, running == 1 ? "" : "s",
	        running && look + 1 < s->po.nlooks ? ", measuring on" : "");
}

/*
 * One line per benchmark: pairs, both medians and the spread of the
 * ratios of its first metric (wall time, or a load test's primary one).
 */
static void print_summary(const struct pg_session *s)
{
	size_t i;

	fprintf(stderr, "%-28s %5s %10s %10s %9s\n", "benchmark", "pairs",
	        "base", "cand", "spread%");
	for (i = 0; i < s->cand.nbenches; i++) {
		const struct result_bench *cb = &s->cand.benches[i];
		const struct result_bench *bb =
		        result_bench_find(&s->base, cb->name);
		const struct result_metric *cm =
		        cb->nmetrics ? &cb->metrics[0] : NULL;
		const struct result_metric *bm =
		        bb && cm ? result_metric_find(bb, cm->name) : NULL;
		char a[32], b[32];

		if (cb->error) {
			fprintf(stderr,
			        "%-28s FAILED: ", pg_printable(cb->name));
			fprintf(stderr, "%s\n", pg_printable(cb->error));
			continue;
		}
		/* ratios pair up only with one value a pair on each side */
		if (!cm || !bm || !cm->n || cm->n != bm->n ||
		    !result_metric_one_per_pair(cb, cm))
			continue;
		fprintf(stderr, "%-28s %5zu %10s %10s %9.2f\n",
		        pg_printable(cb->name), cm->n,
		        pg_format_value(a, sizeof(a),
		                        stats_median(bm->samples, bm->n),
		                        cm->unit),
		        pg_format_value(b, sizeof(b),
		                        stats_median(cm->samples, cm->n),
		                        cm->unit),
		        100 * paired_spread(bm, cm));
	}
}

/* Where the baseline is; 0 with s->b.start "" and a notice when nowhere. */
static int find_base(struct pg_session *s, const struct pipeline_gate_opts *go,
                     const char *base_rev)
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
static int open_cache(struct pg_session *s)
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

static int export_base(struct pg_session *s)
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
static void read_base_config(struct pg_session *s)
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

static int stamp(struct pg_session *s, struct result_run *run,
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

static int build_both(struct pg_session *s)
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

static int store_both(struct pg_session *s)
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

static void session_release(struct pg_session *s)
{
	int err;

	if (s->scratch) {
		err = pg_remove_tree(s->scratch);
		if (err < 0)
			cmd_error("%s", pg_error_last());
	}
	if (runner_treecache_close(s->cache, PG_DEFAULT_TREE_CACHE_BYTES) < 0)
		cmd_error("%s", pg_error_last());
	free(s->scratch);
	free(s->base_root);
	free(s->selected);
	result_run_release(&s->base);
	result_run_release(&s->cand);
	config_release(&s->base_cfg);
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
static void check_ramps(const struct pg_session *s)
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

static void check_looks(struct pg_session *s, const struct cmd_paired_opts *po)
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

static int prepare(struct pg_session *s, const struct pipeline_run_opts *ro,
                   const struct pipeline_gate_opts *go,
                   const struct cmd_paired_opts *po)
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
	    (err = cmd_paired_session_id(s->id)) < 0)
		return err;
	s->stored = pg_calloc(s->cfg.nbenches + 1, 1);
	if (po->auto_mode)
		s->nstored = cmd_paired_split(
		        &s->cfg, store_workdir(s->t.store), s->selected,
		        s->stored, &s->stored_names, &s->stored_why);
	runner_pairs_opts_init(&s->po);
	s->po.cand_root = store_workdir(s->t.store);
	s->po.looks = cmd_paired_looks(po, &s->cfg, &s->po.nlooks);
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
	s->po.cancel = &cmd_interrupted;
	s->po.solo = on_solo;
	s->po.progress = progress;
	s->po.look = on_look;
	s->po.ctx = s;
	s->tty = isatty(STDERR_FILENO);
	for (i = 0; i < s->cfg.nbenches; i++)
		s->count += s->selected[i] != 0;
	return 0;
}

static char *mode_name(const struct pg_session *s)
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

static int report(struct pg_session *s, const struct pipeline_run_opts *ro,
                  const struct pipeline_gate_opts *go)
{
	struct pipeline_gate_base base = {0};
	const char(*commits)[41] = (const char(*)[41])s->b.start;
	char *mode = mode_name(s);
	struct report rep;
	int err, code;

	base.runs = &s->base;
	base.nruns = 1;
	base.commits = commits;
	base.ncommits = 1;
	base.solo = s->solo;
	base.solo_why = s->solo_why;
	base.nsolo = s->nsolo;
	s->rule.cmp.spend = paired_spend(s->po.looks, s->po.nlooks,
	                                 s->looks_done ? s->looks_done - 1 : 0);
	report_init(&rep);
	err = pipeline_gate_build(&rep, s->t.store, &s->cfg, &s->cand, 1,
	                          s->t.sha, &base, go, &s->rule.cmp, mode);
	if (!err && s->nstored)
		err = cmd_paired_stored_part(&rep, ro, go, s->stored,
		                             s->stored_names, s->stored_why,
		                             s->nstored);
	code = err < 0 ? cmd_fail(err) : cmd_gate_finish(&rep, go, 0, NULL);
	report_release(&rep);
	free(mode);
	return code;
}

/* No baseline commit: say so in every report, like a stored gate. */
static int report_nothing(struct pg_session *s,
                          const struct pipeline_gate_opts *go)
{
	struct pipeline_gate_base base = {0};
	struct result_run empty;
	int code, err;

	result_run_init(&empty);
	if ((err = result_run_stamp(&empty, NULL)) < 0)
		return cmd_fail(err);
	base.notice = s->b.notice;
	code = cmd_gate_report(s->t.store, &s->cfg, &empty, 1, s->t.sha, &base,
	                       go, &s->rule.cmp, "paired");
	result_run_release(&empty);
	return code;
}

int cmd_gate_paired(const struct pipeline_run_opts *ro,
                    const struct pipeline_gate_opts *go,
                    const struct cmd_paired_opts *po, const char *base_rev)
{
	struct pg_session s;
	int err, code;

	memset(&s, 0, sizeof(s));
	result_run_init(&s.base);
	result_run_init(&s.cand);
	config_init(&s.cfg);
	config_init(&s.base_cfg);
	if ((err = prepare(&s, ro, go, po)) < 0 ||
	    (err = find_base(&s, go, base_rev)) < 0)
		goto fail;
	if (!s.b.start[0]) {
		code = report_nothing(&s, go);
		goto out;
	}
	/* stamped first: the runner is part of the tree cache's key */
	if ((err = stamp(&s, &s.base, ro, "base", s.b.start, 0)) < 0 ||
	    (err = stamp(&s, &s.cand, ro, "cand", s.t.sha, s.t.dirty)) < 0 ||
	    (err = export_base(&s)) < 0 || (err = build_both(&s)) < 0)
		goto fail;
	read_base_config(&s);
	err = runner_pairs_measure(&s.base, &s.cand, &s.cfg, &s.po,
	                           &s.looks_done);
	clear_progress(&s);
	if (err == PG_EINPUT || cmd_interrupted)
		goto fail;
	print_summary(&s);
	if (err < 0)
		goto fail;
	/* a run that could not be stored fails the gate after its reports */
	if (!ro->no_store)
		store_both(&s);
	code = report(&s, ro, go);
	if (s.t.save_error) {
		cmd_error("%s", s.t.save_error);
		code = PG_EXIT_RUNTIME;
	}
	goto out;
fail:
	clear_progress(&s);
	if (cmd_interrupted && err != PG_EINPUT)
		err = pg_error_runtime("interrupted");
	code = cmd_fail(err);
out:
	session_release(&s);
	if (cmd_interrupted && code != PG_EXIT_INPUT)
		code = PG_EXIT_RUNTIME;
	return code;
}
