/* perfgate run: measure the suite (or one ad-hoc command). */
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "cmd/run.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const char cmd_run_usage[] =
        "usage: perfgate run [options]\n"
        "       perfgate run [options] -- COMMAND [ARGS...]\n"
        "\n"
        "Run the benchmark suite from perfgate.json and measure every run:\n"
        "wall time (CLOCK_MONOTONIC around spawn and wait), user and system\n"
        "CPU time and peak RSS (wait4 rusage).  With `-- COMMAND`, measure "
        "one\n"
        "ad-hoc command with no config, also outside a git repository.\n"
        "\n"
        "Options:\n" CMD_RUN_USAGE
        "  --json FILE         write every raw sample and the environment as\n"
        "                      JSON (schema 1, docs/results-format.md); - is\n"
        "                      standard output\n"
        "  --notes-ref REF     notes ref for results (default:\n"
        "                      $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "  --store             store an ad-hoc command's results too\n"
        "\n"
        "The suite's results are stored as a git note on HEAD unless\n"
        "--no-store is given; a dirty working tree is recorded in the run,\n"
        "which is then never used as a baseline.  An ad-hoc command's\n"
        "results are not stored unless --store is given: they are not\n"
        "suite results, and a gate would report the command as removed\n"
        "from the suite on every later commit.  Outside a git repository\n"
        "nothing is stored.\n"
        "\n"
        "A benchmark that exits non-zero, dies of a signal or passes its\n"
        "timeout (its whole process group is killed) is reported with the\n"
        "tail of its stderr; the rest of the suite still runs, and perfgate\n"
        "exits 3.\n"
        "\n"
        "A run that cannot be stored (read-only repository, full disk, a\n"
        "stale lock) is exit 3 and is kept in\n"
        "$TMPDIR/perfgate-unstored-<id>.json; the error says how to import\n"
        "it later (docs/hardening.md).\n"
        "\n"
        "Instruction counts come from \"instruction_runs\" extra runs\n"
        "(default 3) with address-space randomisation off; under valgrind\n"
        "the timeout is multiplied by 60 plus 10s.  The source used is\n"
        "recorded in the results.\n"
        "\n"
        "An entry with \"format\" runs a benchmark harness (google-benchmark,\n"
        "hyperfine, go, pytest-benchmark, criterion, jmh, bmf, perfgate,\n"
        "locust, wrk, hey, k6, autocannon or auto): each measured run's\n"
        "stdout (or its \"output\" file) is\n"
        "parsed, and every benchmark X the harness reports becomes ENTRY/X,\n"
        "with the samples of all runs merged.  See docs/formats.md and\n"
        "docs/load.md.\n"
        "\n"
        "An entry with \"stress\" ramps its service: the load command runs\n"
        "once per level (\"{concurrency}\" or \"{rate}\" replaced) until\n"
        "the SLO clearly breaks or the service crashes, and ENTRY gets\n"
        "capacity, peak_throughput, breaking_point and failure_mode, each\n"
        "level ENTRY/c=L its metrics and the service's RSS and CPU.  See\n"
        "docs/stress.md.\n";

enum { OPT_JSON = 256, OPT_NOTES_REF, OPT_STORE };

/* clang-format off */
static const struct option run_options[] = {
	CMD_RUN_LONG_OPTIONS,
	{"json",      required_argument, NULL, OPT_JSON},
	{"notes-ref", required_argument, NULL, OPT_NOTES_REF},
	{"store",     no_argument,       NULL, OPT_STORE},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int parse_run_options(struct pipeline_run_opts *o, int argc, char **argv)
{
	int c, r, store = 0;

	pipeline_run_opts_init(o);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", run_options, NULL)) != -1) {
		if (c == OPT_JSON)
			o->json = optarg;
		else if (c == OPT_NOTES_REF)
			o->notes_ref = optarg;
		else if (c == OPT_STORE)
			store = 1;
		else if ((r = cmd_run_option(o, "run", c, optarg)) != 1)
			return r ? r : cmd_bad_option("run", argv, c);
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--")) {
			cmd_error(
			        "run: unexpected argument '%s' (use -- before "
			        "an ad-hoc command)",
			        argv[optind]);
			return PG_EXIT_INPUT;
		}
		o->adhoc = argv + optind;
	}
	if (store && o->no_store) {
		cmd_error("run: --store and --no-store contradict each other");
		return PG_EXIT_INPUT;
	}
	if (store && !o->adhoc) {
		cmd_error("run: --store is for an ad-hoc command (-- COMMAND); "
		          "the suite's results are stored by default");
		return PG_EXIT_INPUT;
	}
	if (o->adhoc && !store)
		o->no_store =
		        1; /* an ad-hoc measurement is not a suite result */
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct pipeline_run_opts o;
	struct config cfg;
	struct result_run run;
	struct pipeline_target target;
	int err;

	if ((err = parse_run_options(&o, argc, argv)))
		return err;
	err = cmd_run_suite(&o, &cfg, &run, &target);
	pipeline_target_release(&target);
	config_release(&cfg);
	result_run_release(&run);
	return cmd_fail(err);
}
