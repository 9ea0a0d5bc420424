/*
 * perfgate gate: the CI step.  Measure the suite (or take --results),
 * store the run, pick the baseline, compare, report, exit 0 or 1.
 */
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "cmd/gate_common.h"
#include "cmd/gate_history.h"
#include "cmd/paired.h"
#include "cmd/run.h"
#include "gate/baseline.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_gate_usage[] =
        "usage: perfgate gate [options]\n"
        "\n"
        "The step CI runs: measure the suite from perfgate.json (or read\n"
        "--results from an earlier `perfgate run --json`), store the results\n"
        "on the commit, pick the baseline, compare every benchmark and metric\n"
        "with it, write the reports, and exit 1 only when a slowdown is both\n"
        "statistically significant (after correction across the suite) and at\n"
        "least the practical threshold, or a budget is exceeded.  With no\n"
        "baseline it says so in every report and passes.  A run that\n"
        "cannot be stored is exit 3 after the reports, and is kept in a\n"
        "file the error names (as for `perfgate run`).\n"
        "\n"
        "Measuring:\n" CMD_RUN_USAGE "  --results FILE      compare these "
        "results (perfgate JSON, schema 1)\n"
        "                      instead of measuring; they are stored unless\n"
        "                      --no-store\n"
        "Mode (the first line of every report says which, and why):\n"
        "  (default)           paired whenever a baseline commit is found\n"
        "                      (--base, else the merge-base with the target\n"
        "                      branch): the baseline is exported into a\n"
        "                      scratch tree under $TMPDIR, both trees are\n"
        "                      built with \"build\" (if any), a preflight "
        "runs\n"
        "                      each benchmark once a side (exit 2 when the\n"
        "                      baseline side can run none), then interleaved\n"
        "                      pairs test the per-pair ratios "
        "(docs/paired.md;\n"
        "                      alpha 0.01, theta 2%, stopping at the first\n"
        "                      clear look).  On the target branch itself: a\n"
        "                      plain run stored for history.  No baseline\n"
        "                      commit (shallow clone): stored, with the "
        "reason.\n"
        "                      Entries that cannot pair (soak, fixed port,\n"
        "                      cwd outside the tree) run stored, with the\n"
        "                      reason.  A stress entry runs 7 ramp pairs\n"
        "                      (its \"ramps\"), a ramp of each side in\n"
        "                      coin-flip order (docs/stress.md)\n"
        "  --paired            a paired session even on the target branch;\n"
        "                      entries that cannot pair are an error\n"
        "  --stored            compare with stored results instead\n"
        "History alerts (on the target branch itself, after storing):\n"
        "  --on-change fail|warn  a commit among the newest that shifted "
        "a\n"
        "                      benchmark for the worse fails the gate once\n"
        "                      (default fail; config \"on_change\"; "
        "docs/\n"
        "                      history-alerts.md)\n" CMD_PAIRED_USAGE
                CMD_GATE_EXPLAIN_USAGE CMD_GATE_USAGE;

enum { OPT_RESULTS = 256, OPT_PAIRED, OPT_STORED, OPT_ON_CHANGE };

/* clang-format off */
static const struct option gate_options[] = {
	CMD_RUN_LONG_OPTIONS,
	CMD_GATE_LONG_OPTIONS,
	CMD_PAIRED_LONG_OPTIONS,
	{"results",   required_argument, NULL, OPT_RESULTS},
	{"paired",    no_argument,       NULL, OPT_PAIRED},
	{"stored",    no_argument,       NULL, OPT_STORED},
	{"on-change", required_argument, NULL, OPT_ON_CHANGE},
	{"explain",   no_argument,       NULL, CMD_GATE_OPT_EXPLAIN},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct gate_args {
	struct pipeline_run_opts run;
	struct pipeline_gate_opts g;
	struct pipeline_paired_opts p;
	const char *results;
	int paired, stored;
};

static int parse_args(struct gate_args *a, int argc, char **argv)
{
	int c, r;

	memset(a, 0, sizeof(*a));
	pipeline_run_opts_init(&a->run);
	cmd_gate_opts_init(&a->g);
	cmd_paired_opts_init(&a->p);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:v", gate_options, NULL)) !=
	       -1) {
		if (c == OPT_ON_CHANGE && strcmp(optarg, "fail") &&
		    strcmp(optarg, "warn")) {
			cmd_error("gate: --on-change: '%s' must be fail or "
			          "warn",
			          optarg);
			return PG_EXIT_INPUT;
		}
		if (c == OPT_ON_CHANGE) {
			a->g.on_change = optarg;
			continue;
		}
		if (c == OPT_RESULTS || c == OPT_PAIRED || c == OPT_STORED) {
			a->results = c == OPT_RESULTS ? optarg : a->results;
			a->paired |= c == OPT_PAIRED;
			a->stored |= c == OPT_STORED;
			continue;
		}
		r = cmd_run_option(&a->run, "gate", c, optarg);
		if (!r)
			r = cmd_gate_option(&a->g, "gate", c, optarg);
		if (!r)
			r = cmd_paired_option(&a->p, "gate", c, optarg);
		if (!r)
			return cmd_bad_option("gate", argv, c);
		if (r != 1)
			return r;
	}
	if (optind < argc) {
		cmd_error("gate: unexpected argument '%s' (see 'perfgate help "
		          "gate')",
		          argv[optind]);
		return PG_EXIT_INPUT;
	}
	if (a->paired && (a->stored || a->results)) {
		cmd_error("gate: --paired cannot be combined with %s",
		          a->stored ? "--stored" : "--results");
		return PG_EXIT_INPUT;
	}
	a->run.notes_ref = a->g.notes_ref;
	/* the other benchmarks are elsewhere, not removed */
	a->g.cmp.partial = a->run.filter != NULL || a->run.shard_count > 1;
	return 0;
}

