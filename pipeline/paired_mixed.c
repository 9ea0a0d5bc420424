/*
 * The entries a default (auto) paired gate cannot run in pairs: a soak, a
 * service on a fixed port, a directory outside the work
 * tree.  They are measured by a plain run against the stored baseline, and
 * their rows join the paired report with the reason.  See pipeline/paired.h.
 */
#include "pipeline/paired.h"
#include "pipeline/gate.h"
#include "pipeline/run.h"
#include "pipeline/target.h"
#include "gate/paired.h"
#include "runner/pairs.h"
#include "model/report.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static const long default_looks[PG_DEFAULT_NPAIRS] = PG_DEFAULT_PAIRS;

/* 1 when dir (may be NULL: the config's) lies outside the work tree. */
static int outside(const char *workdir, const char *dir)
{
	struct runner_pairs_opts po;
	char *mapped = NULL;
	int err;

	if (!dir)
		return 0;
	runner_pairs_opts_init(&po);
	po.cand_root = workdir;
	err = runner_pairs_map_path(&mapped, &po, "", dir);
	free(mapped);
	if (err < 0)
		pg_error_clear();
	return err < 0;
}

int pipeline_paired_unpairable(const struct config_bench *cb,
                               const char *workdir, struct pg_buf *why)
{
	if (cb->soak)
		pg_buf_addstr(why, "a soak is one long load per side");
	else if (cb->service && cb->service->port_mode == CONFIG_PORT_FIXED)
		pg_buf_addf(why,
		            "a fixed service port (%ld) cannot serve both "
		            "sides",
		            cb->service->port);
	else if (outside(workdir, cb->cwd))
		pg_buf_addf(why, "its cwd '%s' is outside the work tree",
		            cb->cwd);
	else if (cb->service && outside(workdir, cb->service->cwd))
		pg_buf_addf(why,
		            "its service's cwd '%s' is outside the work "
		            "tree",
		            cb->service->cwd);
	else
		return 0;
	return 1;
}

size_t pipeline_paired_split(const struct config *cfg, const char *workdir,
                             char *selected, char *stored, char ***names,
                             char ***whys)
{
	struct pg_buf why = PG_BUF_INIT;
	size_t i, n = 0;

	*names = *whys = NULL;
	for (i = 0; i < cfg->nbenches; i++) {
		stored[i] = 0;
		if (!selected[i] || !pipeline_paired_unpairable(
		                            &cfg->benches[i], workdir, &why))
			continue;
		selected[i] = 0;
		stored[i] = 1;
		*names = pg_realloc(*names, (n + 1) * sizeof(char *));
		*whys = pg_realloc(*whys, (n + 1) * sizeof(char *));
		(*names)[n] = pg_strdup(cfg->benches[i].name);
		(*whys)[n++] = pg_buf_detach(&why, NULL);
	}
	pg_buf_release(&why);
	return n;
}

/* The reason on every row of entry name (itself or "name/inner"). */
static void note_rows(struct report *rep, char *const *names, char *const *whys,
                      size_t n)
{
	size_t i, k, len;

	for (i = 0; i < rep->nrows; i++) {
		const char *bench = rep->rows[i].bench;

		for (k = 0; bench && k < n; k++) {
			len = strlen(names[k]);
			if (!strncmp(bench, names[k], len) &&
			    (bench[len] == '\0' || bench[len] == '/'))
				report_row_add_note(
				        &rep->rows[i],
				        "runs stored, not paired: %s", whys[k]);
		}
	}
}

int pipeline_paired_stored_part(struct report *rep,
                                const struct pipeline_run_opts *ro,
                                const struct pipeline_gate_opts *go,
                                const struct pipeline_run_view *view,
                                const char *mask, char *const *names,
                                char *const *whys, size_t n)
{
	struct pipeline_run_opts o = *ro;
	struct pipeline_gate_opts g = *go;
	struct config cfg;
	struct result_run run;
	struct pipeline_target t;
	struct gate_baseline b;
	struct pipeline_gate_base base;
	struct report part;
	struct pg_buf method = PG_BUF_INIT;
	int err;

	memset(&b, 0, sizeof(b));
	report_init(&part);
	fprintf(stderr,
	        "perfgate: %zu benchmark%s cannot run in pairs: measuring "
	        "against the stored baseline\n",
	        n, n == 1 ? "" : "s");
	o.mask = mask;
	o.open_store = 1;
	err = pipeline_run_suite(&o, &cfg, &run, &t, view);
	/* a benchmark that failed is an error row, not the end of the gate */
	if (err == PG_ERUNTIME && run.nbenches &&
	    !(view && view->cancel && *view->cancel))
		err = 0;
	/* the paired benchmarks are in the other part, not removed */
	g.cmp.partial = 1;
	if (!err)
		err = pipeline_gate_find_base(&b, &base, t.store, &run, 1,
		                              t.sha, &g);
	if (!err)
		err = pipeline_gate_build(&part, t.store, &cfg, &run, 1, t.sha,
		                          &base, &g, &g.cmp, "stored baseline");
	if (err)
		goto out;
	note_rows(&part, names, whys, n);
	report_take_rows(rep, &part,
	                 part.nrows && !base.nruns ? part.notice : NULL);
	pg_buf_addf(&method, "%s; benchmarks that run stored: %s",
	            rep->method ? rep->method : "",
	            part.method ? part.method : "stored baseline");
	free(rep->method);
	rep->method = pg_buf_detach(&method, NULL);
out:
	pg_buf_release(&method);
	report_release(&part);
	gate_baseline_release(&b);
	pipeline_target_release(&t);
	config_release(&cfg);
	result_run_release(&run);
	return err;
}

const long *pipeline_paired_looks(const struct pipeline_paired_opts *o,
                                  const struct config *cfg, size_t *n)
{
	if (o->nlooks) {
		*n = o->nlooks;
		return o->looks;
	}
	if (o->runs > 0) {
		*n = 1;
		return &o->runs;
	}
	if (cfg && cfg->npairs) {
		*n = cfg->npairs;
		return cfg->pairs;
	}
	*n = PG_DEFAULT_NPAIRS;
	return default_looks;
}

int pipeline_paired_session_id(char id[33])
{
	unsigned char rnd[16];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return pg_error_runtime("cannot make a session id: getrandom: "
		                        "%s",
		                        strerror(errno));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}
