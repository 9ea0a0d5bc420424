/* The newest verdicts recomputed from stored results; see the header. */
#include "cmd/report_gate.h"
#include "gate/accept.h"
#include "gate/baseline.h"
#include "gate/compare.h"
#include "store/notes.h"
#include "model/config.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int load_config(struct config *cfg, struct store *s, int *loaded)
{
	struct pg_buf p;
	struct stat st;
	int err = 0;

	*loaded = 0;
	pg_buf_init(&p);
	if (store_workdir(s)) {
		pg_buf_addf(&p, "%s/%s", store_workdir(s), PG_DEFAULT_CONFIG);
		if (stat(p.s, &st) == 0) {
			err = config_load(cfg, p.s);
			*loaded = err == 0;
		}
	}
	pg_buf_release(&p);
	return err;
}

/* Keep the plain runs of the newest plain run's class; returns how many. */
static size_t pick(struct result_run *runs, size_t n)
{
	char *key = NULL;
	size_t i, kept = 0;

	for (i = n; i-- > 0 && !key;)
		if (!runs[i].mode)
			key = result_run_env_key(&runs[i]);
	for (i = 0; key && i < n; i++) {
		char *k = result_run_env_key(&runs[i]);

		if (!runs[i].mode && !strcmp(k, key)) {
			struct result_run t = runs[kept];

			runs[kept++] = runs[i];
			runs[i] = t;
		}
		free(k);
	}
	free(key);
	return kept;
}

static int compare(struct report *rep, struct store *s, const char *sha,
                   const struct result_run *cand, size_t ncand,
                   struct gate_baseline *b)
{
	struct gate_baseline_opts bo = {0};
	struct gate_compare_opts cmp;
	struct gate_accepts acc;
	struct config cfg;
	char *key = result_run_env_key(&cand[ncand - 1]);
	int err, loaded = 0;

	config_init(&cfg);
	gate_accepts_init(&acc);
	gate_compare_opts_init(&cmp);
	bo.base_rev = sha; /* the walk then starts at its first parent */
	bo.window = PG_DEFAULT_BASELINE_WINDOW;
	bo.max_walk = PG_DEFAULT_BASELINE_MAX_WALK;
	bo.env_key = key;
	if ((err = load_config(&cfg, s, &loaded)) < 0 ||
	    (err = gate_find_baseline(b, s, sha, &bo)) < 0)
		goto out;
	if (b->nruns &&
	    (err = gate_collect_accepts(&acc, s, sha, b->commits[0],
	                                PG_DEFAULT_BASELINE_MAX_WALK)) < 0)
		goto out;
	err = gate_compare(rep, loaded ? &cfg : NULL, b->runs, b->nruns, cand,
	                   ncand, &acc, &cmp);
	if (err == 0)
		report_attach_samples(rep, b->runs, b->nruns, cand, ncand);
out:
	gate_accepts_release(&acc);
	config_release(&cfg);
	free(key);
	return err;
}

static int newest(const struct history_series *h, const struct store_commit **c)
{
	const struct history_row *rows;
	size_t i, n;

	for (i = 0; i < history_series_count(h); i++) {
		*c = history_series_get(h, i, &rows, &n);
		if (n)
			return 1;
	}
	return 0;
}

int report_gate_recompute(struct report *rep, struct store *s,
                          const struct history_series *h, int *have,
                          struct pg_buf *src)
{
	const struct store_commit *c;
	struct result_run *runs = NULL;
	struct gate_baseline b;
	char *warning = NULL;
	size_t n = 0, kept;
	int err;

	*have = 0;
	memset(&b, 0, sizeof(b));
	if (!newest(h, &c)) {
		pg_buf_addstr(src, "No results, so no verdicts.");
		return 0;
	}
	if ((err = store_read_runs(s, c->sha, &runs, &n, &warning)) < 0)
		return err;
	kept = pick(runs, n);
	if (kept && (err = compare(rep, s, c->sha, runs, kept, &b)) == 0) {
		rep->title = pg_strdup("perfgate");
		rep->mode = pg_strdup("stored baseline");
		rep->cand_commit = pg_strdup(c->sha);
		rep->base_commit = b.nruns ? pg_strdup(b.commits[0]) : NULL;
		rep->notice = b.notice ? pg_strdup(b.notice) : NULL;
		*have = 1;
		pg_buf_addf(src,
		            "No gate report given (--report FILE): the "
		            "verdicts were recomputed from stored results, "
		            "%.12s against its default baseline.",
		            c->sha);
	}
	gate_baseline_release(&b);
	result_runs_free(runs, n);
	free(warning);
	return err;
}
