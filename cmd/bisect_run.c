/*
 * perfgate bisect: the first commit on the first-parent path from GOOD to
 * BAD where a benchmark shifted by at least theta, found by binary search
 * with paired comparisons against GOOD (docs/bisect.md).  The search is
 * gate/bisect.h; this file exports, builds, measures, stores and prints.
 */
#include "cmd/bisect.h"
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "cmd/paired.h"
#include "cmd/run.h"
#include "pipeline/trees.h"
#include "gate/bisect.h"
#include "gate/bisect_probe.h"
#include "gate/paired.h"
#include "runner/pairs.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bisect {
	const struct cmd_bisect_opts *o;
	struct config cfg; /* the working tree's */
	struct pipeline_target t;
	struct pipeline_trees trees;
	char (*path)[41]; /* GOOD (0) ... BAD (n - 1) */
	size_t n;
	char *good_root;
	struct config good_cfg;
	struct gate_bisect search;
	struct gate_bisect_probe *probes;
	unsigned metrics; /* --metric as CONFIG_METRIC_*; 0: the config's */
	const char *bench; /* the one selected, borrowed from cfg */
	enum runner_icount_source counter;
};

/* Collects first parents from BAD until GOOD. */
struct walk {
	struct bisect *b;
	const char *good;
	size_t alloc;
	int found;
};

static int walk_one(const struct store_commit *c, void *payload)
{
	struct walk *w = payload;
	struct bisect *b = w->b;

	b->path = pg_grow_array(b->path, sizeof(*b->path), b->n + 1, &w->alloc);
	memcpy(b->path[b->n++], c->sha, 41);
	if (strcmp(c->sha, w->good))
		return 0;
	w->found = 1;
	return 1;
}

/* The first-parent path, GOOD first. */
static int find_path(struct bisect *b, const char *good_rev,
                     const char *bad_rev)
{
	char good[41], bad[41], tmp[41];
	struct walk w = {b, good, 0, 0};
	size_t i;
	int err;

	if (!good_rev) {
		if ((err = cmd_bisect_change(b->t.store, b->t.sha, b->bench,
		                             good, bad)) < 0)
			return err;
		fprintf(stderr,
		        "perfgate: bisect: --change: the newest change point "
		        "of '%s' lies after %.12s, at or before %.12s\n",
		        b->bench, good, bad);
		good_rev = good;
		bad_rev = bad;
	} else if ((err = store_resolve(b->t.store, good_rev, good)) < 0 ||
	           (err = store_resolve(b->t.store, bad_rev, bad)) < 0) {
		return err;
	}
	if ((err = store_first_parents(b->t.store, bad,
	                               PG_DEFAULT_BISECT_MAX_COMMITS, walk_one,
	                               &w, NULL, NULL)) < 0)
		return err;
	if (!w.found)
		return pg_error_input("GOOD '%s' is not on the first-parent "
		                      "path of BAD '%s' (within %d commits)",
		                      good_rev, bad_rev,
		                      PG_DEFAULT_BISECT_MAX_COMMITS);
	if (b->n < 2)
		return pg_error_input("GOOD and BAD are the same commit");
	for (i = 0; i < b->n / 2; i++) {
		memcpy(tmp, b->path[i], 41);
		memcpy(b->path[i], b->path[b->n - 1 - i], 41);
		memcpy(b->path[b->n - 1 - i], tmp, 41);
	}
	return 0;
}

static void stamp(struct result_run *run, const char *session,
                  const struct config *cfg, const char *side, const char *sha)
{
	result_run_stamp(run, NULL);
	run->source = pg_strdup("run");
	run->config_hash = pg_strdup(cfg->hash);
	run->mode = pg_strdup(RESULT_MODE_PAIRED);
	run->session = pg_strdup(session);
	run->side = pg_strdup(side);
	run->commit = pg_strdup(sha);
}

