/*
 * perfgate noise: how noisy is this machine for this suite, and which
 * threshold and number of pairs make sense here.  Runs the suite in an
 * A/A paired session (the same tree on both sides) and reports, per
 * benchmark, the CV, lag-1 autocorrelation and outlier rate of the
 * samples, the spread of the per-pair log ratios, the MDE90 at the
 * configured pairs, and its recommendations (docs/paired.md).
 */
#include "cmd/cmd.h"
#include "cmd/noise.h"
#include "cmd/paired.h"
#include "cmd/run.h"
#include "gate/paired.h"
#include "runner/pairs.h"
#include "stats/compare.h"
#include "stats/describe.h"
#include "stats/sequential.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cmd_noise_usage[] =
        "usage: perfgate noise [options]\n"
        "\n"
        "Measure this machine's noise for the suite: build the working tree\n"
        "once (the config's \"build\"), run every benchmark in A/A pairs (the\n"
        "same tree on both sides, in coin-flip order, the first pair a\n"
        "warmup) up to the last look's number of pairs, and print per\n"
        "benchmark: the CV of the samples, their lag-1 autocorrelation (run\n"
        "order), the outlier rate (beyond 1.5 IQR), the A/A spread (standard\n"
        "deviation of the per-pair log ratios) and A/A offset (HL estimate),\n"
        "the MDE90 (smallest slowdown caught 90% of the time) at the\n"
        "configured pairs and theta, and the recommended theta and pairs.\n"
        "Nothing is stored.  See docs/paired.md.\n"
        "\n"
        "  -c, --config FILE   suite file (default: perfgate.json at the\n"
        "                      repository root, else in the current\n"
        "                      directory)\n"
        "  --filter REGEX      only benchmarks whose name matches\n"
        "  --warmup N          warmup pairs (default: config, else 1)\n"
        "  --timeout SECONDS   per-run timeout (default: config, else 60)\n"
        "  --no-build          do not run the config's \"build\" first\n"
        "  --alpha A           paired alpha the MDE assumes (default 0.01)\n"
        "  --threshold T       theta the MDE assumes (default: config, else\n"
        "                      2%)\n"
        "  --json FILE         the figures as JSON (- for "
        "stdout)\n"
        "  --format FMT        text (default: an aligned table) or "
        "markdown\n"
        "  --markdown          the same as --format markdown\n"
        "\n"
        "It ends with a snippet to paste into perfgate.json (the largest\n"
        "recommended threshold and pairs of the suite), and says which\n"
        "benchmarks are too noisy on this machine to gate on wall "
        "time.\n" CMD_PAIRED_USAGE;

enum {
	OPT_NO_BUILD = 256,
	OPT_ALPHA,
	OPT_THRESHOLD,
	OPT_JSON,
	OPT_FORMAT,
	OPT_MARKDOWN
};

/* clang-format off */
static const struct option noise_options[] = {
	CMD_RUN_LONG_OPTIONS,
	CMD_PAIRED_LONG_OPTIONS,
	{"no-build",  no_argument,       NULL, OPT_NO_BUILD},
	{"alpha",     required_argument, NULL, OPT_ALPHA},
	{"threshold", required_argument, NULL, OPT_THRESHOLD},
	{"json",      required_argument, NULL, OPT_JSON},
	{"format",    required_argument, NULL, OPT_FORMAT},
	{"markdown",  no_argument,       NULL, OPT_MARKDOWN},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct noise_args {
	struct pipeline_run_opts run;
	struct pipeline_paired_opts p;
	double alpha, threshold; /* threshold NAN: config or default */
	const char *json;
	int markdown;
};

static int parse_args(struct noise_args *a, int argc, char **argv)
{
	int c, r;

	memset(a, 0, sizeof(*a));
	pipeline_run_opts_init(&a->run);
	cmd_paired_opts_init(&a->p);
	a->alpha = PG_DEFAULT_ALPHA_PAIRED;
	a->threshold = NAN;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", noise_options, NULL)) !=
	       -1) {
		switch (c) {
		case OPT_NO_BUILD:
			a->p.no_build = 1;
			continue;
		case OPT_JSON:
			a->json = optarg;
			continue;
		case OPT_MARKDOWN:
			a->markdown = 1;
			continue;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") &&
			    strcmp(optarg, "markdown")) {
				cmd_error("noise: --format: '%s' is not text "
				          "or markdown",
				          optarg);
				return PG_EXIT_INPUT;
			}
			a->markdown = !strcmp(optarg, "markdown");
			continue;
		case OPT_ALPHA:
			if (pg_fraction_parse(&a->alpha, optarg, 0.5) < 0 ||
			    a->alpha <= 0) {
				cmd_error("noise: --alpha: '%s' must be above "
				          "0 and below 0.5",
				          optarg);
				return PG_EXIT_INPUT;
			}
			continue;
		case OPT_THRESHOLD:
			if (pg_fraction_parse(&a->threshold, optarg, 1) < 0) {
				cmd_error("noise: --threshold: %s",
				          pg_error_last());
				return PG_EXIT_INPUT;
			}
			continue;
		default:
			break;
		}
		r = cmd_run_option(&a->run, "noise", c, optarg);
		if (!r)
			r = cmd_paired_option(&a->p, "noise", c, optarg);
		if (!r)
			return cmd_bad_option("noise", argv, c);
		if (r != 1)
			return r;
	}
	if (optind < argc) {
		cmd_error("noise: unexpected argument '%s' (see 'perfgate help "
		          "noise')",
		          argv[optind]);
		return PG_EXIT_INPUT;
	}
	return 0;
}

