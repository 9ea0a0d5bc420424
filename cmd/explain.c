/*
 * perfgate explain: where a benchmark's instructions went between a
 * baseline commit and the working tree (docs/explain.md).
 */
#include "pipeline/explain.h"
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "cmd/run.h"
#include "gate/baseline.h"
#include "reporters/flamegraph.h"
#include "runner/flame.h"
#include "store/repo.h"
#include "util/defaults.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#include <getopt.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_explain_usage[] =
        "usage: perfgate explain BENCH [options]\n"
        "       perfgate explain --filter REGEX [options]\n"
        "\n"
        "Where did the instructions go?  Export the baseline commit into a\n"
        "scratch tree, build it and the working tree with the config's\n"
        "\"build\", run benchmark BENCH 3 times plainly and once under\n"
        "valgrind's callgrind in each (ASLR off, children followed), and\n"
        "list the functions whose instruction counts grew most, matched\n"
        "by name, source file and object (paths relative to each tree),\n"
        "with their share of the total change.  BENCH is a config name,\n"
        "or ENTRY/inner for a harness entry (google-benchmark runs only\n"
        "the inner benchmark, with --benchmark_filter).  See\n"
        "docs/explain.md.\n"
        "\n"
        "Refuses (exit 3) when valgrind is missing, and when the benchmark\n"
        "is I/O- or sleep-bound (CPU time under 50% of wall time).\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE   suite file (default: perfgate.json at the\n"
        "                      repository root)\n"
        "  --filter REGEX      the benchmark, instead of BENCH: it must\n"
        "                      match exactly one\n"
        "  --base REV          the baseline commit (default: the merge-base\n"
        "                      with the target branch, as `perfgate gate`\n"
        "                      finds it; on it, HEAD's first parent)\n"
        "  --base-branch BRANCH  the target branch for that merge-base\n"
        "  --top N             functions listed (default 10)\n"
        "  --json              print JSON on stdout instead of the table\n"
        "  --flamegraph FILE   also write a differential flame graph (SVG:\n"
        "                      widths the candidate's instructions, red\n"
        "                      grew, blue shrank; approximate, from\n"
        "                      callgrind's caller-callee pairs)\n";

enum {
	OPT_BASE = 256,
	OPT_BASE_BRANCH,
	OPT_TOP,
	OPT_JSON,
	OPT_FILTER,
	OPT_FLAMEGRAPH,
};

/* clang-format off */
static const struct option explain_options[] = {
	{"config",      required_argument, NULL, 'c'},
	{"filter",      required_argument, NULL, OPT_FILTER},
	{"base",        required_argument, NULL, OPT_BASE},
	{"base-branch", required_argument, NULL, OPT_BASE_BRANCH},
	{"top",         required_argument, NULL, OPT_TOP},
	{"json",        no_argument,       NULL, OPT_JSON},
	{"flamegraph",  required_argument, NULL, OPT_FLAMEGRAPH},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct opts {
	const char *config, *filter, *base, *base_branch, *bench, *flamegraph;
	long top;
	int json;
};

static int parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->top = PG_DEFAULT_EXPLAIN_TOP;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", explain_options, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case OPT_BASE:
			o->base = optarg;
			break;
		case OPT_BASE_BRANCH:
			o->base_branch = optarg;
			break;
		case OPT_TOP:
			if (cmd_parse_long("explain", "--top", optarg, 1,
			                   &o->top) < 0)
				return PG_EXIT_INPUT;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_FLAMEGRAPH:
			o->flamegraph = optarg;
			break;
		default:
			return cmd_bad_option("explain", argv, c);
		}
	}
	if (optind < argc)
		o->bench = argv[optind++];
	if (optind < argc || !o->bench == !o->filter) {
		cmd_error("explain: give one BENCH or --filter REGEX (see "
		          "'perfgate help explain')");
		return PG_EXIT_INPUT;
	}
	return 0;
}

/* The one benchmark of cfg that filter matches, into *out (borrowed). */
static int select_one(const char **out, const struct config *cfg,
                      const char *filter)
{
	regex_t re;
	size_t i, n = 0;

	if (regcomp(&re, filter, REG_EXTENDED | REG_NOSUB))
		return pg_error_input("--filter: bad regular expression '%s'",
		                      filter);
	for (i = 0; i < cfg->nbenches; i++)
		if (!regexec(&re, cfg->benches[i].name, 0, NULL, 0)) {
			if (n++)
				break;
			*out = cfg->benches[i].name;
		}
	regfree(&re);
	if (n != 1)
		return pg_error_input("--filter '%s' matches %s benchmark of "
		                      "'%s': it must match exactly one",
		                      filter, n ? "more than one" : "no",
		                      cfg->path);
	return 0;
}

