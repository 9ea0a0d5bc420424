/* Where a benchmark's instructions went: see explain.h. */
#include "runner/explain.h"
#include "runner/icount.h"
#include "runner/runner.h"
#include "stats/describe.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GBENCH_FORMAT "google-benchmark"

void runner_explanation_init(struct runner_explanation *e)
{
	memset(e, 0, sizeof(*e));
	runner_cg_profile_init(&e->base);
	runner_cg_profile_init(&e->cand);
	e->wall_base = e->wall_cand = e->cpu_share = NAN;
}

void runner_explanation_release(struct runner_explanation *e)
{
	free(e->deltas);
	runner_cg_profile_release(&e->base);
	runner_cg_profile_release(&e->cand);
	runner_explanation_init(e);
}

/* --benchmark_filter=^inner$ with the regex characters of inner escaped. */
static char *gbench_filter(const char *inner)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addstr(&b, "--benchmark_filter=^");
	for (; *inner; inner++) {
		if (strchr("\\^$.|?*+()[]{}", *inner))
			pg_buf_addch(&b, '\\');
		pg_buf_addch(&b, *inner);
	}
	pg_buf_addch(&b, '$');
	return pg_buf_detach(&b, NULL);
}

void runner_explain_entry(struct config_bench *out, char ***argv_out,
                          char **shell_out, int *filtered,
                          const struct config_bench *cb, const char *name)
{
	size_t n = strlen(cb->name);
	char *filter;

	*out = *cb;
	*argv_out = NULL;
	*shell_out = NULL;
	*filtered = 0;
	if (!cb->format || strncmp(name, cb->name, n) || name[n] != '/' ||
	    strcmp(cb->format, GBENCH_FORMAT))
		return;
	*filtered = 1;
	filter = gbench_filter(name + n + 1);
	if (cb->argv) {
		*argv_out = pg_calloc(cb->argc + 2, sizeof(char *));
		memcpy(*argv_out, cb->argv, cb->argc * sizeof(char *));
		(*argv_out)[cb->argc] = filter;
		out->argv = *argv_out;
		out->argc = cb->argc + 1;
		return;
	}
	/* a shell command: the filter as one more, single-quoted, word */
	{
		struct pg_buf b = PG_BUF_INIT;
		const char *p;

		pg_buf_addf(&b, "%s '", cb->shell);
		for (p = filter; *p; p++)
			if (*p == '\'')
				pg_buf_addstr(&b, "'\\''");
			else
				pg_buf_addch(&b, *p);
		pg_buf_addch(&b, '\'');
		*shell_out = pg_buf_detach(&b, NULL);
		out->shell = *shell_out;
		free(filter);
	}
}

