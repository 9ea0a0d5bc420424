/* A benchmark that drives a service; see runner/loadtest.h. */
#include "runner/loadtest.h"
#include "runner/invoke.h"
#include "runner/record.h"
#include "runner/service.h"
#include "runner/soak.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct load_ctx {
	const struct runner_hooks *outer;
	struct runner_soak *soak; /* NULL without soak mode */
	double duration;
};

static void before_run(void *ctx, const char *bench, int warmup, long i,
                       long total)
{
	struct load_ctx *c = ctx;

	if (c->outer && c->outer->before_run)
		c->outer->before_run(c->outer->ctx, bench, warmup, i, total);
	if (c->soak && !warmup && !runner_soak_started(c->soak))
		runner_soak_start(c->soak);
}

static int more_runs(void *ctx)
{
	struct load_ctx *c = ctx;

	if (!c->soak || !runner_soak_started(c->soak))
		return 0;
	if (c->outer && c->outer->cancel && *c->outer->cancel)
		return 0;
	return runner_soak_elapsed(c->soak) < c->duration;
}

static void tick(void *ctx)
{
	struct load_ctx *c = ctx;

	/* the sampler exists once the service (and its pid) does */
	if (c->soak)
		runner_soak_sample(c->soak);
}

/* The most requests any benchmark of [first, end) made (summed over runs). */
static double requests_of(const struct result_run *run, size_t first)
{
	double most = 0;
	size_t i, j;

	for (i = first; i < run->nbenches; i++) {
		const struct result_metric *m =
		        result_metric_find(&run->benches[i], "requests");
		double sum = 0;

		for (j = 0; m && j < m->n; j++)
			sum += m->samples[j];
		most = sum > most ? sum : most;
	}
	return most;
}

/* The soak's metrics, on "<name>/service". */
static void finish_soak(struct result_run *run, size_t first,
                        const struct config_bench *cb, struct runner_soak *k)
{
	struct pg_buf name = PG_BUF_INIT;
	double requests = requests_of(run, first);
	struct result_bench *b;
	size_t i;

	for (i = first; i < run->nbenches; i++)
		if (run->benches[i].error)
			goto out;
	pg_buf_addf(&name, "%s/service", cb->name);
	b = result_bench_add(run, name.s);
	if (runner_soak_finish(k, b, requests) < 0)
		result_bench_set_error(b, pg_error_last());
out:
	pg_buf_release(&name);
}

int runner_run_service(struct result_run *run, const struct config_bench *cb,
                       long runs, long warmup, const struct runner_hooks *hooks)
{
	struct load_ctx ctx = {hooks, NULL, 0};
	struct runner_hooks inner;
	struct runner_invoker *v;
	struct config_bench load = *cb;
	size_t first = run->nbenches;
	int err;

	if (hooks)
		inner = *hooks;
	else
		memset(&inner, 0, sizeof(inner));
	inner.before_run = before_run;
	inner.ctx = &ctx;
	/* the soak is sampled here; the invoker runs the load */
	load.soak = NULL;
	if (cb->soak) {
		ctx.duration = cb->soak->duration;
		inner.more_runs = more_runs;
		inner.tick = tick;
		inner.tick_every = cb->soak->sample_every;
	}
	if ((err = runner_invoker_open(&v, &load, &inner, NULL)) < 0) {
		if (err == PG_EINPUT)
			return err;
		runner_fail_entry(run, first, cb, pg_error_last());
		return hooks && hooks->cancel && *hooks->cancel ? err : 0;
	}
	if (cb->soak)
		ctx.soak = runner_soak_new(runner_invoker_service_pid(v));
	err = runner_run_invoker(run, v, runs, warmup, &inner);
	if (err >= 0 && ctx.soak)
		finish_soak(run, first, cb, ctx.soak);
	runner_invoker_close(v);
	runner_soak_free(ctx.soak);
	return err;
}
