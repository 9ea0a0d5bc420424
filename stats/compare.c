#include "stats/compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/describe.h"
#include "stats/effect.h"
#include "stats/ranktest.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

void stats_compare_opts_init(struct stats_compare_opts *o, int paired)
{
	memset(o, 0, sizeof(*o));
	o->paired = paired;
	o->alpha = PG_DEFAULT_ALPHA;
	o->threshold =
	        paired ? PG_DEFAULT_THRESHOLD_PAIRED : PG_DEFAULT_THRESHOLD;
	o->confidence = PG_DEFAULT_CONFIDENCE;
	o->seed = PG_DEFAULT_SEED;
}

int stats_check_positive(const double *x, size_t n, const char *what)
{
	size_t i;

	if (!n)
		return pg_error_input("%s has no samples", what);
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]) || !(x[i] > 0))
			return pg_error_input("%s sample %zu ('%g') is not a "
			                      "finite positive number",
			                      what, i + 1, x[i]);
	return 0;
}

static int check_opts(const struct stats_compare_opts *o, size_t na, size_t nb)
{
	if (!(o->alpha > 0 && o->alpha < 1))
		return pg_error_input("alpha '%g' is not between 0 and 1",
		                      o->alpha);
	if (!(o->confidence > 0 && o->confidence < 1))
		return pg_error_input("confidence '%g' is not between 0 and 1",
		                      o->confidence);
	if (!(o->threshold >= 0) || !isfinite(o->threshold))
		return pg_error_input("threshold '%g' is negative",
		                      o->threshold);
	if (o->paired && na != nb)
		return pg_error_input("paired samples differ in length: "
		                      "baseline has %zu, candidate %zu",
		                      na, nb);
	return 0;
}

/* Smallest n with 2^-n <= alpha: what an exact signed-rank test needs. */
static size_t signrank_min_n(double alpha)
{
	size_t n = 1;

	while (ldexp(1.0, -(int)n) >= alpha && n < 64)
		n++;
	return n;
}

/* Smallest k with 1 / C(2k, k) <= alpha: Mann-Whitney, k per side. */
static size_t mwu_min_n(double alpha)
{
	size_t k = 1;
	double c = 2; /* C(2, 1) */

	while (1 / c >= alpha && k < 64) {
		c = c * (2.0 * k + 1) * (2.0 * k + 2) / ((k + 1.0) * (k + 1.0));
		k++;
	}
	return k;
}

static void explain_too_few(struct stats_comparison *c,
                            const struct stats_test *t, double alpha)
{
	size_t need;

	if (!strcmp(c->test, "wilcoxon-signed-rank")) {
		need = signrank_min_n(alpha);
		if (t->n_used < need)
			snprintf(
			        c->note, sizeof(c->note),
			        "too few samples: exact signed-rank needs n >= "
			        "%zu for alpha=%g (have %zu non-zero "
			        "differences)",
			        need, alpha, t->n_used);
		else
			snprintf(c->note, sizeof(c->note),
			         "too few distinct samples: with these ties "
			         "the smallest possible p is %.3g > alpha=%g",
			         c->min_p, alpha);
		return;
	}
	need = mwu_min_n(alpha);
	if (c->n_a < need || c->n_b < need)
		snprintf(c->note, sizeof(c->note),
		         "too few samples: mann-whitney u needs n >= %zu per "
		         "side for alpha=%g (have %zu and %zu)",
		         need, alpha, c->n_a, c->n_b);
	else
		snprintf(c->note, sizeof(c->note),
		         "too few distinct samples: the smallest possible p is "
		         "%.3g > alpha=%g",
		         c->min_p, alpha);
}

/* Drift: a lag-1 autocorrelation too large to be chance. */
int stats_drifts(double lag1, size_t n)
{
	double limit = STATS_DRIFT_Z / sqrt((double)n);

	if (limit < STATS_DRIFT_LAG1)
		limit = STATS_DRIFT_LAG1;
	return n >= STATS_DRIFT_MIN_N && lag1 > limit;
}

