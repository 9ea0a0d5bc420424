/*
 * report.h - what a comparison produced, in the shape every reporter reads.
 *
 * The gate (and `perfgate compare`) fills a struct report: one row per
 * benchmark x metric, each with its verdict, effect and confidence
 * interval.  Reporters (JUnit, Markdown, JSON, terminal, GitHub
 * annotations) only read it.  All strings are owned by the report and freed
 * by report_release().
 */
#ifndef PG_MODEL_REPORT_H
#define PG_MODEL_REPORT_H

#include <stddef.h>

#include "util/buf.h"
#include "model/result.h"

enum report_verdict {
	REPORT_REGRESSION, /* significant and >= threshold: fails */
	REPORT_OVER_BUDGET, /* an absolute budget is exceeded: fails */
	REPORT_ERROR, /* the benchmark failed to run: exit 3 */
	REPORT_INCONCLUSIVE, /* neither shown worse nor shown unchanged */
	REPORT_ACCEPTED, /* a regression accepted by a trailer/config */
	REPORT_IMPROVEMENT, /* significant and >= threshold, better */
	REPORT_UNCHANGED, /* the CI lies inside +-threshold */
	REPORT_ADDED, /* only in the candidate */
	REPORT_REMOVED, /* only in the baseline */
	REPORT_NO_BASELINE, /* nothing to compare against */
};

/* "regression", "over-budget", ... as used in every report. */
const char *report_verdict_name(enum report_verdict v);

struct report_row {
	char *group; /* suite or benchmark group: JUnit classname */
	char *bench; /* benchmark name */
	char *metric; /* "wall_time", ... */
	char *unit; /* normalised unit of base/cand values */
	enum result_direction direction;
	enum report_verdict verdict;
	size_t n_base, n_cand; /* samples (or pairs) compared */
	double base_value; /* baseline median, NAN when none */
	double cand_value; /* candidate median, NAN when none */
	/* Relative effect as a fraction (0.05 = 5% worse), NAN when none. */
	double estimate, ci_low, ci_high;
	double confidence; /* of the CI, e.g. 0.99 */
	double p_value; /* one-sided, unadjusted; NAN when no test */
	double p_adjusted; /* after the suite-wide correction */
	double threshold; /* practical threshold theta, as a fraction */
	/*
	 * The smallest relative change this comparison could detect with 90%
	 * power at its alpha (a fraction, 0.031 = 3.1%), NAN when unknown.
	 */
	double mde;
	char *test; /* "mann-whitney-u", "wilcoxon-signed-rank", ... */
	char *method; /* "exact", "asymptotic", "permutation", ... */
	char *note; /* why inconclusive, what was accepted; NULL */
	char *error; /* REPORT_ERROR: the failure with stderr tail */
	char *budget; /* human budget, "p95 <= 250ms"; NULL if none */
	int over_budget; /* the budget verdict, beside the relative one */
	/*
	 * 1 for a metric that is reported but does not gate (CPU time and
	 * peak RSS unless the config says "gate"): its verdict never fails
	 * the build; its budget still does.
	 */
	int informational;
	/*
	 * `perfgate explain`'s text for this row (pipeline/explain.h): a first
	 * line "why: ...", then a table of functions and notes; NULL when
	 * not explained.
	 */
	char *explain;
	/*
	 * Both sides' samples of this benchmark and metric, pooled over each
	 * side's runs (paired mode: in pair order), for the charts of the
	 * Markdown report; NULL when not attached (report_attach_samples()).
	 */
	double *base_samples, *cand_samples;
	size_t nbase_samples, ncand_samples;
	/*
	 * Recent stored history on the baseline's branch: per-commit
	 * medians, oldest first, the baseline's newest commit last; NULL
	 * when not gathered.  For the sparklines of the Markdown report.
	 */
	double *trend;
	size_t ntrend;
};

