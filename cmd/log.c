/*
 * perfgate log: results along first-parent history.
 *
 * The walk streams: each commit's note is read, summarised and printed
 * before the next one is read, so memory stays flat on long histories.
 * A later `log --changes` (change points) needs whole series instead; it
 * can collect struct log_row values from the same walk callback.
 */
#include "cmd/cmd.h"
#include "stats/select.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/result.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_DEFAULT_COMMITS 50

const char cmd_log_usage[] =
        "usage: perfgate log [BENCHMARK...] [-n N] [--rev REV]\n"
        "                    [--format text|json|csv] [--notes-ref REF]\n"
        "\n"
        "Walk first-parent history from REV and print, for each commit "
        "that has\nstored results, its short SHA, date and subject and, "
        "per benchmark, the\nmedian and the number of samples of its "
        "primary metric (wall_time when\nmeasured, else the first "
        "metric), pooled over the commit's runs.\n"
        "\n"
        "  BENCHMARK...         only these benchmarks (default: all)\n"
        "  -n, --max-count N    walk at most N commits (default 50)\n"
        "  --rev REV            start from REV (default HEAD)\n"
        "  --format FMT         text (default), json or csv\n"
        "  --notes-ref REF      notes ref holding results (default\n"
        "                       $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "Unreadable notes are reported on stderr with their commit and "
        "skipped.\nIn a shallow clone the walk stops where history ends "
        "and says what to\nfetch.\n";

struct log_ctx {
	struct store *store;
	char **names; /* benchmark filter, NULL: all */
	size_t nnames;
	enum { FMT_TEXT, FMT_JSON, FMT_CSV } format;
	size_t walked, shown, warnings;
	struct pg_buf out;
};

static const struct result_metric *primary(const struct result_bench *b)
{
	const struct result_metric *m = result_metric_find(b, RESULT_WALL_TIME);

	return m ? m : (b->nmetrics ? &b->metrics[0] : NULL);
}

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

/* One benchmark's pooled summary on one commit. */
struct log_row {
	const char *name, *metric, *unit;
	double median;
	size_t samples, runs;
};

/* Pool benchmark name's primary metric over all runs of the commit. */
static int summarise(const struct result_run *runs, size_t n, const char *name,
                     struct log_row *row)
{
	double *all = NULL;
	size_t i, j, len = 0, alloc = 0;

	memset(row, 0, sizeof(*row));
	row->name = name;
	for (i = 0; i < n; i++) {
		const struct result_bench *b =
		        result_bench_find(&runs[i], name);
		const struct result_metric *m = b ? primary(b) : NULL;

		if (!m || b->error ||
		    (row->metric && strcmp(row->metric, m->name)))
			continue;
		row->metric = m->name;
		row->unit = m->unit;
		row->runs++;
		all = pg_grow_array(all, sizeof(*all), len + m->n, &alloc);
		for (j = 0; j < m->n; j++)
			all[len++] = m->samples[j];
	}
	row->samples = len;
	if (len)
		row->median = stats_median_select(all, len);
	free(all);
	return len > 0;
}

static void print_value(struct pg_buf *b, double v, const char *unit)
{
	if (!strcmp(unit, "s") && v < 1e-3)
		pg_buf_addf(b, "%.3f us", v * 1e6);
	else if (!strcmp(unit, "s") && v < 1)
		pg_buf_addf(b, "%.3f ms", v * 1e3);
	else
		pg_buf_addf(b, "%.6g %s", v, unit);
}

