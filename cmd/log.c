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
#include "reporters/plot.h"
#include "stats/select.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/strmap.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/json.h"
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
	enum { FMT_TEXT, FMT_JSON, FMT_CSV } format;
	size_t walked, shown, warnings;
	struct pg_buf out;
	struct history_row *rows; /* one commit's rows */
	size_t rows_alloc;
	struct history_pool pool; /* one benchmark's samples, pooled */
	/* --changes: the whole walk, and the "changes" list of json */
	struct history_series *history;
	struct stats_cp_opts cp;
	struct pg_buf changes;
	size_t nchanges;
	int plot; /* --plot: sparklines instead of commits */
};

static int wanted(const struct log_ctx *c, const char *name)
{
	size_t i;

	if (!c->nnames)
		return 1;
	for (i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], name))
			return 1;
	return 0;
}

/* A value with its unit scaled as the gate prints it (12.3 ms, 9.32 MiB). */
static void print_value(struct pg_buf *b, double v, const char *unit)
{
	char text[64];

	pg_buf_addstr(b, pg_format_value(text, sizeof(text), v, unit));
}

static void emit_commit_head(struct log_ctx *c, const struct store_commit *k)
{
	char date[11];

	store_commit_date(k, date);
	if (c->format == FMT_TEXT) {
		pg_buf_addf(&c->out, "%s %s ", k->short_sha, date);
		pg_buf_add_printable(&c->out, k->subject);
		pg_buf_addch(&c->out, '\n');
	} else if (c->format == FMT_JSON) {
		pg_buf_addstr(&c->out, c->shown ? ",\n{\"sha\":" : "{\"sha\":");
		pg_json_add_string(&c->out, k->sha);
		pg_buf_addf(&c->out,
		            ",\"date\":\"%s\",\"time\":%lld,"
		            "\"subject\":",
		            date, k->time);
		pg_json_add_string(&c->out, k->subject);
		pg_buf_addstr(&c->out, ",\"benchmarks\":[");
	}
}

static void add_csv_name(struct pg_buf *b, const char *name)
{
	const char *p;

	/* benchmark names are free text: quote them, escape controls */
	pg_buf_addch(b, '"');
	for (p = pg_printable(name); *p; p++) {
		if (*p == '"')
			pg_buf_addch(b, '"');
		pg_buf_addch(b, *p);
	}
	pg_buf_addch(b, '"');
}

/* A change point as the members of a JSON object (no braces). */
static void add_change_json(struct pg_buf *b, const struct stats_changepoint *x)
{
	pg_buf_addstr(b, "\"shift\":");
	pg_json_add_number(b, x->shift);
	pg_buf_addstr(b, ",\"before\":");
	pg_json_add_number(b, x->before);
	pg_buf_addstr(b, ",\"after\":");
	pg_json_add_number(b, x->after);
	pg_buf_addstr(b, ",\"p_value\":");
	pg_json_add_number(b, x->p_value);
}

static void emit_change(struct log_ctx *c, const struct store_commit *k,
                        const struct history_row *r)
{
	const struct stats_changepoint *x = r->change;

	if (c->format == FMT_TEXT) {
		if (isfinite(x->shift))
			pg_buf_addf(&c->out, "  <- shift %+.1f%% (",
			            100 * x->shift);
		else
			pg_buf_addstr(&c->out, "  <- shift (");
		print_value(&c->out, x->before, r->unit);
		pg_buf_addstr(&c->out, " -> ");
		print_value(&c->out, x->after, r->unit);
		pg_buf_addf(&c->out, ", p=%.3g)", x->p_value);
	} else if (c->format == FMT_JSON) {
		pg_buf_addstr(&c->out, ",\"change\":{");
		add_change_json(&c->out, x);
		pg_buf_addch(&c->out, '}');
		/* and the list of all changes, newest first */
		pg_buf_addstr(&c->changes,
		              c->nchanges++ ? ",\n{\"sha\":" : "{\"sha\":");
		pg_json_add_string(&c->changes, k->sha);
		pg_buf_addstr(&c->changes, ",\"benchmark\":");
		pg_json_add_string(&c->changes, r->name);
		pg_buf_addstr(&c->changes, ",\"metric\":");
		pg_json_add_string(&c->changes, r->metric);
		pg_buf_addstr(&c->changes, ",\"unit\":");
		pg_json_add_string(&c->changes, r->unit);
		pg_buf_addch(&c->changes, ',');
		add_change_json(&c->changes, x);
		pg_buf_addch(&c->changes, '}');
	} else {
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->shift);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->before);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->after);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->p_value);
	}
}

