/* Paired A/B measurement with sequential looks: see gate/paired.h. */
#include "gate/paired.h"
#include "runner/runner.h"
#include "runner/suite.h"
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

/* One benchmark's state across looks. */
struct pb {
	const struct config_bench *cb;
	char *base_cwd;
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

/*
 * Record a failure of side ("baseline"/"candidate") in pair (0: warmup;
 * < 0: before any pair, side unused) on both sides.
 */
static void fail_bench(struct session *s, struct pb *p, const char *side,
                       long pair, const struct runner_result *res,
                       const char *why)
{
	struct pg_buf msg = PG_BUF_INIT;

	if (pair >= 0)
		pg_buf_addf(&msg, "%s %s pair %ld ", side,
		            pair ? "measured" : "warmup", pair);
	if (why)
		pg_buf_addstr(&msg, why);
	else
		runner_describe_failure(res, p->cb->timeout, &msg);
	result_bench_set_error(result_bench_find(s->base, p->cb->name), msg.s);
	result_bench_set_error(result_bench_find(s->cand, p->cb->name), msg.s);
	pg_buf_release(&msg);
	p->running = 0;
}

/*
 * One pair: both sides once, in coin-flip order.  res[0] is the baseline's,
 * res[1] the candidate's.  *failed is the side whose run could not start (then
 * PG_ERUNTIME) or that failed first in sequential order, else -1.
 */
static int run_pair(struct session *s, struct runner *r[2],
                    struct runner_result res[2], int *failed)
{
	int first = (int)(paired_rand(&s->rng) & 1), err;

	*failed = -1;
	if ((err = runner_exec(r[first], &res[first])) < 0) {
		*failed = first;
		return err;
	}
	/* a failure decides the pair: the other side's result is old */
	if (!runner_succeeded(&res[first])) {
		*failed = first;
		return 0;
	}
	if ((err = runner_exec(r[!first], &res[!first])) < 0)
		*failed = !first;
	return err;
}

/* Run benchmark p up to target measured pairs (after warmup pairs). */
static int run_batch(struct session *s, struct pb *p, long target)
{
	static const char *const side_name[2] = {"baseline", "candidate"};
	const struct paired_opts *o = s->o;
	const struct config_bench *cb = p->cb;
	struct runner_spec spec[2];
	struct runner *r[2] = {NULL, NULL};
	struct runner_result res[2];
	char **envp = cb->nenv ? runner_env_build(cb->env, cb->nenv) : NULL;
	long warm = o->warmup > 0 ? o->warmup : 1, i, total;
	int err = 0, side, failed;

	total = warm + target - p->pairs;
	for (side = 0; side < 2; side++) {
		memset(&spec[side], 0, sizeof(spec[side]));
		spec[side].argv = cb->argv;
		spec[side].shell = cb->shell;
		spec[side].cwd = side ? cb->cwd : p->base_cwd;
		spec[side].envp = envp;
		spec[side].timeout = o->timeout > 0 ? o->timeout : cb->timeout;
		spec[side].cancel = o->cancel;
		runner_result_init(&res[side]);
	}
	if ((err = runner_new(&r[0], &spec[0])) < 0 ||
	    (err = runner_new(&r[1], &spec[1])) < 0) {
		fail_bench(s, p, NULL, -1, NULL, pg_error_last());
		err = 0;
		total = 0;
	}
	for (i = 0; i < total && p->running; i++) {
		int warmup = i < warm;

		if (o->progress)
			o->progress(o->ctx, cb->name, warmup ? 0 : p->pairs + 1,
			            target);
		if ((err = run_pair(s, r, res, &failed)) < 0) {
			if (err == PG_EINPUT)
				break;
			fail_bench(s, p, side_name[failed], p->pairs + !warmup,
			           NULL, pg_error_last());
			err = 0;
			break;
		}
		for (side = 0; side < 2 && p->running; side++) {
			if ((failed >= 0 && side != failed) ||
			    runner_succeeded(&res[side]))
				continue;
			fail_bench(s, p, side_name[side],
			           warmup ? 0 : p->pairs + 1, &res[side], NULL);
			if (res[side].cancelled)
				err = pg_error_runtime("interrupted");
		}
		if (!p->running || warmup)
			continue;
		runner_record(result_bench_find(s->base, cb->name), &res[0]);
		runner_record(result_bench_find(s->cand, cb->name), &res[1]);
		p->pairs++;
	}
	/* freed in the reverse order of creation: see runner.h */
	runner_free(r[1]);
	runner_free(r[0]);
	for (side = 0; side < 2; side++)
		runner_result_release(&res[side]);
	runner_env_free(envp);
	return err;
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
 * 1 when every gating row of bench is settled: in rep (alpha spent for
 * this look) a regression, improvement or unchanged verdict, or in pass
 * (the PG_PAIRED_PASS_CONFIDENCE CI) an upper bound below theta.
 */
static int settled(const struct report *rep, const struct report *pass,
                   const char *bench)
{
	size_t i;
	int any = 0;

	for (i = 0; i < rep->nrows && i < pass->nrows; i++) {
		const struct report_row *row = &rep->rows[i];
		const struct report_row *prow = &pass->rows[i];

		if (strcmp(row->bench, bench) || row->informational)
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

		if (p->running && settled(&rep, &pass, p->cb->name))
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
	struct config_bench basecb = *p->cb;
	enum runner_icount_source src;
	int err;

	if (bb->error || cb->error ||
	    !(metrics_of(s, p->cb) & CONFIG_METRIC_INSTRUCTIONS))
		return 0;
	if (runner_icount_resolve(&src, s->o->counter) < 0) {
		fail_bench(s, p, NULL, -1, NULL, pg_error_last());
		return 0;
	}
	hooks.cancel = s->o->cancel;
	hooks.icount = src;
	basecb.cwd = p->base_cwd;
	err = runner_count_instructions(bb, &basecb, p->cb->instruction_runs,
	                                src, &hooks);
	if (!err && !bb->error)
		err = runner_count_instructions(
		        cb, p->cb, p->cb->instruction_runs, src, &hooks);
	if (!err && (bb->error || cb->error)) {
		char *msg = pg_strdup(bb->error ? bb->error : cb->error);

		fail_bench(s, p, bb->error ? "baseline" : "candidate", -1, NULL,
		           msg);
		free(msg);
	}
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
		if (cb->format || cb->service)
			return pg_error_input("benchmark '%s': %s cannot run "
			                      "in paired mode yet (use "
			                      "--stored)",
			                      cb->name,
			                      cb->format ? "harness entries "
			                                   "(\"format\")"
			                                 : "load tests with a "
			                                   "\"service\"");
		p = &s->pbs[s->npbs++];
		p->cb = cb;
		p->running = (metrics_of(s, cb) & CONFIG_METRIC_WALL_TIME) != 0;
		if ((err = paired_map_path(&p->base_cwd, s->o, s->o->base_root,
		                           cb->cwd)) < 0)
			return pg_error_wrap(err, "benchmark '%s'", cb->name);
		result_bench_add(s->base, cb->name);
		result_bench_add(s->cand, cb->name);
	}
	return 0;
}

static void set_pairs_param(struct session *s, const struct pb *p)
{
	char n[32];

	snprintf(n, sizeof(n), "%ld", p->pairs);
	result_bench_set_param(result_bench_find(s->base, p->cb->name), "pairs",
	                       n);
	result_bench_set_param(result_bench_find(s->cand, p->cb->name), "pairs",
	                       n);
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
		free(s.pbs[i].base_cwd);
	}
	free(s.pbs);
	return err;
}
