/* perfgate run: measure the suite (or one ad-hoc command). */
#include "cmd/cmd.h"
#include "formats/formats.h"
#include "runner/suite.h"
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
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cmd_run_usage[] =
        "usage: perfgate run [options]\n"
        "       perfgate run [options] -- COMMAND [ARGS...]\n"
        "\n"
        "Run the benchmark suite from perfgate.json and measure every run:\n"
        "wall time (CLOCK_MONOTONIC around spawn and wait), user and system\n"
        "CPU time and peak RSS (wait4 rusage).  With `-- COMMAND`, measure "
        "one\n"
        "ad-hoc command with no config, also outside a git repository.\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE   suite file (default: perfgate.json at the\n"
        "                      repository root, else in the current "
        "directory)\n"
        "  --runs N            measured runs per benchmark (default: config,\n"
        "                      else 10)\n"
        "  --warmup N          unmeasured runs first (default: config, else "
        "1)\n"
        "  --timeout SECONDS   per-run timeout (default: config, else 60)\n"
        "  --metric NAME       what to measure, instead of the config's\n"
        "                      \"metrics\": wall_time (timing runs, which\n"
        "                      also record cpu_user, cpu_sys and max_rss)\n"
        "                      or instructions (separate counting runs);\n"
        "                      repeat it or give a comma list (default:\n"
        "                      config, else wall_time)\n"
        "  --counter SOURCE    how to count instructions: auto (a hardware\n"
        "                      counter if this machine has one, else\n"
        "                      valgrind), perf or valgrind (default:\n"
        "                      $PERFGATE_COUNTER, else auto)\n"
        "  --filter REGEX      only benchmarks whose name matches (POSIX ERE)\n"
        "  --json FILE         write every raw sample and the environment as\n"
        "                      JSON (schema 1, docs/results-format.md); - is\n"
        "                      standard output\n"
        "  --label LABEL       runner label (default: $PERFGATE_RUNNER)\n"
        "  --no-store          do not store the results in git notes\n"
        "  --commit REV        store the results on REV (default: HEAD; on\n"
        "                      GitHub pull_request events the PR head "
        "commit)\n"
        "  --notes-ref REF     notes ref for results (default:\n"
        "                      $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "Results are stored as a git note on HEAD unless --no-store is "
        "given;\na dirty working tree is recorded in the run, which is "
        "then never used\nas a baseline.  Outside a git repository "
        "nothing is stored.\n"
        "\n"
        "A benchmark that exits non-zero, dies of a signal or passes its\n"
        "timeout (its whole process group is killed) is reported with the\n"
        "tail of its stderr; the rest of the suite still runs, and perfgate\n"
        "exits 3.\n"
        "\n"
        "Instruction counts (docs/instructions.md) come from\n"
        "\"instruction_runs\" extra runs (default 3) with address-space\n"
        "randomisation off; under valgrind the timeout is multiplied by 60\n"
        "plus 10s.  The source used is recorded in the results.\n"
        "\n"
        "An entry with \"format\" runs a benchmark harness (google-benchmark,\n"
        "hyperfine, go, pytest-benchmark, criterion, jmh, bmf, perfgate or\n"
        "auto): each measured run's stdout (or its \"output\" file) is\n"
        "parsed, and every benchmark X the harness reports becomes ENTRY/X,\n"
        "with the samples of all runs merged.  See docs/formats.md.\n";

enum {
	OPT_RUNS = 256,
	OPT_WARMUP,
	OPT_TIMEOUT,
	OPT_FILTER,
	OPT_JSON,
	OPT_LABEL,
	OPT_NO_STORE,
	OPT_COMMIT,
	OPT_NOTES_REF,
	OPT_METRIC,
	OPT_COUNTER,
};

static const struct option run_options[] = {
        {"config", required_argument, NULL, 'c'},
        {"runs", required_argument, NULL, OPT_RUNS},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"json", required_argument, NULL, OPT_JSON},
        {"label", required_argument, NULL, OPT_LABEL},
        {"no-store", no_argument, NULL, OPT_NO_STORE},
        {"commit", required_argument, NULL, OPT_COMMIT},
        {"notes-ref", required_argument, NULL, OPT_NOTES_REF},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"counter", required_argument, NULL, OPT_COUNTER},
        {NULL, 0, NULL, 0},
};

