/*
 * stress.h - what a stress ramp says about a service (docs/stress.md):
 * whether each level meets its SLO with confidence, and the capacity.
 *
 * A level's SLO is a list of objectives: a latency quantile within a
 * limit, or the error rate within a limit.  Each objective gets a
 * one-sided confidence interval and is compared with its limit:
 *
 *   latency quantile  distribution-free order-statistic bounds
 *                     (stats_quantile_lower_bound/_upper_bound): the
 *                     number of raw latencies below the true quantile is
 *                     Binomial(n, q);
 *   error rate        Wilson score bounds on failures / requests.
 *
 * A level HOLDS when every objective's upper bound is within its limit,
 * is BROKEN ("clearly broken") when some objective's lower bound is
 * beyond it, or when the service crashed, and is UNCLEAR otherwise.
 * Without raw latencies (a tool that reports only its percentiles) or
 * counts, the reported value stands for both bounds: a point estimate,
 * without confidence.
 */
#ifndef PG_STATS_STRESS_H
#define PG_STATS_STRESS_H

#include <stddef.h>

/* One objective of an SLO: quantile in (0, 1), or -1 for the error rate. */
struct stats_slo {
	double quantile;
	double limit; /* seconds, or a fraction for the error rate */
};

/* What one level measured (nothing is owned). */
struct stats_stress_level {
	double level; /* the concurrency or rate */
	double throughput; /* requests per second; NAN when unknown */
	const double *lat; /* raw latencies (s), NULL when none */
	size_t n;
	/* per objective: the tool's own value where lat or the counts are
	 * missing (NAN: unknown) */
	const double *reported;
	double requests, failures; /* NAN when unknown */
	int crashed; /* the service exited or stopped answering */
};

enum stats_stress_state {
	STATS_STRESS_HOLDS,
	STATS_STRESS_UNCLEAR,
	STATS_STRESS_BROKEN,
};

struct stats_stress_eval {
	enum stats_stress_state state;
	/* the largest bound / limit over the objectives: upper, lower */
	double high, low;
	int errors_broken; /* the error rate's lower bound is beyond it */
	int point; /* some objective had no interval (point estimate) */
};

/*
 * Judge level l against the nslo objectives of slo at level confidence
 * (one-sided bounds).  Returns 0, or PG_EINPUT for an objective that is
 * not a quantile in (0, 1) or -1, or a non-positive limit.
 */
int stats_stress_eval_level(struct stats_stress_eval *out,
                            const struct stats_stress_level *l,
                            const struct stats_slo *slo, size_t nslo,
                            double confidence);

/*
 * The capacity of a ramp of n levels (increasing) with their evaluations:
 * the last level h of the run of levels that hold from the first one
 * (a level that does not hold ends it, even if a later one holds again).
 * Between h and the next level b, the capacity is interpolated linearly
 * in the worst ratio "upper bound / limit" (ev.high), to the point where
 * it reaches 1: f = (1 - high_h) / (high_b - high_h), clamped to [0, 1]
 * (0 when high_b is not finite, as after a crash).  capacity_level =
 * L_h + f (L_b - L_h); capacity = T_h + f (T_b - T_h), but never below
 * T_h (the throughput the last holding level did reach).  No level
 * holds: both 0.  Every level holds: the last one's, with reached_end 1
 * (the ramp did not find the limit: a lower bound of the capacity).
 */
struct stats_stress_capacity {
	double capacity; /* requests per second */
	double capacity_level; /* concurrency or rate */
	double fraction; /* f */
	size_t holding; /* levels in the holding run from the first */
	int reached_end;
};
void stats_stress_capacity(struct stats_stress_capacity *out,
                           const struct stats_stress_level *lv,
                           const struct stats_stress_eval *ev, size_t n);

/*
 * How a ramp failed, by severity: the values of the metric
 * "failure_mode" (one per ramp).
 */
enum stats_failure_mode {
	STATS_FAILURE_UNBROKEN, /* the SLO never clearly broke */
	STATS_FAILURE_GRACEFUL, /* latency broke it; errors bounded or 429/503
	                         */
	STATS_FAILURE_ERRORS, /* errors broke it */
	STATS_FAILURE_CRASH, /* the service exited or stopped answering */
};

/* "unbroken", "graceful", "errors", "crash"; "unknown" out of range. */
const char *stats_failure_mode_name(double severity);

/*
 * The failure mode of a ramp whose last level was last (NULL: none ran),
 * where that level's failures included shed 429/503 answers: crash when
 * crashed; errors when the load itself failed (load_failed) or when the
 * error rate clearly broke its objective with failures other than 429
 * and 503; graceful when the last level is otherwise broken; unbroken.
 */
enum stats_failure_mode
stats_stress_failure_mode(const struct stats_stress_level *last,
                          const struct stats_stress_eval *eval, double shed,
                          int load_failed);

#endif
