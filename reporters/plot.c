/* Sparklines of a walked history; see reporters/plot.h. */
#include "reporters/plot.h"
#include "reporters/spark.h"
#include "util/mem.h"
#include "model/units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The widest name, so that the sparklines line up. */
static size_t name_width(const struct history_series *h)
{
	size_t i, w = 0;

	for (i = 0; i < history_series_nseries(h); i++) {
		size_t n = strlen(history_series_line(h, i)->name);

		w = n > w ? n : w;
	}
	return w;
}

static void plot_series(struct pg_buf *b, const struct history_series *h,
                        const struct history_line *s, size_t width, int envs,
                        size_t nw)
{
	double *y = pg_malloc((s->n ? s->n : 1) * sizeof(*y));
	double lo = INFINITY, hi = -INFINITY;
	struct spark_bucket *bk;
	size_t i, nb;
	char a[64], z[64], last[64];

	for (i = 0; i < s->n; i++) {
		y[i] = history_series_row(h, s->rows[s->n - 1 - i])->median;
		lo = fmin(lo, y[i]);
		hi = fmax(hi, y[i]);
	}
	bk = spark_downsample(y, s->n, width, &nb);
	for (i = 0; i < nb; i++)
		y[i] = bk[i].median;
	pg_buf_addf(b, "%-*s ", (int)nw, s->name);
	spark_unicode(b, y, nb);
	pg_buf_addf(b, "  %s .. %s, newest %s (%zu commit%s",
	            pg_format_value(a, sizeof(a), lo, s->unit),
	            pg_format_value(z, sizeof(z), hi, s->unit),
	            pg_format_value(last, sizeof(last),
	                            history_series_row(h, s->rows[0])->median,
	                            s->unit),
	            s->n, s->n == 1 ? "" : "s");
	if (nb < s->n)
		pg_buf_addf(b, ", %zu per character", bk[0].n);
	if (s->ncps)
		pg_buf_addf(b, ", %zu change point%s", s->ncps,
		            s->ncps == 1 ? "" : "s");
	pg_buf_addch(b, ')');
	if (envs)
		pg_buf_addf(b, " on %s", *s->env ? s->env : "(unlabelled)");
	pg_buf_addch(b, '\n');
	free(bk);
	free(y);
}

void report_plot_history(struct pg_buf *b, const struct history_series *h,
                         size_t width)
{
	size_t i, nw = name_width(h);
	int envs = 0;

	for (i = 1; i < history_series_nseries(h); i++)
		if (strcmp(history_series_line(h, i)->env,
		           history_series_line(h, 0)->env))
			envs = 1;
	for (i = 0; i < history_series_nseries(h); i++)
		plot_series(b, h, history_series_line(h, i), width ? width : 1,
		            envs, nw);
}