struct run_opts {
	const char *config;
	const char *filter;
	const char *json;
	const char *label;
	const char *commit; /* --commit REV, NULL: HEAD */
	const char *notes_ref;
	long runs, warmup; /* -1: from the config */
	double timeout; /* <= 0: from the config */
	int no_store;
	unsigned metrics; /* CONFIG_METRIC_* from --metric; 0: config */
	enum runner_icount_source counter;
	char **adhoc; /* argv after -- */
};

struct progress {
	int tty;
	int shown;
};

/* --metric NAME[,NAME...] into o->metrics. */
static int add_metrics(struct run_opts *o, const char *arg)
{
	char *list = pg_strdup(arg), *tok, *save = NULL;
	unsigned f;
	int err = 0;

	for (tok = strtok_r(list, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		if (config_metric_flag(&f, tok) < 0)
			err = cmd_fail(
			        pg_error_wrap(PG_EINPUT, "run: --metric"));
		else
			o->metrics |= f;
	}
	if (!err && !o->metrics) {
		cmd_error("run: --metric: needs a metric name");
		err = PG_EXIT_INPUT;
	}
	free(list);
	return err;
}

static int parse_counter(struct run_opts *o, const char *arg, const char *what)
{
	if (runner_icount_source_parse(&o->counter, arg) < 0)
		return cmd_fail(pg_error_wrap(PG_EINPUT, "run: %s", what));
	return 0;
}

static int parse_run_options(struct run_opts *o, int argc, char **argv)
{
	const char *env = getenv("PERFGATE_COUNTER");
	int c, err;

	memset(o, 0, sizeof(*o));
	o->runs = o->warmup = -1;
	if (env && *env && (err = parse_counter(o, env, "PERFGATE_COUNTER")))
		return err;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:", run_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OPT_RUNS:
			if (cmd_parse_long("run", "--runs", optarg, 1,
			                   &o->runs))
				return PG_EXIT_INPUT;
			break;
		case OPT_WARMUP:
			if (cmd_parse_long("run", "--warmup", optarg, 0,
			                   &o->warmup))
				return PG_EXIT_INPUT;
			break;
		case OPT_TIMEOUT:
			if (cmd_parse_double("run", "--timeout", optarg,
			                     &o->timeout))
				return PG_EXIT_INPUT;
			if (o->timeout <= 0) {
				cmd_error("run: --timeout: must be > 0");
				return PG_EXIT_INPUT;
			}
			break;
		case OPT_FILTER:
			o->filter = optarg;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_LABEL:
			o->label = optarg;
			break;
		case OPT_NO_STORE:
			o->no_store = 1;
			break;
		case OPT_COMMIT:
			o->commit = optarg;
			break;
		case OPT_NOTES_REF:
			o->notes_ref = optarg;
			break;
		case OPT_METRIC:
			if ((err = add_metrics(o, optarg)))
				return err;
			break;
		case OPT_COUNTER:
			if ((err = parse_counter(o, optarg, "--counter")))
				return err;
			break;
		default:
			return cmd_bad_option("run", argv, c);
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--")) {
			cmd_error(
			        "run: unexpected argument '%s' (use -- before "
			        "an ad-hoc command)",
			        argv[optind]);
			return PG_EXIT_INPUT;
		}
		o->adhoc = argv + optind;
	}
	if (!o->label)
		o->label = getenv("PERFGATE_RUNNER");
	return 0;
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

static int load_config(struct config *cfg, const struct run_opts *o)
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

static void show_progress(void *ctx, const char *bench, int warmup, long i,
                          long total)
{
	struct progress *p = ctx;

	if (!p->tty)
		return;
	fprintf(stderr, "\r\033[K  %s: %s %ld/%ld", bench,
	        warmup ? "warmup" : "run", i, total);
	fflush(stderr);
	p->shown = 1;
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
	fprintf(stderr, "%-28s %5zu %10s %10s %10s %10s %6.2f\n", name, n,
	        pg_format_value(med, sizeof(med),
	                        gsl_stats_median_from_sorted_data(x, 1, n),
	                        m->unit),
	        pg_format_value(mad, sizeof(mad), mad0(x, n), m->unit),
	        pg_format_value(lo, sizeof(lo), x[0], m->unit),
	        pg_format_value(hi, sizeof(hi), x[n - 1], m->unit), cv);
	free(x);
}

