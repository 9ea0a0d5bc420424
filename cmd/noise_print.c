/*
 * How `perfgate noise` prints its figures: an aligned text table for a
 * terminal (Markdown with --format markdown, for a PR or a wiki), the
 * advice, the benchmarks too noisy to gate on wall time here, and a
 * snippet to paste into perfgate.json.
 */
#include "cmd/noise.h"
#include "util/printable.h"
#include "model/result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const heads[] = {"benchmark",
                                    "pairs",
                                    "CV",
                                    "lag-1",
                                    "outliers",
                                    "A/A spread",
                                    "A/A offset (95% CI)",
                                    "theta",
                                    "MDE90",
                                    "advice: theta",
                                    "advice: pairs"};
#define NCOLS (sizeof(heads) / sizeof(heads[0]))

/* The cells of one row, formatted; cells[0] is the name (borrowed). */
struct cells {
	char buf[NCOLS][64];
	const char *name;
};

static void row_cells(struct cells *c, const struct noise_row *r)
{
	snprintf(c->buf[1], 64, "%zu", r->pairs);
	snprintf(c->buf[2], 64, "%.2f%%", 100 * r->cv);
	snprintf(c->buf[3], 64, "%+.2f", r->lag1);
	snprintf(c->buf[4], 64, "%.1f%%", 100 * r->outlier_rate);
	snprintf(c->buf[5], 64, "%.2f%%", 100 * r->spread);
	snprintf(c->buf[6], 64, "%+.2f%% (%+.2f%%, %+.2f%%)", 100 * r->offset,
	         100 * r->off_low, 100 * r->off_high);
	snprintf(c->buf[7], 64, "%.1f%%", 100 * r->theta);
	snprintf(c->buf[8], 64, "%.2f%%", 100 * r->mde90);
	snprintf(c->buf[9], 64, "%.1f%%", 100 * r->rec_theta);
	if (r->rec_pairs)
		snprintf(c->buf[10], 64, "%zu", r->rec_pairs);
	else
		snprintf(c->buf[10], 64, "> %d", NOISE_PAIRS_MAX);
}

static int has_figures(const struct noise_row *r)
{
	return !r->error && r->pairs;
}

static void print_name(const struct noise_row *r, int width)
{
	int other = strcmp(r->metric, RESULT_WALL_TIME) != 0;
	/* names are user text: controls escaped (util/printable.h) */
	const char *name = pg_printable(r->name);
	int len = (int)strlen(name);

	if (other)
		len += (int)strlen(r->metric) + 3;
	printf("%s%s%s%s%*s", name, other ? " (" : "", other ? r->metric : "",
	       other ? ")" : "", width > len ? width - len : 0, "");
}

static int name_width(const struct noise_row *rows, size_t n)
{
	int w = (int)strlen(heads[0]);
	size_t i;

	for (i = 0; i < n; i++) {
		int len = (int)strlen(rows[i].name);

		if (strcmp(rows[i].metric, RESULT_WALL_TIME))
			len += (int)strlen(rows[i].metric) + 3;
		if (len > w)
			w = len;
	}
	return w;
}

/* Each column as wide as its widest cell. */
static void col_widths(int w[NCOLS], const struct noise_row *rows, size_t n)
{
	struct cells c;
	size_t i, j;

	for (j = 0; j < NCOLS; j++)
		w[j] = (int)strlen(heads[j]);
	w[0] = name_width(rows, n);
	for (i = 0; i < n; i++) {
		if (!has_figures(&rows[i]))
			continue;
		row_cells(&c, &rows[i]);
		for (j = 1; j < NCOLS; j++)
			if ((int)strlen(c.buf[j]) > w[j])
				w[j] = (int)strlen(c.buf[j]);
	}
}

static void print_text(const struct noise_row *rows, size_t n)
{
	int w[NCOLS];
	size_t i, j;
	struct cells c;

	col_widths(w, rows, n);
	printf("%-*s", w[0], heads[0]);
	for (j = 1; j < NCOLS; j++)
		printf("  %*s", w[j], heads[j]);
	printf("\n");
	for (i = 0; i < n; i++) {
		print_name(&rows[i], w[0]);
		if (!has_figures(&rows[i])) {
			printf("  failed: %s\n",
			       pg_printable(rows[i].error ? rows[i].error
			                                  : NOISE_NO_PAIRS));
			continue;
		}
		row_cells(&c, &rows[i]);
		for (j = 1; j < NCOLS; j++)
			printf("  %*s", w[j], c.buf[j]);
		printf("\n");
	}
}

