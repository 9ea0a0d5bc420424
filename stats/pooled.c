#include "stats/pooled.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>

#include "stats/describe.h"
#include "stats/runvar.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

/* Oriented log median of x and the variance of that median. */
static void run_stats(double *med, double *var, const double *x, size_t n,
                      double sign)
{
	double *l = pg_malloc(n * sizeof(*l)), mad;
	size_t i;

	for (i = 0; i < n; i++)
		l[i] = sign * log(x[i]);
	*med = stats_median(l, n);
	mad = stats_mad(l, n);
	*var = M_PI / 2 * mad * mad / (double)n;
	free(l);
}

static int check_runs(const double *const *runs, const size_t *run_n,
                      size_t nruns)
{
	char what[64];
	size_t i;
	int err;

	if (!nruns)
		return pg_error_input("no baseline runs to compare with");
	for (i = 0; i < nruns; i++) {
		snprintf(what, sizeof(what), "baseline run %zu", i + 1);
		if ((err = stats_check_positive(runs[i], run_n[i], what)) < 0)
			return err;
	}
	return 0;
}

/*
 * The newest segment: the longest prefix m[0..n) (newest first) with no
 * level shift, found by binary segmentation: the split of m[0..n) into
 * m[0..s) and m[s..n) whose means differ most is a shift when they differ
 * by more than cutoff; then look again inside m[0..s).
 */
static size_t newest_segment(const double *m, size_t k, double cutoff)
{
	size_t n = k, s, best;

	while (n > 1) {
		double head = 0, total = 0, diff = 0;

		for (s = 0; s < n; s++)
			total += m[s];
		best = 0;
		for (s = 1; s < n; s++) {
			double d;

			head += m[s - 1];
			d = fabs(head / (double)s -
			         (total - head) / (double)(n - s));
			if (d > diff) {
				diff = d;
				best = s;
			}
		}
		if (diff <= cutoff)
			break;
		n = best;
	}
	return n;
}

/* Step 2: the level of the kept runs, the variance from the history. */
static void moments(struct stats_pooled_summary *s, const double *m,
                    const double *v, const int *keep)
{
	double *km = pg_malloc(s->k * sizeof(*km)), vw = 0;
	struct stats_runvar rv;
	size_t i, n = 0;

	for (i = 0; i < s->k; i++) {
		if (!keep[i])
			continue;
		km[n++] = m[i];
		vw += v[i];
	}
	s->kept = n;
	s->vw = vw / (double)n;
	s->centre = stats_mean(km, n);
	stats_runvar_estimate(&rv, m, s->k, s->cutoff);
	s->diffs = rv.diffs;
	s->dropped = rv.dropped;
	s->df = rv.df;
	s->var = rv.var;
	if (rv.diffs && s->var < s->vw)
		s->var = s->vw;
	free(km);
}

int stats_pooled_summarize(struct stats_pooled_summary *out,
                           const double *const *runs, const size_t *run_n,
                           size_t nruns, size_t nlevel,
                           const struct stats_compare_opts *opts)
{
	double sign = opts->higher_is_better ? -1 : 1, *m, *v, vw = 0, level;
	size_t i, seg;
	int err, *keep;

	memset(out, 0, sizeof(*out));
	if ((err = check_runs(runs, run_n, nruns)) < 0)
		return err;
	stats_init();
	m = pg_malloc(nruns * sizeof(*m));
	v = pg_malloc(nruns * sizeof(*v));
	keep = pg_malloc(nruns * sizeof(*keep));
	for (i = 0; i < nruns; i++) {
		run_stats(&m[i], &v[i], runs[i], run_n[i], sign);
		vw += v[i] / (double)nruns;
	}
	out->k = nruns;
	out->nlevel = nlevel && nlevel < nruns ? nlevel : nruns;
	out->cutoff = log1p(PG_POOLED_SHIFT_THETAS * opts->threshold);
	if (out->cutoff < 5 * sqrt(2 * vw))
		out->cutoff = 5 * sqrt(2 * vw);
	/* runs older than the newest level shift, then single runs off
	 * that level (a commit that regressed and was fixed); the newest
	 * run stays: the candidate inherits its level */
	seg = newest_segment(m, out->nlevel, out->cutoff);
	level = stats_median(m, seg);
	for (i = 0; i < out->nlevel; i++) {
		keep[i] = i == 0 ||
		          (i < seg && fabs(m[i] - level) <= out->cutoff);
		if (keep[i]) {
			out->samples += run_n[i];
			continue;
		}
		if (out->nexcluded < STATS_POOLED_MAX_NAMED) {
			out->excluded[out->nexcluded] = i;
			out->shift[out->nexcluded] = expm1(m[i] - level);
		}
		out->nexcluded++;
	}
	for (; i < nruns; i++)
		keep[i] = 0;
	moments(out, m, v, keep);
	free(m);
	free(v);
	free(keep);
	return 0;
}