static void describe_sides(struct stats_comparison *c, const double *a,
                           size_t na, const double *b, size_t nb,
                           const double *d, const struct stats_compare_opts *o)
{
	struct stats_summary sa, sb;

	stats_describe(&sa, a, na);
	stats_describe(&sb, b, nb);
	c->median_a = sa.median;
	c->median_b = sb.median;
	c->outliers_a = sa.outliers_mild;
	c->outliers_b = sb.outliers_mild;
	/* interleaved pairs cancel a common drift: only d matters */
	c->lag1_a = o->paired ? stats_lag1(d, na) : sa.lag1;
	c->lag1_b = o->paired ? c->lag1_a : sb.lag1;
	if (o->paired && stats_drifts(c->lag1_a, na)) {
		c->drift = 1;
		snprintf(c->note, sizeof(c->note),
		         "the paired differences drift (lag-1 autocorrelation "
		         "%.2f)",
		         c->lag1_a);
	} else if (!o->paired &&
	           (stats_drifts(sa.lag1, na) || stats_drifts(sb.lag1, nb))) {
		int base = stats_drifts(sa.lag1, na);

		c->drift = 1;
		snprintf(c->note, sizeof(c->note),
		         "the %s samples drift (lag-1 autocorrelation %.2f)",
		         base ? "baseline" : "candidate",
		         base ? sa.lag1 : sb.lag1);
	}
}

/* Run the selected test and effect estimate on oriented logs x, y, d. */
static int run_test(struct stats_comparison *c, struct stats_test *t,
                    struct stats_interval *ci, const double *x, size_t nx,
                    const double *y, size_t ny, const double *d,
                    const struct stats_compare_opts *o)
{
	int err;

	if (o->paired && o->welch) {
		c->test = "paired-t";
		return stats_t1_test(t, ci, d, nx, o->confidence);
	}
	if (o->welch) {
		c->test = "welch-t";
		return stats_welch_test(t, ci, x, nx, y, ny, o->confidence);
	}
	if (o->paired) {
		c->test = "wilcoxon-signed-rank";
		if ((err = stats_signrank_test(t, d, nx)) < 0)
			return err;
		return stats_hl_paired(ci, d, nx, o->confidence);
	}
	c->test = "mann-whitney-u";
	if ((err = stats_mwu_test(t, x, nx, y, ny)) < 0)
		return err;
	return stats_hl_unpaired(ci, x, nx, y, ny, o->confidence);
}

/*
 * The standard error of the log effect as the test sees it, for the MDE
 * (stats/mde.h).  Rank tests: the normal-theory se from a robust spread
 * (scaled MAD, the sd when the MAD is 0), divided by sqrt(3/pi), their
 * asymptotic relative efficiency under normal noise.
 */
static void test_se(struct stats_comparison *c, const struct stats_test *t,
                    const double *x, size_t nx, const double *y, size_t ny,
                    const double *d, const struct stats_compare_opts *o)
{
	double are = sqrt(M_PI / 3), sx, sy;

	if (o->paired) {
		sx = stats_mad(d, nx);
		if (!(sx > 0))
			sx = stats_sd(d, nx);
		c->se = sx / sqrt((double)nx);
	} else {
		sx = stats_mad(x, nx);
		sy = stats_mad(y, ny);
		if (!(sx > 0) && !(sy > 0)) {
			sx = stats_sd(x, nx);
			sy = stats_sd(y, ny);
		}
		c->se = sqrt((sx * sx + sy * sy) / 2 *
		             (1 / (double)nx + 1 / (double)ny));
	}
	/* rank tests: Student's t on the t-test's df, which a simulation
	 * against the exact signed-rank test found closer than the normal
	 * at 10 to 30 pairs (docs/statistics.md) */
	c->df = t->df > 0   ? t->df
	        : o->paired ? (double)nx - 1
	                    : (double)(nx + ny) - 2;
	if (o->welch) {
		/* the t-tests' own se: sd, not the MAD */
		c->se = o->paired ? stats_sd(d, nx) / sqrt((double)nx)
		                  : sqrt(stats_sd(x, nx) * stats_sd(x, nx) /
		                                 (double)nx +
		                         stats_sd(y, ny) * stats_sd(y, ny) /
		                                 (double)ny);
		return;
	}
	c->se *= are;
}

