/* Paired A/B measurement with sequential looks: see gate/paired.h. */
#include "gate/paired.h"
#include "runner/invoke.h"
#include "runner/runner.h"
#include "runner/suite.h"
#include "stats/describe.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void paired_opts_init(struct paired_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = PG_DEFAULT_SEED;
	gate_compare_opts_init(&o->cmp);
	o->cmp.alpha = PG_DEFAULT_ALPHA_PAIRED;
}

uint64_t paired_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* path with symbolic links resolved as far as it exists. */
static char *canonical(const char *path)
{
	char buf[PATH_MAX];
	const char *slash;
	struct pg_buf b = PG_BUF_INIT;
	char *parent, *head;

	if (realpath(path, buf))
		return pg_strdup(buf);
	slash = strrchr(path, '/');
	if (!slash || slash == path)
		return pg_strdup(path);
	parent = pg_strndup(path, (size_t)(slash - path));
	head = canonical(parent);
	pg_buf_addf(&b, "%s%s", head, slash);
	free(parent);
	free(head);
	return pg_buf_detach(&b, NULL);
}

int paired_map_path(char **out, const struct paired_opts *o, const char *root,
                    const char *path)
{
	char *top = canonical(o->cand_root), *p = canonical(path);
	size_t len = strlen(top);
	struct pg_buf b = PG_BUF_INIT;
	int err = 0;

	*out = NULL;
	while (len > 1 && top[len - 1] == '/')
		top[--len] = '\0';
	if (strncmp(p, top, len) || (p[len] != '/' && p[len] != '\0')) {
		err = pg_error_input("'%s' is outside the work tree '%s': "
		                     "paired mode runs each side in its own "
		                     "tree (use --stored)",
		                     path, top);
		goto out;
	}
	pg_buf_addf(&b, "%s%s", root, p + len);
	*out = pg_buf_detach(&b, NULL);
out:
	free(top);
	free(p);
	return err;
}

int paired_build(const struct config *cfg, const struct paired_opts *o,
                 const char *root)
{
	struct runner_spec spec = {0};
	struct runner *r = NULL;
	struct runner_result res;
	struct pg_buf msg = PG_BUF_INIT;
	char *dir = NULL;
	int err;

	if (!cfg->build_argv && !cfg->build_shell)
		return 0;
	if ((err = paired_map_path(&dir, o, root, cfg->dir)) < 0)
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

/* One benchmark entry's state across looks. */
struct pb {
	const struct config_bench *cb;
	/* the two sides' copies: directories mapped, paired timeout */
	struct config_bench side_cb[2];
	struct config_service base_svc;
	struct runner_invoker_state state[2]; /* carried across looks */
	long pairs; /* measured so far */
	int running;
};

struct session {
	const struct config *cfg;
	const struct paired_opts *o;
	struct result_run *base, *cand;
	struct pb *pbs;
	size_t npbs;
	uint64_t rng;
};

static const char *const side_name[2] = {"baseline", "candidate"};

/*
 * 1 when benchmark name comes from entry cb of cfg: cb's own, or for a
 * harness one of its "<cb->name>/<inner>" benchmarks (not another entry
 * of cfg that happens to be named so).
 */
static int of_entry(const char *name, const struct config_bench *cb,
                    const struct config *cfg)
{
	size_t n = strlen(cb->name);
	const struct config_bench *named;

	if (strncmp(name, cb->name, n))
		return 0;
	if (name[n] == '\0')
		return 1;
	named = config_find_bench(cfg, name);
	return cb->format && name[n] == '/' && (!named || named == cb);
}

/* Record msg on every benchmark of entry cb in run (cb's own if none). */
static void fail_entry(struct result_run *run, const struct config_bench *cb,
                       const struct config *cfg, const char *msg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < run->nbenches; i++) {
		if (!of_entry(run->benches[i].name, cb, cfg))
			continue;
		result_bench_set_error(&run->benches[i], msg);
		any = 1;
	}
	if (!any)
		result_bench_set_error(result_bench_add(run, cb->name), msg);
}

/*
 * Record a failure of side ("baseline"/"candidate", or NULL) in pair (0:
 * warmup; < 0: before any pair) on both sides, and stop the entry.
 */
static void fail_bench(struct session *s, struct pb *p, const char *side,
                       long pair, const char *why)
{
	struct pg_buf msg = PG_BUF_INIT;

	if (side)
		pg_buf_addf(&msg, "%s ", side);
	if (pair >= 0)
		pg_buf_addf(&msg, "%s pair %ld ", pair ? "measured" : "warmup",
		            pair);
	pg_buf_addstr(&msg, why);
	fail_entry(s->base, p->cb, s->cfg, msg.s);
	fail_entry(s->cand, p->cb, s->cfg, msg.s);
	pg_buf_release(&msg);
	p->running = 0;
}

