#include "reporters/json.h"
#include "reporters/text.h"
#include "util/json.h"

#include <math.h>

#ifndef PERFGATE_VERSION
#define PERFGATE_VERSION "unknown"
#endif

/* A JSON string (or null) that is valid UTF-8 whatever s holds. */
static void add_str(struct pg_buf *b, const char *s)
{
	struct pg_buf tmp = PG_BUF_INIT;
	uint32_t cp;
	size_t n;

	if (!s) {
		pg_buf_addstr(b, "null");
		return;
	}
	for (; *s; s += n) {
		n = report_utf8_next(s, &cp);
		if (cp == REPORT_UTF8_INVALID)
			report_utf8_put(&tmp, 0xFFFD);
		else
			pg_buf_add(&tmp, s, n);
	}
	pg_json_add_string(b, tmp.s);
	pg_buf_release(&tmp);
}

static void key(struct pg_buf *b, const char *indent, const char *k, int first)
{
	pg_buf_addf(b, "%s\n%s\"%s\": ", first ? "" : ",", indent, k);
}

static void kv_str(struct pg_buf *b, const char *ind, const char *k,
                   const char *v)
{
	key(b, ind, k, 0);
	add_str(b, v);
}

static void kv_num(struct pg_buf *b, const char *ind, const char *k, double v)
{
	key(b, ind, k, 0);
	pg_json_add_number(b, v);
}

static void kv_size(struct pg_buf *b, const char *ind, const char *k, size_t v)
{
	key(b, ind, k, 0);
	pg_buf_addf(b, "%zu", v);
}

static void kv_bool(struct pg_buf *b, const char *ind, const char *k, int v)
{
	key(b, ind, k, 0);
	pg_buf_addstr(b, v ? "true" : "false");
}

static void add_row(struct pg_buf *b, const struct report_row *row,
                    const struct report_opts *o)
{
	const char *in = "      ";

	pg_buf_addstr(b, "    {");
	key(b, in, "group", 1);
	add_str(b, row->group);
	kv_str(b, in, "bench", row->bench);
	kv_str(b, in, "metric", row->metric);
	kv_str(b, in, "unit", row->unit);
	kv_str(b, in, "direction", result_direction_name(row->direction));
	kv_str(b, in, "verdict", report_verdict_name(row->verdict));
	kv_bool(b, in, "fails", report_row_fails(row, o->fail_on_inconclusive));
	kv_bool(b, in, "gating", !row->informational);
	kv_bool(b, in, "over_budget", report_row_over_budget(row));
	kv_str(b, in, "budget", row->budget);
	kv_size(b, in, "n_base", row->n_base);
	kv_size(b, in, "n_cand", row->n_cand);
	kv_num(b, in, "base_value", row->base_value);
	kv_num(b, in, "cand_value", row->cand_value);
	kv_num(b, in, "estimate", row->estimate);
	kv_num(b, in, "ci_low", row->ci_low);
	kv_num(b, in, "ci_high", row->ci_high);
	kv_num(b, in, "confidence", row->confidence);
	kv_num(b, in, "p_value", row->p_value);
	kv_num(b, in, "p_adjusted", row->p_adjusted);
	kv_num(b, in, "threshold", row->threshold);
	kv_str(b, in, "test", row->test);
	kv_str(b, in, "method", row->method);
	kv_str(b, in, "note", row->note);
	kv_str(b, in, "error", row->error);
	pg_buf_addstr(b, "\n    }");
}

static void add_sides(struct pg_buf *b, const struct report *r)
{
	size_t i;

	key(b, "  ", "baseline", 0);
	pg_buf_addstr(b, "{");
	key(b, "    ", "commit", 1);
	add_str(b, r->base_commit);
	key(b, "    ", "commits", 0);
	pg_buf_addch(b, '[');
	for (i = 0; i < r->nbaseline_commits; i++) {
		if (i)
			pg_buf_addstr(b, ", ");
		add_str(b, r->baseline_commits[i]);
	}
	pg_buf_addch(b, ']');
	kv_str(b, "    ", "env", r->base_env);
	pg_buf_addstr(b, "\n  }");
	key(b, "  ", "candidate", 0);
	pg_buf_addstr(b, "{");
	key(b, "    ", "commit", 1);
	add_str(b, r->cand_commit);
	kv_str(b, "    ", "env", r->cand_env);
	pg_buf_addstr(b, "\n  }");
}

static int json_write(const struct report *r, struct pg_buf *out,
                      const struct report_opts *opts_in)
{
	struct report_opts o;
	size_t i;
	int v;

	if (opts_in)
		o = *opts_in;
	else
		report_opts_init(&o);
	pg_buf_addf(out, "{\n  \"schema\": %d", REPORT_JSON_SCHEMA);
	kv_str(out, "  ", "generator", "perfgate " PERFGATE_VERSION);
	kv_str(out, "  ", "title", r->title);
	kv_str(out, "  ", "outcome", report_outcome(r, &o));
	key(out, "  ", "exit_code", 0);
	pg_buf_addf(out, "%d", report_exit_code(r, o.fail_on_inconclusive));
	kv_bool(out, "  ", "fail_on_inconclusive", o.fail_on_inconclusive);
	kv_str(out, "  ", "notice", r->notice);
	kv_str(out, "  ", "mode", r->mode);
	kv_str(out, "  ", "mode_reason", r->mode_reason);
	kv_str(out, "  ", "method", r->method);
	kv_num(out, "  ", "alpha", r->alpha);
	kv_str(out, "  ", "correction", r->correction);
	kv_num(out, "  ", "duration", r->duration);
	add_sides(out, r);
	key(out, "  ", "counts", 0);
	pg_buf_addch(out, '{');
	for (v = REPORT_REGRESSION; v <= REPORT_NO_BASELINE; v++) {
		key(out, "    ", report_verdict_name(v),
		    v == REPORT_REGRESSION);
		pg_buf_addf(out, "%zu",
		            report_count(r, (enum report_verdict)v));
	}
	kv_size(out, "    ", "over_budget_rows", report_count_over_budget(r));
	pg_buf_addstr(out, "\n  }");
	key(out, "  ", "rows", 0);
	pg_buf_addch(out, '[');
	for (i = 0; i < r->nrows; i++) {
		pg_buf_addstr(out, i ? ",\n" : "\n");
		add_row(out, &r->rows[i], &o);
	}
	pg_buf_addstr(out, r->nrows ? "\n  ]\n}\n" : "]\n}\n");
	return 0;
}

const struct reporter report_json = {"json", json_write};
