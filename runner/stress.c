/* Stress ramps against one service instance; see runner/stress.h. */
#include "runner/stress.h"
#include "runner/invoke.h"
#include "runner/record.h"
#include "runner/service.h"
#include "runner/soak.h"
#include "stats/stress.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one ramp found, level by level. */
struct ramp {
	const struct config_bench *cb;
	const struct config_stress *st;
	const struct runner_hooks *hooks;
	struct runner_service *svc;
	struct stats_slo *slo;
	struct stats_stress_level lv[PG_STRESS_MAX_LEVELS];
	struct stats_stress_eval ev[PG_STRESS_MAX_LEVELS];
	double shed[PG_STRESS_MAX_LEVELS];
	size_t n; /* levels run */
	int crashed, load_failed;
	int bad_output; /* the load failed as its output did not parse */
	char *why; /* a crash or a failed load: the message */
};

/* A copy of text with every key replaced by the number v. */
static char *subst(const char *text, const char *key, double v)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;

	while ((p = strstr(text, key))) {
		pg_buf_add(&b, text, (size_t)(p - text));
		pg_buf_addf(&b, "%.15g", v);
		text = p + strlen(key);
	}
	pg_buf_addstr(&b, text);
	return pg_buf_detach(&b, NULL);
}

static void subst_in_place(char **s, const char *key, double v)
{
	char *t;

	if (!*s)
		return;
	t = subst(*s, key, v);
	free(*s);
	*s = t;
}

/* sub: the load command of level v on the service's port. */
static void level_command(struct config_bench *sub, const struct ramp *r,
                          double v)
{
	const char *key = r->st->kind == CONFIG_STRESS_CONCURRENCY
	                          ? "{concurrency}"
	                          : "{rate}";
	size_t i;

	runner_load_subst(sub, r->cb, runner_service_port(r->svc));
	sub->stress = NULL;
	for (i = 0; sub->argv && i < sub->argc; i++)
		subst_in_place(&sub->argv[i], key, v);
	subst_in_place(&sub->shell, key, v);
	subst_in_place(&sub->output, key, v);
	for (i = 0; i < sub->nenv; i++)
		subst_in_place(&sub->env[i], key, v);
}

/* "api/c=8", "api/rate=200" */
static void level_name(struct pg_buf *b, const struct ramp *r, double v)
{
	pg_buf_addf(b, "%s/%s=%.15g", r->cb->name,
	            r->st->kind == CONFIG_STRESS_CONCURRENCY ? "c" : "rate", v);
}

/* Append the samples and params of src to dst. */
static void merge_bench(struct result_bench *dst,
                        const struct result_bench *src)
{
	size_t i, j;

	for (i = 0; i < src->nmetrics; i++) {
		const struct result_metric *m = &src->metrics[i];
		struct result_metric *d =
		        result_metric_get(dst, m->name, m->unit, m->direction);

		d->aggregate = m->aggregate;
		for (j = 0; j < m->n; j++)
			result_metric_push(d, m->samples[j]);
	}
	for (i = 0; i < src->nparams; i++)
		result_bench_set_param(dst, src->params[i].key,
		                       src->params[i].value);
}

static double last_of(const struct result_bench *b, const char *name)
{
	const struct result_metric *m = b ? result_metric_find(b, name) : NULL;

	return m && m->n ? m->samples[m->n - 1] : NAN;
}

static void add_aggregate(struct result_bench *b, const char *name,
                          const char *unit, enum result_direction dir, double v)
{
	struct result_metric *m = result_metric_get(b, name, unit, dir);

	m->aggregate = 1;
	result_metric_push(m, v);
}

/* What the level measured, for stats/stress.h (copies: tmp goes away). */
static void take_level(struct ramp *r, const struct result_bench *b,
                       double level)
{
	struct stats_stress_level *l = &r->lv[r->n];
	const struct result_metric *lat =
	        b ? result_metric_find(b, "latency") : NULL;
	double *reported = pg_calloc(r->st->nslo + 1, sizeof(double));
	const char *shed = b ? result_bench_param(b, "shed") : NULL;
	size_t i;

	for (i = 0; i < r->st->nslo; i++) {
		struct pg_buf name = PG_BUF_INIT;

		if (r->slo[i].quantile < 0)
			pg_buf_addstr(&name, "error_rate");
		else
			pg_buf_addf(&name, "latency_p%g",
			            r->slo[i].quantile * 100);
		reported[i] = last_of(b, name.s);
		pg_buf_release(&name);
	}
	l->level = level;
	l->throughput = last_of(b, "throughput");
	l->reported = reported;
	l->requests = last_of(b, "requests");
	l->failures = last_of(b, "failures");
	if (lat && lat->n) {
		double *copy = pg_malloc(lat->n * sizeof(double));

		memcpy(copy, lat->samples, lat->n * sizeof(double));
		l->lat = copy;
		l->n = lat->n;
	}
	r->shed[r->n] = shed ? strtod(shed, NULL) : 0;
}