static void emit_commit_head(struct log_ctx *c, const struct store_commit *k)
{
	char date[11];

	store_commit_date(k, date);
	if (c->format == FMT_TEXT) {
		pg_buf_addf(&c->out, "%s %s %s\n", k->short_sha, date,
		            k->subject);
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

static void emit_row(struct log_ctx *c, const struct store_commit *k,
                     const struct log_row *r, int first)
{
	const char *p;
	char date[11];

	if (c->format == FMT_TEXT) {
		pg_buf_addf(&c->out, "    %-30s ", r->name);
		print_value(&c->out, r->median, r->unit);
		pg_buf_addf(&c->out, "  n=%zu\n", r->samples);
	} else if (c->format == FMT_JSON) {
		pg_buf_addstr(&c->out, first ? "{\"name\":" : ",{\"name\":");
		pg_json_add_string(&c->out, r->name);
		pg_buf_addstr(&c->out, ",\"metric\":");
		pg_json_add_string(&c->out, r->metric);
		pg_buf_addstr(&c->out, ",\"unit\":");
		pg_json_add_string(&c->out, r->unit);
		pg_buf_addstr(&c->out, ",\"median\":");
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",\"samples\":%zu,\"runs\":%zu}",
		            r->samples, r->runs);
	} else {
		store_commit_date(k, date);
		/* benchmark names are free text: quote them */
		pg_buf_addf(&c->out, "%s,%s,\"", k->sha, date);
		for (p = r->name; *p; p++) {
			if (*p == '"')
				pg_buf_addch(&c->out, '"');
			pg_buf_addch(&c->out, *p);
		}
		pg_buf_addf(&c->out, "\",%s,%s,", r->metric, r->unit);
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",%zu,%zu\n", r->samples, r->runs);
	}
}

static void flush(struct log_ctx *c)
{
	fwrite(c->out.s, 1, c->out.len, stdout);
	pg_buf_reset(&c->out);
}

/* Every benchmark name of the commit, in first-seen order, once. */
static int seen_before(const struct result_run *runs, size_t i, size_t j)
{
	size_t a, b;
	const char *name = runs[i].benches[j].name;

	for (a = 0; a <= i; a++)
		for (b = 0; b < (a == i ? j : runs[a].nbenches); b++)
			if (!strcmp(runs[a].benches[b].name, name))
				return 1;
	return 0;
}

static int on_commit(const struct store_commit *k, void *payload)
{
	struct log_ctx *c = payload;
	struct result_run *runs = NULL;
	struct log_row row;
	char *warning = NULL;
	size_t n = 0, i, j, rows = 0;
	int err;

	c->walked++;
	if ((err = store_read_runs(c->store, k->sha, &runs, &n, &warning)) < 0)
		return err;
	if (warning) {
		fprintf(stderr, "perfgate: warning: %s\n", warning);
		free(warning);
		c->warnings++;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < runs[i].nbenches; j++) {
			const char *name = runs[i].benches[j].name;

			if (!wanted(c, name) || seen_before(runs, i, j) ||
			    !summarise(runs, n, name, &row))
				continue;
			if (!rows)
				emit_commit_head(c, k);
			emit_row(c, k, &row, !rows);
			rows++;
		}
	}
	if (rows) {
		if (c->format == FMT_JSON)
			pg_buf_addstr(&c->out, "]}");
		c->shown++;
		flush(c);
	}
	result_runs_free(runs, n);
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
	pg_buf_addf(&c->out,
	            "\n],\"walked\":%zu,\"shallow\":%s,\"warnings\":%zu}\n",
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
		                       "samples,runs\n");
	}
	flush(c);
	if (exists)
		err = store_first_parents(c->store, sha, (size_t)max, on_commit,
		                          c, &end, boundary);
	if (err < 0)
		return err;
	if (c->format == FMT_JSON)
		json_trailer(c, end);
	flush(c);
	explain(c, rev, exists, end, boundary);
	return 0;
}

int cmd_log(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"max-count", required_argument, NULL, 'n'},
	        {"rev", required_argument, NULL, 'r'},
	        {"format", required_argument, NULL, 'f'},
	        {"notes-ref", required_argument, NULL, 'N'},
	        {NULL, 0, NULL, 0},
	};
	struct log_ctx c;
	const char *rev = "HEAD", *notes_ref = NULL;
	long max = LOG_DEFAULT_COMMITS;
	int opt, err;

	memset(&c, 0, sizeof(c));
	pg_buf_init(&c.out);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (cmd_parse_long("log", "-n", optarg, 1, &max))
				return PG_EXIT_INPUT;
			break;
		case 'r':
			rev = optarg;
			break;
		case 'f':
			if (parse_format(optarg, &c))
				return PG_EXIT_INPUT;
			break;
		case 'N':
			notes_ref = optarg;
			break;
		default:
			return cmd_bad_option("log", argv, opt);
		}
	}
	c.names = argv + optind;
	c.nnames = (size_t)(argc - optind);
	err = store_open(&c.store, NULL, notes_ref, STORE_ALLOW_BARE);
	if (err == 0)
		err = walk(&c, rev, max);
	store_free(c.store);
	pg_buf_release(&c.out);
	return cmd_fail(err);
}