static int compare_logs(struct stats_comparison *out, const double *x,
                        const double *y, const double *d, const double *a,
                        size_t na, const double *b, size_t nb,
                        const struct stats_compare_opts *o)
{
	struct stats_test t;
	struct stats_interval ci, boot;
	int err;

	if ((err = run_test(out, &t, &ci, x, na, y, nb, d, o)) < 0)
		return err;
	out->method = stats_method_name(t.method);
	out->statistic = t.statistic;
	out->p_value = t.p_value;
	out->p_better = t.p_other;
	out->min_p = t.min_p;
	out->estimate = expm1(ci.estimate);
	out->ci_low = expm1(ci.low);
	out->ci_high = expm1(ci.high);
	out->confidence = ci.confidence;
	describe_sides(out, a, na, b, nb, d, o);
	test_se(out, &t, x, na, y, nb, d, o);
	if (t.min_p >= o->alpha) {
		out->too_few = 1;
		explain_too_few(out, &t, o->alpha);
	}
	if (o->bootstrap) {
		/* the ratio oriented towards worse: swap for higher-better */
		err = o->higher_is_better
		              ? stats_bootstrap_ratio(&boot, b, nb, a, na,
		                                      o->paired, o->confidence,
		                                      o->bootstrap, o->seed)
		              : stats_bootstrap_ratio(&boot, a, na, b, nb,
		                                      o->paired, o->confidence,
		                                      o->bootstrap, o->seed);
		if (err < 0)
			return err;
		out->boot_low = boot.low;
		out->boot_high = boot.high;
	}
	return 0;
}

static void min_max(const double *x, size_t n, double *lo, double *hi)
{
	size_t i;

	*lo = *hi = x[0];
	for (i = 1; i < n; i++) {
		*lo = x[i] < *lo ? x[i] : *lo;
		*hi = x[i] > *hi ? x[i] : *hi;
	}
}

/* Deterministic samples: see "Deterministic samples" in compare.h. */
static int use_range(const double *a, size_t na, const double *b, size_t nb,
                     const struct stats_compare_opts *o)
{
	return o->deterministic ||
	       (na >= 2 && nb >= 2 && stats_is_constant(a, na) &&
	        stats_is_constant(b, nb));
}

/* The range comparison on oriented logs x (baseline) and y (candidate). */
static void compare_range(struct stats_comparison *out, const double *x,
                          const double *y, const double *a, size_t na,
                          const double *b, size_t nb,
                          const struct stats_compare_opts *o)
{
	struct stats_compare_opts unpaired = *o;
	double xlo, xhi, ylo, yhi, shift;

	min_max(x, na, &xlo, &xhi);
	min_max(y, nb, &ylo, &yhi);
	shift = stats_median(y, nb) - stats_median(x, na);
	out->test = "range";
	out->method = "exact";
	out->statistic = shift;
	out->p_value = ylo > xhi ? 0 : 1;
	out->p_better = yhi < xlo ? 0 : 1;
	out->min_p = 0;
	out->estimate = expm1(shift);
	out->ci_low = expm1(ylo - xhi);
	out->ci_high = expm1(yhi - xlo);
	out->confidence = 1;
	unpaired.paired = 0;
	describe_sides(out, a, na, b, nb, NULL, &unpaired);
	/* counts do not drift with time: a trend is a code change */
	out->drift = 0;
	out->note[0] = '\0';
}

int stats_compare(struct stats_comparison *out, const double *a, size_t na,
                  const double *b, size_t nb,
                  const struct stats_compare_opts *opts)
{
	double *x = NULL, *y = NULL, *d = NULL;
	double sign = opts->higher_is_better ? -1 : 1;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	out->boot_low = out->boot_high = NAN;
	out->se = out->df = NAN;
	if ((err = stats_check_positive(a, na, "baseline")) < 0 ||
	    (err = stats_check_positive(b, nb, "candidate")) < 0 ||
	    (err = check_opts(opts, na, nb)) < 0)
		return err;
	stats_init();
	out->n_a = na;
	out->n_b = nb;
	out->runs_a = 1;
	x = pg_malloc(na * sizeof(*x));
	y = pg_malloc(nb * sizeof(*y));
	for (i = 0; i < na; i++)
		x[i] = sign * log(a[i]);
	for (i = 0; i < nb; i++)
		y[i] = sign * log(b[i]);
	if (use_range(a, na, b, nb, opts)) {
		compare_range(out, x, y, a, na, b, nb, opts);
		goto out;
	}
	if (opts->paired) {
		d = pg_malloc(na * sizeof(*d));
		for (i = 0; i < na; i++)
			d[i] = y[i] - x[i];
	}
	err = compare_logs(out, x, y, d, a, na, b, nb, opts);
out:
	free(x);
	free(y);
	free(d);
	return err;
}
