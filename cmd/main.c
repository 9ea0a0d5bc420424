/* perfgate: the command line.  One table of verbs; see cmd/cmd.h. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_verb verbs[] = {
        {"init", cmd_init, "write a starter perfgate.json for this repository",
         cmd_init_usage, NULL},
        {"run", cmd_run, "run the benchmark suite and measure it",
         cmd_run_usage, NULL},
        {"import", cmd_import, "import results another harness wrote",
         cmd_import_usage, NULL},
        {"log", cmd_log, "results along first-parent history", cmd_log_usage,
         NULL},
        {"show", cmd_show, "the results stored on one commit", cmd_show_usage,
         NULL},
        {"sync", cmd_sync, "exchange results with a remote", cmd_sync_usage,
         NULL},
        {"report", cmd_report, "write a static HTML site of the history",
         cmd_report_usage, NULL},
        {"gate", cmd_gate,
         "run, store, compare with the baseline, report: the CI step",
         cmd_gate_usage, "significant regression found"},
        {"compare", cmd_compare, "compare the stored results of two commits",
         cmd_compare_usage, "significant regression found"},
        {"stat", cmd_stat, "compare two sample files statistically",
         cmd_stat_usage, "significant regression found (B slower than A)"},
        {"ab", cmd_ab,
         "paired A/B run of the working tree against a "
         "revision",
         cmd_ab_usage, "significant regression found"},
        {"noise", cmd_noise,
         "measure this machine's noise, recommend "
         "theta and pairs",
         cmd_noise_usage, NULL},
        {"explain", cmd_explain,
         "which functions' instructions grew: callgrind on both sides",
         cmd_explain_usage, NULL},
        {"bisect", cmd_bisect,
         "find the commit that shifted a benchmark, by paired bisection",
         cmd_bisect_usage, NULL},
        {"comment", cmd_comment, "post the report on the pull/merge request",
         cmd_comment_usage, NULL},
        {"hook", cmd_hook, "install the pre-push check", cmd_hook_usage,
         "pre-push: a significant regression, the push is blocked"},
        {"gc", cmd_gc, "summarise old runs' raw samples (retention)",
         cmd_gc_usage, NULL},
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char exit_codes[] =
        "Exit status:\n"
        "  0  pass\n"
        "  1  significant regression found (gate, compare, ab, stat, hook)\n"
        "  2  bad usage or bad input (config, notes, file formats)\n"
        "  3  runtime failure (a benchmark failed or timed out, the\n"
        "     repository is unreadable)\n";

/* The exit codes one verb can return: exit 1 only where it exists. */
static void verb_exit_codes(FILE *f, const struct cmd_verb *v)
{
	fprintf(f, "\nExit status:\n  0  success\n");
	if (v->exit1)
		fprintf(f, "  1  %s\n", v->exit1);
	fprintf(f, "  2  bad usage or bad input (config, notes, file "
	           "formats)\n"
	           "  3  runtime failure (a benchmark failed or timed out, "
	           "the\n     repository is unreadable)\n");
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: perfgate <verb> [options]\n"
	           "       perfgate help <verb>\n"
	           "       perfgate --version\n\n"
	           "perfgate stops performance regressions at the door: it "
	           "measures a benchmark\nsuite, keeps the results in git "
	           "notes and fails the build only when a\nslowdown is both "
	           "statistically significant and large enough to matter.\n\n"
	           "Verbs:\n");
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
	fprintf(f, "\n%s", exit_codes);
}

static const struct cmd_verb *find_verb(const char *name)
{
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

static int help(const char *name)
{
	const struct cmd_verb *v;

	if (!name) {
		usage(stdout);
		return PG_EXIT_PASS;
	}
	v = find_verb(name);
	if (!v) {
		cmd_error("unknown verb '%s' (see 'perfgate --help')", name);
		return PG_EXIT_INPUT;
	}
	fputs(v->usage, stdout);
	verb_exit_codes(stdout, v);
	return PG_EXIT_PASS;
}

int main(int argc, char **argv)
{
	const struct cmd_verb *v;
	int code;

	if (argc < 2) {
		usage(stderr);
		return PG_EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(NULL);
	if (!strcmp(argv[1], "help"))
		return help(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("perfgate %s\n", PERFGATE_VERSION);
		return PG_EXIT_PASS;
	}
	v = find_verb(argv[1]);
	if (!v) {
		if (argv[1][0] == '-')
			cmd_error("unknown option '%s' (see 'perfgate --help')",
			          argv[1]);
		else
			cmd_error("unknown verb '%s' (see 'perfgate --help')",
			          argv[1]);
		return PG_EXIT_INPUT;
	}
	/* a verb's own --help works like `perfgate help <verb>` */
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		return help(v->name);
	cmd_catch_signals();
	code = v->fn(argc - 1, argv + 1);
	/* SIGINT/SIGTERM never ends in a pass, whatever the verb finished */
	if (cmd_interrupted &&
	    (code == PG_EXIT_PASS || code == PG_EXIT_REGRESSION)) {
		cmd_error("interrupted");
		code = PG_EXIT_RUNTIME;
	}
	return code;
}
