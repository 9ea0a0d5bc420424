/*
 * Paired mode on the command line: see cmd/paired.h.  The session is
 * pipeline/paired.h; this file shows it (the progress line, the looks, the
 * summary), writes the reports and picks the exit status.  SIGINT and
 * SIGTERM only set cmd_interrupted, which every wait polls, so the
 * session's scratch tree is removed on every way out.
 */
#include "cmd/paired.h"
#include "cmd/cmd.h"
#include "gate/paired.h"
#include "pipeline/paired.h"
#include "model/report.h"
#include "stats/describe.h"
#include "util/printable.h"
#include "util/clock.h"
#include "model/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The progress line: the entry's position in this look, and the pace so
 * far for the time left. */
struct paired_view {
	const struct pipeline_paired *s;
	int tty, shown;
	const char *last_bench;
	size_t pos, count;
	long pairs_done;
	double start; /* pg_now_s() at the first pair */
};

/*
 * "  [2/3] parse pair 4/10, ~12 s left": the entry's place among those
 * this look measures and the time left in the look, from the pace so far.
 */
static void progress(void *ctx, const char *bench, long pair, long total)
{
	struct paired_view *s = ctx;
	size_t after;
	long left;

	if (!s->pairs_done)
		s->start = pg_now_s();
	if (!s->last_bench || strcmp(s->last_bench, bench)) {
		s->pos++;
		s->last_bench = bench;
	}
	s->pairs_done++;
	if (!s->tty)
		return;
	after = s->count > s->pos ? s->count - s->pos : 0;
	fprintf(stderr, "\r\033[K  [%zu/%zu] %s ",
	        s->pos < s->count ? s->pos : s->count, s->count,
	        pg_printable(bench));
	if (pair)
		fprintf(stderr, "pair %ld/%ld", pair, total);
	else
		fprintf(stderr, "warmup pair");
	left = total - pair + (long)after * total;
	if (s->pairs_done > 1 && left > 0)
		fprintf(stderr, ", ~%.0f s left",
		        ceil((pg_now_s() - s->start) /
		             (double)(s->pairs_done - 1) * (double)left));
	fflush(stderr);
	s->shown = 1;
}

static void clear_progress(struct paired_view *s)
{
	if (s->shown)
		fputs("\r\033[K", stderr);
	s->shown = 0;
}

static void on_look(void *ctx, size_t look, size_t nlooks, long pairs,
                    size_t running)
{
	struct paired_view *s = ctx;

	clear_progress(s);
	/* the next look measures the undecided ones, from the first */
	s->count = running;
	s->pos = 0;
	s->last_bench = NULL;
	fprintf(stderr,
	        "perfgate: look %zu of %zu at %ld pairs: %zu benchmark%s "
	        "undecided%s\n",
	        look + 1, nlooks, pairs, running, running == 1 ? "" : "s",
	        running && look + 1 < nlooks ? ", measuring on" : "");
}

/*
 * One line per benchmark: pairs, both medians and the spread of the
 * ratios of its first metric (wall time, or a load test's primary one).
 */
static void print_summary(const struct pipeline_paired *s)
{
	size_t i;

	fprintf(stderr, "%-28s %5s %10s %10s %9s\n", "benchmark", "pairs",
	        "base", "cand", "spread%");
	for (i = 0; i < s->cand.nbenches; i++) {
		const struct result_bench *cb = &s->cand.benches[i];
		const struct result_bench *bb =
		        result_bench_find(&s->base, cb->name);
		const struct result_metric *cm =
		        cb->nmetrics ? &cb->metrics[0] : NULL;
		const struct result_metric *bm =
		        bb && cm ? result_metric_find(bb, cm->name) : NULL;
		char a[32], b[32];

		if (cb->error) {
			fprintf(stderr,
			        "%-28s FAILED: ", pg_printable(cb->name));
			fprintf(stderr, "%s\n", pg_printable(cb->error));
			continue;
		}
		/* ratios pair up only with one value a pair on each side */
		if (!cm || !bm || !cm->n || cm->n != bm->n ||
		    !result_metric_one_per_pair(cb, cm))
			continue;
		fprintf(stderr, "%-28s %5zu %10s %10s %9.2f\n",
		        pg_printable(cb->name), cm->n,
		        pg_format_value(a, sizeof(a),
		                        stats_median(bm->samples, bm->n),
		                        cm->unit),
		        pg_format_value(b, sizeof(b),
		                        stats_median(cm->samples, cm->n),
		                        cm->unit),
		        100 * paired_spread(bm, cm));
	}
}

static void on_error(void *ctx, const char *msg)
{
	cmd_error("%s", msg);
}

static int report(struct pipeline_paired *s, const struct pipeline_run_opts *ro,
                  const struct pipeline_gate_opts *go)
{
	struct report rep;
	int err, code;

	report_init(&rep);
	err = pipeline_paired_build_report(&rep, s, ro, go);
	code = err < 0 ? cmd_fail(err) : cmd_gate_finish(&rep, go, 0, NULL);
	report_release(&rep);
	return code;
}

/* No baseline commit: say so in every report, like a stored gate. */
static int report_nothing(struct pipeline_paired *s,
                          const struct pipeline_gate_opts *go)
{
	struct pipeline_gate_base base = {0};
	struct result_run empty;
	int code, err;

	result_run_init(&empty);
	if ((err = result_run_stamp(&empty, NULL)) < 0)
		return cmd_fail(err);
	base.notice = s->b.notice;
	code = cmd_gate_report(s->t.store, &s->cfg, &empty, 1, s->t.sha, &base,
	                       go, &s->rule.cmp, "paired");
	result_run_release(&empty);
	return code;
}

int cmd_gate_paired(const struct pipeline_run_opts *ro,
                    const struct pipeline_gate_opts *go,
                    const struct pipeline_paired_opts *po, const char *base_rev)
{
	struct pipeline_paired s;
	struct paired_view ui = {0};
	struct pipeline_paired_view view = {0};
	int err, code;

	view.ctx = &ui;
	view.progress = progress;
	view.look = on_look;
	view.error = on_error;
	view.run = cmd_run_view();
	view.cancel = &cmd_interrupted;
	ui.s = &s;
	ui.tty = isatty(STDERR_FILENO);
	pipeline_paired_init(&s, &view);
	if ((err = pipeline_paired_prepare(&s, ro, go, po, base_rev)) < 0)
		goto fail;
	ui.count = s.count;
	if (!s.b.start[0]) {
		code = report_nothing(&s, go);
		goto out;
	}
	if ((err = pipeline_paired_setup(&s, ro)) < 0)
		goto fail;
	err = pipeline_paired_measure(&s);
	clear_progress(&ui);
	if (err == PG_EINPUT || cmd_interrupted)
		goto fail;
	print_summary(&s);
	if (err < 0)
		goto fail;
	/* a run that could not be stored fails the gate after its reports */
	if (!ro->no_store)
		pipeline_paired_store(&s);
	code = report(&s, ro, go);
	if (s.t.save_error) {
		cmd_error("%s", s.t.save_error);
		code = PG_EXIT_RUNTIME;
	}
	goto out;
fail:
	clear_progress(&ui);
	if (cmd_interrupted && err != PG_EINPUT)
		err = pg_error_runtime("interrupted");
	code = cmd_fail(err);
out:
	pipeline_paired_release(&s);
	if (cmd_interrupted && code != PG_EXIT_INPUT)
		code = PG_EXIT_RUNTIME;
	return code;
}
