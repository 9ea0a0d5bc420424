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
		if (!is_worse(&s, dir, o->threshold))
			continue;
		*out = pg_grow_array(*out, sizeof(**out), *nout + 1, &alloc);
		(*out)[(*nout)++] = s;
	}
out:
	free(cps);
	free(lx);
	return err;
}
