/*
 * perfgate gate: the CI step.  Measure the suite (or take --results),
 * store the run, pick the baseline, compare, report, exit 0 or 1.
 */
#include "cmd/cmd.h"
#include "cmd/gate_common.h"
#include "cmd/paired.h"
#include "cmd/run.h"
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
        "Paired mode (the default when perfgate.json has \"build\"):\n"
        "  --paired            build the baseline commit (--base, else the\n"
        "                      merge-base with the target branch) in a\n"
        "                      scratch tree under $TMPDIR and the working\n"
        "                      tree with \"build\", run both in interleaved\n"
        "                      pairs and test the per-pair ratios\n"
        "                      (docs/paired.md); alpha 0.01 and theta 2% by\n"
        "                      default, stopping at the first clear look\n"
        "  --stored            compare with stored results instead, even\n"
        "                      when the config has \"build\"\n" CMD_PAIRED_USAGE
                CMD_GATE_USAGE;

enum { OPT_RESULTS = 256, OPT_PAIRED, OPT_STORED };

static const struct option gate_options[] = {
        CMD_RUN_LONG_OPTIONS,
        CMD_GATE_LONG_OPTIONS,
        CMD_PAIRED_LONG_OPTIONS,
        {"results", required_argument, NULL, OPT_RESULTS},
        {"paired", no_argument, NULL, OPT_PAIRED},
        {"stored", no_argument, NULL, OPT_STORED},
        {NULL, 0, NULL, 0},
};

struct gate_args {
	struct cmd_run_opts run;
	struct cmd_gate_opts g;
	struct cmd_paired_opts p;
	const char *results;
	int paired, stored;
};

static int parse_args(struct gate_args *a, int argc, char **argv)
{
	int c, r;

	memset(a, 0, sizeof(*a));
	cmd_run_opts_init(&a->run);
	cmd_gate_opts_init(&a->g);
	cmd_paired_opts_init(&a->p);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", gate_options, NULL)) != -1) {
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
                        struct cmd_store_target *t)
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
	err = cmd_store_prepare(t, a->run.commit, a->run.notes_ref);
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
			err = cmd_store_save(t, &(*runs)[i]);
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
	if (err < 0 && strstr(pg_error_last(), "not a git repository"))
		return pg_error_input("gate: not in a git repository, so there "
		                      "is no baseline (use 'perfgate run' to "
		                      "measure, or 'perfgate stat' to compare "
		                      "files)");
	return err;
}

/*
 * Paired unless --stored or --results: with --paired, or when the config
 * says how to build a tree.  A config that cannot be read is left for the
 * measuring step to report.
 */
static int wants_paired(const struct gate_args *a)
{
	struct config cfg;
	int yes;

	if (a->paired)
		return 1;
	if (a->stored || a->results)
		return 0;
	config_init(&cfg);
	yes = cmd_run_load_config(&cfg, &a->run) == 0 &&
	      (cfg.build_argv || cfg.build_shell);
	pg_error_clear();
	config_release(&cfg);
	return yes;
}

int cmd_gate(int argc, char **argv)
{
	struct gate_args a;
	struct config cfg;
	struct cmd_store_target t;
	struct result_run *runs = NULL, one;
	size_t n = 0;
	int code, err, measured = 0;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	memset(&t, 0, sizeof(t));
	result_run_init(&one);
	if ((err = check_repository(&a)) < 0) {
		config_init(&cfg);
		code = cmd_fail(err);
		goto out;
	}
	if (wants_paired(&a)) {
		config_init(&cfg);
		a.p.runs = a.run.runs;
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
	cmd_store_release(&t);
	config_release(&cfg);
	result_run_release(&one);
	result_runs_free(runs, n);
	return code;
}
