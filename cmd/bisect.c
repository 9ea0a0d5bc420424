/*
 * perfgate bisect: options and the outcome (see cmd/bisect.h).
 */
#include "cmd/bisect.h"
#include "cmd/cmd.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/json.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char cmd_bisect_usage[] =
        "usage: perfgate bisect GOOD BAD --filter REGEX [options]\n"
        "       perfgate bisect --change --filter REGEX [options]\n"
        "\n"
        "Find the first commit on the first-parent path from GOOD to BAD\n"
        "where the benchmark that REGEX selects (exactly one) shifted by at\n"
        "least theta.  GOOD and BAD are exported into scratch trees (not\n"
        "the working tree) and built with the config's \"build\"; every\n"
        "measured commit is compared with GOOD in interleaved pairs, with\n"
        "the gate's statistics (paired mode, docs/paired.md).  BAD is\n"
        "measured first, then a binary search.  A commit that does not\n"
        "build is skipped; a comparison that cannot tell ends the search\n"
        "with \"between X and Y\", never a guess.  Each measured commit's\n"
        "runs are stored as a paired session (GOOD's run on GOOD).  The\n"
        "working tree's perfgate.json describes every commit.  See\n"
        "docs/bisect.md.\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE   suite file (default: perfgate.json at the\n"
        "                      repository root)\n"
        "  --filter REGEX      the benchmark (POSIX ERE; must match one)\n"
        "  --metric M          the metric that decides: wall_time, or\n"
        "                      instructions for exact, noise-free bisection\n"
        "                      of CPU-bound steps (default: the config's\n"
        "                      gating metrics)\n"
        "  --threshold T       theta (default 2% paired; instructions 0.5%)\n"
        "  --alpha A           significance (default 0.01)\n"
        "  --pairs N,N,...     pairs at each look (default: config, else\n"
        "                      10,20,30)\n"
        "  --seed N            seed of the coin flips (default: fixed)\n"
        "  --json FILE         the outcome and every measured commit\n"
        "  --change            GOOD and BAD from the newest change point\n"
        "                      that `perfgate log --changes` finds for the\n"
        "                      benchmark from HEAD: the commits with\n"
        "                      results on either side of the shift\n"
        "  --no-store          do not store the measured runs\n"
        "  --notes-ref REF     notes ref (default: refs/notes/perfgate)\n"
        "\n"
        "Exit status 0 when the search finished (a culprit, \"between X\n"
        "and Y\", or no shift), 2 for bad usage, 3 when GOOD does not build\n"
        "or a run fails.\n";

enum {
	OPT_FILTER = 256,
	OPT_METRIC,
	OPT_JSON,
	OPT_NO_STORE,
	OPT_CHANGE,
};

/* clang-format off */
static const struct option bisect_options[] = {
	{"config",    required_argument, NULL, 'c'},
	{"filter",    required_argument, NULL, OPT_FILTER},
	{"metric",    required_argument, NULL, OPT_METRIC},
	{"json",      required_argument, NULL, OPT_JSON},
	{"no-store",  no_argument,       NULL, OPT_NO_STORE},
	{"change",    no_argument,       NULL, OPT_CHANGE},
	{"alpha",     required_argument, NULL, CMD_GATE_OPT_ALPHA},
	{"threshold", required_argument, NULL, CMD_GATE_OPT_THRESHOLD},
	{"notes-ref", required_argument, NULL, CMD_GATE_OPT_NOTES_REF},
	CMD_PAIRED_LONG_OPTIONS,
	{NULL, 0, NULL, 0},
};
/* clang-format on */

static int one_option(struct cmd_bisect_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'c':
		o->config = arg;
		return 1;
	case OPT_FILTER:
		o->filter = arg;
		return 1;
	case OPT_METRIC:
		o->metric = arg;
		return 1;
	case OPT_JSON:
		o->json = arg;
		return 1;
	case OPT_NO_STORE:
		o->no_store = 1;
		return 1;
	case OPT_CHANGE:
		o->change = 1;
		return 1;
	}
	if (c == CMD_GATE_OPT_ALPHA || c == CMD_GATE_OPT_THRESHOLD ||
	    c == CMD_GATE_OPT_NOTES_REF)
		return cmd_gate_option(&o->gate, "bisect", c, arg);
	return cmd_paired_option(&o->paired, "bisect", c, arg);
}

int cmd_bisect(int argc, char **argv)
{
	struct cmd_bisect_opts o;
	int c, r;

	memset(&o, 0, sizeof(o));
	cmd_gate_opts_init(&o.gate);
	cmd_paired_opts_init(&o.paired);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", bisect_options, NULL)) !=
	       -1) {
		r = c == ':' || c == '?' ? 0 : one_option(&o, c, optarg);
		if (!r)
			return cmd_bad_option("bisect", argv, c);
		if (r != 1)
			return r;
	}
	if (argc - optind != (o.change ? 0 : 2) || !o.filter) {
		cmd_error(
		        "bisect: give GOOD and BAD (or --change) and --filter "
		        "REGEX (see 'perfgate help bisect')");
		return PG_EXIT_INPUT;
	}
	if (o.change)
		return cmd_bisect_run(&o, NULL, NULL);
	return cmd_bisect_run(&o, argv[optind], argv[optind + 1]);
}

static void print_commit(struct pg_buf *b, const struct cmd_bisect_result *r,
                         size_t k)
{
	struct store_commit c;

	pg_buf_addf(b, "%.12s", r->path[k]);
	if (store_commit_info(r->store, r->path[k], &c) == 0) {
		pg_buf_addf(b, " %s", c.subject ? c.subject : "");
		store_commit_release(&c);
	}
}