/* The paired session of one probe: the gate's stop rule and statistics. */
static void paired_setup(struct bisect *b, struct runner_pairs_opts *po,
                         struct paired_rule *rule, const char *root,
                         const struct config *cfg, const char *selected)
{
	runner_pairs_opts_init(po);
	po->cand_root = root;
	po->base_root = b->good_root;
	po->looks = pipeline_paired_looks(&b->o->paired, &b->cfg, &po->nlooks);
	po->seed = b->o->paired.seed_set ? b->o->paired.seed : PG_DEFAULT_SEED;
	po->selected = selected;
	po->metrics = b->metrics;
	po->counter = b->counter;
	po->base_cfg = &b->good_cfg;
	po->cancel = &cmd_interrupted;
	memset(rule, 0, sizeof(*rule));
	rule->cfg = cfg;
	rule->cmp = b->o->gate.cmp;
	rule->cmp.paired = 1;
	rule->cmp.partial = 1;
	if (!b->o->gate.alpha_set)
		rule->cmp.alpha = PG_DEFAULT_ALPHA_PAIRED;
	rule->looks = po->looks;
	rule->nlooks = po->nlooks;
	po->decide = paired_decide;
	po->decide_ctx = rule;
}

/* Measure commit k against GOOD in pairs, store both sides, compare. */
static int compare_one(struct bisect *b, size_t k, const char *root,
                       const struct config *cfg, const char *selected)
{
	struct result_run base, cand;
	struct runner_pairs_opts po;
	struct paired_rule rule;
	struct report rep;
	char session[33];
	size_t looks = 0;
	int err;

	result_run_init(&base);
	result_run_init(&cand);
	report_init(&rep);
	paired_setup(b, &po, &rule, root, cfg, selected);
	if ((err = pipeline_paired_session_id(session)) < 0)
		goto out;
	stamp(&base, session, cfg, "base", b->path[0]);
	stamp(&cand, session, cfg, "cand", b->path[k]);
	err = runner_pairs_measure(&base, &cand, cfg, &po, &looks);
	if (err < 0 || cmd_interrupted)
		goto out;
	rule.cmp.spend =
	        paired_spend(po.looks, po.nlooks, looks ? looks - 1 : 0);
	if ((err = gate_compare(&rep, cfg, &base, 1, &cand, 1, NULL,
	                        &rule.cmp)) < 0)
		goto out;
	gate_bisect_probe_decide(&b->probes[k], &rep, b->o->metric);
	if (!b->o->no_store &&
	    ((err = store_append_run(b->t.store, b->path[0], &base)) < 0 ||
	     (err = store_append_run(b->t.store, b->path[k], &cand)) < 0))
		goto out;
out:
	paired_rule_release(&rule);
	report_release(&rep);
	result_run_release(&base);
	result_run_release(&cand);
	return err;
}

static int measure(struct bisect *b, size_t k)
{
	struct gate_bisect_probe *p = &b->probes[k];
	struct config cfg;
	char *root = NULL, *selected = NULL;
	int err;

	config_init(&cfg);
	fprintf(stderr, "perfgate: bisect: measuring %.12s (%zu of %zu)\n",
	        b->path[k], k, b->n - 1);
	if ((err = pipeline_trees_export(&b->trees, b->t.store, b->path[k],
	                                 "cand", &root, &cfg)) < 0)
		goto out;
	selected = pg_calloc(cfg.nbenches + 1, 1);
	if ((err = pipeline_run_select(&cfg, b->o->filter, selected)) < 0)
		goto out;
	if ((err = pipeline_trees_build(&b->trees, &cfg, root)) < 0) {
		if (cmd_interrupted)
			goto out;
		p->mark = GATE_BISECT_SKIP;
		p->why = gate_bisect_build_failure(pg_error_last());
		err = 0;
		goto out;
	}
	err = compare_one(b, k, root, &cfg, selected);
out:
	if (!err && cmd_interrupted)
		err = pg_error_runtime("interrupted");
	if (!err) {
		gate_bisect_mark(&b->search, k, p->mark);
		fprintf(stderr, "perfgate: bisect: %.12s: %s", b->path[k],
		        gate_bisect_mark_name(p->mark));
		if (p->metric && isfinite(p->estimate))
			fprintf(stderr, " (%s %+.1f%% [%+.1f%%, %+.1f%%])",
			        p->metric, 100 * p->estimate, 100 * p->ci_low,
			        100 * p->ci_high);
		fprintf(stderr, "%s%s\n", p->why ? ": " : "",
		        p->why ? p->why : "");
	}
	free(root);
	free(selected);
	config_release(&cfg);
	return err;
}

