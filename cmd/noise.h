/*
 * noise.h - the figures of `perfgate noise` and how they are printed
 * (cmd/noise_print.c): a text table on a terminal, Markdown on request,
 * then the advice and a config snippet to paste into perfgate.json.
 */
#ifndef PG_CMD_NOISE_H
#define PG_CMD_NOISE_H

#include <stddef.h>

/* theta is recommended in steps of this (0.5%) */
#define NOISE_THETA_STEP 0.005
/* pairs are recommended in steps of 10, up to 200 */
#define NOISE_PAIRS_STEP 10
#define NOISE_PAIRS_MAX 200
/* the slowdown, as a multiple of theta, that should be caught 90% */
#define NOISE_TARGET_FACTOR 1.5
/* a recommended theta above this is out of reach for timing: say so */
#define NOISE_TOO_NOISY 0.08
/* why a benchmark has no figures when it did not fail */
#define NOISE_NO_PAIRS                                                         \
	"fewer than 3 pairs with one positive value a side (wall time, or "    \
	"the first metric)"

/* One benchmark's figures; names are borrowed from the runs. */
struct noise_row {
	const char *name;
	const char *metric; /* what the figures are of */
	const char *error;
	size_t pairs;
	double cv, lag1, outlier_rate, spread, offset, off_low, off_high;
	double theta, mde90, rec_theta;
	size_t rec_pairs; /* 0: more than NOISE_PAIRS_MAX */
};

/*
 * How noise measured (pairs, looks, alpha), printed in the heading.  Not
 * a session: the paired session is struct pipeline_paired.
 */
struct noise_heading {
	long pairs;
	size_t looks;
	double alpha, alpha_last;
};

/*
 * Print the n rows to stdout: an aligned text table, or a Markdown table
 * when markdown is set; then the advice and the config snippet.
 */
void noise_print(const struct noise_row *rows, size_t n,
                 const struct noise_heading *s, int markdown);

#endif
