#include "gate/method.h"
#include "util/buf.h"
#include "util/defaults.h"

/* The test that gave the verdicts. */
static void describe_test(struct pg_buf *b, const struct gate_method *m)
{
	if (m->paired)
		pg_buf_addstr(b, "Wilcoxon signed-rank on paired log ratios");
	else if (m->max_runs > 0)
		pg_buf_addf(b,
		            "run-level prediction interval: the newest level "
		            "of %s%zu baseline commits against the between-run "
		            "variance of up to %zu runs of history (successive "
		            "differences, moderated across the suite; at least "
		            "%d runs, else inconclusive), significant at alpha "
		            "x %g",
		            m->level_commits ? "up to " : "",
		            m->level_commits ? m->level_commits : m->max_runs,
		            m->max_runs, PG_STORED_MIN_RUNS,
		            PG_POOLED_ALPHA_SCALE);
	else
		pg_buf_addf(b, "%s on the newest baseline run",
		            m->nbase ? "range of ratios" : "no test");
}

char *gate_method_describe(const struct gate_method *m)
{
	struct pg_buf b = PG_BUF_INIT;

	describe_test(&b, m);
	pg_buf_addf(&b,
	            "; %s effect with %.4g%% CI; %s across %zu "
	            "gating comparisons; alpha %g; MDE at %g%% power",
	            m->max_runs > 0 ? "run-level" : "Hodges-Lehmann",
	            (1 - (1 - m->confidence) * m->spend) * 100,
	            stats_correction_name(m->correction), m->family, m->alpha,
	            100 * PG_MDE_POWER);
	if (m->spend < 1)
		pg_buf_addf(&b,
		            ", spent over sequential looks: this look tests "
		            "at %.3g",
		            m->alpha * m->spend);
	if (m->stress_pairs)
		pg_buf_addstr(&b, "; stress entries: one batch of ramp pairs, "
		                  "tested at the whole alpha (docs/stress.md)");
	if (m->instructions)
		pg_buf_addf(&b,
		            "; instructions: deterministic counts compared by "
		            "the range of their ratios with the newest "
		            "baseline commit (default theta %g%%); they miss "
		            "memory-bound and I/O slowdowns",
		            100 * PG_DEFAULT_THRESHOLD_INSTRUCTIONS);
	if (m->load)
		pg_buf_addstr(&b, "; load tests: error rates on request "
		                  "counts, percentiles of raw latencies by "
		                  "bootstrap where runs are too few "
		                  "(docs/load.md)");
	return pg_buf_detach(&b, NULL);
}
