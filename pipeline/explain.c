/*
 * Explaining one benchmark against a baseline commit, for `perfgate
 * explain` and the gate: see pipeline/explain.h.
 */
#include "pipeline/explain.h"
#include "pipeline/trees.h"
#include "store/repo.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One side: its config, root and the entry to run (harness filtered). */
struct side {
	struct config cfg;
	char *root; /* owned for an exported tree */
	struct config_bench entry;
	char **argv;
	char *shell;
};

static void side_release(struct side *s)
{
	runner_explain_entry_release(s->argv, s->shell);
	config_release(&s->cfg);
	free(s->root);
}

static int side_entry(struct side *s, const char *bench, int *filtered)
{
	const struct config_bench *cb = config_find_bench(&s->cfg, bench);

	if (!cb)
		return pg_error_input("no benchmark '%s' in '%s'", bench,
		                      s->cfg.path);
	if (cb->service)
		return pg_error_input("'%s' is a load test: explain profiles "
		                      "the benchmark's own process, not a "
		                      "service",
		                      bench);
	runner_explain_entry(&s->entry, &s->argv, &s->shell, filtered, cb,
	                     bench);
	return 0;
}

int pipeline_explain_bench(struct runner_explanation *e, int *filtered,
                           const struct pipeline_explain_req *req)
{
	struct pipeline_trees t;
	struct side base, cand;
	struct runner_explain_side bs, cs;
	int err;

	memset(&base, 0, sizeof(base));
	memset(&cand, 0, sizeof(cand));
	config_init(&base.cfg);
	pipeline_trees_init(&t, req->cfg, req->workdir, req->cancel);
	if (!req->quiet)
		fprintf(stderr, "perfgate: explain: baseline %.12s\n",
		        req->base_sha);
	if ((err = pipeline_trees_export(&t, req->store, req->base_sha, "base",
	                                 &base.root, &base.cfg)) < 0 ||
	    (err = pipeline_trees_config(&t, req->workdir, &cand.cfg)) < 0 ||
	    (err = side_entry(&cand, req->bench, filtered)) < 0 ||
	    (err = side_entry(&base, req->bench, filtered)) < 0)
		goto out;
	if (!req->quiet && (base.cfg.build_argv || base.cfg.build_shell))
		fprintf(stderr, "perfgate: explain: building both trees\n");
	if ((err = pipeline_trees_build(&t, &base.cfg, base.root)) < 0 ||
	    (err = pipeline_trees_build(&t, &cand.cfg, req->workdir)) < 0)
		goto out;
	if (!req->quiet)
		fprintf(stderr,
		        "perfgate: explain: '%s': %d plain runs a side, then "
		        "one under callgrind\n",
		        req->bench, PG_EXPLAIN_NATIVE_RUNS);
	bs.cb = &base.entry;
	bs.root = base.root;
	cs.cb = &cand.entry;
	cs.root = req->workdir;
	err = runner_explain(e, &bs, &cs, t.cancel);
out:
	side_release(&base);
	side_release(&cand);
	if (pipeline_trees_release(&t) < 0 && req->error)
		req->error(pg_error_last());
	return err;
}

