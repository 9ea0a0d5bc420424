/*
 * Paired A/B measurement with sequential looks: see runner/pairs.h.  The
 * checks before the first pair (paths, preflight) are runner/pairs_check.c.
 */
#include "runner/pairs.h"
#include "runner/pairs_session.h"
#include "runner/runner.h"
#include "runner/record.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pairs_side_name[2] = {"baseline", "candidate"};

void runner_pairs_opts_init(struct runner_pairs_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = PG_DEFAULT_SEED;
}

uint64_t runner_pairs_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int runner_pairs_build(const struct config *cfg,
                       const struct runner_pairs_opts *o, const char *root)
{
	struct runner_spec spec = {0};
	struct runner *r = NULL;
	struct runner_result res;
	struct pg_buf msg = PG_BUF_INIT;
	char *dir = NULL;
	int err;

	if (!cfg->build_argv && !cfg->build_shell)
		return 0;
	if ((err = runner_pairs_map_path(&dir, o, root, cfg->dir)) < 0)
		return err;
	runner_result_init(&res);
	spec.argv = cfg->build_argv;
	spec.shell = cfg->build_shell;
	spec.cwd = dir;
	spec.timeout = PG_DEFAULT_BUILD_TIMEOUT_S;
	spec.cancel = o->cancel;
	if ((err = runner_new(&r, &spec)) < 0 ||
	    (err = runner_exec(r, &res)) < 0) {
		err = pg_error_wrap(err, "build in '%s'", dir);
		goto out;
	}
	if (!runner_succeeded(&res)) {
		runner_describe_failure(&res, spec.timeout, &msg);
		err = pg_error_runtime("build in '%s' failed: %s", dir, msg.s);
	}
out:
	runner_free(r);
	runner_result_release(&res);
	pg_buf_release(&msg);
	free(dir);
	return err;
}

/* Where entry p's benchmarks begin in side's run (0 when not known). */
static size_t entry_first(const struct pair_entry *p, int side)
{
	return p->state[side].first == SIZE_MAX ? 0 : p->state[side].first;
}

/*
 * Record a failure of side ("baseline"/"candidate", or NULL) in pair (0:
 * warmup; < 0: before any pair) on both sides, and stop the entry.
 */
void pairs_fail(struct pairs_session *s, struct pair_entry *p, const char *side,
                long pair, const char *why)
{
	struct pg_buf msg = PG_BUF_INIT;

	if (side)
		pg_buf_addf(&msg, "%s ", side);
	if (pair >= 0)
		pg_buf_addf(&msg, "%s pair %ld ", pair ? "measured" : "warmup",
		            pair);
	pg_buf_addstr(&msg, why);
	runner_fail_entry(s->base, entry_first(p, 0), p->cb, msg.s);
	runner_fail_entry(s->cand, entry_first(p, 1), p->cb, msg.s);
	pg_buf_release(&msg);
	p->running = 0;
}

/*
 * One pair: both sides once, in coin-flip order.  A failure of either side
 * fails the entry on both (the other side's run is not needed) and stops
 * it.  Returns 0, or the error of runner_invoker_run().
 */
static int run_pair(struct pairs_session *s, struct pair_entry *p,
                    struct runner_invoker *v[2], int warmup)
{
	struct result_run *runs[2] = {s->base, s->cand};
	struct pg_buf why = PG_BUF_INIT;
	int first = (int)(runner_pairs_rand(&s->rng) & 1), k, err = 0,
	    failed = 0;

	for (k = p->solo; k < 2 && !failed && !err; k++) {
		int side = p->solo ? 1 : k ? !first : first;

		err = runner_invoker_run(v[side], runs[side], warmup, &failed,
		                         &why);
		if (err == PG_EINPUT)
			err = pg_error_wrap(err, "%s", pairs_side_name[side]);
		if (failed)
			pairs_fail(s, p, pairs_side_name[side],
			           warmup ? 0 : p->pairs + 1, why.s);
	}
	if (!failed && !err && !warmup)
		p->pairs++;
	pg_buf_release(&why);
	return err;
}

/*
 * Run entry p up to target measured pairs (after warmup pairs), each side
 * through its own invoker: its own tree and, for a load test, its own
 * service on its own port, both running for the whole batch.
 */
