/* What `perfgate gate` and `perfgate compare` share. */
#include "cmd/gate_common.h"
#include "cmd/explain.h"
#include "cmd/cmd.h"
#include "gate/accept.h"
#include "gate/baseline.h"
#include "history/trend.h"
#include "reporters/write_all.h"
#include "stats/describe.h"
#include "stats/verdict.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "util/quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void cmd_gate_opts_init(struct cmd_gate_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->window = PG_DEFAULT_BASELINE_WINDOW;
	o->history = PG_DEFAULT_HISTORY_WINDOW;
	gate_compare_opts_init(&o->cmp);
}

int cmd_gate_option(struct cmd_gate_opts *o, const char *verb, int c,
                    const char *arg)
{
	switch (c) {
	case CMD_GATE_OPT_BASE:
		o->base = arg;
		return 1;
	case CMD_GATE_OPT_BASE_BRANCH:
		o->base_branch = arg;
		return 1;
	case CMD_GATE_OPT_WINDOW:
		o->window_set = 1;
		return cmd_parse_long(verb, "--baseline-window", arg, 1,
		                      &o->window)
		               ? PG_EXIT_INPUT
		               : 1;
	case CMD_GATE_OPT_HISTORY:
		return cmd_parse_long(verb, "--history-window", arg, 1,
		                      &o->history)
		               ? PG_EXIT_INPUT
		               : 1;
	case CMD_GATE_OPT_REQUIRE_BASELINE:
		o->require_baseline = 1;
		return 1;
	case CMD_GATE_OPT_FAIL_INCONCLUSIVE:
		o->fail_on_inconclusive = 1;
		return 1;
	case CMD_GATE_OPT_ALPHA:
		o->alpha_set = 1;
		if (pg_fraction_parse(&o->cmp.alpha, arg, 0.5) < 0 ||
		    o->cmp.alpha <= 0) {
			cmd_error("%s: --alpha: '%s' must be above 0 and "
			          "below 0.5",
			          verb, arg);
			return PG_EXIT_INPUT;
		}
		return 1;
	case CMD_GATE_OPT_THRESHOLD:
		if (pg_fraction_parse(&o->cmp.threshold, arg, 1) < 0) {
			cmd_error("%s: --threshold: %s", verb, pg_error_last());
			return PG_EXIT_INPUT;
		}
		return 1;
	case CMD_GATE_OPT_CORRECTION:
		if (stats_correction_parse(&o->cmp.correction, arg) < 0) {
			cmd_error("%s: --correction: %s", verb,
			          pg_error_last());
			return PG_EXIT_INPUT;
		}
		return 1;
	case CMD_GATE_OPT_JUNIT:
		o->junit = arg;
		return 1;
	case CMD_GATE_OPT_MARKDOWN:
		o->markdown = arg;
		return 1;
	case CMD_GATE_OPT_JSON:
		o->json = arg;
		return 1;
	case CMD_GATE_OPT_NOTES_REF:
		o->notes_ref = arg;
		return 1;
	case CMD_GATE_OPT_EXPLAIN:
		o->explain = 1;
		return 1;
	case CMD_GATE_OPT_METRICS:
		o->metrics = arg;
		return 1;
	case CMD_GATE_OPT_VERBOSE:
		o->verbose = 1;
		return 1;
	default:
		return 0;
	}
}

static int write_reports(const struct report *rep,
                         const struct cmd_gate_opts *o)
{
	struct reporters_outputs out;

	reporters_outputs_init(&out);
	out.junit = o->junit;
	out.markdown = o->markdown;
	out.json = o->json;
	out.metrics = o->metrics;
	out.fail_on_inconclusive = o->fail_on_inconclusive;
	out.verbose = o->verbose;
	out.color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
	out.width = cmd_terminal_width(STDERR_FILENO);
	return reporters_write_all(rep, &out);
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
                           const struct cmd_gate_base *base)
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

static void note_solo(struct report *rep, const struct cmd_gate_base *base)
{
	size_t i, k;

	for (i = 0; i < rep->nrows; i++)
		for (k = 0; k < base->nsolo; k++)
			if (of_entry_name(rep->rows[i].bench, base->solo[k]))
				report_row_add_note(&rep->rows[i], "%s",
				                    base->solo_why[k]);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Samples and recent history for the charts of the Markdown report.  A
 * history that cannot be read costs the charts, not the gate.
 */
static void attach_charts(struct report *rep, struct store *s,
                          const struct result_run *cand, size_t ncand,
                          const struct cmd_gate_base *base)
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

int cmd_gate_build(struct report *rep, struct store *s,
                   const struct config *cfg, const struct result_run *cand,
                   size_t ncand, const char *cand_sha,
                   const struct cmd_gate_base *base,
                   const struct cmd_gate_opts *o,
                   const struct gate_compare_opts *cmp_in, const char *mode)
{
	struct gate_compare_opts cmp = *cmp_in;
	struct gate_accepts acc;
	double t0 = now_s();
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
	if (base->nruns && (o->explain || (cfg && cfg->explain)))
		cmd_explain_report(rep, s, cfg);
	rep->duration = now_s() - t0 + base->duration;
	attach_charts(rep, s, cand, ncand, base);
out:
	gate_accepts_release(&acc);
	return err;
}

int cmd_gate_finish(const struct report *rep, const struct cmd_gate_opts *o,
                    int no_baseline, const char *notice)
{
	int err, code;

	if ((err = write_reports(rep, o)) < 0)
		return cmd_fail(err);
	code = report_exit_code(rep, o->fail_on_inconclusive);
	if (no_baseline && o->require_baseline && code != PG_EXIT_RUNTIME) {
		cmd_error("--require-baseline: %s",
		          notice ? notice : "no baseline");
		code = PG_EXIT_INPUT;
	}
	return code;
}

int cmd_gate_report(struct store *s, const struct config *cfg,
                    const struct result_run *cand, size_t ncand,
                    const char *cand_sha, const struct cmd_gate_base *base,
                    const struct cmd_gate_opts *o,
                    const struct gate_compare_opts *cmp, const char *mode)
{
	struct report rep;
	int err, code;

	report_init(&rep);
	err = cmd_gate_build(&rep, s, cfg, cand, ncand, cand_sha, base, o, cmp,
	                     mode);
	code = err < 0 ? cmd_fail(err)
	               : cmd_gate_finish(&rep, o, !base->nruns, base->notice);
	report_release(&rep);
	return code;
}

int cmd_gate_find_base(struct gate_baseline *b, struct cmd_gate_base *base,
                       struct store *s, const struct result_run *cand,
                       size_t ncand, const char *cand_sha,
                       const struct cmd_gate_opts *o)
{
	struct gate_baseline_opts bo = {0};
	char **ids = pg_calloc(ncand + 1, sizeof(char *));
	char *key = result_run_env_key(&cand[ncand - 1]);
	double t0 = now_s();
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
	base->duration = now_s() - t0;
out:
	free(ids);
	free(key);
	return err;
}

int cmd_gate_compare_and_report(struct store *s, const struct config *cfg,
                                const struct result_run *cand, size_t ncand,
                                const char *cand_sha,
                                const struct cmd_gate_opts *o, const char *mode)
{
	struct gate_baseline b;
	struct cmd_gate_base base;
	int err, code;

	err = cmd_gate_find_base(&b, &base, s, cand, ncand, cand_sha, o);
	code = err < 0 ? cmd_fail(err)
	               : cmd_gate_report(s, cfg, cand, ncand, cand_sha, &base,
	                                 o, &o->cmp, mode);
	gate_baseline_release(&b);
	return code;
}