/*
 * A history alert (gate/alert.h): on the target branch, a commit among
 * the newest shifted a benchmark's gating metric for the worse, found by
 * change-point detection on the branch's stored series.  Alerts are a
 * section of every report beside the rows, not rows: they are about an
 * earlier commit, not a comparison of this one.
 */
enum report_alert_state {
	REPORT_ALERT_NEW, /* raised by this gate: fails unless warn-only */
	REPORT_ALERT_KNOWN, /* raised by an earlier gate: reported, passes */
	REPORT_ALERT_ACCEPTED, /* cleared by a trailer or a config entry */
};

/* "new", "known", "accepted" as used in every report. */
const char *report_alert_state_name(enum report_alert_state s);

struct report_alert {
	char *bench, *metric, *unit;
	char *commit; /* full SHA of the commit that shifted it */
	char *subject; /* that commit's subject line */
	enum report_alert_state state;
	int fails; /* 1 when it fails the gate (new, on_change fail) */
	/* after / before - 1 as a fraction, its CI at confidence */
	double shift, ci_low, ci_high, confidence;
	double p_value; /* of the change point */
	double threshold; /* theta of the history alert */
	double before, after; /* medians before and after, in unit */
	size_t later_runs; /* runs on the later commits that confirm it */
	size_t later_commits;
	char *note; /* known: where it was raised; accepted: by what */
};

/*
 * A stress test's latency-vs-load curve (docs/stress.md), both sides: one
 * point per level that either side measured, in increasing order.
 * Values are NAN where a side lacks them.
 */
enum report_curve_stat {
	REPORT_CURVE_P50,
	REPORT_CURVE_P95,
	REPORT_CURVE_P99,
	REPORT_CURVE_ERROR_RATE,
	REPORT_CURVE_THROUGHPUT,
	REPORT_CURVE_NSTATS,
};

/* "latency_p50", ...: the metric each stat comes from. */
const char *report_curve_metric(enum report_curve_stat s);

struct report_curve_point {
	double level;
	double base[REPORT_CURVE_NSTATS], cand[REPORT_CURVE_NSTATS];
};

struct report_curve {
	char *bench; /* the stress entry */
	char *axis; /* "c" (concurrency) or "rate" */
	struct report_curve_point *points;
	size_t npoints;
	double capacity_base, capacity_cand; /* req/s; NAN: unknown */
	double capacity_level_base, capacity_level_cand; /* NAN: unknown */
	/* the first latency objective of the SLO: "p99" and seconds; NULL
	 * and NAN without one */
	char *slo_name;
	double slo_limit;
	char *failure_base, *failure_cand; /* failure modes; NULL: unknown */
};

struct report {
	char *title; /* "perfgate" or the suite name */
	char *mode; /* "stored baseline", "paired", "results file" */
	char *mode_reason; /* why this mode was used (first line); NULL */
	char *method; /* one line: test, correction, alpha, CI level */
	char *base_commit; /* full SHA or NULL when there is no baseline */
	char *cand_commit; /* full SHA or NULL */
	char **baseline_commits; /* pooled baseline commits */
	size_t nbaseline_commits;
	char *base_env; /* one line describing where the baseline ran */
	char *cand_env;
	char *notice; /* e.g. "no baseline found: ...", shown everywhere */
	double alpha;
	char *correction; /* "benjamini-hochberg" or "holm" */
	double duration; /* seconds the whole comparison took */
	struct report_row *rows;
	size_t nrows, rows_alloc;
	/*
	 * History alerts; history is the one-line summary of the check
	 * ("E-divisive means on 34 commits ..."), NULL when it did not run.
	 */
	char *history;
	struct report_alert *alerts;
	size_t nalerts, alerts_alloc;
	struct report_curve *curves; /* stress tests */
	size_t ncurves;
};

void report_init(struct report *r);
void report_release(struct report *r);

/*
 * Append a zeroed row (numbers NAN) with copies of the names (each may be
 * NULL).  The verdict starts as 0, REPORT_REGRESSION, so a row the caller
 * forgets to decide fails loudly instead of passing.  The pointer is valid
 * until the next row is added.
 */