static int find_base(char sha[41], struct store *s, const char *head,
                     const struct opts *o)
{
	struct gate_baseline_opts bo = {0};
	struct gate_baseline b;
	int err;

	if (o->base)
		return store_resolve(s, o->base, sha);
	bo.base_branch = o->base_branch;
	bo.window = 1;
	memset(&b, 0, sizeof(b));
	err = gate_base_commit(&b, s, head, &bo);
	if (!err && !b.start[0])
		err = pg_error_input("no baseline commit: %s; give --base REV",
		                     b.notice ? b.notice : "none found");
	if (!err)
		memcpy(sha, b.start, 41);
	gate_baseline_release(&b);
	return err;
}

static void print_json(const struct runner_explanation *e,
                       const struct pipeline_explain_req *req, int filtered,
                       long top)
{
	struct pg_buf b = PG_BUF_INIT;
	double change = runner_explain_change(e);
	const char *stripped = runner_cg_stripped(&e->cand);
	size_t i;

	pg_buf_addstr(&b, "{\"bench\": ");
	pg_json_add_string(&b, req->bench);
	pg_buf_addstr(&b, ", \"base_commit\": ");
	pg_json_add_string(&b, req->base_sha);
	pg_buf_addf(&b, ", \"filtered\": %s, \"base_total\": ",
	            filtered ? "true" : "false");
	pg_json_add_number(&b, e->base.total);
	pg_buf_addstr(&b, ", \"cand_total\": ");
	pg_json_add_number(&b, e->cand.total);
	pg_buf_addstr(&b, ", \"change\": ");
	pg_json_add_number(&b, change);
	pg_buf_addstr(&b, ", \"wall_base\": ");
	pg_json_add_number(&b, e->wall_base);
	pg_buf_addstr(&b, ", \"wall_cand\": ");
	pg_json_add_number(&b, e->wall_cand);
	pg_buf_addstr(&b, ", \"cpu_share\": ");
	pg_json_add_number(&b, e->cpu_share);
	pg_buf_addstr(&b, ", \"stripped\": ");
	if (stripped)
		pg_json_add_string(&b, stripped);
	else
		pg_buf_addstr(&b, "null");
	pg_buf_addstr(&b, ", \"functions\": [");
	for (i = 0; i < e->ndeltas && i < (size_t)top; i++) {
		const struct runner_cg_delta *d = &e->deltas[i];

		pg_buf_addstr(&b, i ? ", {\"name\": " : "{\"name\": ");
		pg_json_add_string(&b, d->name);
		pg_buf_addstr(&b, ", \"file\": ");
		pg_json_add_string(&b, d->file);
		pg_buf_addstr(&b, ", \"object\": ");
		pg_json_add_string(&b, d->object);
		pg_buf_addf(&b, ", \"status\": \"%s\"",
		            d->only_cand   ? "new"
		            : d->only_base ? "gone"
		                           : "changed");
		pg_buf_addstr(&b, ", \"base_self\": ");
		pg_json_add_number(&b, d->base_self);
		pg_buf_addstr(&b, ", \"cand_self\": ");
		pg_json_add_number(&b, d->cand_self);
		pg_buf_addstr(&b, ", \"base_incl\": ");
		pg_json_add_number(&b, d->base_incl);
		pg_buf_addstr(&b, ", \"cand_incl\": ");
		pg_json_add_number(&b, d->cand_incl);
		pg_buf_addstr(&b, ", \"share\": ");
		if (change != 0)
			pg_json_add_number(&b, (d->cand_self - d->base_self) /
			                               change);
		else
			pg_buf_addstr(&b, "null");
		pg_buf_addch(&b, '}');
	}
	pg_buf_addstr(&b, "]}\n");
	fputs(b.s, stdout);
	pg_buf_release(&b);
}

