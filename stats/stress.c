/* Stress ramps: levels against an SLO, and the capacity (stress.h). */
#include "stats/stress.h"
#include "stats/describe.h"
#include "stats/proportion.h"
#include "stats/quantile.h"
#include "util/error.h"

#include <math.h>

/* Bounds of a latency quantile: order statistics, or the reported value. */
static int latency_bounds(double *lo, double *hi, int *point,
                          const struct stats_stress_level *l, size_t i,
                          double q, double confidence)
{
	int err;

	if (!l->lat || !l->n) {
		*lo = *hi = l->reported ? l->reported[i] : NAN;
		*point = 1;
		return 0;
	}
	if ((err = stats_quantile_lower_bound(lo, l->lat, l->n, q,
	                                      confidence)) < 0 ||
	    (err = stats_quantile_upper_bound(hi, l->lat, l->n, q,
	                                      confidence)) < 0)
		return err;
	return 0;
}

/* Wilson bounds of failures / requests: the lower one by symmetry. */
static int error_bounds(double *lo, double *hi, int *point,
                        const struct stats_stress_level *l, size_t i,
                        double confidence)
{
	double up_ok;
	int err;

	if (!(l->requests > 0) || isnan(l->failures)) {
		*lo = *hi = l->reported ? l->reported[i] : NAN;
		*point = 1;
		return 0;
	}
	if ((err = stats_wilson_upper(hi, l->failures, l->requests,
	                              confidence)) < 0 ||
	    (err = stats_wilson_upper(&up_ok, l->requests - l->failures,
	                              l->requests, confidence)) < 0)
		return err;
	*lo = fmax(0, 1 - up_ok);
	return 0;
}

int stats_stress_eval_level(struct stats_stress_eval *out,
                            const struct stats_stress_level *l,
                            const struct stats_slo *slo, size_t nslo,
                            double confidence)
{
	size_t i;
	int err;

	out->high = out->low = 0;
	out->errors_broken = out->point = 0;
	for (i = 0; i < nslo; i++) {
		double q = slo[i].quantile, lo, hi;

		if (!(slo[i].limit > 0) || !(q == -1 || (q > 0 && q < 1)))
			return pg_error_input("SLO objective %zu: quantile %g, "
			                      "limit %g",
			                      i + 1, q, slo[i].limit);
		err = q < 0 ? error_bounds(&lo, &hi, &out->point, l, i,
		                           confidence)
		            : latency_bounds(&lo, &hi, &out->point, l, i, q,
		                             confidence);
		if (err < 0)
			return err;
		/* an unknown value proves nothing either way */
		hi = isnan(hi) ? INFINITY : hi / slo[i].limit;
		lo = isnan(lo) ? 0 : lo / slo[i].limit;
		out->high = fmax(out->high, hi);
		out->low = fmax(out->low, lo);
		if (q < 0 && lo > 1)
			out->errors_broken = 1;
	}
	if (l->crashed) {
		out->high = out->low = INFINITY;
		out->state = STATS_STRESS_BROKEN;
	} else if (out->low > 1) {
		out->state = STATS_STRESS_BROKEN;
	} else {
		out->state = out->high <= 1 ? STATS_STRESS_HOLDS
		                            : STATS_STRESS_UNCLEAR;
	}
	return 0;
}

void stats_stress_capacity(struct stats_stress_capacity *out,
                           const struct stats_stress_level *lv,
                           const struct stats_stress_eval *ev, size_t n)
{
	const struct stats_stress_level *h, *b;
	double f = 0, t;
	size_t k = 0;

	while (k < n && ev[k].state == STATS_STRESS_HOLDS)
		k++;
	out->holding = k;
	out->reached_end = k == n && n > 0;
	out->fraction = 0;
	if (!k) {
		out->capacity = out->capacity_level = 0;
		return;
	}
	h = &lv[k - 1];
	out->capacity_level = h->level;
	out->capacity = isnan(h->throughput) ? 0 : h->throughput;
	if (k == n)
		return;
	b = &lv[k];
	if (isfinite(ev[k].high) && ev[k].high > ev[k - 1].high)
		f = (1 - ev[k - 1].high) / (ev[k].high - ev[k - 1].high);
	f = fmin(1, fmax(0, f));
	out->fraction = f;
	out->capacity_level = h->level + f * (b->level - h->level);
	t = h->throughput + f * (b->throughput - h->throughput);
	if (isfinite(t) && t > out->capacity)
		out->capacity = t;
}

const char *stats_failure_mode_name(double severity)
{
	static const char *const names[] = {"unbroken", "graceful", "errors",
	                                    "crash"};

	if (!(severity >= 0 && severity <= STATS_FAILURE_CRASH))
		return "unknown";
	return names[(int)severity];
}

enum stats_failure_mode
stats_stress_failure_mode(const struct stats_stress_level *last,
                          const struct stats_stress_eval *eval, double shed,
                          int load_failed)
{
	if (last && last->crashed)
		return STATS_FAILURE_CRASH;
	if (load_failed)
		return STATS_FAILURE_ERRORS;
	if (!last || eval->state != STATS_STRESS_BROKEN)
		return STATS_FAILURE_UNBROKEN;
	/* 429 and 503 are load shed on purpose: graceful */
	if (eval->errors_broken && !(shed >= last->failures))
		return STATS_FAILURE_ERRORS;
	return STATS_FAILURE_GRACEFUL;
}