static void fill(struct stats_comparison *out, const char *test, double shift,
                 double se, double df, const struct stats_compare_opts *o)
{
	double q = gsl_cdf_tdist_Qinv((1 - o->confidence) / 2, df);

	out->test = test;
	out->method = "parametric";
	if (se > 0) {
		out->statistic = shift / se;
		out->p_value = gsl_cdf_tdist_Q(out->statistic, df);
		out->p_better = gsl_cdf_tdist_P(out->statistic, df);
	} else {
		/* no spread at all (deterministic values): the shift is
		 * exact, and 0/0 must not turn "no change" into NaN */
		out->statistic = shift > 0   ? INFINITY
		                 : shift < 0 ? -INFINITY
		                             : 0;
		out->p_value = shift > 0 ? 0 : 1;
		out->p_better = shift < 0 ? 0 : 1;
	}
	out->min_p = 0;
	out->estimate = expm1(shift);
	out->ci_low = expm1(shift - q * se);
	out->ci_high = expm1(shift + q * se);
	out->confidence = o->confidence;
	out->too_few = 0;
	out->se = se;
	out->df = df;
}

/* Only the candidate run's drift matters: between-run shifts of the
 * baseline are what the run-level variance measures. */
static void candidate_drift(struct stats_comparison *out, size_t nb)
{
	out->note[0] = '\0';
	out->drift = stats_drifts(out->lag1_b, nb);
	if (out->drift)
		snprintf(out->note, sizeof(out->note),
		         "the candidate samples drift (lag-1 autocorrelation "
		         "%.2f)",
		         out->lag1_b);
}

/* "pooled 4 of 5 baseline runs; excluded run 3 (+24.8%), ..." */
static size_t describe_pool(char *buf, size_t len,
                            const struct stats_pooled_summary *s)
{
	size_t i, used;

	used = (size_t)snprintf(buf, len, "pooled %zu of %zu baseline run%s",
	                        s->kept, s->nlevel, s->nlevel == 1 ? "" : "s");
	for (i = 0; i < s->nexcluded && i < STATS_POOLED_MAX_NAMED; i++) {
		if (used >= len)
			return len;
		used += (size_t)snprintf(buf + used, len - used,
		                         "%s%zu (%+.1f%%)",
		                         i ? ", " : "; excluded run ",
		                         s->excluded[i] + 1, 100 * s->shift[i]);
	}
	if (s->nexcluded && used < len)
		used += (size_t)snprintf(
		        buf + used, len - used,
		        "%s: more than %.1f%% from the newest level",
		        s->nexcluded > STATS_POOLED_MAX_NAMED ? ", ..." : "",
		        100 * expm1(s->cutoff));
	return used < len ? used : len;
}

/*
 * Too little history to know the between-run variance: no test, so no
 * verdict from noise; the reason says what would decide.
 */
static void no_history(struct stats_comparison *out,
                       const struct stats_pooled_summary *s, double shift,
                       double df)
{
	out->test = "run-median-moderated";
	out->method = "parametric";
	out->statistic = NAN;
	out->p_value = out->p_better = NAN;
	out->min_p = 1;
	out->estimate = expm1(shift);
	out->ci_low = out->ci_high = NAN;
	out->se = out->df = NAN;
	out->too_few = 1;
	if (out->drift)
		return; /* the drift says more */
	if (s->k < PG_STORED_MIN_RUNS)
		snprintf(out->note, sizeof(out->note),
		         "%zu stored run%s of history on this runner: the "
		         "between-run variance needs at least %d; store a run "
		         "per push of the target branch, or use paired mode",
		         s->k, s->k == 1 ? "" : "s", PG_STORED_MIN_RUNS);
	else
		snprintf(out->note, sizeof(out->note),
		         "the between-run variance has %.1f df (fewer than "
		         "%g): the history is mostly steps; use paired mode",
		         df, PG_STORED_MIN_DF);
}

/* "; between-run sd 3.1% on 19.6 df (29 runs of history, ...)" */
static void describe_variance(char *buf, size_t len,
                              const struct stats_pooled_summary *s,
                              const struct stats_pooled_prior *prior, double s2,
                              double df)
{
	int n = snprintf(buf, len,
	                 "; between-run sd %.2f%% on %.1f df from %zu runs "
	                 "of history",
	                 100 * sqrt(s2), df, s->k);

	if (n < 0 || (size_t)n >= len)
		return;
	if (s->dropped)
		n += snprintf(buf + n, len - (size_t)n,
		              " (%zu difference%s left out as steps or off "
		              "runs)",
		              s->dropped, s->dropped == 1 ? "" : "s");
	if (n >= 0 && (size_t)n < len && prior && prior->df > 0)
		snprintf(buf + n, len - (size_t)n,
		         ", moderated with the suite's %.2f%% (%.1f df)",
		         100 * sqrt(prior->var), prior->df);
}