/* --results: the runs of an earlier `perfgate run --json`, stored. */
static int load_results(const struct gate_args *a, struct config *cfg,
                        struct result_run **runs, size_t *n,
                        struct pipeline_target *t)
{
	struct pg_buf text = PG_BUF_INIT;
	size_t i;
	int err;

	config_init(cfg);
	if ((a->run.config && (err = config_load(cfg, a->run.config)) < 0) ||
	    (err = pg_buf_read_file(&text, a->results)) < 0 ||
	    (err = result_doc_parse(runs, n, text.s, text.len, a->results)) < 0)
		goto out;
	if (!*n) {
		err = pg_error_input("'%s': no runs in the results file",
		                     a->results);
		goto out;
	}
	err = pipeline_target_prepare(t, a->run.commit, a->run.notes_ref);
	if (!err && !t->store)
		err = pg_error_input("gate: not in a git repository");
	/* docs/formats.md lets a harness leave the id out */
	for (i = 0; i < *n && !err; i++)
		if (!(*runs)[i].id)
			err = result_run_new_id(&(*runs)[i]);
	for (i = 0; i < *n && !err && t->store; i++) {
		free((*runs)[i].commit);
		(*runs)[i].commit = pg_strdup(t->sha);
		(*runs)[i].dirty = (*runs)[i].dirty || t->dirty;
		if (!a->run.no_store)
			err = pipeline_target_save(t, &(*runs)[i]);
	}
	/* a run that could not be stored fails the gate after its reports */
	if (err < 0 && t->save_error) {
		pg_error_clear();
		err = 0;
	}
out:
	pg_buf_release(&text);
	return err;
}

/* Fail before measuring anything when there is no repository to gate. */
static int check_repository(const struct gate_args *a)
{
	struct store *s = NULL;
	int err = store_open(&s, NULL, a->g.notes_ref, 0);

	store_free(s);
	if (err < 0 && pg_error_reason() == PG_ENOTREPO)
		return pg_error_input("gate: not in a git repository, so there "
		                      "is no baseline (use 'perfgate run' to "
		                      "measure, or 'perfgate stat' to compare "
		                      "files)");
	return err;
}

/*
 * 1 when no selected entry of the config can run in pairs, with the first
 * one's reason in why.  A config that cannot be read is left for the
 * measuring step to report (0).
 */
static int none_pairs(const struct gate_args *a, const char *workdir,
                      struct pg_buf *why)
{
	struct config cfg;
	char *selected = NULL, *stored = NULL, **names = NULL, **whys = NULL;
	size_t i, n = 0, left = 0;

	config_init(&cfg);
	if (workdir && pipeline_run_load_config(&cfg, &a->run) == 0) {
		selected = pg_calloc(cfg.nbenches + 1, 1);
		stored = pg_calloc(cfg.nbenches + 1, 1);
		if (pipeline_run_select(&cfg, a->run.filter, selected) == 0)
			n = pipeline_paired_split(&cfg, workdir, selected,
			                          stored, &names, &whys);
		for (i = 0; i < cfg.nbenches; i++)
			left += selected[i] != 0;
	}
	pg_error_clear();
	if (n && !left)
		pg_buf_addf(why,
		            "stored: no benchmark can run in pairs ('%s': %s)",
		            names[0], whys[0]);
	pg_strv_free_n(names, n);
	pg_strv_free_n(whys, n);
	free(selected);
	free(stored);
	config_release(&cfg);
	return n && !left;
}

