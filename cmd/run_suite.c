/* Measuring a suite and storing it: shared by `run` and `gate`. */
#include "cmd/cmd.h"
#include "cmd/run.h"
#include "pipeline/run.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/clock.h"
#include "model/config.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "model/result.h"
#include "model/units.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * The live line on a terminal: the benchmark's position in the suite, its
 * run, and the time left, from the mean time per invocation so far.
 */
struct progress {
	int tty;
	int shown;
	size_t pos, count; /* this benchmark is pos of count (from 1) */
	long done, total; /* invocations started, and in the whole suite */
	double start; /* pg_now_s() when the plan was made */
};

/* --shard I/N with 1 <= I <= N. */
static int parse_shard(struct pipeline_run_opts *o, const char *verb,
                       const char *arg)
{
	unsigned long i, n;
	const char *count;
	char *end;

	i = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || arg[0] == '-')
		goto bad;
	count = end + 1;
	n = strtoul(count, &end, 10);
	if (end == count || *end || count[0] == '-' || i < 1 || i > n ||
	    n > 1000000)
		goto bad;
	o->shard_index = (unsigned)i;
	o->shard_count = (unsigned)n;
	return 1;
bad:
	cmd_error("%s: --shard: '%s' is not I/N with 1 <= I <= N", verb, arg);
	return PG_EXIT_INPUT;
}

/* --metric NAME[,NAME...] into o->metrics: 1, or PG_EXIT_INPUT. */
static int add_metrics(struct pipeline_run_opts *o, const char *verb,
                       const char *arg)
{
	char *list = pg_strdup(arg), *tok, *save = NULL;
	unsigned f, before = o->metrics, added = 0;
	int r = 1;

	for (tok = strtok_r(list, ",", &save); tok && r == 1;
	     tok = strtok_r(NULL, ",", &save)) {
		if (config_metric_flag(&f, tok) < 0)
			r = cmd_fail(
			        pg_error_wrap(PG_EINPUT, "%s: --metric", verb));
		added |= f;
	}
	if (r == 1 && !added) {
		cmd_error("%s: --metric: needs a metric name", verb);
		r = PG_EXIT_INPUT;
	}
	o->metrics = before | added;
	free(list);
	return r;
}

int cmd_run_option(struct pipeline_run_opts *o, const char *verb, int c,
                   const char *arg)
{
	switch (c) {
	case 'c':
		o->config = arg;
		return 1;
	case CMD_RUN_OPT_RUNS:
		return cmd_parse_long(verb, "--runs", arg, 1, &o->runs)
		               ? PG_EXIT_INPUT
		               : 1;
	case CMD_RUN_OPT_WARMUP:
		return cmd_parse_long(verb, "--warmup", arg, 0, &o->warmup)
		               ? PG_EXIT_INPUT
		               : 1;
	case CMD_RUN_OPT_TIMEOUT:
		if (cmd_parse_double(verb, "--timeout", arg, &o->timeout))
			return PG_EXIT_INPUT;
		if (o->timeout <= 0) {
			cmd_error("%s: --timeout: must be > 0", verb);
			return PG_EXIT_INPUT;
		}
		return 1;
	case CMD_RUN_OPT_FILTER:
		o->filter = arg;
		return 1;
	case CMD_RUN_OPT_LABEL:
		o->label = arg;
		return 1;
	case CMD_RUN_OPT_NO_STORE:
		o->no_store = 1;
		return 1;
	case CMD_RUN_OPT_COMMIT:
		o->commit = arg;
		return 1;
	case CMD_RUN_OPT_SHARD:
		return parse_shard(o, verb, arg);
	case CMD_RUN_OPT_METRIC:
		return add_metrics(o, verb, arg);
	case CMD_RUN_OPT_COUNTER:
		o->counter = arg;
		return 1;
	default:
		return 0;
	}
}

static void show_progress(void *ctx, const char *bench, int warmup, long i,
                          long total)
{
	struct progress *p = ctx;
	long left = p->total - p->done;

	p->done++;
	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K  [%zu/%zu] %s %s %ld/%ld", p->pos, p->count,
	        pg_printable(bench), warmup ? "warmup" : "run", i, total);
	if (p->done > 1 && left > 0)
		fprintf(stderr, ", ~%.0f s left",
		        ceil((pg_now_s() - p->start) / (double)(p->done - 1) *
		             (double)left));
	fflush(stderr);
	p->shown = 1;
}