static void print_markdown(const struct noise_row *rows, size_t n)
{
	size_t i, j;
	struct cells c;

	printf("|");
	for (j = 0; j < NCOLS; j++)
		printf(" %s |", heads[j]);
	printf("\n|");
	for (j = 0; j < NCOLS; j++)
		printf("---|");
	printf("\n");
	for (i = 0; i < n; i++) {
		printf("| ");
		print_name(&rows[i], 0);
		if (!has_figures(&rows[i])) {
			printf(" | failed: %s |\n",
			       pg_printable(rows[i].error ? rows[i].error
			                                  : NOISE_NO_PAIRS));
			continue;
		}
		row_cells(&c, &rows[i]);
		for (j = 1; j < NCOLS; j++)
			printf(" | %s", c.buf[j]);
		printf(" |\n");
	}
}

/* "pairs": [...] with the session's number of looks, evenly spread up to
 * last, as the default 10, 20, 30 is. */
static void print_looks(long last, size_t looks)
{
	size_t i;
	long prev = 0;

	printf("\"pairs\": [");
	for (i = 0; i < looks; i++) {
		long p = (long)ceil((double)last * (double)(i + 1) /
		                    (double)looks);

		if (p <= prev || p < 3)
			continue;
		printf("%s%ld", prev ? ", " : "", p);
		prev = p;
	}
	printf("]");
}

/* The snippets to paste, and the benchmarks no snippet can help. */
static void print_snippet(const struct noise_row *rows, size_t n,
                          const struct noise_heading *s)
{
	double theta = 0, cur = 0;
	size_t i, pairs = 0, shown = 0, noisy = 0;

	for (i = 0; i < n; i++) {
		const struct noise_row *r = &rows[i];

		if (!has_figures(r))
			continue;
		shown++;
		if (r->rec_theta > NOISE_TOO_NOISY) {
			if (!noisy++)
				printf("\n");
			printf("%s is too noisy here to gate below %.1f%% on "
			       "%s (A/A spread %.2f%%):\n  consider "
			       "\"metrics\": "
			       "[\"instructions\"] (docs/instructions.md) or a "
			       "quieter runner\n",
			       r->name, 100 * r->rec_theta, r->metric,
			       100 * r->spread);
			continue;
		}
		if (r->rec_theta > theta)
			theta = r->rec_theta;
		if (r->theta > cur)
			cur = r->theta;
		if (!r->rec_pairs || r->rec_pairs > pairs)
			pairs = r->rec_pairs ? r->rec_pairs : NOISE_PAIRS_MAX;
	}
	if (!shown || noisy == shown)
		return;
	printf("\nPaste into perfgate.json, either the threshold this machine "
	       "can gate at\nwith %ld pairs:\n  \"threshold\": \"%.1f%%\", ",
	       s->pairs, 100 * theta);
	print_looks(s->pairs, s->looks);
	printf("\nor theta %.1f%% with the pairs that catch %gx it 90%% of the "
	       "time:\n  \"threshold\": \"%.1f%%\", ",
	       100 * cur, NOISE_TARGET_FACTOR, 100 * cur);
	print_looks((long)pairs, s->looks);
	printf("\n");
}

void noise_print(const struct noise_row *rows, size_t n,
                 const struct noise_heading *s, int markdown)
{
	printf("A/A paired noise, %ld pairs per benchmark; MDE90 and advice "
	       "for %zu look%s up to %ld pairs, alpha %g (%.3g at the last "
	       "look)\n\n",
	       s->pairs, s->looks, s->looks == 1 ? "" : "s", s->pairs, s->alpha,
	       s->alpha_last);
	if (markdown)
		print_markdown(rows, n);
	else
		print_text(rows, n);
	printf("\nadvice: theta is the smallest %.1f%% step the last look can "
	       "tell from noise\n(and twice any A/A offset); pairs is the "
	       "fewest that catch %gx theta 90%% of the time.\n",
	       100 * NOISE_THETA_STEP, NOISE_TARGET_FACTOR);
	print_snippet(rows, n, s);
}
