#include "reporters/github.h"
#include "reporters/text.h"
#include "util/defaults.h"

#include <stdlib.h>

void report_gh_escape(struct pg_buf *b, const char *s, int property)
{
	uint32_t cp;
	size_t n;

	for (; s && *s; s += n) {
		n = report_utf8_next(s, &cp);
		if (cp == '%')
			pg_buf_addstr(b, "%25");
		else if (cp == '\r')
			pg_buf_addstr(b, "%0D");
		else if (cp == '\n')
			pg_buf_addstr(b, "%0A");
		else if (property && cp == ':')
			pg_buf_addstr(b, "%3A");
		else if (property && cp == ',')
			pg_buf_addstr(b, "%2C");
		else if (cp == REPORT_UTF8_INVALID)
			report_utf8_put(b, 0xFFFD);
		else if ((cp < 0x20 && cp != '\t') || cp == 0x7F)
			pg_buf_addch(b, '?');
		else
			pg_buf_add(b, s, n);
	}
}

enum kind { KIND_NONE, KIND_ERROR, KIND_WARNING };

static enum kind row_kind(const struct report_row *row,
                          const struct report_opts *o)
{
	if (row->verdict == REPORT_ERROR ||
	    report_row_fails(row, o->fail_on_inconclusive))
		return KIND_ERROR;
	if (row->verdict == REPORT_INCONCLUSIVE && !row->informational)
		return KIND_WARNING;
	return KIND_NONE;
}

static void command(struct pg_buf *out, const char *cmd, const char *title,
                    const char *data)
{
	pg_buf_addf(out, "::%s title=", cmd);
	report_gh_escape(out, title, 1);
	pg_buf_addstr(out, "::");
	report_gh_escape(out, data, 0);
	pg_buf_addch(out, '\n');
}

static void annotate(struct pg_buf *out, const struct report *r,
                     const struct report_row *row, enum kind k)
{
	struct pg_buf title = PG_BUF_INIT, data = PG_BUF_INIT;

	if (row->verdict == REPORT_ERROR)
		pg_buf_addf(&title, "perfgate: %s failed to run",
		            report_str(row->bench, "?"));
	else
		pg_buf_addf(&title, "perfgate: %s%s in %s [%s]",
		            report_row_verdict_name(row),
		            row->over_budget &&
		                            row->verdict != REPORT_OVER_BUDGET
		                    ? " and over budget"
		                    : "",
		            report_str(row->bench, "?"),
		            report_str(row->metric, "?"));
	report_fmt_details(&data, r, row);
	command(out, k == KIND_ERROR ? "error" : "warning", title.s, data.s);
	pg_buf_release(&title);
	pg_buf_release(&data);
}

static int gh_write(const struct report *r, struct pg_buf *out,
                    const struct report_opts *opts_in)
{
	struct report_opts o;
	struct pg_buf tmp = PG_BUF_INIT;
	size_t *order, i, max, total[3] = {0}, done[3] = {0};
	enum kind k;

	if (opts_in)
		o = *opts_in;
	else
		report_opts_init(&o);
	max = o.max_annotations ? o.max_annotations
	                        : PG_DEFAULT_MAX_ANNOTATIONS;
	for (i = 0; i < r->nrows; i++)
		total[row_kind(&r->rows[i], &o)]++;
	order = report_sorted_rows(r);
	for (i = 0; i < r->nrows; i++) {
		const struct report_row *row = &r->rows[order[i]];

		k = row_kind(row, &o);
		if (k == KIND_NONE)
			continue;
		/* Keep the last slot for "N more" when they do not fit. */
		if (total[k] > max && done[k] + 1 >= max)
			continue;
		annotate(out, r, row, k);
		done[k]++;
	}
	free(order);
	for (k = KIND_ERROR; k <= KIND_WARNING; k++) {
		if (total[k] <= max)
			continue;
		pg_buf_reset(&tmp);
		pg_buf_addf(&tmp,
		            "%zu more %s not annotated; see the step summary "
		            "or the JUnit report",
		            total[k] - done[k],
		            k == KIND_ERROR ? "failures"
		                            : "inconclusive results");
		command(out, k == KIND_ERROR ? "error" : "warning", "perfgate",
		        tmp.s);
	}
	/* no baseline is a gate that checked nothing: not a mere notice */
	if (r->notice)
		command(out, "warning", "perfgate", r->notice);
	pg_buf_release(&tmp);
	return 0;
}

const struct reporter report_github = {"github", gh_write};