static void print_effect(struct pg_buf *b, const struct gate_bisect_probe *p)
{
	if (!p->metric || !isfinite(p->estimate))
		return;
	pg_buf_addf(b, "%s %+.2f%%", p->metric, 100 * p->estimate);
	if (isfinite(p->ci_low) && isfinite(p->ci_high))
		pg_buf_addf(b, " [%+.2f%%, %+.2f%%] (%.3g%% CI)",
		            100 * p->ci_low, 100 * p->ci_high,
		            100 * p->confidence);
	if (p->pairs > 0)
		pg_buf_addf(b, ", n=%ld", p->pairs);
}

static const char *outcome_name(enum gate_bisect_outcome o)
{
	switch (o) {
	case GATE_BISECT_CULPRIT:
		return "culprit";
	case GATE_BISECT_NO_SHIFT:
		return "no-shift";
	default:
		return "between";
	}
}

static void print_text(struct pg_buf *b, const struct cmd_bisect_result *r)
{
	const struct gate_bisect *s = r->search;
	size_t k, n = s->n;

	switch (r->outcome) {
	case GATE_BISECT_CULPRIT:
		pg_buf_addstr(b, "culprit: ");
		print_commit(b, r, s->hi);
		pg_buf_addstr(b, "\n  ");
		print_effect(b, &r->probes[s->hi]);
		pg_buf_addf(b, " against GOOD %.12s\n", r->path[0]);
		break;
	case GATE_BISECT_NO_SHIFT:
		pg_buf_addf(b,
		            "no shift: BAD %.12s is not shifted by at least "
		            "theta from GOOD %.12s (",
		            r->path[n - 1], r->path[0]);
		print_effect(b, &r->probes[n - 1]);
		pg_buf_addstr(b, ")\n");
		break;
	default:
		pg_buf_addf(b,
		            "between %.12s and %.12s: the step is after the "
		            "first and at or before the second; the commits "
		            "between could not be placed (skipped or "
		            "unclear)\n",
		            r->path[s->lo], r->path[s->hi]);
	}
	pg_buf_addf(b, "measured %zu of %zu commits:\n", s->measured, n - 1);
	for (k = 1; k < n; k++) {
		const struct gate_bisect_probe *p = &r->probes[k];

		if (p->mark == GATE_BISECT_UNTESTED)
			continue;
		pg_buf_addf(b, "  %-8s ", gate_bisect_mark_name(p->mark));
		print_commit(b, r, k);
		if (p->metric && isfinite(p->estimate)) {
			pg_buf_addstr(b, "  ");
			print_effect(b, p);
		}
		if (p->why)
			pg_buf_addf(b, "  (%s)", p->why);
		pg_buf_addch(b, '\n');
	}
}

static void json_num(struct pg_buf *b, const char *key, double v)
{
	pg_buf_addf(b, ", \"%s\": ", key);
	if (isfinite(v))
		pg_json_add_number(b, v);
	else
		pg_buf_addstr(b, "null");
}

static void json_str(struct pg_buf *b, const char *key, const char *v)
{
	pg_buf_addf(b, ", \"%s\": ", key);
	if (v)
		pg_json_add_string(b, v);
	else
		pg_buf_addstr(b, "null");
}

static void print_json(struct pg_buf *b, const struct cmd_bisect_result *r)
{
	const struct gate_bisect *s = r->search;
	size_t k, first = 1;

	pg_buf_addf(b, "{\"outcome\": \"%s\"", outcome_name(r->outcome));
	json_str(b, "good", r->path[0]);
	json_str(b, "bad", r->path[s->n - 1]);
	json_str(b, "culprit",
	         r->outcome == GATE_BISECT_CULPRIT ? r->path[s->hi] : NULL);
	json_str(b, "after", r->path[s->lo]);
	json_str(b, "at_or_before", r->path[s->hi]);
	pg_buf_addf(b, ", \"commits\": %zu, \"measured\": [", s->n - 1);
	for (k = 1; k < s->n; k++) {
		const struct gate_bisect_probe *p = &r->probes[k];

		if (p->mark == GATE_BISECT_UNTESTED)
			continue;
		pg_buf_addstr(b, first ? "{\"commit\": " : ", {\"commit\": ");
		first = 0;
		pg_json_add_string(b, r->path[k]);
		pg_buf_addf(b, ", \"index\": %zu", k);
		json_str(b, "mark", gate_bisect_mark_name(p->mark));
		json_str(b, "metric", p->metric);
		json_num(b, "estimate", p->estimate);
		json_num(b, "ci_low", p->ci_low);
		json_num(b, "ci_high", p->ci_high);
		json_num(b, "threshold", p->threshold);
		json_str(b, "why", p->why);
		pg_buf_addch(b, '}');
	}
	pg_buf_addstr(b, "]}\n");
}

int cmd_bisect_print(const struct cmd_bisect_result *r,
                     const struct cmd_bisect_opts *o)
{
	struct pg_buf b = PG_BUF_INIT;
	int err = 0;

	print_text(&b, r);
	fputs(b.s, stdout);
	if (o->json) {
		pg_buf_reset(&b);
		print_json(&b, r);
		err = pg_write_file_atomic(o->json, b.s, b.len);
	}
	pg_buf_release(&b);
	return err < 0 ? cmd_fail(err) : PG_EXIT_PASS;
}
