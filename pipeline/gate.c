/* The stored-baseline gate's flow: see pipeline/gate.h. */
#include "pipeline/gate.h"
#include "gate/accept.h"
#include "history/trend.h"
#include "model/report.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pipeline_gate_opts_init(struct pipeline_gate_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->window = PG_DEFAULT_BASELINE_WINDOW;
	o->history = PG_DEFAULT_HISTORY_WINDOW;
	gate_compare_opts_init(&o->cmp);
}

/* "label ci-x64 · AMD EPYC · 2 cores · host runner-7" */
static char *describe_env(const struct result_run *r)
{
	struct pg_buf b = PG_BUF_INIT;

	if (r->label)
		pg_buf_addf(&b, "label %s, ", r->label);
	pg_buf_addf(&b, "%s, %ld cores, host %s",
	            r->env.cpu_model ? r->env.cpu_model : "unknown CPU",
	            r->env.cores, r->env.hostname ? r->env.hostname : "?");
	return pg_buf_detach(&b, NULL);
}

/* perfgate.json acceptances that have not expired: see gate/accept.h. */
static int config_accepts(struct gate_accepts *a, struct store *s,
                          const struct config *cfg, const char *base)
{
	size_t i;
	int in_base, err;

	for (i = 0; cfg && i < cfg->naccepts; i++) {
		const struct config_accept *c = &cfg->accepts[i];
		char sha[41];

		in_base = 0;
		if (c->commit && base) {
			if (store_resolve(s, c->commit, sha) < 0)
				return pg_error_input("'%s': accept[%zu]: "
				                      "unknown commit '%s'",
				                      cfg->path, i, c->commit);
			if ((err = store_is_ancestor(s, sha, base, &in_base)) <
			    0)
				return err;
		}
		if (!in_base)
			gate_accepts_add(a, c);
	}
	return 0;
}

/* The acceptances in force between the baseline and the candidate. */
static int collect_accepts(struct gate_accepts *acc, struct store *s,
                           const struct config *cfg, const char *cand_sha,
                           const struct pipeline_gate_base *base)
{
	int err = 0;

	if (base->nruns &&
	    ((err = config_accepts(acc, s, cfg, base->commits[0])) < 0 ||
	     (err = gate_collect_accepts(acc, s, cand_sha, base->commits[0],
	                                 PG_DEFAULT_BASELINE_MAX_WALK)) < 0))
		return err;
	return 0;
}

/* 1 when row bench comes from entry (itself, or "entry/inner"). */
static int of_entry_name(const char *bench, const char *entry)
{
	size_t n = strlen(entry);

	return bench && !strncmp(bench, entry, n) &&
	       (bench[n] == '\0' || bench[n] == '/');
}

static void note_solo(struct report *rep, const struct pipeline_gate_base *base)
{
	size_t i, k;

	for (i = 0; i < rep->nrows; i++)
		for (k = 0; k < base->nsolo; k++)
			if (of_entry_name(rep->rows[i].bench, base->solo[k]))
				report_row_add_note(&rep->rows[i], "%s",
				                    base->solo_why[k]);
}

/*
 * Samples and recent history for the charts of the Markdown report.  A
 * history that cannot be read costs the charts, not the gate.
 */
static void attach_charts(struct report *rep, struct store *s,
                          const struct result_run *cand, size_t ncand,
                          const struct pipeline_gate_base *base)
{
	char *key = result_run_env_key(&cand[ncand - 1]);

	report_attach_samples(rep, base->runs, base->nruns, cand, ncand);
	if (base->ncommits &&
	    history_attach_trends(rep, s, base->commits[0], key,
	                          PG_DEFAULT_SPARK_POINTS) < 0)
		fprintf(stderr, "perfgate: warning: no trends: %s\n",
		        pg_error_last());
	free(key);
}

int pipeline_gate_build(struct report *rep, struct store *s,
                        const struct config *cfg, const struct result_run *cand,
                        size_t ncand, const char *cand_sha,
                        const struct pipeline_gate_base *base,
                        const struct pipeline_gate_opts *o,
                        const struct gate_compare_opts *cmp_in,
                        const char *mode)
{
	struct gate_compare_opts cmp = *cmp_in;
	struct gate_accepts acc;
	double t0 = pg_now_s();
	size_t i;
	int err;

	/* stored: the newest --baseline-window commits set the level, the
	 * rest of the history gives the between-run variance */
	cmp.level_commits = (size_t)o->window;
	gate_accepts_init(&acc);
	rep->title = pg_strdup("perfgate");
	rep->mode = pg_strdup(mode);
	rep->mode_reason = pg_strdup_or_null(o->mode_reason);
	rep->cand_commit = pg_strdup(cand_sha);
	rep->cand_env = describe_env(&cand[ncand - 1]);
	if ((err = collect_accepts(&acc, s, cfg, cand_sha, base)) < 0 ||
	    (err = gate_compare(rep, cfg, base->runs, base->nruns, cand, ncand,
	                        &acc, &cmp)) < 0)
		goto out;
	note_solo(rep, base);
	if (base->nruns) {
		rep->base_commit = pg_strdup(base->commits[0]);
		for (i = 0; i < base->ncommits; i++)
			report_add_baseline_commit(rep, base->commits[i]);
		rep->base_env = describe_env(&base->runs[0]);
	} else {
		rep->notice = pg_strdup_or_null(base->notice);
	}
	if (o->alerts)
		report_alerts_move(rep, o->alerts);
	if (o->explainer && base->nruns &&
	    (o->explain || (cfg && cfg->explain)))
		o->explainer(rep, s, cfg);
	rep->duration = pg_now_s() - t0 + base->duration;
	attach_charts(rep, s, cand, ncand, base);
out:
	gate_accepts_release(&acc);
	return err;
}

int pipeline_gate_find_base(struct gate_baseline *b,
                            struct pipeline_gate_base *base, struct store *s,
                            const struct result_run *cand, size_t ncand,
                            const char *cand_sha,
                            const struct pipeline_gate_opts *o)
{
	struct gate_baseline_opts bo = {0};
	char **ids = pg_calloc(ncand + 1, sizeof(char *));
	char *key = result_run_env_key(&cand[ncand - 1]);
	double t0 = pg_now_s();
	size_t i;
	int err;

	memset(base, 0, sizeof(*base));
	for (i = 0; i < ncand; i++)
		ids[i] = cand[i].id;
	bo.base_rev = o->base;
	bo.base_branch = o->base_branch;
	/* the level from the newest window, the variance from the history */
	bo.window = (size_t)(o->history > o->window ? o->history : o->window);
	bo.max_walk = PG_DEFAULT_BASELINE_MAX_WALK;
	bo.env_key = key;
	bo.exclude_ids = ids;
	bo.nexclude = ncand;
	if ((err = gate_find_baseline(b, s, cand_sha, &bo)) < 0)
		goto out;
	if (b->warnings)
		fprintf(stderr, "perfgate: warning: %s", b->warnings);
	base->runs = b->runs;
	base->nruns = b->nruns;
	base->commits = (const char(*)[41])b->commits;
	/* the report names the commits that set the level, not the history */
	base->ncommits = b->ncommits < (size_t)o->window ? b->ncommits
	                                                 : (size_t)o->window;
	base->notice = b->notice;
	base->duration = pg_now_s() - t0;
out:
	free(ids);
	free(key);
	return err;
}