/* Invocations the selected benchmarks need, for the time left. */
static void progress_plan(struct progress *p, const struct config *cfg,
                          const struct pipeline_run_opts *o,
                          const char *selected)
{
	size_t i;

	for (i = 0; i < cfg->nbenches; i++) {
		const struct config_bench *cb = &cfg->benches[i];
		unsigned metrics = o->metrics ? o->metrics : cb->metrics;

		if (!selected[i])
			continue;
		p->count++;
		p->total += (o->runs > 0 ? o->runs : cb->runs) +
		            (o->warmup >= 0 ? o->warmup : cb->warmup);
		if (metrics & CONFIG_METRIC_INSTRUCTIONS)
			p->total += cb->instruction_runs;
	}
	p->start = pg_now_s();
}

static void clear_progress(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

static void print_header(void)
{
	fprintf(stderr, "%-28s %5s %10s %10s %10s %10s %6s\n", "benchmark",
	        "runs", "median", "MAD", "min", "max", "CV%");
}

/* Median absolute deviation (unscaled) of n samples. */
static double mad0(const double *x, size_t n)
{
	double *work = pg_malloc(n * sizeof(double));
	double m = gsl_stats_mad0(x, 1, n, work);

	free(work);
	return m;
}

static void print_metric(const char *name, const struct result_metric *m)
{
	char med[32], mad[32], lo[32], hi[32];
	double *x, mean, cv;
	size_t n;

	if (!m || !m->n)
		return;
	n = m->n;
	x = pg_malloc(n * sizeof(double));
	memcpy(x, m->samples, n * sizeof(double));
	gsl_sort(x, 1, n);
	mean = gsl_stats_mean(x, 1, n);
	cv = n > 1 && mean > 0 ? 100.0 * gsl_stats_sd(x, 1, n) / mean : 0;
	fprintf(stderr, "%-28s %5zu %10s %10s %10s %10s %6.2f\n",
	        pg_printable(name), n,
	        pg_format_value(med, sizeof(med),
	                        gsl_stats_median_from_sorted_data(x, 1, n),
	                        m->unit),
	        pg_format_value(mad, sizeof(mad), mad0(x, n), m->unit),
	        pg_format_value(lo, sizeof(lo), x[0], m->unit),
	        pg_format_value(hi, sizeof(hi), x[n - 1], m->unit), cv);
	free(x);
}

/* Wall time and instruction counts; else a harness's first metric. */
static void print_row(const struct result_bench *b)
{
	const struct result_metric *m = result_metric_find(b, RESULT_WALL_TIME);
	const struct result_metric *ins =
	        result_metric_find(b, RESULT_INSTRUCTIONS);

	if (b->error) {
		fprintf(stderr, "%-28s FAILED: ", pg_printable(b->name));
		fprintf(stderr, "%s\n", pg_printable(b->error));
		return;
	}
	if (!m && !ins && b->nmetrics)
		m = &b->metrics[0];
	print_metric(b->name, m);
	if (ins)
		print_metric(m ? "  instructions" : b->name, ins);
}

static void on_sharded(void *ctx, const struct pipeline_run_opts *o, size_t n,
                       size_t total)
{
	fprintf(stderr,
	        "perfgate: shard %u/%u: %zu of the suite's %zu "
	        "benchmarks\n",
	        o->shard_index, o->shard_count, n, total);
}

static void on_start(void *ctx, const struct config *cfg,
                     const struct pipeline_run_opts *o, const char *selected)
{
	struct progress *p = ctx;

	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO);
	progress_plan(p, cfg, o, selected);
	p->pos = 1;
	print_header();
}

static void on_measured(void *ctx, const struct result_bench *b, size_t n)
{
	struct progress *p = ctx;
	size_t j;

	p->pos++;
	clear_progress(p);
	for (j = 0; j < n; j++)
		print_row(&b[j]);
}

static int on_done(void *ctx, const struct pipeline_run_opts *o,
                   const struct result_run *run)
{
	return o->json ? cmd_write_results(run, o->json) : 0;
}

static struct progress prog;
static const struct pipeline_run_view view = {
        .ctx = &prog,
        .sharded = on_sharded,
        .start = on_start,
        .before_run = show_progress,
        .measured = on_measured,
        .done = on_done,
        .cancel = &cmd_interrupted,
};

const struct pipeline_run_view *cmd_run_view(void)
{
	return &view;
}

int cmd_run_suite(const struct pipeline_run_opts *o, struct config *cfg,
                  struct result_run *run, struct pipeline_target *target)
{
	return pipeline_run_suite(o, cfg, run, target, &view);
}