static void emit_row(struct log_ctx *c, const struct store_commit *k,
                     const struct history_row *r, int first)
{
	char date[11];

	if (c->format == FMT_TEXT) {
		pg_buf_addf(&c->out, "    %-30s ", pg_printable(r->name));
		print_value(&c->out, r->median, r->unit);
		pg_buf_addf(&c->out, "  n=%zu", r->samples);
	} else if (c->format == FMT_JSON) {
		pg_buf_addstr(&c->out, first ? "{\"name\":" : ",{\"name\":");
		pg_json_add_string(&c->out, r->name);
		pg_buf_addstr(&c->out, ",\"metric\":");
		pg_json_add_string(&c->out, r->metric);
		pg_buf_addstr(&c->out, ",\"unit\":");
		pg_json_add_string(&c->out, r->unit);
		pg_buf_addstr(&c->out, ",\"median\":");
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",\"samples\":%zu,\"runs\":%zu",
		            r->samples, r->runs);
	} else {
		store_commit_date(k, date);
		pg_buf_addf(&c->out, "%s,%s,", k->sha, date);
		add_csv_name(&c->out, r->name);
		pg_buf_addf(&c->out, ",%s,%s,", r->metric, r->unit);
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",%zu,%zu", r->samples, r->runs);
		if (c->history && !r->change)
			pg_buf_addstr(&c->out, ",,,,");
	}
	if (r->change)
		emit_change(c, k, r);
	pg_buf_addstr(&c->out, c->format == FMT_JSON ? "}" : "\n");
}

static void flush(struct log_ctx *c)
{
	fwrite(c->out.s, 1, c->out.len, stdout);
	pg_buf_reset(&c->out);
}

static void emit_commit(struct log_ctx *c, const struct store_commit *k,
                        const struct history_row *rows, size_t n)
{
	size_t i;

	emit_commit_head(c, k);
	for (i = 0; i < n; i++)
		emit_row(c, k, &rows[i], i == 0);
	if (c->format == FMT_JSON)
		pg_buf_addstr(&c->out, "]}");
	c->shown++;
	flush(c);
}

static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct log_ctx *c = payload;
	struct pg_strmap seen = PG_STRMAP_INIT;
	size_t i, j, rows = 0;

	if (cmd_interrupted) /* stop between notes; main says why */
		return pg_error_runtime("interrupted");
	c->walked++;
	if (warning) {
		fprintf(stderr, "perfgate: warning: %s\n", warning);
		c->warnings++;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < runs[i].nbenches; j++) {
			const char *name = runs[i].benches[j].name;

			c->rows = pg_grow_array(c->rows, sizeof(*c->rows),
			                        rows + 1, &c->rows_alloc);
			/* a hash set: a note may hold 100k benchmarks */
			if (wanted(c, name) &&
			    pg_strmap_add(&seen, name, 0, NULL) &&
			    history_summarise(&c->rows[rows], &c->pool, runs, n,
			                      name, NULL, NULL))
				rows++;
		}
	}
	pg_strmap_release(&seen);
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
		report_plot_history(&c->out, c->history, LOG_PLOT_WIDTH);
		c->shown = history_series_count(c->history);
		return 0;
	}
	for (i = 0; i < history_series_count(c->history); i++) {
		const struct store_commit *k =
		        history_series_get(c->history, i, &rows, &n);

		emit_commit(c, k, rows, n);
	}
	if (c->format == FMT_TEXT && c->shown)
		pg_buf_addf(&c->out,
		            "%zu change point%s (E-divisive means, p <= %g, "
		            "window %zu, %zu permutations, seed %llu)\n",
		            total, total == 1 ? "" : "s", c->cp.p_threshold,
		            c->cp.window, c->cp.permutations,
		            (unsigned long long)c->cp.seed);
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
	if (notes_exist && !c->shown)
		fprintf(stderr,
		        "perfgate: no results in the %zu commits walked from "
		        "'%s' (notes ref '%s')\n",
		        c->walked, rev, short_ref(ref));
}

