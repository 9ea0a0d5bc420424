/* The gate page of the HTML site; see reporters/html.h. */
#include "reporters/html.h"
#include "reporters/svg.h"
#include "util/buf.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define CI_WIDTH 160
#define CI_HEIGHT 18
#define STRIP_WIDTH 160
#define STRIP_HEIGHT 22

/* A change of the value: the worse-positive estimate flipped back. */
static double value_change(const struct report_row *r, double worse)
{
	return r->direction == RESULT_HIGHER_IS_BETTER ? -worse : worse;
}

/* The interval against the +-threshold band, as a tiny SVG. */
static void ci_plot(struct pg_buf *b, const struct report_row *r)
{
	double lo = value_change(r, r->ci_low),
	       hi = value_change(r, r->ci_high);
	double est = value_change(r, r->estimate), th = r->threshold;
	double span = fmax(fmax(fabs(lo), fabs(hi)), isfinite(th) ? th : 0);
	double w = CI_WIDTH, mid = CI_HEIGHT / 2.0;

	if (!isfinite(est) || !isfinite(lo) || !isfinite(hi) || !(span > 0))
		return;
	span *= 1.2;
	pg_buf_addf(b,
	            "<svg class=\"ci\" role=\"img\" width=\"%d\" "
	            "height=\"%d\"><title>change %+.1f%%, interval [%+.1f%%, "
	            "%+.1f%%], threshold %.1f%%</title>",
	            CI_WIDTH, CI_HEIGHT, 100 * est, 100 * fmin(lo, hi),
	            100 * fmax(lo, hi), 100 * th);
	if (isfinite(th))
		pg_buf_addf(b,
		            "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" "
		            "height=\"%d\" fill=\"#eee\"/>",
		            svg_map(-th, -span, span, 0, w),
		            svg_map(th, -span, span, 0, w) -
		                    svg_map(-th, -span, span, 0, w),
		            CI_HEIGHT - 4);
	pg_buf_addf(b,
	            "<line x1=\"%.1f\" y1=\"2\" x2=\"%.1f\" y2=\"%d\" "
	            "stroke=\"#999\"/><line x1=\"%.1f\" y1=\"%.1f\" "
	            "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" "
	            "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" "
	            "r=\"3\" fill=\"#222\"/></svg>",
	            w / 2, w / 2, CI_HEIGHT - 2, svg_map(lo, -span, span, 0, w),
	            mid, svg_map(hi, -span, span, 0, w), mid,
	            svg_map(est, -span, span, 0, w), mid);
}

/* One side's samples as a row of dots at height y. */
static void strip(struct pg_buf *b, const double *x, size_t n, double lo,
                  double hi, double y, const char *cls)
{
	size_t i;

	for (i = 0; i < n; i++)
		pg_buf_addf(b,
		            "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" "
		            "r=\"2\"/>",
		            cls, svg_map(x[i], lo, hi, 4, STRIP_WIDTH - 4), y);
}

/*
 * Both sides' samples as strips on one scale (baseline above, candidate
 * below), when the report carries them: a recomputed gate does, a gate
 * report file does not.
 */
static void strip_plot(struct pg_buf *b, const struct report_row *r)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	if (!r->nbase_samples || !r->ncand_samples)
		return;
	for (i = 0; i < r->nbase_samples; i++) {
		lo = fmin(lo, r->base_samples[i]);
		hi = fmax(hi, r->base_samples[i]);
	}
	for (i = 0; i < r->ncand_samples; i++) {
		lo = fmin(lo, r->cand_samples[i]);
		hi = fmax(hi, r->cand_samples[i]);
	}
	pg_buf_addf(b,
	            "<svg class=\"strip\" role=\"img\" width=\"%d\" "
	            "height=\"%d\"><title>samples: %zu baseline (upper "
	            "row, circles), %zu candidate (lower row, squares)"
	            "</title>",
	            STRIP_WIDTH, STRIP_HEIGHT, r->nbase_samples,
	            r->ncand_samples);
	strip(b, r->base_samples, r->nbase_samples, lo, hi, 6, "sb");
	for (i = 0; i < r->ncand_samples; i++)
		pg_buf_addf(b,
		            "<rect class=\"sc\" x=\"%.1f\" y=\"14\" "
		            "width=\"4\" height=\"4\"/>",
		            svg_map(r->cand_samples[i], lo, hi, 4,
		                    STRIP_WIDTH - 4) -
		                    2);
	pg_buf_addstr(b, "</svg>");
}

