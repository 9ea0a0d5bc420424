/* The history alert's decision on one series; see history/alert.h. */
#include "history/alert.h"
#include "stats/effect.h"
#include "stats/ranktest.h"
#include "stats/select.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void history_alert_opts_init(struct history_alert_opts *o)
{
	memset(o, 0, sizeof(*o));
	stats_cp_opts_init(&o->cp);
	o->threshold = PG_DEFAULT_HISTORY_THRESHOLD;
	o->recent = PG_DEFAULT_HISTORY_RECENT;
	o->confidence = PG_DEFAULT_HISTORY_CONFIDENCE;
	o->online_min = PG_DEFAULT_HISTORY_ONLINE_MIN;
	o->online_max = PG_DEFAULT_HISTORY_ONLINE_MAX;
	o->online_reference = PG_DEFAULT_HISTORY_ONLINE_REFERENCE;
	o->online_alpha = PG_DEFAULT_HISTORY_ONLINE_ALPHA;
}

static double median_of(const double *x, size_t n)
{
	double *copy = pg_malloc(n * sizeof(*copy));
	double m;

	memcpy(copy, x, n * sizeof(*copy));
	m = stats_median_select(copy, n);
	free(copy);
	return m;
}

/*
 * The shift from logs lx[lo..k) to lx[k..hi) (raw values x for the
 * medians).  Returns 0, or PG_EINPUT when a side has fewer than 2 points.
 */
static int measure_shift(struct history_shift *s, const double *x,
                         const double *lx, size_t lo, size_t k, size_t hi,
                         double confidence)
{
	struct stats_test t;
	struct stats_interval ci;
	int err;

	if ((err = stats_welch_test(&t, &ci, lx + lo, k - lo, lx + k, hi - k,
	                            confidence)) < 0)
		return err;
	s->index = k;
	s->before = median_of(x + lo, k - lo);
	s->after = median_of(x + k, hi - k);
	s->shift = expm1(ci.estimate);
	s->ci_low = expm1(ci.low);
	s->ci_high = expm1(ci.high);
	return 0;
}

static int is_worse(const struct history_shift *s, enum result_direction dir,
                    double theta)
{
	if (dir == RESULT_HIGHER_IS_BETTER)
		return s->shift <= -theta / (1 + theta);
	return s->shift >= theta;
}

static void add_shift(struct history_shift **out, size_t *nout, size_t *alloc,
                      const struct history_shift *s)
{
	*out = pg_grow_array(*out, sizeof(**out), *nout + 1, alloc);
	(*out)[(*nout)++] = *s;
}

/* The start of the segment that holds point k - 1: the last change point
 * at or before it, else 0. */
static size_t segment_start(const struct stats_changepoint *cps, size_t ncps,
                            size_t k)
{
	size_t i, lo = 0;

	for (i = 0; i < ncps; i++)
		if (cps[i].index < k)
			lo = cps[i].index;
	return lo;
}

/* One online look: the newest k of lx[0..n) against the points before
 * them in their segment.  0 and *s filled when it passes. */
static int online_look(struct history_shift *s, const double *x,
                       const double *lx, size_t n, size_t k,
                       const struct stats_changepoint *cps, size_t ncps,
                       enum result_direction dir,
                       const struct history_alert_opts *o, double alpha)
{
	size_t lo = segment_start(cps, ncps, n - k), i;
	double *ref, *neu;
	struct stats_test t;
	int err;

	if (n - k - lo < o->online_reference)
		return -1;
	/* oriented so that up is worse, as stats/ranktest.h asks */
	ref = pg_malloc((n - lo) * sizeof(*ref));
	neu = ref + (n - k - lo);
	for (i = lo; i < n; i++)
		ref[i - lo] = dir == RESULT_HIGHER_IS_BETTER ? -lx[i] : lx[i];
	err = stats_mwu_test(&t, ref, n - k - lo, neu, k);
	free(ref);
	if (err < 0 || !(t.p_value <= alpha) ||
	    measure_shift(s, x, lx, lo, n - k, n, o->confidence) < 0 ||
	    !is_worse(s, dir, o->threshold)) {
		pg_error_clear();
		return -1;
	}
	s->p_value = t.p_value;
	s->later = k - 1;
	s->online = 1;
	return 0;
}