void runner_explain_entry_release(char **argv, char *shell)
{
	size_t n = 0;

	if (argv) {
		while (argv[n])
			n++;
		free(argv[n - 1]); /* the filter; the rest is borrowed */
		free(argv);
	}
	free(shell);
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * The CPU share this machine gives a CPU-bound process now: perfgate
 * spins for seconds and divides its CPU time by the wall time.  On a
 * loaded machine a CPU-bound benchmark gets a small share too, so its
 * own share is judged against this one.
 */
static double machine_share(double seconds)
{
	double w0 = clock_s(CLOCK_MONOTONIC),
	       c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	double w = 0;
	volatile unsigned long spin = 0;

	while ((w = clock_s(CLOCK_MONOTONIC) - w0) < seconds)
		spin++;
	return w > 0 ? (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) / w : 1;
}

/* The run's CPU share, relative to what a CPU-bound process gets now. */
static double cpu_share(const struct runner_result *res)
{
	double own = res->wall > 0 ? (res->user + res->sys) / res->wall : 1;
	double machine = machine_share(fmin(
	        fmax(res->wall, PG_EXPLAIN_SPIN_MIN_S), PG_EXPLAIN_SPIN_MAX_S));

	return machine > 0 ? fmin(1, own / machine) : own;
}

static void fill_spec(struct runner_spec *spec, const struct config_bench *cb,
                      char **envp, const volatile sig_atomic_t *cancel)
{
	memset(spec, 0, sizeof(*spec));
	spec->argv = cb->argv;
	spec->shell = cb->shell;
	spec->cwd = cb->cwd;
	spec->envp = envp;
	spec->timeout = cb->timeout;
	spec->cancel = cancel;
}

/* Run spec once; a failure is an error naming side. */
static int run_once(const struct runner_spec *spec, const char *side,
                    struct runner_result *res)
{
	struct runner *r = NULL;
	struct pg_buf msg = PG_BUF_INIT;
	int err;

	if ((err = runner_new(&r, spec)) < 0 || (err = runner_exec(r, res)) < 0)
		goto out;
	if (res->cancelled) {
		err = pg_error_runtime("interrupted");
	} else if (!runner_succeeded(res)) {
		runner_describe_failure(res, spec->timeout, &msg);
		err = pg_error_runtime("the %s run %s", side, msg.s);
	}
out:
	runner_free(r);
	pg_buf_release(&msg);
	return err;
}

/* Interleaved plain runs: median wall per side, candidate's CPU share. */
static int native_runs(struct runner_explanation *e,
                       const struct runner_explain_side *sides[2],
                       const volatile sig_atomic_t *cancel)
{
	static const char *const names[2] = {"baseline", "candidate"};
	double wall[2][PG_EXPLAIN_NATIVE_RUNS], share[PG_EXPLAIN_NATIVE_RUNS];
	struct runner_result res;
	struct runner_spec spec;
	char **envp[2] = {NULL, NULL};
	int i, s, err = 0;

	runner_result_init(&res);
	for (s = 0; s < 2; s++)
		if (sides[s]->cb->nenv)
			envp[s] = runner_env_build(sides[s]->cb->env,
			                           sides[s]->cb->nenv);
	for (i = 0; !err && i < PG_EXPLAIN_NATIVE_RUNS; i++)
		for (s = 0; !err && s < 2; s++) {
			fill_spec(&spec, sides[s]->cb, envp[s], cancel);
			if ((err = run_once(&spec, names[s], &res)) < 0)
				break;
			wall[s][i] = res.wall;
			if (s == 1)
				share[i] = cpu_share(&res);
		}
	if (!err) {
		e->wall_base = stats_median(wall[0], PG_EXPLAIN_NATIVE_RUNS);
		e->wall_cand = stats_median(wall[1], PG_EXPLAIN_NATIVE_RUNS);
		/* a CPU-bound run that lost the CPU to a neighbour looks
		 * I/O-bound; a truly I/O-bound one never reaches the share */
		e->cpu_share = share[0];
		for (i = 1; i < PG_EXPLAIN_NATIVE_RUNS; i++)
			e->cpu_share = fmax(e->cpu_share, share[i]);
		/* before refusing, give a busy machine a few more chances */
		for (i = 0; !err && i < PG_EXPLAIN_RECHECK_RUNS &&
		            e->cpu_share < PG_EXPLAIN_MIN_CPU_SHARE;
		     i++) {
			fill_spec(&spec, sides[1]->cb, envp[1], cancel);
			if ((err = run_once(&spec, names[1], &res)) == 0)
				e->cpu_share =
				        fmax(e->cpu_share, cpu_share(&res));
		}
	}
	for (s = 0; s < 2; s++)
		runner_env_free(envp[s]);
	runner_result_release(&res);
	return err;
}

/* One callgrind run of side into p. */
static int profile(struct runner_cg_profile *p,
                   const struct runner_explain_side *side, const char *name,
                   const volatile sig_atomic_t *cancel)
{
	struct runner_result res;
	struct runner_spec spec;
	char *dir = NULL, *outfile = NULL, **argv = NULL, **envp = NULL;
	int err;

	runner_result_init(&res);
	if ((err = pg_mkdtemp(&dir, "perfgate-explain.")) < 0)
		goto out;
	if (side->cb->nenv)
		envp = runner_env_build(side->cb->env, side->cb->nenv);
	argv = runner_icount_valgrind_argv(side->cb, dir, &outfile);
	fill_spec(&spec, side->cb, envp, cancel);
	spec.argv = argv;
	spec.shell = NULL;
	spec.no_aslr = 1;
	if (side->cb->timeout > 0)
		spec.timeout = side->cb->timeout * PG_VALGRIND_TIMEOUT_FACTOR +
		               PG_VALGRIND_TIMEOUT_EXTRA_S;
	if ((err = run_once(&spec, name, &res)) == 0)
		err = runner_cg_load_dir(p, dir, side->root);
out:
	if (dir && pg_remove_tree(dir) < 0 && !err)
		err = PG_ERUNTIME;
	free(dir);
	free(outfile);
	free(argv);
	runner_env_free(envp);
	runner_result_release(&res);
	return err;
}

int runner_explain(struct runner_explanation *e,
                   const struct runner_explain_side *base,
                   const struct runner_explain_side *cand,
                   const volatile sig_atomic_t *cancel)
{
	const struct runner_explain_side *sides[2] = {base, cand};
	enum runner_icount_source src;
	int err;

	if ((err = runner_icount_resolve(&src, RUNNER_ICOUNT_VALGRIND)) < 0 ||
	    (err = native_runs(e, sides, cancel)) < 0)
		return err;
	if (e->cpu_share < PG_EXPLAIN_MIN_CPU_SHARE)
		return pg_error_runtime(
		        "the benchmark is I/O- or sleep-bound: its CPU time is "
		        "%.0f%% of its wall time (under %.0f%%, relative to a "
		        "CPU-bound process on this machine now), so "
		        "instruction "
		        "counts cannot say where its time went",
		        100 * e->cpu_share, 100 * PG_EXPLAIN_MIN_CPU_SHARE);
	if ((err = profile(&e->base, base, "baseline", cancel)) < 0 ||
	    (err = profile(&e->cand, cand, "candidate", cancel)) < 0)
		return err;
	runner_cg_diff(&e->deltas, &e->ndeltas, &e->base, &e->cand);
	return 0;
}

double runner_explain_change(const struct runner_explanation *e)
{
	return e->cand.total - e->base.total;
}

void runner_explain_add_count(struct pg_buf *out, double v, int sign)
{
	static const struct {
		double at, div;
		int prec, sign_prec; /* digits without and with a sign */
		const char *unit;
	} scale[] = {
	        {1e9, 1e9, 2, 2, " G"},
	        {1e6, 1e6, 2, 1, " M"},
	        {1e4, 1e3, 1, 1, " k"},
	        {0, 1, 0, 0, ""},
	};
	size_t i = 0;

	while (fabs(v) < scale[i].at)
		i++;
	if (sign && v >= 0)
		pg_buf_addch(out, '+');
	pg_buf_addf(out, "%.*f%s", sign ? scale[i].sign_prec : scale[i].prec,
	            v / scale[i].div, scale[i].unit);
}

void runner_explain_why(struct pg_buf *out, const struct runner_explanation *e,
                        size_t top)
{
	double change = runner_explain_change(e);
	size_t i;

	for (i = 0; i < e->ndeltas && i < top; i++) {
		const struct runner_cg_delta *d = &e->deltas[i];
		double grew = d->cand_self - d->base_self;

		if (grew <= 0)
			break;
		pg_buf_addf(out, "%s`%s` ", i ? "; " : "", d->name);
		runner_explain_add_count(out, grew, 1);
		pg_buf_addstr(out, " instructions");
		if (d->only_cand)
			pg_buf_addstr(out, " (new)");
		else if (d->base_self > 0)
			pg_buf_addf(out, " (%+.0f%%)",
			            100 * grew / d->base_self);
		if (change > 0)
			pg_buf_addf(out, ", %.0f%% of the change",
			            100 * grew / change);
	}
	if (!i)
		pg_buf_addstr(out, "no function grew");
}

int runner_explain_little(struct pg_buf *out,
                          const struct runner_explanation *e,
                          double wall_change)
{
	double instr;

	if (!(wall_change > 0) || !(e->base.total > 0))
		return 0;
	instr = e->cand.total / e->base.total - 1;
	if (instr >= PG_EXPLAIN_LITTLE * wall_change)
		return 0;
	pg_buf_addf(out,
	            "instruction growth (%+.1f%%) explains little of the "
	            "wall-time change (%+.1f%%): look at memory, I/O, locks "
	            "or frequency instead",
	            100 * instr, 100 * wall_change);
	return 1;
}