/* Merge two sorted folds into stacks with both sides' counts. */
static size_t merge_folds(struct report_flame_stack **out,
                          const struct runner_flame *a,
                          const struct runner_flame *b)
{
	size_t i = 0, j = 0, n = 0;
	int c;

	*out = pg_calloc(a->n + b->n + 1, sizeof(**out));
	while (i < a->n || j < b->n) {
		struct report_flame_stack *s = &(*out)[n++];

		c = i == a->n   ? 1
		    : j == b->n ? -1
		                : strcmp(a->v[i].stack, b->v[j].stack);
		s->stack = c <= 0 ? a->v[i].stack : b->v[j].stack;
		s->base = c <= 0 ? a->v[i++].ir : 0;
		s->cand = c >= 0 ? b->v[j++].ir : 0;
	}
	return n;
}

static int write_flamegraph(const struct runner_explanation *e,
                            const struct pipeline_explain_req *req,
                            const char *path)
{
	struct runner_flame fb, fc;
	struct report_flame_stack *stacks;
	struct pg_buf svg = PG_BUF_INIT, title = PG_BUF_INIT;
	size_t n;
	int err;

	runner_flame_init(&fb);
	runner_flame_init(&fc);
	runner_flame_fold(&fb, &e->base, e->base.total * PG_FLAME_MIN_SHARE);
	runner_flame_fold(&fc, &e->cand, e->cand.total * PG_FLAME_MIN_SHARE);
	n = merge_folds(&stacks, &fb, &fc);
	pg_buf_addf(&title,
	            "perfgate explain %s: baseline %.12s -> working tree",
	            req->bench, req->base_sha);
	report_flamegraph_svg(&svg, stacks, n, title.s,
	                      "widths: the candidate's instructions; red grew, "
	                      "blue shrank.  Approximate: callgrind records "
	                      "caller-callee pairs, not whole stacks.");
	err = pg_write_file_atomic(path, svg.s, svg.len);
	free(stacks);
	runner_flame_release(&fb);
	runner_flame_release(&fc);
	pg_buf_release(&svg);
	pg_buf_release(&title);
	return err;
}

static void print_text(const struct runner_explanation *e,
                       const struct pipeline_explain_req *req, int filtered,
                       long top)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "%s: baseline %.12s -> working tree%s\n", req->bench,
	            req->base_sha,
	            filtered ? " (the harness ran only this benchmark)" : "");
	pipeline_explain_text(&b, e, (size_t)top, NAN);
	pg_buf_addf(&b,
	            "plain runs: %.3g s -> %.3g s, CPU %.0f%% of wall time\n",
	            e->wall_base, e->wall_cand, 100 * e->cpu_share);
	fputs(b.s, stdout);
	pg_buf_release(&b);
}

static void print_error(const char *msg)
{
	cmd_error("%s", msg);
}

int cmd_explain(int argc, char **argv)
{
	struct pipeline_run_opts ro;
	struct pipeline_target t;
	struct pipeline_explain_req req = {0};
	struct runner_explanation e;
	struct config cfg;
	struct opts o;
	char base[41];
	int err, filtered = 0, code = PG_EXIT_PASS;

	if ((code = parse(&o, argc, argv)) != 0)
		return code;
	pipeline_run_opts_init(&ro);
	ro.config = o.config;
	config_init(&cfg);
	runner_explanation_init(&e);
	memset(&t, 0, sizeof(t));
	if ((err = pipeline_run_load_config(&cfg, &ro)) < 0 ||
	    (err = pipeline_target_prepare(&t, NULL, NULL)) < 0)
		goto fail;
	if (!t.store || !store_workdir(t.store)) {
		err = pg_error_input("explain needs a git working tree");
		goto fail;
	}
	req.bench = o.bench;
	if ((o.filter && (err = select_one(&req.bench, &cfg, o.filter)) < 0) ||
	    (err = find_base(base, t.store, t.sha, &o)) < 0)
		goto fail;
	req.store = t.store;
	req.cfg = &cfg;
	req.workdir = store_workdir(t.store);
	req.base_sha = base;
	req.cancel = &cmd_interrupted;
	req.error = print_error;
	if ((err = pipeline_explain_bench(&e, &filtered, &req)) < 0)
		goto fail;
	if (o.flamegraph &&
	    (err = write_flamegraph(&e, &req, o.flamegraph)) < 0)
		goto fail;
	if (o.json)
		print_json(&e, &req, filtered, o.top);
	else
		print_text(&e, &req, filtered, o.top);
	goto out;
fail:
	code = cmd_fail(cmd_interrupted && err != PG_EINPUT
	                        ? pg_error_runtime("interrupted")
	                        : err);
out:
	runner_explanation_release(&e);
	pipeline_target_release(&t);
	config_release(&cfg);
	return code;
}
