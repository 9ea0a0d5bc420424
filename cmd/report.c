/*
 * perfgate report --html DIR: a static site of the stored history
 * (reporters/html.h).  The walk is `log --changes`'s (history/), with
 * runner classes kept apart and paired sessions out of the trend; the
 * newest verdicts come from a gate report given with --report, else from
 * the default comparison recomputed for the newest commit (report_gate.c).
 */
#include "cmd/cmd.h"
#include "cmd/report_gate.h"
#include "gate/accept.h"
#include "history/series.h"
#include "history/walk.h"
#include "history/classes.h"
#include "reporters/html.h"
#include "reporters/json_read.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "store/notes.h"

#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_report_usage[] =
        "usage: perfgate report --html DIR [REV] [-n N] [--filter REGEX]\n"
        "                       [--report FILE] [--chart-points N]\n"
        "                       [--notes-ref REF]\n"
        "\n"
        "Write a static HTML site of the results stored along first-parent\n"
        "history from REV (default HEAD) into DIR: index.html (one row per\n"
        "benchmark and runner class, ordered by the size of the newest\n"
        "change), a page per benchmark with its trend charts, and\n"
        "gate.html.  Inline SVG and CSS only: no script, no network; it\n"
        "works from file:// and on GitHub or GitLab Pages (docs/report.md).\n"
        "\n"
        "  --html DIR           write the site here (created if missing)\n"
        "  -n, --max-count N    walk at most N commits (default 1000)\n"
        "  --filter REGEX       only benchmarks whose name matches (POSIX "
        "ERE)\n"
        "  --report FILE        newest verdicts from this gate report\n"
        "                       (perfgate gate --json FILE); without it "
        "the\n"
        "                       newest commit is compared again with its\n"
        "                       default baseline, and the pages say so\n"
        "  --chart-points N     one point per commit up to N commits "
        "per chart,\n"
        "                       then fixed buckets (default 2000)\n"
        "  --rev REV            the same as REV (as 'perfgate log' takes "
        "it)\n"
        "  --notes-ref REF      notes ref holding results (default\n"
        "                       $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "Charts draw the median per commit of each benchmark's primary "
        "metric\n(wall_time when measured) with its run-level spread, one "
        "point per\ncommit up to --chart-points, then fixed buckets of "
        "min/median/max;\nchange points are those of 'perfgate log "
        "--changes'.  Paired sessions\nare marked, not drawn.  Commit links "
        "go to GitHub or GitLab when\nthe remote 'origin' is there.\n";

struct report_ctx {
	regex_t re;
	int has_re;
	struct history_series *history;
	struct history_classes sum;
	unsigned char *paired;
	size_t paired_alloc;
	struct gate_accepts acc;
	struct html_accept *accepts;
	size_t naccepts, accepts_alloc;
	size_t walked, warnings;
	struct stats_cp_opts cp;
	int notes_exist;
};

struct report_args {
	const char *dir, *rev, *filter, *json, *notes_ref;
	long max, points;
};

static int wanted(const char *name, void *arg)
{
	struct report_ctx *c = arg;

	return !c->has_re || regexec(&c->re, name, 0, NULL, 0) == 0;
}

/* The Perfgate-Accept lines of commit k: a mark on its chart. */
static void add_accepts(struct report_ctx *c, const struct store_commit *k,
                        size_t index)
{
	size_t i, before = c->acc.n;

	if (gate_accepts_parse_message(&c->acc, k->message, k->sha) < 0) {
		fprintf(stderr, "perfgate: warning: %s\n", pg_error_last());
		c->warnings++;
	}
	for (i = before; i < c->acc.n; i++) {
		struct html_accept *a;

		c->accepts = pg_grow_array(c->accepts, sizeof(*c->accepts),
		                           c->naccepts + 1, &c->accepts_alloc);
		a = &c->accepts[c->naccepts++];
		a->commit = index;
		a->bench = c->acc.items[i].bench;
		a->metric = c->acc.items[i].metric;
		a->text = c->acc.items[i].reason ? c->acc.items[i].reason : "";
	}
}