/*
 * The metric noise is measured on: wall time, else the benchmark's first
 * (a harness's or a load tool's primary metric).  NULL when there is none.
 */
static const struct result_metric *noise_metric(const struct result_bench *b)
{
	const struct result_metric *m = result_metric_find(b, RESULT_WALL_TIME);

	return m ? m : b->nmetrics ? &b->metrics[0] : NULL;
}

/* The figures of one benchmark from its A/A samples. */
static void analyse(struct noise_row *row, const struct result_bench *bb,
                    const struct result_bench *cb, const struct config *cfg,
                    const struct noise_args *a, double alpha_last, long pairs)
{
	const struct result_metric *cm = noise_metric(cb);
	const struct result_metric *bm =
	        cm ? result_metric_find(bb, cm->name) : NULL;
	struct stats_compare_opts so;
	struct stats_comparison c;
	struct stats_summary sum;
	size_t n;

	row->name = cb->name;
	row->metric = cm ? cm->name : RESULT_WALL_TIME;
	row->error = cb->error;
	row->theta = isnan(a->threshold)
	                     ? config_threshold(
	                               cfg, config_find_bench(cfg, cb->name),
	                               row->metric, PG_DEFAULT_THRESHOLD_PAIRED)
	                     : a->threshold;
	/* one positive value a pair: else there are no pair ratios */
	if (cb->error || !bm || !cm || cm->n < 3 ||
	    !result_metric_one_per_pair(cb, cm) ||
	    !isfinite(row->spread = paired_spread(bm, cm)))
		return;
	n = row->pairs = cm->n;
	stats_describe(&sum, cm->samples, n);
	row->cv = sum.cv;
	row->lag1 = sum.lag1;
	row->outlier_rate = (double)sum.outliers_mild / (double)n;
	stats_compare_opts_init(&so, 1);
	so.confidence = 0.95;
	if (stats_compare(&c, bm->samples, n, cm->samples, n, &so) == 0) {
		row->offset = c.estimate;
		row->off_low = c.ci_low;
		row->off_high = c.ci_high;
	}
	row->mde90 = expm1(stats_paired_mde90(row->spread, (size_t)pairs,
	                                      log1p(row->theta), alpha_last));
	row->rec_theta = stats_paired_recommend_theta(
	        row->spread, (size_t)pairs, alpha_last, row->offset,
	        NOISE_THETA_STEP);
	row->rec_pairs = stats_paired_recommend_pairs(
	        row->spread, log1p(row->theta), alpha_last,
	        log1p(NOISE_TARGET_FACTOR * row->theta), NOISE_PAIRS_STEP,
	        NOISE_PAIRS_MAX);
}

static void num(struct pg_buf *b, const char *key, double v, int last)
{
	pg_json_add_string(b, key);
	pg_buf_addch(b, ':');
	pg_json_add_number(b, v);
	if (!last)
		pg_buf_addch(b, ',');
}