int stats_compare_pooled_prior(struct stats_comparison *out,
                               const double *const *runs, const size_t *run_n,
                               size_t nruns, size_t nlevel, const double *b,
                               size_t nb, const struct stats_compare_opts *opts,
                               const struct stats_pooled_prior *prior)
{
	struct stats_compare_opts o = *opts;
	struct stats_pooled_summary s;
	double sign = opts->higher_is_better ? -1 : 1, c, vc, d0, df, s2, se;
	size_t used;
	int err;

	o.paired = 0;
	o.welch = 0;
	if ((err = stats_pooled_summarize(&s, runs, run_n, nruns, nlevel, &o)) <
	    0)
		return err;
	/* the sample-level comparison with the newest run fills medians,
	 * outliers and checks the options; its test is never used */
	if ((err = stats_compare(out, runs[0], run_n[0], b, nb, &o)) < 0)
		return err;
	used = describe_pool(out->detail, sizeof(out->detail), &s);
	run_stats(&c, &vc, b, nb, sign);
	out->n_a = s.samples;
	out->runs_a = s.kept;
	out->median_a = exp(sign * s.centre);
	out->alpha_scale = PG_POOLED_ALPHA_SCALE;
	candidate_drift(out, nb);
	d0 = prior && prior->df > 0 ? prior->df : 0;
	df = d0 + s.df;
	if (s.k < PG_STORED_MIN_RUNS || df < PG_STORED_MIN_DF) {
		no_history(out, &s, c - s.centre, df);
		return 0;
	}
	s2 = (d0 * (d0 > 0 ? prior->var : 0) + s.df * s.var) / df;
	if (s2 < s.vw)
		s2 = s.vw;
	se = sqrt(s2 * (1 + 1 / (double)s.kept));
	fill(out, "run-median-moderated", c - s.centre, se, df, opts);
	describe_variance(out->detail + used, sizeof(out->detail) - used, &s,
	                  d0 > 0 ? prior : NULL, s2, df);
	return 0;
}

int stats_compare_pooled(struct stats_comparison *out,
                         const double *const *runs, const size_t *run_n,
                         size_t nruns, const double *b, size_t nb,
                         const struct stats_compare_opts *opts)
{
	return stats_compare_pooled_prior(out, runs, run_n, nruns, 0, b, nb,
	                                  opts, NULL);
}

int stats_compare_pooled_t(struct stats_comparison *out,
                           const double *const *runs, const size_t *run_n,
                           size_t nruns, const double *b, size_t nb,
                           const struct stats_compare_opts *opts)
{
	struct stats_compare_opts o = *opts;
	double sign = opts->higher_is_better ? -1 : 1, *m, vw = 0, c, vc, s2;
	double k = (double)nruns, mean;
	size_t i, total = 0;
	int err;

	o.paired = 0;
	o.welch = 0;
	if ((err = check_runs(runs, run_n, nruns)) < 0 ||
	    (err = stats_compare(out, runs[0], run_n[0], b, nb, &o)) < 0)
		return err;
	if (nruns == 1) {
		snprintf(out->detail, sizeof(out->detail),
		         "one baseline run: between-run variance unknown, "
		         "samples treated as independent");
		return 0;
	}
	m = pg_malloc(nruns * sizeof(*m));
	for (i = 0; i < nruns; i++) {
		double v;

		run_stats(&m[i], &v, runs[i], run_n[i], sign);
		vw += v / k;
		total += run_n[i];
	}
	run_stats(&c, &vc, b, nb, sign);
	mean = stats_mean(m, nruns);
	s2 = gsl_pow_2(stats_sd(m, nruns));
	s2 = s2 > vw ? s2 : vw;
	fill(out, "run-median-t", c - mean, sqrt(s2 * (1 + 1 / k)), k - 1,
	     opts);
	out->n_a = total;
	out->runs_a = nruns;
	out->median_a = exp(sign * mean);
	candidate_drift(out, nb);
	snprintf(out->detail, sizeof(out->detail),
	         "pooled all %zu baseline runs; between-run sd %.2f%% on %g "
	         "df",
	         nruns, 100 * sqrt(s2), k - 1);
	free(m);
	return 0;
}
