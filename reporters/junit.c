#include "reporters/junit.h"
#include "reporters/text.h"

#include <math.h>
#include <string.h>

/*
 * XML 1.0's Char production, minus DEL and the C1 controls, which it
 * allows but discourages and which no test report needs.
 */
static int xml_allowed(uint32_t cp)
{
	if (cp >= 0x7F && cp <= 0x9F)
		return 0;
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

void report_xml_escape(struct pg_buf *b, const char *s, int attr)
{
	uint32_t cp;
	size_t n;

	for (; s && *s; s += n) {
		n = report_utf8_next(s, &cp);
		if (!xml_allowed(cp))
			continue;
		switch (cp) {
		case '&':
			pg_buf_addstr(b, "&amp;");
			break;
		case '<':
			pg_buf_addstr(b, "&lt;");
			break;
		case '>':
			pg_buf_addstr(b, "&gt;");
			break;
		case '"':
			pg_buf_addstr(b, attr ? "&quot;" : "\"");
			break;
		case '\r':
			/* A literal CR would be normalised away. */
			pg_buf_addstr(b, "&#13;");
			break;
		case '\n':
		case '\t':
			/* Attribute normalisation turns them into spaces. */
			if (attr)
				pg_buf_addf(b, "&#%u;", (unsigned)cp);
			else
				pg_buf_addch(b, (char)cp);
			break;
		default:
			pg_buf_add(b, s, n);
		}
	}
}

static void add_time(struct pg_buf *b, double seconds)
{
	if (!isfinite(seconds) || seconds < 0)
		seconds = 0;
	pg_buf_addf(b, " time=\"%.6f\"", seconds);
}

static void add_attr(struct pg_buf *b, const char *name, const char *value)
{
	pg_buf_addf(b, " %s=\"", name);
	report_xml_escape(b, value, 1);
	pg_buf_addch(b, '"');
}

static void add_property(struct pg_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	pg_buf_addstr(b, "      <property");
	add_attr(b, "name", name);
	add_attr(b, "value", value);
	pg_buf_addstr(b, "/>\n");
}

static void add_properties(struct pg_buf *b, const struct report *r,
                           const struct report_opts *opts)
{
	struct pg_buf tmp = PG_BUF_INIT;
	size_t i;

	pg_buf_addstr(b, "    <properties>\n");
	add_property(b, "perfgate.outcome", report_outcome(r, opts));
	add_property(b, "perfgate.mode", r->mode);
	add_property(b, "perfgate.mode_reason", r->mode_reason);
	add_property(b, "perfgate.method", r->method);
	add_property(b, "perfgate.correction", r->correction);
	if (isfinite(r->alpha)) {
		pg_buf_addf(&tmp, "%g", r->alpha);
		add_property(b, "perfgate.alpha", tmp.s);
	}
	add_property(b, "perfgate.base_commit", r->base_commit);
	add_property(b, "perfgate.cand_commit", r->cand_commit);
	pg_buf_reset(&tmp);
	for (i = 0; i < r->nbaseline_commits; i++)
		pg_buf_addf(&tmp, "%s%s", i ? " " : "", r->baseline_commits[i]);
	if (r->nbaseline_commits)
		add_property(b, "perfgate.baseline_commits", tmp.s);
	add_property(b, "perfgate.base_env", r->base_env);
	add_property(b, "perfgate.cand_env", r->cand_env);
	add_property(b, "perfgate.notice", r->notice);
	pg_buf_addstr(b, "    </properties>\n");
	pg_buf_release(&tmp);
}

enum case_kind { CASE_PASS, CASE_FAILURE, CASE_ERROR, CASE_SKIPPED };

static enum case_kind case_kind(const struct report_row *row,
                                const struct report_opts *opts)
{
	if (row->verdict == REPORT_ERROR)
		return CASE_ERROR;
	if (report_row_fails(row, opts->fail_on_inconclusive))
		return CASE_FAILURE;
	if (row->verdict == REPORT_NO_BASELINE ||
	    row->verdict == REPORT_ADDED || row->verdict == REPORT_REMOVED)
		return CASE_SKIPPED;
	return CASE_PASS;
}

/*
 * "+12.3% [+9.8%, +14.9%] p=0.0004" for a regression (and an inconclusive
 * row that fails), then "; over budget: p95 <= 1s"; a row that fails only
 * its budget says "over budget: p95 <= 1s, candidate 1.2 s".
 */
static void failure_message(struct pg_buf *b, const struct report_row *row)
{
	int relative = row->verdict == REPORT_REGRESSION ||
	               row->verdict == REPORT_INCONCLUSIVE;

	if (relative) {
		report_fmt_change(b, row, 1);
		pg_buf_addstr(b, " p=");
		report_fmt_p(b, row->p_adjusted);
	}
	if (report_row_over_budget(row)) {
		pg_buf_addf(b, "%sover budget", relative ? "; " : "");
		if (row->budget)
			pg_buf_addf(b, ": %s", row->budget);
		if (!relative) {
			pg_buf_addstr(b, ", candidate ");
			report_fmt_value(b, row->cand_value, row->unit);
		}
	}
}

static const char *skip_message(const struct report_row *row)
{
	switch (row->verdict) {
	case REPORT_ADDED:
		return "added: not in the baseline";
	case REPORT_REMOVED:
		return "removed: not in the candidate";
	default:
		return "no baseline to compare against";
	}
}

static void add_child(struct pg_buf *b, const struct report *r,
                      const struct report_row *row, enum case_kind kind)
{
	struct pg_buf msg = PG_BUF_INIT, text = PG_BUF_INIT;
	const char *nl;

	report_fmt_details(&text, r, row);
	switch (kind) {
	case CASE_FAILURE:
		failure_message(&msg, row);
		pg_buf_addf(b, "      <failure type=\"%s\"",
		            row->verdict == REPORT_REGRESSION ? "regression"
		            : report_row_over_budget(row)     ? "over-budget"
		                                              : "inconclusive");
		add_attr(b, "message", msg.s);
		pg_buf_addstr(b, ">");
		report_xml_escape(b, text.s, 0);
		pg_buf_addstr(b, "</failure>\n");
		break;
	case CASE_ERROR:
		/* The message is the first line; the body has it all. */
		pg_buf_addstr(&msg, report_str(row->error, "failed to run"));
		nl = strchr(msg.s, '\n');
		if (nl) {
			msg.len = (size_t)(nl - msg.s);
			msg.s[msg.len] = '\0';
		}
		pg_buf_addstr(b, "      <error type=\"error\"");
		add_attr(b, "message", msg.s);
		pg_buf_addstr(b, ">");
		report_xml_escape(b, text.s, 0);
		pg_buf_addstr(b, "</error>\n");
		break;
	case CASE_SKIPPED:
		pg_buf_addstr(b, "      <skipped");
		add_attr(b, "message", skip_message(row));
		pg_buf_addstr(b, "/>\n");
		/* The numbers still help. */
		pg_buf_addstr(b, "      <system-out>");
		report_xml_escape(b, text.s, 0);
		pg_buf_addstr(b, "</system-out>\n");
		break;
	case CASE_PASS:
		pg_buf_addstr(b, "      <system-out>");
		report_xml_escape(b, text.s, 0);
		pg_buf_addstr(b, "</system-out>\n");
		break;
	}
	pg_buf_release(&msg);
	pg_buf_release(&text);
}

static void add_testcase(struct pg_buf *b, const struct report *r,
                         const struct report_row *row, enum case_kind kind)
{
	struct pg_buf name = PG_BUF_INIT;
	int is_time = row->unit && !strcmp(row->unit, "s");

	pg_buf_addf(&name, "%s [%s]", report_str(row->bench, "?"),
	            report_str(row->metric, "?"));
	pg_buf_addstr(b, "    <testcase");
	add_attr(b, "name", name.s);
	add_attr(b, "classname",
	         report_str(row->group, report_str(r->title, "perfgate")));
	add_time(b, is_time ? row->cand_value : 0);
	pg_buf_addstr(b, ">\n");
	add_child(b, r, row, kind);
	pg_buf_addstr(b, "    </testcase>\n");
	pg_buf_release(&name);
}

static int junit_write(const struct report *r, struct pg_buf *out,
                       const struct report_opts *opts_in)
{
	struct report_opts opts;
	size_t i, count[4] = {0};
	enum case_kind kind;

	if (opts_in)
		opts = *opts_in;
	else
		report_opts_init(&opts);
	for (i = 0; i < r->nrows; i++)
		count[case_kind(&r->rows[i], &opts)]++;

	pg_buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pg_buf_addf(out,
	            "<testsuites name=\"perfgate\" tests=\"%zu\" "
	            "failures=\"%zu\" errors=\"%zu\"",
	            r->nrows, count[CASE_FAILURE], count[CASE_ERROR]);
	add_time(out, r->duration);
	pg_buf_addstr(out, ">\n  <testsuite");
	add_attr(out, "name", report_str(r->title, "perfgate"));
	pg_buf_addf(out,
	            " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
	            "skipped=\"%zu\"",
	            r->nrows, count[CASE_FAILURE], count[CASE_ERROR],
	            count[CASE_SKIPPED]);
	add_time(out, r->duration);
	pg_buf_addstr(out, ">\n");
	add_properties(out, r, &opts);
	for (i = 0; i < r->nrows; i++) {
		kind = case_kind(&r->rows[i], &opts);
		add_testcase(out, r, &r->rows[i], kind);
	}
	if (r->notice) {
		pg_buf_addstr(out, "    <system-out>");
		report_xml_escape(out, r->notice, 0);
		pg_buf_addstr(out, "</system-out>\n");
	}
	pg_buf_addstr(out, "  </testsuite>\n</testsuites>\n");
	return 0;
}

const struct reporter report_junit = {"junit", junit_write};