static int prepare(struct bisect *b)
{
	struct pipeline_run_opts ro;
	char *selected;
	size_t i;
	int err;

	pipeline_run_opts_init(&ro);
	ro.config = b->o->config;
	if ((err = pipeline_run_load_config(&b->cfg, &ro)) < 0 ||
	    (err = pipeline_target_prepare(&b->t, NULL, b->o->gate.notes_ref)) <
	            0 ||
	    (err = pipeline_run_counter(&b->counter, &ro)) < 0)
		return err;
	if (!b->t.store || !store_workdir(b->t.store))
		return pg_error_input("bisect needs a git working tree");
	if (b->o->metric &&
	    (err = config_metric_flag(&b->metrics, b->o->metric)) < 0)
		return err;
	selected = pg_calloc(b->cfg.nbenches + 1, 1);
	err = pipeline_run_select(&b->cfg, b->o->filter, selected);
	for (i = 0; !err && i < b->cfg.nbenches; i++)
		if (selected[i] && b->bench)
			err = pg_error_input("--filter '%s' matches more than "
			                     "one benchmark: bisect follows "
			                     "exactly one",
			                     b->o->filter);
		else if (selected[i])
			b->bench = b->cfg.benches[i].name;
	free(selected);
	pipeline_trees_init(&b->trees, &b->cfg, store_workdir(b->t.store),
	                    &cmd_interrupted);
	return err;
}

static int setup_good(struct bisect *b)
{
	int err;

	fprintf(stderr,
	        "perfgate: bisect: %zu commits after GOOD %.12s up to BAD "
	        "%.12s (first parents)\n",
	        b->n - 1, b->path[0], b->path[b->n - 1]);
	if ((err = pipeline_trees_export(&b->trees, b->t.store, b->path[0],
	                                 "good", &b->good_root, &b->good_cfg)) <
	            0 ||
	    (err = pipeline_trees_build(&b->trees, &b->good_cfg,
	                                b->good_root)) < 0)
		return pg_error_wrap(err, "GOOD %.12s", b->path[0]);
	return 0;
}

static void release(struct bisect *b)
{
	size_t i;

	for (i = 0; b->probes && i < b->n; i++) {
		free(b->probes[i].metric);
		free(b->probes[i].why);
	}
	free(b->probes);
	if (pipeline_trees_release(&b->trees) < 0)
		cmd_error("%s", pg_error_last());
	gate_bisect_release(&b->search);
	free(b->path);
	free(b->good_root);
	config_release(&b->good_cfg);
	config_release(&b->cfg);
	pipeline_target_release(&b->t);
}

int cmd_bisect_run(const struct cmd_bisect_opts *o, const char *good,
                   const char *bad)
{
	struct bisect b;
	struct cmd_bisect_result res;
	enum gate_bisect_outcome out;
	size_t k;
	int err, code;

	memset(&b, 0, sizeof(b));
	b.o = o;
	config_init(&b.cfg);
	config_init(&b.good_cfg);
	pipeline_trees_init(&b.trees, &b.cfg, NULL, &cmd_interrupted);
	if ((err = prepare(&b)) < 0 || (err = find_path(&b, good, bad)) < 0 ||
	    (err = setup_good(&b)) < 0)
		goto fail;
	b.probes = pg_calloc(b.n, sizeof(*b.probes));
	gate_bisect_init(&b.search, b.n);
	while ((out = gate_bisect_next(&b.search, &k)) == GATE_BISECT_RUNNING)
		if ((err = measure(&b, k)) < 0)
			goto fail;
	res.search = &b.search;
	res.outcome = out;
	res.path = (const char(*)[41])b.path;
	res.probes = b.probes;
	res.store = b.t.store;
	code = cmd_bisect_print(&res, o);
	goto done;
fail:
	code = cmd_fail(cmd_interrupted && err != PG_EINPUT
	                        ? pg_error_runtime("interrupted")
	                        : err);
done:
	release(&b);
	return code;
}
