/* What `perfgate gate` and `perfgate compare` share. */
#include "cmd/gate_common.h"
#include "pipeline/explain.h"
#include "cmd/cmd.h"
#include "gate/baseline.h"
#include "reporters/write_all.h"
#include "stats/describe.h"
#include "stats/verdict.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_error(const char *msg)
{
	cmd_error("%s", msg);
}

/* The gate's explanations, stopped by SIGINT and SIGTERM. */
static void explain_report(struct report *rep, struct store *s,
                           const struct config *cfg)
{
	pipeline_explain_report(rep, s, cfg, &cmd_interrupted, print_error);
}

void cmd_gate_opts_init(struct pipeline_gate_opts *o)
{
	pipeline_gate_opts_init(o);
	o->explainer = explain_report;
}

int cmd_gate_option(struct pipeline_gate_opts *o, const char *verb, int c,
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
                         const struct pipeline_gate_opts *o)
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

int cmd_gate_finish(const struct report *rep,
                    const struct pipeline_gate_opts *o, int no_baseline,
                    const char *notice)
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
                    const char *cand_sha, const struct pipeline_gate_base *base,
                    const struct pipeline_gate_opts *o,
                    const struct gate_compare_opts *cmp, const char *mode)
{
	struct report rep;
	int err, code;

	report_init(&rep);
	err = pipeline_gate_build(&rep, s, cfg, cand, ncand, cand_sha, base, o,
	                          cmp, mode);
	code = err < 0 ? cmd_fail(err)
	               : cmd_gate_finish(&rep, o, !base->nruns, base->notice);
	report_release(&rep);
	return code;
}

int cmd_gate_compare_and_report(struct store *s, const struct config *cfg,
                                const struct result_run *cand, size_t ncand,
                                const char *cand_sha,
                                const struct pipeline_gate_opts *o,
                                const char *mode)
{
	struct gate_baseline b;
	struct pipeline_gate_base base;
	int err, code;

	err = pipeline_gate_find_base(&b, &base, s, cand, ncand, cand_sha, o);
	code = err < 0 ? cmd_fail(err)
	               : cmd_gate_report(s, cfg, cand, ncand, cand_sha, &base,
	                                 o, &o->cmp, mode);
	gate_baseline_release(&b);
	return code;
}
