/* Sparklines and Mermaid charts for Markdown; see markdown_charts.h. */
#include "reporters/markdown_charts.h"
#include "reporters/spark.h"
#include "reporters/text.h"
#include "stats/describe.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of a name inside a Mermaid title. */
#define MD_CHART_NAME_CAP 60

int report_md_has_trends(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].ntrend)
			return 1;
	return 0;
}

void report_md_sparkline(struct pg_buf *b, const struct report_row *row)
{
	size_t n = row->ntrend < PG_DEFAULT_SPARK_POINTS
	                   ? row->ntrend
	                   : PG_DEFAULT_SPARK_POINTS;

	spark_unicode(b, row->trend + row->ntrend - n, n);
}

int report_md_wants_chart(const struct report_row *row)
{
	return (row->verdict == REPORT_REGRESSION ||
	        row->verdict == REPORT_OVER_BUDGET) &&
	       row->nbase_samples && row->ncand_samples;
}

void report_md_mermaid_text(struct pg_buf *b, const char *s, size_t cap)
{
	size_t n = 0;

	for (; s && *s; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (n >= cap && (c & 0xC0) != 0x80) {
			pg_buf_addstr(b, "...");
			return;
		}
		if (c == '"' || c == '`')
			pg_buf_addch(b, '\'');
		else if (c < 0x20 || c == 0x7F || c == '#' || c == ';')
			pg_buf_addch(b, ' ');
		else
			pg_buf_addch(b, (char)c);
	}
}

static void series(struct pg_buf *b, const char *kind, const double *y,
                   size_t n, double factor)
{
	size_t i;

	pg_buf_addf(b, "    %s [", kind);
	for (i = 0; i < n; i++)
		pg_buf_addf(b, "%s%.4g", i ? ", " : "", y[i] * factor);
	pg_buf_addstr(b, "]\n");
}

/* k quantiles (type 7) of x[0..n), at 0, 1/(k-1), ..., 1. */
static void quantiles(double *q, size_t k, const double *x, size_t n)
{
	size_t i;

	for (i = 0; i < k; i++)
		q[i] = stats_quantile(
		        x, n, k > 1 ? (double)i / (double)(k - 1) : 0.5);
}

static void head(struct pg_buf *b, const struct report_row *row,
                 const char *what)
{
	pg_buf_addstr(b, "```mermaid\nxychart-beta\n    title \"");
	report_md_mermaid_text(b, row->bench, MD_CHART_NAME_CAP);
	pg_buf_addch(b, ' ');
	report_md_mermaid_text(b, row->metric, MD_CHART_NAME_CAP);
	pg_buf_addf(b, ": %s\"\n", what);
}

static void sides_chart(struct pg_buf *b, const struct report_row *row)
{
	size_t n = row->nbase_samples > row->ncand_samples ? row->nbase_samples
	                                                   : row->ncand_samples;
	size_t i, k = n < 2 ? 2 : n < MD_CHART_POINTS ? n : MD_CHART_POINTS;
	double *qb = pg_malloc(k * sizeof(*qb)),
	       *qc = pg_malloc(k * sizeof(*qc));
	double factor, vmax = 0;
	const char *unit;

	quantiles(qb, k, row->base_samples, row->nbase_samples);
	quantiles(qc, k, row->cand_samples, row->ncand_samples);
	for (i = 0; i < k; i++)
		vmax = fmax(vmax, fmax(fabs(qb[i]), fabs(qc[i])));
	unit = spark_display_unit(report_str(row->unit, ""), vmax, &factor);
	head(b, row, "baseline (bars) vs candidate (line), sorted samples");
	pg_buf_addstr(b, "    x-axis \"percentile\" [");
	for (i = 0; i < k; i++)
		pg_buf_addf(b, "%s%.0f", i ? ", " : "",
		            100.0 * (double)i / (double)(k - 1));
	pg_buf_addstr(b, "]\n    y-axis \"");
	report_md_mermaid_text(b, row->metric, MD_CHART_NAME_CAP);
	pg_buf_addstr(b, " (");
	report_md_mermaid_text(b, unit, MD_CHART_NAME_CAP);
	pg_buf_addf(b, "), %s is better\"\n",
	            row->direction == RESULT_HIGHER_IS_BETTER ? "higher"
	                                                      : "lower");
	series(b, "bar", qb, k, factor);
	series(b, "line", qc, k, factor);
	pg_buf_addstr(b, "```\n");
	free(qb);
	free(qc);
}

/* Per-pair change cand / base - 1 in %, resampled to at most the cap. */
static void paired_chart(struct pg_buf *b, const struct report_row *row)
{
	size_t n = row->nbase_samples < row->ncand_samples ? row->nbase_samples
	                                                   : row->ncand_samples;
	double *d = pg_malloc(n * sizeof(*d)), *zero;
	struct spark_bucket *bk;
	size_t i, nb;

	for (i = 0; i < n; i++)
		d[i] = row->base_samples[i] > 0
		               ? 100 * (row->cand_samples[i] /
		                                row->base_samples[i] -
		                        1)
		               : 0;
	bk = spark_downsample(d, n, MD_CHART_POINTS, &nb);
	zero = pg_calloc(nb, sizeof(*zero));
	for (i = 0; i < nb; i++)
		d[i] = bk[i].median;
	head(b, row,
	     nb < n ? "per-pair change of the candidate (bars, medians of "
	              "consecutive pairs), 0 = no change (line)"
	            : "per-pair change of the candidate (bars), 0 = no "
	              "change (line)");
	pg_buf_addf(b, "    x-axis \"pair\" 1 --> %zu\n", n);
	pg_buf_addf(b, "    y-axis \"change (%%), %s\"\n",
	            row->direction == RESULT_HIGHER_IS_BETTER
	                    ? "higher is better"
	                    : "lower is better");
	series(b, "bar", d, nb, 1);
	series(b, "line", zero, nb, 1);
	pg_buf_addstr(b, "```\n");
	free(zero);
	free(bk);
	free(d);
}

void report_md_chart(struct pg_buf *b, const struct report_row *row, int paired)
{
	if (paired && row->nbase_samples == row->ncand_samples)
		paired_chart(b, row);
	else
		sides_chart(b, row);
}

void report_md_charts(struct pg_buf *b, const struct report *r,
                      const size_t *order, size_t max)
{
	int paired = r->mode && !strncmp(r->mode, "paired", 6);
	size_t i, shown = 0, left = 0;

	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[order[i]];

		if (!report_md_wants_chart(row))
			continue;
		if (shown == max) {
			pg_buf_addstr(b,
			              left++ ? ", " : "\nNo chart (at most ");
			if (left == 1)
				pg_buf_addf(b, "%zu per report) for: ", max);
			report_md_escape(b, row->bench, 0);
			continue;
		}
		if (!shown++)
			pg_buf_addstr(b, "\n#### Regressions\n");
		pg_buf_addch(b, '\n');
		report_md_chart(b, row, paired);
	}
	if (left)
		pg_buf_addstr(b, "; their numbers are in the table above and "
		                 "in the JSON report.\n");
}