/* The online look of the newest points; see the header. */
static void online(struct history_shift **out, size_t *nout, size_t *alloc,
                   const double *x, const double *lx, size_t n,
                   const struct stats_changepoint *cps, size_t ncps,
                   enum result_direction dir,
                   const struct history_alert_opts *o)
{
	struct history_shift best, s;
	size_t k, i, looks;
	double score, best_score = 0;
	int found = 0;

	if (!o->online_max || o->online_max < o->online_min)
		return;
	looks = o->online_max - o->online_min + 1;
	/*
	 * Of the looks that pass, the split that explains the most: the
	 * largest standardised difference of log means, |d| sqrt(m k / (m +
	 * k)) (p-values of different k are not comparable: a longer look
	 * that includes one point from before the shift can have the
	 * smaller p).
	 */
	for (k = o->online_min; k <= o->online_max && k < n; k++) {
		size_t m = n - k - segment_start(cps, ncps, n - k);

		if (online_look(&s, x, lx, n, k, cps, ncps, dir, o,
		                o->online_alpha / (double)looks) < 0)
			continue;
		score = fabs(log1p(s.shift)) *
		        sqrt((double)(m * k) / (double)(m + k));
		if (!found || score > best_score) {
			best = s;
			best_score = score;
			found = 1;
		}
	}
	for (i = 0; found && i < *nout; i++)
		if ((*out)[i].index + PG_HISTORY_ALERT_SLACK >= best.index &&
		    (*out)[i].index <= best.index + PG_HISTORY_ALERT_SLACK)
			found = 0;
	if (found)
		add_shift(out, nout, alloc, &best);
}

int history_alert_find(struct history_shift **out, size_t *nout,
                       const double *x, size_t n, enum result_direction dir,
                       const struct history_alert_opts *o)
{
	struct stats_changepoint *cps = NULL;
	double *lx = pg_malloc((n ? n : 1) * sizeof(*lx));
	size_t i, ncps = 0, alloc = 0;
	int err = 0;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n && !err; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			err = pg_error_input("history: value %zu (%g) is not "
			                     "positive and finite",
			                     i, x[i]);
		else
			lx[i] = log(x[i]);
	if (err || (err = stats_changepoints(&cps, &ncps, lx, n, &o->cp)) < 0)
		goto out;
	for (i = 0; i < ncps; i++) {
		size_t k = cps[i].index;
		size_t lo = i ? cps[i - 1].index : 0;
		size_t hi = i + 1 < ncps ? cps[i + 1].index : n;
		struct history_shift s;

		if (k + o->recent < n || k - lo < 2 || hi - k < 2)
			continue;
		if (measure_shift(&s, x, lx, lo, k, hi, o->confidence) < 0) {
			pg_error_clear();
			continue;
		}
		s.later = n - 1 - k;
		s.p_value = cps[i].p_value;
		s.online = 0;
		if (is_worse(&s, dir, o->threshold))
			add_shift(out, nout, &alloc, &s);
	}
	online(out, nout, &alloc, x, lx, n, cps, ncps, dir, o);
out:
	free(cps);
	free(lx);
	return err;
}

void history_alert_known_range(const struct history_shift *s,
                               const struct history_alert_opts *o, size_t *lo,
                               size_t *hi)
{
	size_t back = PG_HISTORY_ALERT_SLACK + (s->online ? o->online_max : 0);

	*lo = s->index > back ? s->index - back : 0;
	*hi = s->index + PG_HISTORY_ALERT_SLACK;
}
