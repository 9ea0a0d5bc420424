/*
 * perfgate log: results along first-parent history.
 *
 * The walk streams: each commit's note is read, summarised and printed
 * before the next one is read, so memory stays flat on long histories
 * (history/walk.c reads notes on one thread and parses them on another).
 * `log --changes` needs whole series instead: it keeps every commit's
 * summaries (history/series.c), finds change points in each benchmark's
 * series of medians, and prints at the end.
 */
#include "cmd/cmd.h"
#include "cmd/log_args.h"
#include "history/series.h"
#include "history/summary.h"
#include "history/walk.h"
#include "reporters/log.h"
#include "reporters/plot.h"
#include "stats/select.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "model/result.h"
#include "model/units.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_DEFAULT_COMMITS 50
#define LOG_PLOT_WIDTH 60 /* characters of a --plot sparkline */

const char cmd_log_usage[] =
        "usage: perfgate log [REV] [-n N] [--changes] [--plot] [--format "
        "text|json|csv]\n"
        "                    [--notes-ref REF] [--bench NAME] [-- "
        "BENCHMARK...]\n"
        "\n"
        "Walk first-parent history from REV (default HEAD) and print, for each "
        "commit "
        "that has\nstored results, its short SHA, date and subject and, "
        "per benchmark, the\nmedian and the number of samples of its "
        "primary metric (wall_time when\nmeasured, else the first "
        "metric), pooled over the commit's runs.\n"
        "\n"
        "  REV                  start from REV (default HEAD); as with git,\n"
        "                       arguments before -- are revisions: an\n"
        "                       argument that is not one is an error,\n"
        "                       and so is one that is also a benchmark\n"
        "                       of perfgate.json, unless -- follows\n"
        "  -- BENCHMARK...      only these benchmarks (default: all)\n"
        "  --bench NAME         only this benchmark (repeatable)\n"
        "  -n, --max-count N    walk at most N commits (default 50)\n"
        "  --rev REV            the same as REV\n"
        "  --format FMT         text (default), json or csv\n"
        "  --changes            mark the commits where a benchmark's "
        "series of\n"
        "                       medians shifted, and by how much "
        "(below)\n"
        "  --plot               one sparkline per benchmark instead of "
        "the\n"
        "                       commits (at most 60 characters wide; "
        "longer\n"
        "                       histories are bucketed, each character "
        "the\n"
        "                       median of its commits' medians)\n"
        "  --notes-ref REF      notes ref holding results (default\n"
        "                       $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "Unreadable notes are reported on stderr with their commit and "
        "skipped.\nIn a shallow clone the walk stops where history ends "
        "and says what to\nfetch.\n"
        "\n"
        "--changes runs E-divisive means (Matteson & James 2014) on each "
        "benchmark's\nmedians in commit order, oldest first, over the "
        "commits walked: windows of\n50 commits, each split tested with "
        "999 seeded permutations and kept when\np <= 0.001.  A shift is "
        "marked on the first commit after it, with the\nmedians of the "
        "segments before and after and the relative change\n(text: "
        "'<- shift +12.0% ...'; json: a \"change\" object per benchmark "
        "and a\n\"changes\" list; csv: the columns shift, before, after "
        "and p_value).  The\nwhole history is read before anything is "
        "printed.  Even a clean step needs\nabout 7 commits with results "
        "on each side to reach p <= 0.001.  On pure\nnoise expect a false mark "
        "about once per 20,000 commits of one benchmark\n(10 in "
        "bench/history's 20 benchmarks x 10,000 commits).\n";

struct log_ctx {
	struct store *store;
	char **names; /* benchmark filter (borrowed from argv), NULL: all */
	size_t nnames, names_alloc;
	enum report_log_format format;
	size_t walked, warnings;
	struct report_log log; /* the output (reporters/log.h) */
	struct history_row *rows; /* one commit's rows */
	size_t rows_alloc;
	struct history_pool pool; /* one benchmark's samples, pooled */
	/* --changes: the whole walk */
	struct history_series *history;
	struct stats_cp_opts cp;
	int plot; /* --plot: sparklines instead of commits */
};