static int on_note(const struct store_commit *k, const struct result_run *runs,
                   size_t n, const char *warning, void *payload)
{
	struct report_ctx *c = payload;
	size_t index;

	c->walked++;
	if (warning) {
		fprintf(stderr, "perfgate: warning: %s\n", warning);
		c->warnings++;
	}
	history_classes_summarise(&c->sum, runs, n, wanted, c);
	if (!c->sum.nrows && !c->sum.paired && !k->message)
		return 0;
	index = history_series_count(c->history);
	history_series_add(c->history, k, c->sum.rows, c->sum.nrows);
	c->paired = pg_grow_array(c->paired, 1, index + 1, &c->paired_alloc);
	c->paired[index] = (unsigned char)c->sum.paired;
	if (k->message)
		add_accepts(c, k, index);
	return 0;
}

enum {
	OPT_HTML = 256,
	OPT_FILTER,
	OPT_REPORT,
	OPT_NOTES_REF,
	OPT_CHART_POINTS,
	OPT_REV,
};

/* clang-format off */
static const struct option report_options[] = {
	{"html",         required_argument, NULL, OPT_HTML},
	{"max-count",    required_argument, NULL, 'n'},
	{"filter",       required_argument, NULL, OPT_FILTER},
	{"report",       required_argument, NULL, OPT_REPORT},
	{"notes-ref",    required_argument, NULL, OPT_NOTES_REF},
	{"chart-points", required_argument, NULL, OPT_CHART_POINTS},
	{"rev",          required_argument, NULL, OPT_REV},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int parse_args(struct report_args *a, int argc, char **argv)
{
	int opt;

	memset(a, 0, sizeof(*a));
	a->rev = "HEAD";
	a->max = PG_DEFAULT_REPORT_COMMITS;
	a->points = PG_DEFAULT_CHART_MAX_POINTS;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:", report_options, NULL)) !=
	       -1) {
		if (opt == OPT_HTML)
			a->dir = optarg;
		else if (opt == 'n') {
			if (cmd_parse_long("report", "-n", optarg, 1, &a->max))
				return PG_EXIT_INPUT;
		} else if (opt == OPT_FILTER)
			a->filter = optarg;
		else if (opt == OPT_REPORT)
			a->json = optarg;
		else if (opt == OPT_NOTES_REF)
			a->notes_ref = optarg;
		else if (opt == OPT_REV)
			a->rev = optarg;
		else if (opt == OPT_CHART_POINTS) {
			if (cmd_parse_long("report", "--chart-points", optarg,
			                   2, &a->points))
				return PG_EXIT_INPUT;
		} else
			return cmd_bad_option("report", argv, opt);
	}
	if (argc - optind > 1) {
		cmd_error("report: one revision at most (see 'perfgate help "
		          "report')");
		return PG_EXIT_INPUT;
	}
	if (optind < argc)
		a->rev = argv[optind];
	if (!a->dir) {
		cmd_error("report: say where to write: --html DIR");
		return PG_EXIT_INPUT;
	}
	return 0;
}

static int read_gate(struct report *rep, const char *path, struct pg_buf *src)
{
	struct pg_buf text;
	int err;

	pg_buf_init(&text);
	if ((err = pg_buf_read_file(&text, path)) == 0)
		err = report_json_read(rep, text.s, text.len, path);
	pg_buf_release(&text);
	if (err == 0)
		pg_buf_addf(src, "Verdicts from the gate report %s.", path);
	return err;
}

static int build(struct report_ctx *c, struct store *s,
                 const struct report_args *a, struct html_site *site,
                 struct report *gate, struct pg_buf *src)
{
	char sha[41];
	size_t total;
	int exists = 0, err, have = 0;

