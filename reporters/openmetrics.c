#include "reporters/openmetrics.h"
#include "reporters/text.h"
#include "util/json.h"

#include <math.h>
#include <string.h>

/*
 * A label value: OpenMetrics escapes backslash, double quote and newline;
 * other control characters become '?'.
 */
static void add_label(struct pg_buf *b, const char *name, const char *value)
{
	const char *p;

	pg_buf_addf(b, "%s=\"", name);
	for (p = value ? value : ""; *p; p++) {
		if (*p == '\\' || *p == '"')
			pg_buf_addch(b, '\\');
		if (*p == '\n')
			pg_buf_addstr(b, "\\n");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			pg_buf_addch(b, '?');
		else
			pg_buf_addch(b, *p);
	}
	pg_buf_addch(b, '"');
}

static void add_sample(struct pg_buf *b, const char *family,
                       const struct report_row *row, double v)
{
	pg_buf_addf(b, "%s{", family);
	add_label(b, "benchmark", row->bench);
	pg_buf_addch(b, ',');
	add_label(b, "metric", row->metric);
	pg_buf_addch(b, ',');
	add_label(b, "unit", row->unit);
	pg_buf_addstr(b, "} ");
	pg_json_add_number(b, v);
	pg_buf_addch(b, '\n');
}

static int om_write(const struct report *r, struct pg_buf *out,
                    const struct report_opts *opts)
{
	size_t i;

	(void)opts;
	pg_buf_addstr(out, "# TYPE perfgate_median gauge\n"
	                   "# HELP perfgate_median the candidate's median, "
	                   "in the metric's normalised unit\n");
	for (i = 0; i < r->nrows; i++)
		if (isfinite(r->rows[i].cand_value))
			add_sample(out, "perfgate_median", &r->rows[i],
			           r->rows[i].cand_value);
	pg_buf_addstr(out, "# TYPE perfgate_change gauge\n"
	                   "# HELP perfgate_change the relative change from "
	                   "the baseline, positive is worse\n");
	for (i = 0; i < r->nrows; i++)
		if (isfinite(r->rows[i].estimate))
			add_sample(out, "perfgate_change", &r->rows[i],
			           r->rows[i].estimate);
	pg_buf_addstr(out, "# TYPE perfgate_rows gauge\n"
	                   "# HELP perfgate_rows rows per verdict\n");
	for (i = 0; i <= REPORT_NO_BASELINE; i++) {
		size_t j, n = 0;

		for (j = 0; j < r->nrows; j++)
			n += r->rows[j].verdict == (enum report_verdict)i;
		pg_buf_addstr(out, "perfgate_rows{");
		add_label(out, "verdict",
		          report_verdict_name((enum report_verdict)i));
		pg_buf_addf(out, "} %zu\n", n);
	}
	pg_buf_addstr(out, "# EOF\n");
	return 0;
}

const struct reporter report_openmetrics = {"openmetrics", om_write};