/* Run the load command of level once into tmp; *failed when it failed. */
static int load_once(struct ramp *r, struct result_run *tmp, double level,
                     int *failed, struct pg_buf *why)
{
	struct config_bench sub;
	struct runner_invoker *v;
	int err;

	level_command(&sub, r, level);
	*failed = 1;
	err = runner_invoker_open(&v, &sub, r->hooks, NULL);
	if (err >= 0) {
		err = runner_invoker_run(v, tmp, 0, failed, why);
		runner_invoker_close(v);
	} else if (err != PG_EINPUT) {
		pg_buf_addstr(why, pg_error_last());
		err = r->hooks && r->hooks->cancel && *r->hooks->cancel ? err
		                                                        : 0;
	}
	runner_load_subst_release(&sub);
	return err;
}

/*
 * The benchmark of tmp that speaks for the whole level: Locust's
 * "Aggregated" (it reports each endpoint too), else the tool's only one.
 * NULL when there is none.
 */
static const struct result_bench *level_bench(const struct result_run *tmp)
{
	size_t i;

	for (i = 0; i < tmp->nbenches; i++) {
		const char *slash = strrchr(tmp->benches[i].name, '/');

		if (slash && !strcmp(slash + 1, "Aggregated"))
			return &tmp->benches[i];
	}
	return tmp->nbenches ? &tmp->benches[0] : NULL;
}

/* The level's benchmark in run: the tool's metrics and the service's. */
static void record_level(struct ramp *r, struct result_run *run,
                         const struct result_run *tmp, double level, double rss,
                         double cpu)
{
	struct pg_buf name = PG_BUF_INIT;
	struct result_bench *b;

	level_name(&name, r, level);
	if (!(b = result_bench_find(run, name.s)))
		b = result_bench_add(run, name.s);
	if (level_bench(tmp))
		merge_bench(b, level_bench(tmp));
	if (rss > 0)
		add_aggregate(b, "service_rss", "B", RESULT_LOWER_IS_BETTER,
		              rss);
	if (cpu >= 0)
		add_aggregate(b, "service_cpu", "s", RESULT_LOWER_IS_BETTER,
		              cpu);
	pg_buf_release(&name);
}

/* One level; 1 when the ramp goes on, 0 when it stops, < 0 on error. */
static int run_level(struct ramp *r, struct result_run *run, double level)
{
	struct pg_buf why = PG_BUF_INIT;
	struct result_run tmp;
	pid_t pid = runner_service_pid(r->svc);
	double rss0 = 0, cpu0 = 0, rss = 0, cpu = -1;
	int failed, err, more = 0;

	result_run_init(&tmp);
	runner_soak_measure(pid, &rss0, &cpu0);
	/* no output is what a crashed service leaves: judge that first */
	if ((err = load_once(r, &tmp, level, &failed, &why)) == PG_EINPUT) {
		pg_buf_addstr(&why, pg_error_last());
		r->bad_output = 1;
		failed = 1;
		err = 0;
	}
	if (err < 0)
		goto out;
	if (runner_service_alive(r->svc, r->st->ready_timeout) < 0) {
		r->crashed = 1;
		r->why = pg_strdup(pg_error_last());
	} else if (runner_soak_measure(pid, &rss, &cpu)) {
		cpu -= cpu0;
	}
	if (failed && !r->crashed) {
		r->load_failed = 1;
		r->why = pg_strdup(why.s);
		goto out;
	}
	record_level(r, run, &tmp, level, rss, cpu);
	take_level(r, failed ? NULL : level_bench(&tmp), level);
	r->lv[r->n].crashed = r->crashed;
	err = stats_stress_eval_level(&r->ev[r->n], &r->lv[r->n], r->slo,
	                              r->st->nslo, PG_DEFAULT_CONFIDENCE);
	more = !r->crashed && r->ev[r->n].state != STATS_STRESS_BROKEN;
	r->n++;
out:
	result_run_release(&tmp);
	pg_buf_release(&why);
	return err < 0 ? err : more;
}

static void set_number(struct result_bench *b, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.15g", v);
	result_bench_set_param(b, key, buf);
}

