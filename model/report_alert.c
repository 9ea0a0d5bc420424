/* History alerts in the report model; see model/report.h. */
#include "model/report.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
        [REPORT_ALERT_NEW] = "new",
        [REPORT_ALERT_KNOWN] = "known",
        [REPORT_ALERT_ACCEPTED] = "accepted",
};

const char *report_alert_state_name(enum report_alert_state s)
{
	if ((unsigned)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[s];
}

struct report_alert *report_add_alert(struct report *r, const char *bench,
                                      const char *metric, const char *commit)
{
	struct report_alert *a;

	r->alerts = pg_grow_array(r->alerts, sizeof(*r->alerts), r->nalerts + 1,
	                          &r->alerts_alloc);
	a = &r->alerts[r->nalerts++];
	memset(a, 0, sizeof(*a));
	a->bench = pg_strdup_or_null(bench);
	a->metric = pg_strdup_or_null(metric);
	a->commit = pg_strdup_or_null(commit);
	a->shift = a->ci_low = a->ci_high = a->confidence = NAN;
	a->p_value = a->threshold = a->before = a->after = NAN;
	return a;
}

void report_alerts_release(struct report *r)
{
	size_t i;

	for (i = 0; i < r->nalerts; i++) {
		struct report_alert *a = &r->alerts[i];

		free(a->bench);
		free(a->metric);
		free(a->unit);
		free(a->commit);
		free(a->subject);
		free(a->note);
	}
	free(r->alerts);
	free(r->history);
	r->alerts = NULL;
	r->history = NULL;
	r->nalerts = r->alerts_alloc = 0;
}

void report_alerts_move(struct report *to, struct report *from)
{
	size_t i;

	for (i = 0; i < from->nalerts; i++) {
		to->alerts = pg_grow_array(to->alerts, sizeof(*to->alerts),
		                           to->nalerts + 1, &to->alerts_alloc);
		to->alerts[to->nalerts++] = from->alerts[i];
	}
	free(from->alerts);
	from->alerts = NULL;
	from->nalerts = from->alerts_alloc = 0;
	if (from->history) {
		free(to->history);
		to->history = from->history;
		from->history = NULL;
	}
}

static void add_percent(struct pg_buf *out, double f)
{
	pg_buf_addf(out, "%+.1f%%", f * 100);
}

void report_alert_describe(const struct report_alert *a, struct pg_buf *out)
{
	pg_buf_addf(out, "commit %.7s shifted %s", a->commit ? a->commit : "?",
	            a->bench ? a->bench : "?");
	if (a->metric && strcmp(a->metric, "wall_time"))
		pg_buf_addf(out, " %s", a->metric);
	pg_buf_addstr(out, " by ");
	add_percent(out, a->shift);
	if (isfinite(a->ci_low) && isfinite(a->ci_high)) {
		pg_buf_addstr(out, " [");
		add_percent(out, a->ci_low);
		pg_buf_addstr(out, ", ");
		add_percent(out, a->ci_high);
		pg_buf_addch(out, ']');
	}
	pg_buf_addf(out, ", confirmed by %zu later run%s", a->later_runs,
	            a->later_runs == 1 ? "" : "s");
}

void report_alert_line(const struct report_alert *a, struct pg_buf *out)
{
	report_alert_describe(a, out);
	switch (a->state) {
	case REPORT_ALERT_NEW:
		pg_buf_addstr(out, a->fails ? "; new: fails the gate"
		                            : "; new (warn only)");
		pg_buf_addf(out,
		            " (clear it with 'Perfgate-Accept: %s@%.7s "
		            "REASON' in a later commit)",
		            a->bench ? a->bench : "?",
		            a->commit ? a->commit : "?");
		break;
	case REPORT_ALERT_KNOWN:
		pg_buf_addf(out, "; known (%s): passes",
		            a->note ? a->note : "raised before");
		break;
	case REPORT_ALERT_ACCEPTED:
		pg_buf_addf(out, "; accepted%s%s", a->note ? " " : "",
		            a->note ? a->note : "");
		break;
	}
}

int report_alerts_fail(const struct report *r)
{
	size_t i;

	for (i = 0; i < r->nalerts; i++)
		if (r->alerts[i].fails)
			return 1;
	return 0;
}