static void flush(struct log_ctx *c)
{
	fwrite(c->log.out.s, 1, c->log.out.len, stdout);
	pg_buf_reset(&c->log.out);
}

static void emit_commit(struct log_ctx *c, const struct store_commit *k,
                        const struct history_row *rows, size_t n)
{
	report_log_commit(&c->log, k, rows, n);
	flush(c);
}

static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct log_ctx *c = payload;
	size_t rows;

	if (cmd_interrupted) /* stop between notes; main says why */
		return pg_error_runtime("interrupted");
	c->walked++;
	if (warning) {
		fprintf(stderr, "perfgate: warning: %s\n", warning);
		c->warnings++;
	}
	rows = history_summarise_note(&c->rows, &c->rows_alloc, &c->pool, runs,
	                              n, c->names, c->nnames);
	if (!rows)
		return 0;
	if (c->history)
		history_series_add(c->history, k, c->rows, rows);
	else
		emit_commit(c, k, c->rows, rows);
	return 0;
}

/* --changes: find the shifts, then print the history kept. */
static int emit_history(struct log_ctx *c)
{
	const struct history_row *rows;
	size_t i, n, total;
	int err;

	if ((err = history_series_find_changes(c->history, &c->cp, &total)) < 0)
		return err;
	if (c->plot) {
		report_plot_history(&c->log.out, c->history, LOG_PLOT_WIDTH);
		c->log.shown = history_series_count(c->history);
		return 0;
	}
	for (i = 0; i < history_series_count(c->history); i++) {
		const struct store_commit *k =
		        history_series_get(c->history, i, &rows, &n);

		emit_commit(c, k, rows, n);
	}
	report_log_changes_total(&c->log, total, &c->cp);
	return 0;
}

static const char *short_ref(const char *ref)
{
	return strncmp(ref, "refs/notes/", 11) ? ref : ref + 11;
}

/* Say why the history is short or empty: never an unexplained blank. */
static void explain(struct log_ctx *c, const char *rev, int notes_exist,
                    enum store_walk_end end, const char *boundary)
{
	const char *ref = store_notes_ref(c->store);

	if (!notes_exist)
		fprintf(stderr,
		        "perfgate: no results: '%s' does not exist in this "
		        "clone; fetch it with 'git fetch origin "
		        "+%s:%s' or 'perfgate sync --fetch-only'\n",
		        ref, ref, ref);
	if (end == STORE_WALK_SHALLOW)
		fprintf(stderr,
		        "perfgate: history stops at %.12s after %zu commits: "
		        "this is a shallow clone; fetch full history "
		        "('fetch-depth: 0' with actions/checkout, or 'git "
		        "fetch --unshallow') and the results ('git fetch "
		        "origin +%s:%s')\n",
		        boundary, c->walked, ref, ref);
	else if (!notes_exist && store_is_shallow(c->store))
		fprintf(stderr,
		        "perfgate: this is also a shallow clone: fetch full "
		        "history too ('fetch-depth: 0' with actions/checkout, "
		        "or 'git fetch --unshallow')\n");
	if (notes_exist && !c->log.shown)
		fprintf(stderr,
		        "perfgate: no results in the %zu commits walked from "
		        "'%s' (notes ref '%s')\n",
		        c->walked, rev, short_ref(ref));
}

static int parse_format(const char *arg, struct log_ctx *c)
{
	if (report_log_format_parse(&c->format, arg) < 0) {
		cmd_error("log: --format: %s", pg_error_last());
		return PG_EXIT_INPUT;
	}
	return 0;
}

