#include "stats/verdict.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "util/error.h"
#include "util/mem.h"

const char *stats_verdict_name(enum stats_verdict v)
{
	switch (v) {
	case STATS_REGRESSION:
		return "regression";
	case STATS_IMPROVEMENT:
		return "improvement";
	case STATS_UNCHANGED:
		return "unchanged";
	case STATS_INCONCLUSIVE:
		return "inconclusive";
	}
	return "unknown";
}

const char *stats_correction_name(enum stats_correction c)
{
	switch (c) {
	case STATS_CORRECTION_BH:
		return "benjamini-hochberg";
	case STATS_CORRECTION_HOLM:
		return "holm";
	case STATS_CORRECTION_NONE:
		return "none";
	}
	return "unknown";
}

int stats_correction_parse(enum stats_correction *out, const char *s)
{
	if (!strcmp(s, "benjamini-hochberg") || !strcmp(s, "bh") ||
	    !strcmp(s, "fdr"))
		*out = STATS_CORRECTION_BH;
	else if (!strcmp(s, "holm"))
		*out = STATS_CORRECTION_HOLM;
	else if (!strcmp(s, "none"))
		*out = STATS_CORRECTION_NONE;
	else
		return pg_error_input("unknown correction '%s' (expected "
		                      "benjamini-hochberg, holm or none)",
		                      s);
	return 0;
}

/*
 * BH: p_(i) * m / i, made monotone from the largest p down.  Holm:
 * p_(i) * (m - i + 1), made monotone from the smallest p up.  idx holds
 * the m finite entries in ascending order of p.
 */
static void adjust_sorted(double *out, const double *p, const size_t *idx,
                          size_t m, enum stats_correction c)
{
	double run;
	size_t i;

	if (c == STATS_CORRECTION_BH) {
		run = 1;
		for (i = m; i-- > 0;) {
			double v = p[idx[i]] * (double)m / (double)(i + 1);

			run = v < run ? v : run;
			out[idx[i]] = run;
		}
		return;
	}
	run = 0;
	for (i = 0; i < m; i++) {
		double v = p[idx[i]] * (double)(m - i);

		v = v > 1 ? 1 : v;
		run = v > run ? v : run;
		out[idx[i]] = run;
	}
}

int stats_adjust(double *p_adjusted, const double *p, size_t n,
                 enum stats_correction c)
{
	double *fin;
	size_t *idx, *pos, i, m = 0;

	for (i = 0; i < n; i++)
		if (!isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1))
			return pg_error_input("p-value %zu ('%g') is not "
			                      "between 0 and 1",
			                      i + 1, p[i]);
	fin = pg_malloc((n ? n : 1) * sizeof(*fin));
	pos = pg_malloc((n ? n : 1) * sizeof(*pos));
	idx = pg_malloc((n ? n : 1) * sizeof(*idx));
	for (i = 0; i < n; i++) {
		if (!isnan(p[i])) {
			pos[m] = i;
			fin[m++] = p[i];
		}
		if (p_adjusted != p)
			p_adjusted[i] = p[i];
	}
	if (c != STATS_CORRECTION_NONE && m) {
		double *adj = pg_malloc(m * sizeof(*adj));

		gsl_sort_index(idx, fin, 1, m);
		adjust_sorted(adj, fin, idx, m, c);
		for (i = 0; i < m; i++)
			p_adjusted[pos[i]] = adj[i];
		free(adj);
	}
	free(idx);
	free(pos);
	free(fin);
	return 0;
}

static void say(char *why, size_t len, const char *fmt, ...) PG_PRINTF(3, 4);

static void say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!why || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

enum stats_verdict stats_classify(const struct stats_comparison *c,
                                  double p_adjusted, double p_better_adjusted,
                                  const struct stats_compare_opts *o, char *why,
                                  size_t why_len)
{
	double t = o->threshold;
	double alpha = o->alpha * (c->alpha_scale > 0 ? c->alpha_scale : 1);

	if (c->drift) {
		say(why, why_len, "%s", c->note);
		return STATS_INCONCLUSIVE;
	}
	if (p_adjusted < alpha && c->estimate >= t) {
		say(why, why_len,
		    "%+.2f%% is significant (p=%.3g < %g) and at "
		    "least the threshold %.2f%%",
		    100 * c->estimate, p_adjusted, alpha, 100 * t);
		return STATS_REGRESSION;
	}
	if (p_better_adjusted < alpha && c->estimate <= -t) {
		say(why, why_len,
		    "%+.2f%% is significant (p=%.3g < %g) and at "
		    "least the threshold %.2f%%",
		    100 * c->estimate, p_better_adjusted, alpha, 100 * t);
		return STATS_IMPROVEMENT;
	}
	if (c->ci_low > -t && c->ci_high < t) {
		say(why, why_len,
		    "the %g%% CI [%+.2f%%, %+.2f%%] lies inside "
		    "+-%.2f%%",
		    100 * c->confidence, 100 * c->ci_low, 100 * c->ci_high,
		    100 * t);
		return STATS_UNCHANGED;
	}
	if (c->too_few)
		say(why, why_len, "%s", c->note);
	else if (p_adjusted < alpha || p_better_adjusted < alpha)
		say(why, why_len,
		    "a significant change of %+.2f%%, below the threshold "
		    "%.2f%%, but the %g%% CI [%+.2f%%, %+.2f%%] reaches past "
		    "it",
		    100 * c->estimate, 100 * t, 100 * c->confidence,
		    100 * c->ci_low, 100 * c->ci_high);
	else
		say(why, why_len,
		    "not significant (p=%.3g) and the %g%% CI "
		    "[%+.2f%%, %+.2f%%] is wider than +-%.2f%%",
		    p_adjusted, 100 * c->confidence, 100 * c->ci_low,
		    100 * c->ci_high, 100 * t);
	return STATS_INCONCLUSIVE;
}