static int write_json(const char *path, const struct noise_row *rows, size_t n,
                      long pairs, size_t looks, double alpha)
{
	struct pg_buf b = PG_BUF_INIT;
	size_t i;
	int err = 0;

	pg_buf_addf(&b, "{\"pairs\":%ld,\"looks\":%zu,", pairs, looks);
	num(&b, "alpha", alpha, 0);
	pg_buf_addstr(&b, "\"benchmarks\":[");
	for (i = 0; i < n; i++) {
		const struct noise_row *r = &rows[i];

		pg_buf_addstr(&b, i ? ",\n{\"name\":" : "\n{\"name\":");
		pg_json_add_string(&b, r->name);
		if (r->error || !r->pairs) {
			pg_buf_addstr(&b, ",\"error\":");
			pg_json_add_string(&b, r->error ? r->error
			                                : NOISE_NO_PAIRS);
			pg_buf_addch(&b, '}');
			continue;
		}
		pg_buf_addstr(&b, ",\"metric\":");
		pg_json_add_string(&b, r->metric);
		pg_buf_addf(&b, ",\"pairs\":%zu,", r->pairs);
		num(&b, "cv", r->cv, 0);
		num(&b, "lag1", r->lag1, 0);
		num(&b, "outlier_rate", r->outlier_rate, 0);
		num(&b, "aa_spread", r->spread, 0);
		num(&b, "aa_offset", r->offset, 0);
		num(&b, "aa_offset_ci_low", r->off_low, 0);
		num(&b, "aa_offset_ci_high", r->off_high, 0);
		num(&b, "threshold", r->theta, 0);
		num(&b, "mde90", r->mde90, 0);
		num(&b, "recommended_threshold", r->rec_theta, 0);
		if (r->rec_pairs)
			pg_buf_addf(&b, "\"recommended_pairs\":%zu}",
			            r->rec_pairs);
		else
			pg_buf_addstr(&b, "\"recommended_pairs\":null}");
	}
	pg_buf_addstr(&b, "\n]}\n");
	if (!strcmp(path, "-")) {
		fflush(stdout);
		if (fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout))
			err = pg_error_runtime("cannot write to standard "
			                       "output");
	} else {
		err = pg_write_file_atomic(path, b.s, b.len);
	}
	pg_buf_release(&b);
	return err;
}

static int measure(const struct noise_args *a, struct config *cfg,
                   struct result_run *base, struct result_run *cand,
                   long *pairs, size_t *looks, double *alpha_last)
{
	struct runner_pairs_opts po;
	struct pipeline_paired_opts p;
	const long *lk;
	size_t done;
	char *selected = NULL;
	int err;

	if ((err = pipeline_run_load_config(cfg, &a->run)) < 0)
		return err;
	selected = pg_calloc(cfg->nbenches + 1, 1);
	if ((err = pipeline_run_select(cfg, a->run.filter, selected)) < 0)
		goto out;
	p = a->p;
	p.runs = a->run.runs;
	lk = pipeline_paired_looks(&p, cfg, looks);
	*pairs = lk[*looks - 1];
	*alpha_last = a->alpha * paired_spend(lk, *looks, *looks - 1);
	runner_pairs_opts_init(&po);
	po.cand_root = po.base_root = cfg->dir;
	po.looks = pairs;
	po.nlooks = 1;
	po.seed = a->p.seed_set ? a->p.seed : PG_DEFAULT_SEED;
	po.selected = selected;
	po.warmup = a->run.warmup;
	po.timeout = a->run.timeout;
	po.cancel = &cmd_interrupted;
	if (!a->p.no_build) {
		fprintf(stderr, "perfgate: noise: building in '%s'\n",
		        cfg->dir);
		if ((err = runner_pairs_build(cfg, &po, cfg->dir)) < 0)
			goto out;
	}
	fprintf(stderr, "perfgate: noise: %ld A/A pairs per benchmark\n",
	        *pairs);
	err = runner_pairs_measure(base, cand, cfg, &po, &done);
out:
	free(selected);
	return err;
}

int cmd_noise(int argc, char **argv)
{
	struct noise_args a;
	struct config cfg;
	struct result_run base, cand;
	struct noise_row *rows = NULL;
	size_t i, looks = 0;
	long pairs = 0;
	double alpha_last = 0;
	int code, err;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	config_init(&cfg);
	result_run_init(&base);
	result_run_init(&cand);
	err = measure(&a, &cfg, &base, &cand, &pairs, &looks, &alpha_last);
	if (err < 0 || cmd_interrupted) {
		code = cmd_fail(err < 0 ? err
		                        : pg_error_runtime("interrupted"));
		goto out;
	}
	rows = pg_calloc(cand.nbenches + 1, sizeof(*rows));
	code = PG_EXIT_PASS;
	for (i = 0; i < cand.nbenches; i++) {
		analyse(&rows[i],
		        result_bench_find(&base, cand.benches[i].name),
		        &cand.benches[i], &cfg, &a, alpha_last, pairs);
		if (rows[i].error)
			code = PG_EXIT_RUNTIME;
	}
	if (!a.json || strcmp(a.json, "-")) {
		struct noise_heading ns = {pairs, looks, a.alpha, alpha_last};

		noise_print(rows, cand.nbenches, &ns, a.markdown);
	}
	if (a.json && (err = write_json(a.json, rows, cand.nbenches, pairs,
	                                looks, a.alpha)) < 0)
		code = cmd_fail(err);
out:
	free(rows);
	result_run_release(&base);
	result_run_release(&cand);
	config_release(&cfg);
	return code;
}