/*
 * One pair: both sides once, in coin-flip order.  A failure of either side
 * fails the entry on both (the other side's run is not needed) and stops
 * it.  Returns 0, or the error of runner_invoker_run().
 */
static int run_pair(struct session *s, struct pb *p,
                    struct runner_invoker *v[2], int warmup)
{
	struct result_run *runs[2] = {s->base, s->cand};
	struct pg_buf why = PG_BUF_INIT;
	int first = (int)(paired_rand(&s->rng) & 1), k, err = 0, failed = 0;

	for (k = 0; k < 2 && !failed && !err; k++) {
		int side = k ? !first : first;

		err = runner_invoker_run(v[side], runs[side], warmup, &failed,
		                         &why);
		if (err == PG_EINPUT)
			err = pg_error_wrap(err, "%s", side_name[side]);
		if (failed)
			fail_bench(s, p, side_name[side],
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
static int run_batch(struct session *s, struct pb *p, long target)
{
	const struct paired_opts *o = s->o;
	struct runner_hooks hooks = {0};
	struct runner_invoker *v[2] = {NULL, NULL};
	long warm = o->warmup > 0 ? o->warmup : 1, i, total;
	int err = 0, side;

	hooks.cancel = o->cancel;
	hooks.icount = o->counter;
	total = warm + target - p->pairs;
	for (side = 0; side < 2; side++) {
		if ((err = runner_invoker_open(&v[side], &p->side_cb[side],
		                               &hooks, &p->state[side])) == 0)
			continue;
		if (err != PG_EINPUT)
			fail_bench(s, p, side_name[side], -1, pg_error_last());
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

int paired_one_per_pair(const struct result_bench *b,
                        const struct result_metric *m)
{
	const char *pairs = result_bench_param(b, PAIRED_PARAM_PAIRS);
	char *end;
	long n;

	if (!pairs)
		return 1;
	n = strtol(pairs, &end, 10);
	return *end == '\0' && n >= 0 && (size_t)n == m->n;
}

double paired_spread(const struct result_metric *base,
                     const struct result_metric *cand)
{
	double *d, sd = NAN;
	size_t i;

	if (base->n != cand->n || base->n < 2)
		return NAN;
	d = pg_malloc(base->n * sizeof(double));
	for (i = 0; i < base->n; i++) {
		if (!(base->samples[i] > 0 && cand->samples[i] > 0))
			goto out;
		d[i] = log(cand->samples[i] / base->samples[i]);
	}
	sd = stats_sd(d, base->n);
out:
	free(d);
	return sd;
}

double paired_spend(const long *looks, size_t nlooks, size_t k)
{
	double t, t0;

	if (nlooks <= 1 || k >= nlooks)
		return 1;
	t = (double)looks[k] / (double)looks[nlooks - 1];
	t0 = k ? (double)looks[k - 1] / (double)looks[nlooks - 1] : 0;
	return t * t - t0 * t0;
}

/*
 * 1 when every gating row of entry cb is settled: in rep (alpha spent for
 * this look) a regression, improvement or unchanged verdict, or in pass
 * (the PG_PAIRED_PASS_CONFIDENCE CI) an upper bound below theta.
 */
static int settled(const struct report *rep, const struct report *pass,
                   const struct config_bench *cb, const struct config *cfg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < rep->nrows && i < pass->nrows; i++) {
		const struct report_row *row = &rep->rows[i];
		const struct report_row *prow = &pass->rows[i];

		if (!of_entry(row->bench, cb, cfg) || row->informational)
			continue;
		any = 1;
		if (row->verdict == REPORT_REGRESSION ||
		    row->verdict == REPORT_IMPROVEMENT ||
		    row->verdict == REPORT_UNCHANGED)
			continue;
		if (isfinite(prow->ci_high) && prow->ci_high < prow->threshold)
			continue;
		return 0;
	}
	return any;
}

/* Compare what was measured so far; stop the benchmarks that settled. */
static int look(struct session *s, size_t k, size_t *running)
{
	struct gate_compare_opts co = s->o->cmp, po;
	struct report rep, pass;
	size_t i;
	int err;

	co.paired = 1;
	co.spend = paired_spend(s->o->looks, s->o->nlooks, k);
	co.partial = 1;
	po = co;
	po.spend = 1;
	po.confidence = PG_PAIRED_PASS_CONFIDENCE;
	report_init(&rep);
	report_init(&pass);
	err = gate_compare(&rep, s->cfg, s->base, 1, s->cand, 1, NULL, &co);
	if (!err)
		err = gate_compare(&pass, s->cfg, s->base, 1, s->cand, 1, NULL,
		                   &po);
	*running = 0;
	for (i = 0; i < s->npbs && !err; i++) {
		struct pb *p = &s->pbs[i];

		if (p->running && settled(&rep, &pass, p->cb, s->cfg))
			p->running = 0;
		*running += (size_t)p->running;
	}
	report_release(&rep);
	report_release(&pass);
	return err;
}

static unsigned metrics_of(const struct session *s,
                           const struct config_bench *cb)
{
	return s->o->metrics ? s->o->metrics : cb->metrics;
}

/* Instruction counts of both trees, for the benchmarks that ask. */
static int count_both(struct session *s, struct pb *p)
{
	struct result_bench *bb = result_bench_find(s->base, p->cb->name);
	struct result_bench *cb = result_bench_find(s->cand, p->cb->name);
	struct runner_hooks hooks = {0};
	enum runner_icount_source src;
	int err;

	/* a harness or a load test has no instruction runs of its own */
	if (p->cb->format || p->cb->service || !bb || !cb || bb->error ||
	    cb->error || !(metrics_of(s, p->cb) & CONFIG_METRIC_INSTRUCTIONS))
		return 0;
	if (runner_icount_resolve(&src, s->o->counter) < 0) {
		fail_bench(s, p, NULL, -1, pg_error_last());
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

		fail_bench(s, p, bb->error ? "baseline" : "candidate", -1, msg);
		free(msg);
	}
	return err;
}

/* p's two sides of cb: directories mapped, the session's timeout. */
static int map_sides(struct session *s, struct pb *p)
{
	const struct config_bench *cb = p->cb;
	int side, err;

	for (side = 0; side < 2; side++) {
		p->side_cb[side] = *cb;
		if (s->o->timeout > 0)
			p->side_cb[side].timeout = s->o->timeout;
	}
	if ((err = paired_map_path(&p->side_cb[0].cwd, s->o, s->o->base_root,
	                           cb->cwd)) < 0)
		return err;
	if (!cb->service)
		return 0;
	p->base_svc = *cb->service;
	p->base_svc.cwd = NULL;
	p->side_cb[0].service = &p->base_svc;
	if (cb->service->cwd)
		err = paired_map_path(&p->base_svc.cwd, s->o, s->o->base_root,
		                      cb->service->cwd);
	return err;
}

static int setup(struct session *s)
{
	const struct config *cfg = s->cfg;
	size_t i;
	int err;

	s->pbs = pg_calloc(cfg->nbenches + 1, sizeof(*s->pbs));
	for (i = 0; i < cfg->nbenches; i++) {
		const struct config_bench *cb = &cfg->benches[i];
		struct pb *p;

		if (s->o->selected && !s->o->selected[i])
			continue;
		if (cb->soak)
			return pg_error_input("benchmark '%s': a soak cannot "
			                      "run in paired mode (it is one "
			                      "long load per side; use "
			                      "--stored)",
			                      cb->name);
		if (cb->stress)
			return pg_error_input(
			        "benchmark '%s': a stress test "
			        "cannot run in paired mode yet "
			        "(each side ramps its own service "
			        "to its breaking point: pairs of "
			        "invocations do not fit; use "
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
		p = &s->pbs[s->npbs++];
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
static void set_pairs_param(struct session *s, const struct pb *p)
{
	struct result_run *runs[2] = {s->base, s->cand};
	char n[32];
	size_t i;
	int side;

	snprintf(n, sizeof(n), "%ld", p->pairs);
	for (side = 0; side < 2; side++)
		for (i = 0; i < runs[side]->nbenches; i++)
			if (of_entry(runs[side]->benches[i].name, p->cb,
			             s->cfg))
				result_bench_set_param(&runs[side]->benches[i],
				                       PAIRED_PARAM_PAIRS, n);
}

static void release_pb(struct pb *p)
{
	free(p->side_cb[0].cwd);
	free(p->base_svc.cwd);
}

int paired_measure(struct result_run *base, struct result_run *cand,
                   const struct config *cfg, const struct paired_opts *o,
                   size_t *looks_done)
{
	struct session s = {cfg, o, base, cand, NULL, 0, o->seed};
	size_t k, i, running = 1;
	int err;

	*looks_done = 0;
	if ((err = setup(&s)) < 0)
		goto out;
	for (k = 0; k < o->nlooks && running && !err; k++) {
		for (i = 0; i < s.npbs && !err; i++)
			if (s.pbs[i].running)
				err = run_batch(&s, &s.pbs[i], o->looks[k]);
		if (err)
			break;
		for (i = 0; i < s.npbs; i++)
			set_pairs_param(&s, &s.pbs[i]);
		if ((err = look(&s, k, &running)) < 0)
			break;
		*looks_done = k + 1;
		if (o->look)
			o->look(o->ctx, k, o->looks[k], running);
	}
	for (i = 0; i < s.npbs && !err; i++)
		err = count_both(&s, &s.pbs[i]);
out:
	for (i = 0; i < s.npbs; i++) {
		set_pairs_param(&s, &s.pbs[i]);
		release_pb(&s.pbs[i]);
	}
	free(s.pbs);
	return err;
}