/*
 * The default (no --paired, --stored or --results): paired whenever a
 * baseline commit is found and the candidate is not on the target branch
 * itself; there a plain run is stored for history.  Without a baseline
 * commit a stored baseline has nothing to compare with either: the stored
 * path measures, stores and says so.  *why gets the report's first line.
 */
static int choose_auto(const struct gate_args *a, int *paired,
                       struct pg_buf *why)
{
	struct pipeline_target t;
	struct gate_baseline_opts bo = {0};
	struct gate_baseline b;
	int err;

	memset(&t, 0, sizeof(t));
	memset(&b, 0, sizeof(b));
	*paired = 0;
	if ((err = pipeline_target_prepare(&t, a->run.commit, a->g.notes_ref)) <
	    0)
		goto out;
	bo.base_rev = a->g.base;
	bo.base_branch = a->g.base_branch;
	bo.window = 1;
	if (!t.store || (err = gate_base_commit(&b, t.store, t.sha, &bo)) < 0)
		goto out;
	if (!b.start[0]) {
		pg_buf_addf(why, "stored: %s",
		            b.notice ? b.notice : "no baseline commit");
	} else if (b.on_target) {
		pg_buf_addf(why,
		            "stored: a push to the target branch '%s': a "
		            "plain run is stored for history and compared with "
		            "the stored results before it",
		            b.target ? b.target : "?");
	} else if (!none_pairs(a, store_workdir(t.store), why)) {
		*paired = 1;
		pg_buf_addf(why, "paired (the default): baseline %.12s, ",
		            b.start);
		if (a->g.base)
			pg_buf_addstr(why, "from --base");
		else
			pg_buf_addf(why, "the merge-base with '%s'",
			            b.target ? b.target : "?");
		pg_buf_addstr(why, ", built and run in pairs with the "
		                   "candidate in this job");
	}
out:
	gate_baseline_release(&b);
	pipeline_target_release(&t);
	return err;
}

/* Paired or stored, and the first line of every report saying why. */
static int choose_mode(const struct gate_args *a, int *paired,
                       struct pg_buf *why)
{
	*paired = a->paired;
	if (a->paired)
		pg_buf_addstr(why, "paired: --paired");
	else if (a->results)
		pg_buf_addstr(why, "results file: --results");
	else if (a->stored)
		pg_buf_addstr(why, "stored: --stored");
	else
		return choose_auto(a, paired, why);
	return 0;
}

int cmd_gate(int argc, char **argv)
{
	struct gate_args a;
	struct config cfg;
	struct pipeline_target t;
	struct result_run *runs = NULL, one;
	struct pg_buf why = PG_BUF_INIT;
	size_t n = 0;
	int code, err, measured = 0, paired = 0;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	memset(&t, 0, sizeof(t));
	result_run_init(&one);
	if ((err = check_repository(&a)) < 0) {
		config_init(&cfg);
		code = cmd_fail(err);
		goto out;
	}
	if ((err = choose_mode(&a, &paired, &why)) < 0) {
		config_init(&cfg);
		code = cmd_fail(err);
		goto out;
	}
	a.g.mode_reason = why.s;
	if (paired) {
		config_init(&cfg);
		a.p.runs = a.run.runs;
		a.p.auto_mode = !a.paired;
		code = cmd_gate_paired(&a.run, &a.g, &a.p, NULL);
		goto out;
	}
	if (a.results) {
		err = load_results(&a, &cfg, &runs, &n, &t);
	} else {
		/* the store is needed for the baseline even with --no-store */
		a.run.open_store = 1;
		err = cmd_run_suite(&a.run, &cfg, &one, &t);
		measured = 1;
	}
	/*
	 * A failed benchmark is reported by the gate, not fatal here; a run
	 * that could not be stored (t.save_error) fails after the reports.
	 */
	if (measured && one.nbenches && (err == PG_ERUNTIME || t.save_error))
		err = 0;
	/* a push to the target branch: history alerts (gate/alert.h) */
	if (err >= 0 && !a.run.no_store)
		err = cmd_gate_history(&a.g, t.store, &cfg,
		                       measured ? &one : &runs[n - 1], t.sha);
	if (err < 0) {
		code = cmd_fail(err);
		goto out;
	}
	code = cmd_gate_compare_and_report(
	        t.store, &cfg, measured ? &one : runs, measured ? 1 : n, t.sha,
	        &a.g, "stored baseline");
	if (t.save_error) {
		cmd_error("%s", t.save_error);
		code = PG_EXIT_RUNTIME;
	}
	if (cmd_interrupted && code != PG_EXIT_INPUT)
		code = PG_EXIT_RUNTIME;
out:
	cmd_gate_history_release(&a.g);
	pipeline_target_release(&t);
	config_release(&cfg);
	result_run_release(&one);
	result_runs_free(runs, n);
	pg_buf_release(&why);
	return code;
}