	stats_cp_opts_init(&c->cp);
	if ((err = store_resolve(s, a->rev, sha)) < 0 ||
	    (err = store_notes_exist(s, &exists)) < 0)
		return err;
	if (exists && (err = history_walk(s, sha, (size_t)a->max, on_note, c,
	                                  NULL, NULL)) < 0)
		return err;
	if ((err = history_series_find_changes(c->history, &c->cp, &total)) < 0)
		return err;
	if (a->json)
		err = read_gate(gate, a->json, src);
	else
		err = report_gate_recompute(gate, s, c->history, &have, src);
	if (err < 0)
		return err;
	site->history = c->history;
	site->cp = &c->cp;
	site->paired = c->paired;
	site->accepts = c->accepts;
	site->naccepts = c->naccepts;
	site->gate = a->json || have ? gate : NULL;
	site->gate_source = src->s;
	site->revision = a->rev;
	site->walked = c->walked;
	site->spark_points = PG_DEFAULT_SPARK_POINTS;
	site->max_points = (size_t)a->points;
	return 0;
}

/* The site's title: the working tree's directory name. */
static void title_of(struct store *s, struct pg_buf *out)
{
	const char *w = store_workdir(s), *p;
	size_t len;

	if (!w) {
		pg_buf_addstr(out, "perfgate");
		return;
	}
	len = strlen(w);
	while (len > 1 && w[len - 1] == '/')
		len--;
	for (p = w + len; p > w && p[-1] != '/'; p--)
		;
	if (w + len > p)
		pg_buf_add(out, p, (size_t)(w + len - p));
	else
		pg_buf_addstr(out, "perfgate");
}

static void ctx_release(struct report_ctx *c)
{
	if (c->has_re)
		regfree(&c->re);
	history_series_free(c->history);
	history_classes_release(&c->sum);
	gate_accepts_release(&c->acc);
	free(c->paired);
	free(c->accepts);
}

static int run(struct report_ctx *c, const struct report_args *a)
{
	struct store *s = NULL;
	struct html_site site;
	struct html_stats st;
	struct report gate;
	struct pg_buf src, title;
	char *remote = NULL, *url = NULL;
	int err;

	memset(&site, 0, sizeof(site));
	report_init(&gate);
	pg_buf_init(&src);
	pg_buf_init(&title);
	if ((err = store_open(&s, NULL, a->notes_ref, STORE_ALLOW_BARE)) < 0 ||
	    (err = build(c, s, a, &site, &gate, &src)) < 0)
		goto out;
	store_remote_url(s, "origin", &remote);
	url = html_forge_commit_url(remote);
	site.commit_url = url;
	title_of(s, &title);
	site.title = title.s;
	if ((err = html_site_write(&site, a->dir, &st)) < 0)
		goto out;
	printf("perfgate: wrote %zu page%s (%zu series, %zu commits with "
	       "results of %zu walked; %.1f KiB, largest page %.1f KiB) to "
	       "%s/index.html\n",
	       st.pages, st.pages == 1 ? "" : "s",
	       history_series_nseries(c->history),
	       history_series_count(c->history), c->walked,
	       (double)st.bytes / 1024, (double)st.largest / 1024, a->dir);
	if (!c->notes_exist)
		fprintf(stderr,
		        "perfgate: no results: '%s' does not exist in this "
		        "clone; fetch it with 'git fetch origin +%s:%s'\n",
		        store_notes_ref(s), store_notes_ref(s),
		        store_notes_ref(s));
	else if (!history_series_nseries(c->history))
		fprintf(stderr,
		        "perfgate: no results in the %zu commits walked from "
		        "'%s'%s\n",
		        c->walked, a->rev,
		        a->filter ? " that match --filter" : "");
out:
	free(remote);
	free(url);
	report_release(&gate);
	pg_buf_release(&src);
	pg_buf_release(&title);
	store_free(s);
	return err;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a;
	struct report_ctx c;
	int code, err;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	memset(&c, 0, sizeof(c));
	if (a.filter) {
		if (regcomp(&c.re, a.filter, REG_EXTENDED | REG_NOSUB)) {
			cmd_error("report: --filter: '%s' is not a valid "
			          "regular expression",
			          a.filter);
			return PG_EXIT_INPUT;
		}
		c.has_re = 1;
	}
	c.history = history_series_new();
	history_classes_init(&c.sum);
	gate_accepts_init(&c.acc);
	err = run(&c, &a);
	ctx_release(&c);
	return cmd_fail(err);
}
