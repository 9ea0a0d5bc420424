/* Measuring a suite and storing it: shared by `run` and `gate`. */
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "cmd/run.h"
#include "formats/formats.h"
#include "runner/suite.h"
#include "util/testpoint.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "util/result.h"
#include "util/units.h"

#include <getopt.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	struct timespec start;
};

void cmd_run_opts_init(struct cmd_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->runs = o->warmup = -1;
	o->label = getenv("PERFGATE_RUNNER");
}

/* --shard I/N with 1 <= I <= N. */
static int parse_shard(struct cmd_run_opts *o, const char *verb,
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
static int add_metrics(struct cmd_run_opts *o, const char *verb,
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

int cmd_run_option(struct cmd_run_opts *o, const char *verb, int c,
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

/* The directory holding .git above the current one, or NULL. */
static char *find_worktree_root(void)
{
	char dir[PATH_MAX];
	struct stat st;

	if (!getcwd(dir, sizeof(dir) - 8))
		return NULL;
	for (;;) {
		size_t len = strlen(dir);
		char *slash;

		strcpy(dir + len, "/.git");
		if (stat(dir, &st) == 0) {
			dir[len] = '\0';
			return pg_strdup(dir[0] ? dir : "/");
		}
		dir[len] = '\0';
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return NULL;
		*slash = '\0';
	}
}

static int load_config(struct config *cfg, const struct cmd_run_opts *o)
{
	struct pg_buf path = PG_BUF_INIT;
	char *root;
	int err;

	if (o->config)
		return config_load(cfg, o->config);
	root = find_worktree_root();
	if (root)
		pg_buf_addf(&path, "%s/%s", root, PG_DEFAULT_CONFIG);
	else
		pg_buf_addstr(&path, PG_DEFAULT_CONFIG);
	err = config_load(cfg, path.s);
	free(root);
	pg_buf_release(&path);
	return err;
}

/* A one-benchmark config for `perfgate run -- CMD ARGS`. */
static void adhoc_config(struct config *cfg, char **argv)
{
	struct pg_buf name = PG_BUF_INIT;
	size_t i, n = 0;

	while (argv[n])
		n++;
	config_init(cfg);
	cfg->path = pg_strdup("(command line)");
	cfg->runs = PG_DEFAULT_RUNS;
	cfg->warmup = PG_DEFAULT_WARMUP;
	cfg->timeout = PG_DEFAULT_TIMEOUT_S;
	cfg->nbenches = 1;
	cfg->benches = pg_calloc(1, sizeof(*cfg->benches));
	cfg->benches[0].argv = pg_calloc(n + 1, sizeof(char *));
	cfg->benches[0].argc = n;
	for (i = 0; i < n; i++) {
		cfg->benches[0].argv[i] = pg_strdup(argv[i]);
		pg_buf_addf(&name, "%s%s", i ? " " : "", argv[i]);
	}
	cfg->benches[0].name = pg_buf_detach(&name, NULL);
	cfg->benches[0].runs = cfg->runs;
	cfg->benches[0].warmup = cfg->warmup;
	cfg->benches[0].timeout = cfg->timeout;
	cfg->benches[0].metrics = cfg->metrics;
	cfg->benches[0].instruction_runs = cfg->instruction_runs;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
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
		        ceil(since(&p->start) / (double)(p->done - 1) *
		             (double)left));
	fflush(stderr);
	p->shown = 1;
}

/* Invocations the selected benchmarks need, for the time left. */
static void progress_plan(struct progress *p, const struct config *cfg,
                          const struct cmd_run_opts *o, const char *selected)
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
	clock_gettime(CLOCK_MONOTONIC, &p->start);
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

/* Keep the selected benchmarks that fall into shard o->shard_index. */
static int select_shard(const struct config *cfg, const struct cmd_run_opts *o,
                        char *selected, int n)
{
	size_t i;

	if (!o->shard_count)
		return n;
	for (i = 0; i < cfg->nbenches; i++) {
		if (selected[i] &&
		    result_shard_of(cfg->benches[i].name, o->shard_count) !=
		            o->shard_index) {
			selected[i] = 0;
			n--;
		}
	}
	fprintf(stderr,
	        "perfgate: shard %u/%u: %d of the suite's %zu "
	        "benchmarks\n",
	        o->shard_index, o->shard_count, n, cfg->nbenches);
	return n;
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

static int select_benches(const struct config *cfg, const char *filter,
                          char *selected)
{
	regex_t re;
	size_t i, n = 0;
	int rc;

	if (!filter) {
		memset(selected, 1, cfg->nbenches);
		return (int)cfg->nbenches;
	}
	rc = regcomp(&re, filter, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char why[128];

		regerror(rc, &re, why, sizeof(why));
		return pg_error_input("--filter: bad regular expression '%s': "
		                      "%s",
		                      filter, why);
	}
	for (i = 0; i < cfg->nbenches; i++) {
		selected[i] = !regexec(&re, cfg->benches[i].name, 0, NULL, 0);
		n += (size_t)selected[i];
	}
	regfree(&re);
	if (!n)
		return pg_error_input("--filter '%s' matches no benchmark in "
		                      "'%s'",
		                      filter, cfg->path);
	return (int)n;
}

/* Reject an unknown "format" before anything runs. */
static int check_formats(const struct config *cfg)
{
	size_t i;
	int err;

	for (i = 0; i < cfg->nbenches; i++)
		if (cfg->benches[i].format &&
		    (err = formats_check_name(cfg->benches[i].format)) < 0)
			return pg_error_wrap(err,
			                     "'%s': benchmarks[%zu].format",
			                     cfg->path, i);
	return 0;
}

int cmd_run_counter(enum runner_icount_source *out,
                    const struct cmd_run_opts *o)
{
	const char *env = getenv("PERFGATE_COUNTER");

	*out = RUNNER_ICOUNT_AUTO;
	if (o->counter)
		return runner_icount_source_parse(out, o->counter) < 0
		               ? pg_error_wrap(PG_EINPUT, "--counter")
		               : 0;
	if (env && *env && runner_icount_source_parse(out, env) < 0)
		return pg_error_wrap(PG_EINPUT, "PERFGATE_COUNTER");
	return 0;
}

static int measure(struct result_run *run, const struct config *cfg,
                   const struct cmd_run_opts *o, const char *selected,
                   enum runner_icount_source counter)
{
	struct progress prog = {0};
	struct runner_hooks hooks = {0};
	int failed = 0, err = 0;
	size_t i;

	prog.tty = isatty(STDERR_FILENO);
	progress_plan(&prog, cfg, o, selected);

	hooks.before_run = show_progress;
	hooks.ctx = &prog;
	hooks.cancel = &cmd_interrupted;
	hooks.icount = counter;
	print_header();
	for (i = 0; i < cfg->nbenches && !err; i++) {
		struct config_bench cb = cfg->benches[i];
		long runs = o->runs > 0 ? o->runs : cb.runs;
		long warmup = o->warmup >= 0 ? o->warmup : cb.warmup;
		size_t j, before = run->nbenches;

		if (!selected[i])
			continue;
		prog.pos++;
		if (o->timeout > 0)
			cb.timeout = o->timeout;
		if (o->metrics)
			cb.metrics = o->metrics;
		err = runner_run_bench(run, &cb, runs, warmup, &hooks);
		clear_progress(&prog);
		/* one benchmark, or one per inner benchmark of a harness */
		for (j = before; j < run->nbenches; j++) {
			print_row(&run->benches[j]);
			failed |= run->benches[j].error != NULL;
		}
	}
	if (err)
		return err;
	if (failed)
		return pg_error_runtime("some benchmarks failed (see above)");
	return 0;
}

int cmd_run_load_config(struct config *cfg, const struct cmd_run_opts *o)
{
	int err;

	if (o->adhoc) {
		adhoc_config(cfg, o->adhoc);
		return 0;
	}
	if ((err = load_config(cfg, o)) < 0)
		return err;
	return check_formats(cfg);
}

int cmd_run_select(const struct config *cfg, const char *filter, char *selected)
{
	int n = select_benches(cfg, filter, selected);

	return n < 0 ? n : 0;
}

static void apply_mask(const struct config *cfg, const struct cmd_run_opts *o,
                       char *selected)
{
	size_t i;

	for (i = 0; o->mask && i < cfg->nbenches; i++)
		selected[i] = selected[i] && o->mask[i];
}

int cmd_run_suite(const struct cmd_run_opts *o, struct config *cfg,
                  struct result_run *run, struct pipeline_target *target)
{
	enum runner_icount_source counter;
	char *selected = NULL;
	int err, measure_err;
	size_t i;

	memset(target, 0, sizeof(*target));
	result_run_init(run);
	config_init(cfg);
	if ((err = cmd_run_counter(&counter, o)) < 0)
		return err;
	if (o->adhoc) {
		adhoc_config(cfg, o->adhoc);
		err = 0;
	} else {
		err = load_config(cfg, o);
	}
	if (err < 0)
		return err;
	if ((err = check_formats(cfg)) < 0)
		return err;
	/* before measuring: a bad --commit should not waste a whole run */
	if ((!o->no_store || o->open_store) &&
	    (err = pipeline_target_prepare(target, o->commit, o->notes_ref)) <
	            0)
		return err;
	selected = pg_calloc(cfg->nbenches, 1);
	if ((err = select_benches(cfg, o->filter, selected)) < 0 ||
	    (err = select_shard(cfg, o, selected, err)) < 0 ||
	    (err = result_run_stamp(run, o->label)) < 0)
		goto out;
	apply_mask(cfg, o, selected);
	/* a missing cwd must not abort the suite after a long measurement */
	for (i = 0; i < cfg->nbenches && !err; i++)
		if (selected[i])
			err = runner_check_cwd(&cfg->benches[i]);
	if (err < 0)
		goto out;
	run->source = pg_strdup("run");
	run->shard_index = o->shard_index;
	run->shard_count = o->shard_count;
	if (!o->adhoc)
		run->config_hash = pg_strdup(cfg->hash);
	measure_err = measure(run, cfg, o, selected, counter);
	/* results of the benchmarks that did run are kept either way */
	if (target->store) {
		run->dirty = target->dirty;
		run->commit = pg_strdup(target->sha);
	}
	pg_test_point("run:measured");
	err = o->json ? cmd_write_results(run, o->json) : 0;
	if (!err && !cmd_interrupted && !o->no_store)
		err = pipeline_target_save(target, run);
	if (!err)
		err = measure_err;
out:
	free(selected);
	return err;
}
