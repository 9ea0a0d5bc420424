/* Measuring a suite and storing it: see pipeline/run.h. */
#include "pipeline/run.h"
#include "formats/formats.h"
#include "runner/suite.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/testpoint.h"

#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pipeline_run_opts_init(struct pipeline_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->runs = o->warmup = -1;
	o->label = getenv("PERFGATE_RUNNER");
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

static int load_config(struct config *cfg, const struct pipeline_run_opts *o)
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

int pipeline_run_counter(enum runner_icount_source *out,
                         const struct pipeline_run_opts *o)
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

int pipeline_run_load_config(struct config *cfg,
                             const struct pipeline_run_opts *o)
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

int pipeline_run_select(const struct config *cfg, const char *filter,
                        char *selected)
{
	int n = select_benches(cfg, filter, selected);

	return n < 0 ? n : 0;
}

static void apply_mask(const struct config *cfg,
                       const struct pipeline_run_opts *o, char *selected)
{
	size_t i;

	for (i = 0; o->mask && i < cfg->nbenches; i++)
		selected[i] = selected[i] && o->mask[i];
}

/* Keep the selected benchmarks that fall into shard o->shard_index. */
static size_t select_shard(const struct config *cfg,
                           const struct pipeline_run_opts *o, char *selected)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nbenches; i++) {
		if (selected[i] && o->shard_count &&
		    result_shard_of(cfg->benches[i].name, o->shard_count) !=
		            o->shard_index)
			selected[i] = 0;
		n += selected[i] != 0;
	}
	return n;
}

static int measure(struct result_run *run, const struct config *cfg,
                   const struct pipeline_run_opts *o, const char *selected,
                   enum runner_icount_source counter,
                   const struct pipeline_run_view *v)
{
	struct runner_hooks hooks = {0};
	int failed = 0, err = 0;
	size_t i;

	if (v->start)
		v->start(v->ctx, cfg, o, selected);
	hooks.before_run = v->before_run;
	hooks.ctx = v->ctx;
	hooks.cancel = v->cancel;
	hooks.icount = counter;
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
		if (v->measured)
			v->measured(v->ctx, &run->benches[before],
			            run->nbenches - before);
		/* one benchmark, or one per inner benchmark of a harness */
		for (j = before; j < run->nbenches; j++)
			failed |= run->benches[j].error != NULL;
	}
	if (err)
		return err;
	if (failed)
		return pg_error_runtime("some benchmarks failed (see above)");
	return 0;
}

int pipeline_run_suite(const struct pipeline_run_opts *o, struct config *cfg,
                       struct result_run *run, struct pipeline_target *target,
                       const struct pipeline_run_view *view)
{
	static const struct pipeline_run_view none;
	const struct pipeline_run_view *v = view ? view : &none;
	enum runner_icount_source counter;
	char *selected = NULL;
	int err, measure_err;
	size_t i;

	memset(target, 0, sizeof(*target));
	result_run_init(run);
	config_init(cfg);
	if ((err = pipeline_run_counter(&counter, o)) < 0)
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
	if ((err = select_benches(cfg, o->filter, selected)) < 0)
		goto out;
	if (o->shard_count) {
		size_t n = select_shard(cfg, o, selected);

		if (v->sharded)
			v->sharded(v->ctx, o, n, cfg->nbenches);
	}
	if ((err = result_run_stamp(run, o->label)) < 0)
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
	measure_err = measure(run, cfg, o, selected, counter, v);
	/* results of the benchmarks that did run are kept either way */
	if (target->store) {
		run->dirty = target->dirty;
		run->commit = pg_strdup(target->sha);
	}
	pg_test_point("run:measured");
	err = v->done ? v->done(v->ctx, o, run) : 0;
	if (!err && !(v->cancel && *v->cancel) && !o->no_store)
		err = pipeline_target_save(target, run);
	if (!err)
		err = measure_err;
out:
	free(selected);
	return err;
}