static int walk(struct log_ctx *c, const char *rev, long max)
{
	enum store_walk_end end = STORE_WALK_ROOT;
	char sha[41], boundary[41];
	int exists = 0, err;

	if ((err = store_resolve(c->store, rev, sha)) < 0 ||
	    (err = store_notes_exist(c->store, &exists)) < 0)
		return err;
	c->log.format = c->format;
	c->log.with_changes = c->history != NULL;
	report_log_begin(&c->log, store_notes_ref(c->store));
	flush(c);
	if (exists)
		err = history_walk(c->store, sha, (size_t)max, on_note, c, &end,
		                   boundary);
	if (err == 0 && c->history)
		err = emit_history(c);
	if (err < 0)
		return err;
	report_log_end(&c->log, &c->cp, c->walked, end == STORE_WALK_SHALLOW,
	               c->warnings);
	flush(c);
	explain(c, rev, exists, end, boundary);
	return 0;
}

enum {
	OPT_REV = 256,
	OPT_BENCH,
	OPT_FORMAT,
	OPT_NOTES_REF,
	OPT_CHANGES,
	OPT_PLOT,
};

/* clang-format off */
static const struct option log_options[] = {
	{"max-count", required_argument, NULL, 'n'},
	{"rev",       required_argument, NULL, OPT_REV},
	{"bench",     required_argument, NULL, OPT_BENCH},
	{"format",    required_argument, NULL, OPT_FORMAT},
	{"notes-ref", required_argument, NULL, OPT_NOTES_REF},
	{"changes",   no_argument,       NULL, OPT_CHANGES},
	{"plot",      no_argument,       NULL, OPT_PLOT},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int parse_log_options(struct log_ctx *c, int argc, char **argv,
                             const char **rev, const char **notes_ref,
                             long *max, int *changes, int *rev_given)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:", log_options, NULL)) !=
	       -1) {
		switch (opt) {
		case 'n':
			if (cmd_parse_long("log", "-n", optarg, 1, max))
				return PG_EXIT_INPUT;
			break;
		case OPT_REV:
			*rev = optarg;
			*rev_given = 1;
			break;
		case OPT_BENCH:
			c->names =
			        pg_grow_array(c->names, sizeof(*c->names),
			                      c->nnames + 1, &c->names_alloc);
			c->names[c->nnames++] = optarg;
			break;
		case OPT_FORMAT:
			if (parse_format(optarg, c))
				return PG_EXIT_INPUT;
			break;
		case OPT_NOTES_REF:
			*notes_ref = optarg;
			break;
		case OPT_CHANGES:
			*changes = 1;
			break;
		case OPT_PLOT:
			c->plot = 1;
			break;
		default:
			return cmd_bad_option("log", argv, opt);
		}
	}
	if (c->plot && c->format != REPORT_LOG_TEXT) {
		cmd_error("log: --plot draws text: it takes no --format");
		return PG_EXIT_INPUT;
	}
	return 0;
}

int cmd_log(int argc, char **argv)
{
	struct log_ctx c;
	const char *rev = "HEAD", *notes_ref = NULL;
	long max = LOG_DEFAULT_COMMITS;
	int err, code, changes = 0, rev_given = 0, i;
	int dd = log_args_dashdash(argc, argv);

	memset(&c, 0, sizeof(c));
	report_log_init(&c.log, REPORT_LOG_TEXT, 0);
	stats_cp_opts_init(&c.cp);
	code = parse_log_options(&c, dd, argv, &rev, &notes_ref, &max, &changes,
	                         &rev_given);
	for (i = dd + 1; i < argc; i++) {
		c.names = pg_grow_array(c.names, sizeof(*c.names), c.nnames + 1,
		                        &c.names_alloc);
		c.names[c.nnames++] = argv[i];
	}
	if (changes || c.plot)
		c.history = history_series_new();
	err = code ? 0
	           : store_open(&c.store, NULL, notes_ref, STORE_ALLOW_BARE);
	if (!code && err == 0)
		err = log_args_rev(c.store, argv + optind, dd - optind, &rev,
		                   rev_given, dd < argc);
	/* log only reads: a signal may end it anywhere, at once */
	cmd_exit_on_signal(1);
	if (!code && err == 0)
		err = walk(&c, rev, max);
	cmd_exit_on_signal(0);
	store_free(c.store);
	report_log_release(&c.log);
	history_series_free(c.history);
	free(c.names);
	free(c.rows);
	history_pool_release(&c.pool);
	return code ? code : cmd_fail(err);
}
