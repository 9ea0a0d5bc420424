#include "stats/proportion.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

#include "stats/describe.h"
#include "util/error.h"

static int whole(double v)
{
	return v >= 0 && v == floor(v) && v < 9007199254740992.0;
}

static int check_counts(double x, double n)
{
	if (!whole(x) || !whole(n) || n == 0 || x > n)
		return pg_error_input("a proportion needs whole counts with 0 "
		                      "<= failures (%g) <= requests (%g) and "
		                      "requests > 0",
		                      x, n);
	return 0;
}

static int check_level(double confidence)
{
	if (!(confidence > 0 && confidence < 1))
		return pg_error_input("confidence %g is not between 0 and 1",
		                      confidence);
	return 0;
}

int stats_wilson_upper(double *out, double x, double n, double confidence)
{
	double z, p, z2n, centre, half;
	int err;

	if ((err = check_counts(x, n)) < 0 ||
	    (err = check_level(confidence)) < 0)
		return err;
	stats_init();
	z = gsl_cdf_ugaussian_Pinv(confidence);
	p = x / n;
	z2n = z * z / n;
	centre = p + z2n / 2;
	half = z * sqrt(p * (1 - p) / n + z2n / (4 * n));
	*out = fmin(1, (centre + half) / (1 + z2n));
	return 0;
}

int stats_clopper_pearson_upper(double *out, double x, double n,
                                double confidence)
{
	int err;

	if ((err = check_counts(x, n)) < 0 ||
	    (err = check_level(confidence)) < 0)
		return err;
	stats_init();
	*out = x == n ? 1 : gsl_cdf_beta_Pinv(confidence, x + 1, n - x);
	return 0;
}

static int check_two(double x1, double n1, double x2, double n2)
{
	int err;

	if ((err = check_counts(x1, n1)) < 0 ||
	    (err = check_counts(x2, n2)) < 0)
		return err;
	return 0;
}

int stats_fisher_greater(double *p, double x1, double n1, double x2, double n2)
{
	double k;
	int err;

	if ((err = check_two(x1, n1, x2, n2)) < 0)
		return err;
	if (n1 + n2 > STATS_FISHER_MAX_N)
		return pg_error_input("fisher's test takes at most %.0f "
		                      "requests in all",
		                      STATS_FISHER_MAX_N);
	stats_init();
	k = x1 + x2;
	/* X ~ Hypergeometric(k failures, n1 + n2 - k others, n2 drawn) */
	*p = x2 == 0 ? 1
	             : gsl_cdf_hypergeometric_Q((unsigned)(x2 - 1), (unsigned)k,
	                                        (unsigned)(n1 + n2 - k),
	                                        (unsigned)n2);
	/* the sum is computed, not a rounding-free probability */
	*p = fmin(1, fmax(0, *p));
	return 0;
}

int stats_score_greater(double *p, double x1, double n1, double x2, double n2)
{
	double pool, se;
	int err;

	if ((err = check_two(x1, n1, x2, n2)) < 0)
		return err;
	stats_init();
	pool = (x1 + x2) / (n1 + n2);
	se = sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2));
	*p = se > 0 ? gsl_cdf_ugaussian_Q((x2 / n2 - x1 / n1) / se) : 1;
	return 0;
}

int stats_prop_compare(struct stats_prop_test *out, double x1, double n1,
                       double x2, double n2)
{
	int err, exact;

	if ((err = check_two(x1, n1, x2, n2)) < 0)
		return err;
	exact = x1 + x2 <= STATS_PROP_EXACT_MAX &&
	        n1 + n2 <= STATS_FISHER_MAX_N;
	out->p_base = x1 / n1;
	out->p_cand = x2 / n2;
	out->diff = out->p_cand - out->p_base;
	out->method = exact ? "fisher" : "score";
	/* "better" is "worse" with the two sides swapped */
	if (exact) {
		if ((err = stats_fisher_greater(&out->p_value, x1, n1, x2,
		                                n2)) < 0 ||
		    (err = stats_fisher_greater(&out->p_better, x2, n2, x1,
		                                n1)) < 0)
			return err;
	} else {
		if ((err = stats_score_greater(&out->p_value, x1, n1, x2, n2)) <
		            0 ||
		    (err = stats_score_greater(&out->p_better, x2, n2, x1,
		                               n1)) < 0)
			return err;
	}
	return 0;
}
