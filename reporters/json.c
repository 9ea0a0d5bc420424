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
	kv_num(b, in, "mde", row->mde);
	kv_bool(b, in, "detects_nothing",
	        !isnan(row->mde) && !isfinite(row->mde));
	kv_str(b, in, "test", row->test);
	kv_str(b, in, "method", row->method);
	kv_str(b, in, "note", row->note);
	kv_str(b, in, "error", row->error);
	kv_str(b, in, "explain", row->explain);
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

static void add_alert(struct pg_buf *b, const struct report_alert *a)
{
	struct pg_buf msg = PG_BUF_INIT;

	report_alert_describe(a, &msg);
	pg_buf_addstr(b, "{");
	key(b, "      ", "benchmark", 1);
	add_str(b, a->bench);
	kv_str(b, "      ", "metric", a->metric);
	kv_str(b, "      ", "unit", a->unit);
	kv_str(b, "      ", "commit", a->commit);
	kv_str(b, "      ", "subject", a->subject);
	kv_str(b, "      ", "state", report_alert_state_name(a->state));
	kv_bool(b, "      ", "fails", a->fails);
	kv_num(b, "      ", "shift", a->shift);
	kv_num(b, "      ", "ci_low", a->ci_low);
	kv_num(b, "      ", "ci_high", a->ci_high);
	kv_num(b, "      ", "confidence", a->confidence);
	kv_num(b, "      ", "p_value", a->p_value);
	kv_num(b, "      ", "threshold", a->threshold);
	kv_num(b, "      ", "before", a->before);
	kv_num(b, "      ", "after", a->after);
	kv_size(b, "      ", "later_runs", a->later_runs);
	kv_size(b, "      ", "later_commits", a->later_commits);
	kv_str(b, "      ", "note", a->note);
	kv_str(b, "      ", "message", msg.s);
	pg_buf_addstr(b, "\n    }");
	pg_buf_release(&msg);
}

/* "history": the history alerts (gate/alert.h), when they were checked. */
static void add_history(struct pg_buf *b, const struct report *r)
{
	size_t i;

	if (!r->history && !r->nalerts)
		return;
	key(b, "  ", "history", 0);
	pg_buf_addch(b, '{');
	key(b, "    ", "summary", 1);
	add_str(b, r->history);
	key(b, "    ", "alerts", 0);
	pg_buf_addch(b, '[');
	for (i = 0; i < r->nalerts; i++) {
		pg_buf_addstr(b, i ? ", " : "");
		add_alert(b, &r->alerts[i]);
	}
	pg_buf_addstr(b, "]\n  }");
}

static void add_curve_side(struct pg_buf *b, const double *v)
{
	int k;

	pg_buf_addch(b, '{');
	for (k = 0; k < REPORT_CURVE_NSTATS; k++) {
		pg_buf_addf(b, "%s\"%s\": ", k ? ", " : "",
		            report_curve_metric((enum report_curve_stat)k));
		pg_json_add_number(b, v[k]);
	}
	pg_buf_addch(b, '}');
}

/* Stress tests' latency-vs-load curves (docs/stress.md). */
static void add_curves(struct pg_buf *b, const struct report *r)
{
	size_t i, j;

	if (!r->ncurves)
		return;
	key(b, "  ", "curves", 0);
	pg_buf_addch(b, '[');
	for (i = 0; i < r->ncurves; i++) {
		const struct report_curve *c = &r->curves[i];

		pg_buf_addstr(b, i ? ",\n    {" : "\n    {");
		key(b, "      ", "bench", 1);
		add_str(b, c->bench);
		kv_str(b, "      ", "axis", c->axis);
		kv_num(b, "      ", "capacity_base", c->capacity_base);
		kv_num(b, "      ", "capacity_cand", c->capacity_cand);
		kv_str(b, "      ", "failure_mode_base", c->failure_base);
		kv_str(b, "      ", "failure_mode_cand", c->failure_cand);
		key(b, "      ", "points", 0);
		pg_buf_addch(b, '[');
		for (j = 0; j < c->npoints; j++) {
			pg_buf_addstr(b, j ? ",\n        " : "\n        ");
			pg_buf_addstr(b, "{\"level\": ");
			pg_json_add_number(b, c->points[j].level);
			pg_buf_addstr(b, ", \"base\": ");
			add_curve_side(b, c->points[j].base);
			pg_buf_addstr(b, ", \"cand\": ");
			add_curve_side(b, c->points[j].cand);
			pg_buf_addch(b, '}');
		}
		pg_buf_addstr(b, "\n      ]\n    }");
	}
	pg_buf_addstr(b, "\n  ]");
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
	pg_buf_addstr(out, r->nrows ? "\n  ]" : "]");
	add_history(out, r);
	add_curves(out, r);
	pg_buf_addstr(out, "\n}\n");
	return 0;
}

const struct reporter report_json = {"json", json_write};