static void gate_row(struct pg_buf *b, const struct report_row *r)
{
	pg_buf_addstr(b, "<tr><td>");
	html_esc(b, r->bench);
	pg_buf_addstr(b, "</td><td>");
	html_esc(b, r->metric);
	pg_buf_addstr(b, "</td><td>");
	html_verdict(b, r);
	pg_buf_addstr(b, "</td><td class=\"num\">");
	if (isfinite(r->base_value))
		html_value(b, r->base_value, r->unit);
	pg_buf_addstr(b, "</td><td class=\"num\">");
	if (isfinite(r->cand_value))
		html_value(b, r->cand_value, r->unit);
	pg_buf_addstr(b, "</td><td class=\"num\">");
	html_percent(b, value_change(r, r->estimate));
	if (isfinite(r->ci_low)) {
		double lo = value_change(r, r->ci_low);
		double hi = value_change(r, r->ci_high);

		pg_buf_addstr(b, " [");
		html_percent(b, fmin(lo, hi));
		pg_buf_addstr(b, ", ");
		html_percent(b, fmax(lo, hi));
		pg_buf_addstr(b, "]");
	}
	pg_buf_addstr(b, "</td><td>");
	ci_plot(b, r);
	pg_buf_addstr(b, "</td><td>");
	strip_plot(b, r);
	pg_buf_addstr(b, "</td><td>");
	html_esc(b, r->error ? r->error : r->note);
	pg_buf_addstr(b, "</td></tr>\n");
}

static void side(struct pg_buf *b, const char *what, const char *sha,
                 const char *env, const char *url)
{
	pg_buf_addf(b, "<li>%s: ", what);
	if (!sha) {
		pg_buf_addstr(b, "none</li>\n");
		return;
	}
	if (url) {
		pg_buf_addstr(b, "<a href=\"");
		html_esc(b, url);
		html_esc(b, sha);
		pg_buf_addstr(b, "\">");
	}
	pg_buf_addf(b, "<code>%.12s</code>", sha);
	if (url)
		pg_buf_addstr(b, "</a>");
	if (env) {
		pg_buf_addstr(b, " on ");
		html_esc(b, env);
	}
	pg_buf_addstr(b, "</li>\n");
}

void html_gate_page(struct pg_buf *b, const struct html_site *st)
{
	const struct report *r = st->gate;
	size_t i;

	html_page_begin(b, "gate report", r->title ? r->title : "gate report");
	pg_buf_addstr(b, "<p>");
	html_esc(b, st->gate_source);
	pg_buf_addstr(b, "</p>\n<ul>\n");
	side(b, "Baseline", r->base_commit, r->base_env, st->commit_url);
	side(b, "Candidate", r->cand_commit, r->cand_env, st->commit_url);
	pg_buf_addstr(b, "<li>Mode: ");
	html_esc(b, r->mode);
	if (r->mode_reason) {
		pg_buf_addstr(b, " (");
		html_esc(b, r->mode_reason);
		pg_buf_addstr(b, ")");
	}
	pg_buf_addstr(b, "</li>\n<li>Method: ");
	html_esc(b, r->method);
	pg_buf_addstr(b, "</li>\n</ul>\n");
	if (r->notice) {
		pg_buf_addstr(b, "<p><strong>");
		html_esc(b, r->notice);
		pg_buf_addstr(b, "</strong></p>\n");
	}
	pg_buf_addstr(b, "<table id=\"gate\"><tr><th>Benchmark</th><th>Metric"
	                 "</th><th>Verdict</th><th>Baseline</th><th>"
	                 "Candidate</th><th>Change [CI]</th><th>Interval vs "
	                 "threshold</th><th>Samples</th><th>Note</th></tr>"
	                 "\n");
	for (i = 0; i < r->nrows; i++)
		gate_row(b, &r->rows[i]);
	pg_buf_addstr(b, "</table>\n<p class=\"note\">Changes are of the value "
	                 "(candidate against baseline); the grey band of each "
	                 "interval plot is the practical threshold, the bar "
	                 "the confidence interval, the dot the "
	                 "estimate.  Samples: the baseline's as circles "
	                 "above, the candidate's as squares below, on one "
	                 "scale (shown when the verdicts were recomputed; a "
	                 "gate report file holds no samples).</p>\n");
	html_page_end(b);
}
