/*
 * perfgate ab: paired A/B comparison of the working tree against any
 * revision, with the gate's statistics and reports.
 */
#include "cmd/cmd.h"
#include "cmd/gate_common.h"
#include "cmd/paired.h"
#include "cmd/run.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_ab_usage[] =
        "usage: perfgate ab BASE_REV [options]\n"
        "\n"
        "Paired A/B comparison: export BASE_REV into a scratch tree under\n"
        "$TMPDIR, build it and the working tree with the config's \"build\"\n"
        "(if any), run every benchmark of both in interleaved pairs (order\n"
        "by a seeded coin flip, the first pair a warmup), test the per-pair\n"
        "ratios with sequential looks, report as `perfgate gate` does and\n"
        "remove the scratch tree.  BASE_REV may be HEAD: an A/A test of\n"
        "this machine's noise.  Both sides are stored as one paired session\n"
        "(BASE_REV's run on BASE_REV, the candidate's on HEAD) unless\n"
        "--no-store.  See docs/paired.md.\n"
        "\n"
        "Measuring:\n" CMD_RUN_USAGE CMD_PAIRED_USAGE CMD_GATE_EXPLAIN_USAGE
                CMD_GATE_USAGE
        "(--base, --base-branch and --baseline-window do not apply: BASE_REV\n"
        "is the baseline.)\n";

/* clang-format off */
static const struct option ab_options[] = {
	CMD_RUN_LONG_OPTIONS,
	CMD_GATE_LONG_OPTIONS,
	CMD_PAIRED_LONG_OPTIONS,
	{"explain", no_argument, NULL, CMD_GATE_OPT_EXPLAIN},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

int cmd_ab(int argc, char **argv)
{
	struct pipeline_run_opts run;
	struct pipeline_gate_opts g;
	struct pipeline_paired_opts p;
	int c, r;

	pipeline_run_opts_init(&run);
	cmd_gate_opts_init(&g);
	cmd_paired_opts_init(&p);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:v", ab_options, NULL)) != -1) {
		r = cmd_run_option(&run, "ab", c, optarg);
		if (!r)
			r = cmd_gate_option(&g, "ab", c, optarg);
		if (!r)
			r = cmd_paired_option(&p, "ab", c, optarg);
		if (!r)
			return cmd_bad_option("ab", argv, c);
		if (r != 1)
			return r;
	}
	if (g.base || g.base_branch || g.window_set) {
		cmd_error("ab: the baseline is BASE_REV: --base, --base-branch "
		          "and --baseline-window do not apply");
		return PG_EXIT_INPUT;
	}
	if (optind >= argc) {
		cmd_error("ab: missing BASE_REV (see 'perfgate help ab')");
		return PG_EXIT_INPUT;
	}
	if (optind + 1 < argc) {
		cmd_error("ab: unexpected argument '%s' (see 'perfgate help "
		          "ab')",
		          argv[optind + 1]);
		return PG_EXIT_INPUT;
	}
	run.notes_ref = g.notes_ref;
	p.runs = run.runs;
	return cmd_gate_paired(&run, &g, &p, argv[optind]);
}