void pipeline_explain_text(struct pg_buf *out,
                           const struct runner_explanation *e, size_t top,
                           double wall_change)
{
	double change = runner_explain_change(e);
	const char *stripped = runner_cg_stripped(&e->cand);
	size_t i;

	pg_buf_addstr(out, "why: ");
	runner_explain_why(out, e, top);
	pg_buf_addstr(out, "\ninstructions: ");
	runner_explain_add_count(out, e->base.total, 0);
	pg_buf_addstr(out, " -> ");
	runner_explain_add_count(out, e->cand.total, 0);
	if (e->base.total > 0)
		pg_buf_addf(out, " (%+.2f%%)", 100 * change / e->base.total);
	pg_buf_addf(out, "\n%-32s %14s %14s %7s %14s\n", "function",
	            "self change", "incl change", "share", "self after");
	for (i = 0; i < e->ndeltas && i < top; i++) {
		const struct runner_cg_delta *d = &e->deltas[i];
		double self = d->cand_self - d->base_self;

		pg_buf_addf(out, "%-32s %+14.0f %+14.0f ", d->name, self,
		            d->cand_incl - d->base_incl);
		if (change != 0)
			pg_buf_addf(out, "%6.0f%%", 100 * self / change);
		else
			pg_buf_addf(out, "%7s", "-");
		pg_buf_addf(out, " %14.0f%s%s\n", d->cand_self,
		            d->only_cand ? " new" : "",
		            d->only_base ? " gone" : "");
	}
	if (stripped)
		pg_buf_addf(out,
		            "note: '%s' has no function names (stripped, or "
		            "built without symbols): its counts cannot be "
		            "placed; build it with -g and without -s\n",
		            stripped);
	if (runner_explain_little(out, e, wall_change))
		pg_buf_addch(out, '\n');
}

static int row_explains(const struct report_row *row)
{
	return row->verdict == REPORT_REGRESSION && !row->informational &&
	       !row->explain;
}

/* Explain one row's benchmark; its text, or why not, into the row. */
static void explain_row(struct report_row *row,
                        const struct pipeline_explain_req *req)
{
	struct runner_explanation e;
	struct pg_buf text = PG_BUF_INIT;
	double wall = strcmp(row->metric, "wall_time") ? NAN : row->estimate;
	int filtered = 0;

	runner_explanation_init(&e);
	if (pipeline_explain_bench(&e, &filtered, req) < 0) {
		pg_buf_addf(&text, "why: not explained: %s\n", pg_error_last());
		fprintf(stderr, "perfgate: explain: '%s': %s\n", row->bench,
		        pg_error_last());
	} else {
		pipeline_explain_text(&text, &e, PG_DEFAULT_EXPLAIN_TOP, wall);
	}
	row->explain = pg_buf_detach(&text, NULL);
	runner_explanation_release(&e);
}

void pipeline_explain_report(struct report *rep, struct store *s,
                             const struct config *cfg,
                             const volatile sig_atomic_t *cancel,
                             void (*error)(const char *msg))
{
	struct pipeline_explain_req req = {0};
	time_t t0 = time(NULL);
	size_t i, j, done = 0;

	char head[41];

	if (!rep->base_commit || !s || !store_workdir(s))
		return;
	if (!rep->cand_commit || store_resolve(s, "HEAD", head) < 0 ||
	    strcmp(head, rep->cand_commit)) {
		fprintf(stderr, "perfgate: explain: the candidate is not the "
		                "working tree's HEAD: nothing explained\n");
		return;
	}
	req.store = s;
	req.cfg = cfg;
	req.workdir = store_workdir(s);
	req.base_sha = rep->base_commit;
	req.cancel = cancel;
	req.error = error;
	for (i = 0; i < rep->nrows && !(cancel && *cancel); i++) {
		struct report_row *row = &rep->rows[i];

		if (!row_explains(row))
			continue;
		if (done == PG_EXPLAIN_MAX_BENCHES ||
		    difftime(time(NULL), t0) > PG_EXPLAIN_TIME_LIMIT_S) {
			fprintf(stderr,
			        "perfgate: explain: '%s' not explained: at "
			        "most "
			        "%d benchmarks and %.0f s per gate\n",
			        row->bench, PG_EXPLAIN_MAX_BENCHES,
			        PG_EXPLAIN_TIME_LIMIT_S);
			continue;
		}
		req.bench = row->bench;
		explain_row(row, &req);
		done++;
		/* one explanation serves every metric row of the benchmark */
		for (j = i + 1; j < rep->nrows; j++)
			if (!strcmp(rep->rows[j].bench, row->bench) &&
			    row_explains(&rep->rows[j]))
				rep->rows[j].explain = pg_strdup(row->explain);
	}
}