struct report_row *report_add_row(struct report *r, const char *group,
                                  const char *bench, const char *metric);

/*
 * Append a zeroed alert (numbers NAN, state new, fails 0) with copies of
 * the names.  Valid until the next alert is added.
 */
struct report_alert *report_add_alert(struct report *r, const char *bench,
                                      const char *metric, const char *commit);

/* Move from's alerts and history line to the end of to's. */
void report_alerts_move(struct report *to, struct report *from);

/* Free the alerts and the history line (report_release() calls it). */
void report_alerts_release(struct report *r);

/*
 * Append the alert as one sentence to out: "commit abc1234 shifted parse
 * by +6.2% [+4.1%, +8.3%], confirmed by 4 later runs" (the metric is
 * named when it is not wall_time).
 */
void report_alert_describe(const struct report_alert *a, struct pg_buf *out);

/*
 * report_alert_describe() and what the alert's state means: "; new:
 * fails the gate (clear it with 'Perfgate-Accept: parse@abc1234 REASON'
 * in a later commit)", "; known (raised on push def5678): passes", ...
 */
void report_alert_line(const struct report_alert *a, struct pg_buf *out);

/* 1 when some alert fails the gate. */
int report_alerts_fail(const struct report *r);

/*
 * The curve of stress entry bench with axis ("c" or "rate"), added empty
 * (capacities NAN) when r has none yet.  The pointer is valid until the
 * next curve is added.
 */
struct report_curve *report_curve_get(struct report *r, const char *bench,
                                      const char *axis);
/* The point at level of c, added (values NAN) in order when missing. */
struct report_curve_point *report_curve_point(struct report_curve *c,
                                              double level);

/*
 * Append a printf-style note to row's note ("; " between notes), so that
 * every reason a row carries is kept.
 */
void report_row_add_note(struct report_row *row, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/*
 * Move every row of src to the end of dst (src is left with none), each
 * with note prefixed to its own; note may be NULL.  Stress curves move
 * along.
 */
void report_take_rows(struct report *dst, struct report *src, const char *note);

/* Append a copy of sha to r->baseline_commits. */
void report_add_baseline_commit(struct report *r, const char *sha);

/*
 * The verdict as reports show it: report_verdict_name(), with " (not
 * gating)" for an informational row whose verdict would otherwise fail.
 */
const char *report_row_verdict_name(const struct report_row *row);

/* 1 when the row's budget is exceeded: its verdict or its over_budget flag. */
int report_row_over_budget(const struct report_row *row);

/*
 * 1 when the row fails the gate: a regression, an exceeded budget, or (with
 * fail_on_inconclusive) an inconclusive result.  Errors are not failures
 * of the gate but of the run; see report_exit_code().
 */
int report_row_fails(const struct report_row *row, int fail_on_inconclusive);

/*
 * Exit status the report implies: 3 when any benchmark failed to run (the
 * comparison is incomplete, so that outranks a regression), else 1 when any
 * row fails (report_row_fails()) or an alert fails, else 0.
 */
int report_exit_code(const struct report *r, int fail_on_inconclusive);

/*
 * Attach to every row both sides' samples of its benchmark and metric,
 * pooled over base[0..nbase) and cand[0..ncand) (failed benchmarks left
 * out).  Replaces samples attached before.
 */
void report_attach_samples(struct report *r, const struct result_run *base,
                           size_t nbase, const struct result_run *cand,
                           size_t ncand);

/* Copy values[0..n) into row->trend (replacing any). */
void report_row_set_trend(struct report_row *row, const double *values,
                          size_t n);

/* The first row of bench and metric, or NULL.  r may be NULL. */
const struct report_row *report_find_row(const struct report *r,
                                         const char *bench, const char *metric);

/* Count rows with verdict v. */
size_t report_count(const struct report *r, enum report_verdict v);

#endif