static int parse_format(const char *arg, struct log_ctx *c)
{
	if (!strcmp(arg, "text"))
		c->format = FMT_TEXT;
	else if (!strcmp(arg, "json"))
		c->format = FMT_JSON;
	else if (!strcmp(arg, "csv"))
		c->format = FMT_CSV;
	else {
		cmd_error("log: --format: '%s' is not text, json or csv", arg);
		return PG_EXIT_INPUT;
	}
	return 0;
}

static void json_trailer(struct log_ctx *c, enum store_walk_end end)
{
	pg_buf_addstr(&c->out, "\n]");
	if (c->history) {
		pg_buf_addf(&c->out,
		            ",\"change_points\":{\"method\":\"e-divisive\","
		            "\"p_threshold\":%g,\"window\":%zu,"
		            "\"permutations\":%zu,\"seed\":%llu},"
		            "\"changes\":[",
		            c->cp.p_threshold, c->cp.window, c->cp.permutations,
		            (unsigned long long)c->cp.seed);
		if (c->nchanges)
			pg_buf_addf(&c->out, "\n%s\n", c->changes.s);
		pg_buf_addch(&c->out, ']');
	}
	pg_buf_addf(&c->out,
	            ",\"walked\":%zu,\"shallow\":%s,\"warnings\":%zu}\n",
	            c->walked, end == STORE_WALK_SHALLOW ? "true" : "false",
	            c->warnings);
}

static int walk(struct log_ctx *c, const char *rev, long max)
{
	enum store_walk_end end = STORE_WALK_ROOT;
	char sha[41], boundary[41];
	int exists = 0, err;

	if ((err = store_resolve(c->store, rev, sha)) < 0 ||
	    (err = store_notes_exist(c->store, &exists)) < 0)
		return err;
	if (c->format == FMT_JSON) {
		pg_buf_addstr(&c->out, "{\"notes_ref\":");
		pg_json_add_string(&c->out, store_notes_ref(c->store));
		pg_buf_addstr(&c->out, ",\"commits\":[\n");
	} else if (c->format == FMT_CSV) {
		pg_buf_addstr(&c->out, "sha,date,benchmark,metric,unit,median,"
		                       "samples,runs");
		pg_buf_addstr(&c->out, c->history ? ",shift,before,after,"
		                                    "p_value\n"
		                                  : "\n");
	}
	flush(c);
	if (exists)
		err = history_walk(c->store, sha, (size_t)max, on_note, c, &end,
		                   boundary);
	if (err == 0 && c->history)
		err = emit_history(c);
	if (err < 0)
		return err;
	if (c->format == FMT_JSON)
		json_trailer(c, end);
	flush(c);
	explain(c, rev, exists, end, boundary);
	return 0;
}

static int parse_log_options(struct log_ctx *c, int argc, char **argv,
                             const char **rev, const char **notes_ref,
                             long *max, int *changes, int *rev_given)
{
	static const struct option opts[] = {
	        {"max-count", required_argument, NULL, 'n'},
	        {"rev", required_argument, NULL, 'r'},
	        {"bench", required_argument, NULL, 'b'},
	        {"format", required_argument, NULL, 'f'},
	        {"notes-ref", required_argument, NULL, 'N'},
	        {"changes", no_argument, NULL, 'c'},
	        {"plot", no_argument, NULL, 'p'},
	        {NULL, 0, NULL, 0},
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (cmd_parse_long("log", "-n", optarg, 1, max))
				return PG_EXIT_INPUT;
			break;
		case 'r':
			*rev = optarg;
			*rev_given = 1;
			break;
		case 'b':
			c->names =
			        pg_grow_array(c->names, sizeof(*c->names),
			                      c->nnames + 1, &c->names_alloc);
			c->names[c->nnames++] = optarg;
			break;
		case 'f':
			if (parse_format(optarg, c))
				return PG_EXIT_INPUT;
			break;
		case 'N':
			*notes_ref = optarg;
			break;
		case 'c':
			*changes = 1;
			break;
		case 'p':
			c->plot = 1;
			break;
		default:
			return cmd_bad_option("log", argv, opt);
		}
	}
	if (c->plot && c->format != FMT_TEXT) {
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
	pg_buf_init(&c.out);
	pg_buf_init(&c.changes);
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
	pg_buf_release(&c.out);
	pg_buf_release(&c.changes);
	history_series_free(c.history);
	free(c.names);
	free(c.rows);
	history_pool_release(&c.pool);
	return code ? code : cmd_fail(err);
}