static int run_batch(struct pairs_session *s, struct pair_entry *p, long target)
{
	const struct runner_pairs_opts *o = s->o;
	struct runner_hooks hooks = {0};
	struct runner_invoker *v[2] = {NULL, NULL};
	long warm = o->warmup > 0 ? o->warmup : 1, i, total;
	int err = 0, side;

	if (p->cb->stress)
		return pairs_stress_batch(s, p);
	hooks.cancel = o->cancel;
	hooks.icount = o->counter;
	if (p->warmed)
		warm = 0;
	p->warmed = 0;
	total = warm + target - p->pairs;
	for (side = p->solo; side < 2; side++) {
		if ((err = runner_invoker_open(&v[side], &p->side_cb[side],
		                               &hooks, &p->state[side])) == 0)
			continue;
		if (err != PG_EINPUT)
			pairs_fail(s, p, pairs_side_name[side], -1,
			           pg_error_last());
		if (!o->cancel || !*o->cancel)
			err = err == PG_EINPUT ? err : 0;
		goto out;
	}
	for (i = 0; i < total && p->running && !err; i++) {
		int warmup = i < warm;

		if (o->progress)
			o->progress(o->ctx, p->cb->name,
			            warmup ? 0 : p->pairs + 1, target);
		err = run_pair(s, p, v, warmup);
	}
out:
	/* freed in the reverse order of creation: see runner.h */
	runner_invoker_close(v[1]);
	runner_invoker_close(v[0]);
	return err;
}

/* Ask the stop rule; stop the benchmarks whose verdict is clear. */
static int look(struct pairs_session *s, size_t k, size_t *running)
{
	const struct config_bench **cbs;
	char *stop;
	size_t i, n = 0;
	int err = 0;

	*running = 0;
	if (!s->o->decide) {
		for (i = 0; i < s->nentries; i++)
			*running += (size_t)s->entries[i].running;
		return 0;
	}
	cbs = pg_calloc(s->nentries + 1, sizeof(*cbs));
	stop = pg_calloc(s->nentries + 1, 1);
	for (i = 0; i < s->nentries; i++)
		if (s->entries[i].running)
			cbs[n++] = s->entries[i].cb;
	err = s->o->decide(s->o->decide_ctx, k, s->base, s->cand, cbs, n, stop);
	for (i = 0, n = 0; i < s->nentries && !err; i++) {
		struct pair_entry *p = &s->entries[i];

		if (!p->running)
			continue;
		if (stop[n++])
			p->running = 0;
		*running += (size_t)p->running;
	}
	free(cbs);
	free(stop);
	return err;
}

static unsigned metrics_of(const struct pairs_session *s,
                           const struct config_bench *cb)
{
	return s->o->metrics ? s->o->metrics : cb->metrics;
}

/* Instruction counts of both trees, for the benchmarks that ask. */
static int count_both(struct pairs_session *s, struct pair_entry *p)
{
	struct result_bench *bb = result_bench_find(s->base, p->cb->name);
	struct result_bench *cb = result_bench_find(s->cand, p->cb->name);
	struct runner_hooks hooks = {0};
	enum runner_icount_source src;
	int err;

	/* a harness or a load test has no instruction runs of its own */
	if (p->solo || p->cb->format || p->cb->service || !bb || !cb ||
	    bb->error || cb->error ||
	    !(metrics_of(s, p->cb) & CONFIG_METRIC_INSTRUCTIONS))
		return 0;
	if (runner_icount_resolve(&src, s->o->counter) < 0) {
		pairs_fail(s, p, NULL, -1, pg_error_last());
		return 0;
	}
	hooks.cancel = s->o->cancel;
	hooks.icount = src;
	err = runner_count_instructions(bb, &p->side_cb[0],
	                                p->cb->instruction_runs, src, &hooks);
	if (!err && !bb->error)
		err = runner_count_instructions(cb, &p->side_cb[1],
		                                p->cb->instruction_runs, src,
		                                &hooks);
	if (!err && (bb->error || cb->error)) {
		char *msg = pg_strdup(bb->error ? bb->error : cb->error);

		pairs_fail(s, p, bb->error ? "baseline" : "candidate", -1, msg);
		free(msg);
	}
	return err;
}

/* p's two sides of cb: directories mapped, the session's timeout. */
static int map_sides(struct pairs_session *s, struct pair_entry *p)
{
	const struct config_bench *cb = p->cb;
	int side, err;

	for (side = 0; side < 2; side++) {
		p->side_cb[side] = *cb;
		if (s->o->timeout > 0)
			p->side_cb[side].timeout = s->o->timeout;
	}
	if ((err = runner_pairs_map_path(&p->side_cb[0].cwd, s->o,
	                                 s->o->base_root, cb->cwd)) < 0)
		return err;
	if (!cb->service)
		return 0;
	p->base_svc = *cb->service;
	p->base_svc.cwd = NULL;
	p->side_cb[0].service = &p->base_svc;
	if (cb->service->cwd)
		err = runner_pairs_map_path(&p->base_svc.cwd, s->o,
		                            s->o->base_root, cb->service->cwd);
	return err;
}