static void print_row(const struct result_bench *b)
{
	const struct result_metric *m = result_metric_find(b, RESULT_WALL_TIME);
	const struct result_metric *ins =
	        result_metric_find(b, RESULT_INSTRUCTIONS);
	struct pg_buf name = PG_BUF_INIT;

	if (b->error) {
		fprintf(stderr, "%-28s FAILED: %s\n", b->name, b->error);
		return;
	}
	/* a harness's benchmarks have their own metrics: show the first */
	if (!m && !ins && b->nmetrics)
		m = &b->metrics[0];
	print_metric(b->name, m);
	if (ins) {
		pg_buf_addf(&name, "%s%s", m ? "  " : b->name,
		            m ? "instructions" : "");
		print_metric(name.s, ins);
	}
	pg_buf_release(&name);
}

static int write_json(const struct result_run *run, const char *path)
{
	struct pg_buf doc = PG_BUF_INIT;
	int err = 0;

	result_doc_to_json(run, 1, &doc);
	if (!strcmp(path, "-")) {
		if (fwrite(doc.s, 1, doc.len, stdout) != doc.len ||
		    fflush(stdout))
			err = pg_error_runtime("cannot write results to "
			                       "standard output");
	} else {
		err = pg_write_file_atomic(path, doc.s, doc.len);
	}
	pg_buf_release(&doc);
	return err;
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

static int measure(struct result_run *run, const struct config *cfg,
                   const struct run_opts *o, const char *selected)
{
	struct progress prog = {isatty(STDERR_FILENO), 0};
	struct runner_hooks hooks = {show_progress, &prog, &cmd_interrupted,
	                             o->counter};
	int failed = 0, err = 0;
	size_t i;

	print_header();
	for (i = 0; i < cfg->nbenches && !err; i++) {
		struct config_bench cb = cfg->benches[i];
		long runs = o->runs > 0 ? o->runs : cb.runs;
		long warmup = o->warmup >= 0 ? o->warmup : cb.warmup;
		size_t j, before = run->nbenches;

		if (!selected[i])
			continue;
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

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct config cfg;
	struct result_run run;
	struct cmd_store_target target = {0};
	char *selected = NULL;
	int err, measure_err;

	if ((err = parse_run_options(&o, argc, argv)))
		return err;
	result_run_init(&run);
	if (o.adhoc) {
		adhoc_config(&cfg, o.adhoc);
		err = 0;
	} else {
		err = load_config(&cfg, &o);
	}
	if (err < 0)
		goto out;
	if ((err = check_formats(&cfg)) < 0)
		goto out;
	/* before measuring: a bad --commit should not waste a whole run */
	if (!o.no_store &&
	    (err = cmd_store_prepare(&target, o.commit, o.notes_ref)) < 0)
		goto out;
	selected = pg_calloc(cfg.nbenches, 1);
	if ((err = select_benches(&cfg, o.filter, selected)) < 0)
		goto out;
	if ((err = result_run_stamp(&run, o.label)) < 0)
		goto out;
	run.source = pg_strdup("run");
	if (!o.adhoc)
		run.config_hash = pg_strdup(cfg.hash);
	measure_err = measure(&run, &cfg, &o, selected);
	/* results of the benchmarks that did run are kept either way */
	if (target.store) {
		run.dirty = target.dirty;
		run.commit = pg_strdup(target.sha);
	}
	err = o.json ? write_json(&run, o.json) : 0;
	if (!err && !cmd_interrupted)
		err = cmd_store_save(&target, &run);
	if (!err)
		err = measure_err;
out:
	cmd_store_release(&target);
	free(selected);
	config_release(&cfg);
	result_run_release(&run);
	return cmd_fail(err);
}