/* The ramp's derived metrics, one sample each, on cb->name. */
static void derive(struct ramp *r, struct result_run *run)
{
	struct result_bench *b = result_bench_find(run, r->cb->name);
	const char *lunit =
	        r->st->kind == CONFIG_STRESS_CONCURRENCY ? "count" : "req/s";
	enum stats_failure_mode mode;
	struct stats_stress_capacity cap;
	const struct result_metric *fm;
	double peak = 0, worst = 0;
	size_t i;

	mode = stats_stress_failure_mode(
	        r->n ? &r->lv[r->n - 1] : NULL, r->n ? &r->ev[r->n - 1] : NULL,
	        r->n ? r->shed[r->n - 1] : 0, r->load_failed);
	stats_stress_capacity(&cap, r->lv, r->ev, r->n);
	for (i = 0; i < r->n; i++)
		if (r->lv[i].throughput > peak)
			peak = r->lv[i].throughput;
	add_aggregate(b, "capacity", "req/s", RESULT_HIGHER_IS_BETTER,
	              cap.capacity);
	add_aggregate(b, "peak_throughput", "req/s", RESULT_HIGHER_IS_BETTER,
	              peak);
	add_aggregate(b, "capacity_level", lunit, RESULT_HIGHER_IS_BETTER,
	              cap.capacity_level);
	if (mode != STATS_FAILURE_UNBROKEN)
		add_aggregate(b, "breaking_point", lunit,
		              RESULT_HIGHER_IS_BETTER,
		              r->load_failed ? r->st->levels[r->n]
		                             : r->lv[r->n - 1].level);
	add_aggregate(b, "failure_mode", "count", RESULT_LOWER_IS_BETTER,
	              (double)mode);
	fm = result_metric_find(b, "failure_mode");
	/* the worst ramp's */
	for (i = 0; i < fm->n; i++)
		worst = fmax(worst, fm->samples[i]);
	result_bench_set_param(b, "failure_mode",
	                       stats_failure_mode_name(worst));
	set_number(b, "levels_run", (double)r->n);
	if (cap.reached_end)
		result_bench_set_param(b, "capacity_bound",
		                       "every level held: the capacity is "
		                       "at least this");
	if (r->why)
		result_bench_set_param(b, "stop_reason", r->why);
}

static void ramp_release(struct ramp *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free((void *)r->lv[i].lat);
		free((void *)r->lv[i].reported);
	}
	free(r->why);
	r->why = NULL;
	r->n = 0;
	r->crashed = r->load_failed = r->bad_output = 0;
}

static void progress(const struct ramp *r, double level, long i)
{
	struct pg_buf name = PG_BUF_INIT;

	if (!r->hooks || !r->hooks->before_run)
		return;
	level_name(&name, r, level);
	r->hooks->before_run(r->hooks->ctx, name.s, 0, i, (long)r->st->nlevels);
	pg_buf_release(&name);
}

/* One ramp on a new service; 0, or < 0 when cancelled or bad output. */
static int one_ramp(struct ramp *r, struct result_run *run)
{
	const struct config_bench *cb = r->cb;
	const volatile sig_atomic_t *cancel =
	        r->hooks ? r->hooks->cancel : NULL;
	size_t i;
	int err = 0, more = 1;

	if ((err = runner_service_start(&r->svc, cb->service, cb->cwd, cb->name,
	                                cancel)) < 0)
		return err;
	for (i = 0; i < r->st->nlevels && more > 0; i++) {
		if (cancel && *cancel) {
			more = pg_error_runtime("interrupted");
			break;
		}
		progress(r, r->st->levels[i], (long)i + 1);
		more = run_level(r, run, r->st->levels[i]);
	}
	runner_service_stop(r->svc);
	r->svc = NULL;
	if (more < 0)
		return more;
	if (r->load_failed && !r->n)
		return pg_error_code(r->bad_output ? PG_EINPUT : PG_ERUNTIME,
		                     "the load command of '%s' failed at the "
		                     "first level (%.15g): %s",
		                     cb->name, r->st->levels[0], r->why);
	derive(r, run);
	return 0;
}

static struct ramp *ramp_new(const struct config_bench *cb,
                             const struct runner_hooks *hooks)
{
	const struct config_stress *st = cb->stress;
	struct ramp *r = pg_calloc(1, sizeof(*r));
	size_t i;

	r->cb = cb;
	r->st = st;
	r->hooks = hooks;
	r->slo = pg_calloc(st->nslo + 1, sizeof(*r->slo));
	for (i = 0; i < st->nslo; i++) {
		r->slo[i].quantile = st->slo[i].quantile;
		r->slo[i].limit = st->slo[i].limit;
	}
	return r;
}

static void ramp_free(struct ramp *r)
{
	ramp_release(r);
	free(r->slo);
	free(r);
}

int runner_stress_ramp(struct result_run *run, const struct config_bench *cb,
                       const struct runner_hooks *hooks)
{
	struct ramp *r = ramp_new(cb, hooks);
	int err;

	if (!result_bench_find(run, cb->name))
		result_bench_add(run, cb->name);
	err = one_ramp(r, run);
	ramp_free(r);
	return err;
}

int runner_run_stress(struct result_run *run, const struct config_bench *cb,
                      const struct runner_hooks *hooks)
{
	size_t first = run->nbenches;
	long k;
	int err = 0;

	for (k = 0; k < cb->stress->ramps && !err; k++)
		err = runner_stress_ramp(run, cb, hooks);
	if (err < 0) {
		/* a ramp cut short has no capacity: never store it as one */
		runner_fail_entry(run, first, cb, pg_error_last());
		if (err != PG_EINPUT &&
		    !(hooks && hooks->cancel && *hooks->cancel))
			err = 0;
	}
	return err;
}