static int setup(struct pairs_session *s)
{
	const struct config *cfg = s->cfg;
	size_t i;
	int err;

	s->entries = pg_calloc(cfg->nbenches + 1, sizeof(*s->entries));
	for (i = 0; i < cfg->nbenches; i++) {
		const struct config_bench *cb = &cfg->benches[i];
		struct pair_entry *p;

		if (s->o->selected && !s->o->selected[i])
			continue;
		if (cb->soak)
			return pg_error_input("benchmark '%s': a soak cannot "
			                      "run in paired mode (it is one "
			                      "long load per side; use "
			                      "--stored)",
			                      cb->name);
		/* the second side could not bind it, and the first side's
		 * server would answer its probes and its load */
		if (cb->service && cb->service->port_mode == CONFIG_PORT_FIXED)
			return pg_error_input("benchmark '%s': a fixed service "
			                      "port (%ld) cannot serve both "
			                      "sides in paired mode: use "
			                      "\"port\": \"auto\" or "
			                      "\"stdout\" (or --stored)",
			                      cb->name, cb->service->port);
		if ((err = pairs_check_paths(s, cb)) < 0)
			return err;
		p = &s->entries[s->nentries++];
		p->cb = cb;
		p->state[0] = p->state[1] =
		        (struct runner_invoker_state)RUNNER_INVOKER_STATE_INIT;
		p->running = cb->format ||
		             (metrics_of(s, cb) & CONFIG_METRIC_WALL_TIME);
		if ((err = map_sides(s, p)) < 0)
			return pg_error_wrap(err, "benchmark '%s'", cb->name);
		/* a harness's benchmarks appear with its first output */
		if (cb->format)
			continue;
		result_bench_add(s->base, cb->name);
		result_bench_add(s->cand, cb->name);
	}
	return 0;
}

/* The parameter "pairs" on every benchmark of p's entry, on both sides. */
static void set_pairs_param(struct pairs_session *s, const struct pair_entry *p)
{
	struct result_run *runs[2] = {s->base, s->cand};
	char n[32];
	size_t i;
	int side;

	snprintf(n, sizeof(n), "%ld", p->pairs);
	for (side = 0; side < 2; side++)
		for (i = 0; i < runs[side]->nbenches; i++)
			if (config_entry_owns(s->cfg, p->cb,
			                      runs[side]->benches[i].name))
				result_bench_set_param(&runs[side]->benches[i],
				                       RESULT_PARAM_PAIRS, n);
}

static void release_pb(struct pair_entry *p)
{
	free(p->side_cb[0].cwd);
	free(p->base_svc.cwd);
}

int runner_pairs_measure(struct result_run *base, struct result_run *cand,
                         const struct config *cfg,
                         const struct runner_pairs_opts *o, size_t *looks_done)
{
	struct pairs_session s = {cfg, o, base, cand, NULL, 0, o->seed};
	size_t k, i, running = 1;
	int err;

	*looks_done = 0;
	if ((err = setup(&s)) < 0 || (err = pairs_preflight(&s)) < 0)
		goto out;
	for (k = 0; k < o->nlooks && running && !err; k++) {
		for (i = 0; i < s.nentries && !err; i++)
			if (s.entries[i].running)
				err = run_batch(&s, &s.entries[i], o->looks[k]);
		if (err)
			break;
		for (i = 0; i < s.nentries; i++)
			set_pairs_param(&s, &s.entries[i]);
		if ((err = look(&s, k, &running)) < 0)
			break;
		*looks_done = k + 1;
		if (o->look)
			o->look(o->ctx, k, o->looks[k], running);
	}
	for (i = 0; i < s.nentries && !err; i++)
		err = count_both(&s, &s.entries[i]);
out:
	for (i = 0; i < s.nentries; i++) {
		set_pairs_param(&s, &s.entries[i]);
		/* a new benchmark has nothing on the baseline side */
		if (s.entries[i].solo)
			result_run_remove_bench(base, s.entries[i].cb->name);
		release_pb(&s.entries[i]);
	}
	free(s.entries);
	return err;
}
