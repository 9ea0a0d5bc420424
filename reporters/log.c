/* The output of `perfgate log`: see reporters/log.h. */
#include "reporters/log.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "util/printable.h"
#include "model/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A value with its unit scaled as the gate prints it (12.3 ms, 9.32 MiB). */
static void print_value(struct pg_buf *b, double v, const char *unit)
{
	char text[64];

	pg_buf_addstr(b, pg_format_value(text, sizeof(text), v, unit));
}

static void emit_commit_head(struct report_log *c, const struct store_commit *k)
{
	char date[11];

	store_commit_date(k, date);
	if (c->format == REPORT_LOG_TEXT) {
		pg_buf_addf(&c->out, "%s %s ", k->short_sha, date);
		pg_buf_add_printable(&c->out, k->subject);
		pg_buf_addch(&c->out, '\n');
	} else if (c->format == REPORT_LOG_JSON) {
		pg_buf_addstr(&c->out, c->shown ? ",\n{\"sha\":" : "{\"sha\":");
		pg_json_add_string(&c->out, k->sha);
		pg_buf_addf(&c->out,
		            ",\"date\":\"%s\",\"time\":%lld,"
		            "\"subject\":",
		            date, k->time);
		pg_json_add_string(&c->out, k->subject);
		pg_buf_addstr(&c->out, ",\"benchmarks\":[");
	}
}

static void add_csv_name(struct pg_buf *b, const char *name)
{
	const char *p;

	/* benchmark names are free text: quote them, escape controls */
	pg_buf_addch(b, '"');
	for (p = pg_printable(name); *p; p++) {
		if (*p == '"')
			pg_buf_addch(b, '"');
		pg_buf_addch(b, *p);
	}
	pg_buf_addch(b, '"');
}

/* A change point as the members of a JSON object (no braces). */
static void add_change_json(struct pg_buf *b, const struct stats_changepoint *x)
{
	pg_buf_addstr(b, "\"shift\":");
	pg_json_add_number(b, x->shift);
	pg_buf_addstr(b, ",\"before\":");
	pg_json_add_number(b, x->before);
	pg_buf_addstr(b, ",\"after\":");
	pg_json_add_number(b, x->after);
	pg_buf_addstr(b, ",\"p_value\":");
	pg_json_add_number(b, x->p_value);
}

static void emit_change(struct report_log *c, const struct store_commit *k,
                        const struct history_row *r)
{
	const struct stats_changepoint *x = r->change;

	if (c->format == REPORT_LOG_TEXT) {
		if (isfinite(x->shift))
			pg_buf_addf(&c->out, "  <- shift %+.1f%% (",
			            100 * x->shift);
		else
			pg_buf_addstr(&c->out, "  <- shift (");
		print_value(&c->out, x->before, r->unit);
		pg_buf_addstr(&c->out, " -> ");
		print_value(&c->out, x->after, r->unit);
		pg_buf_addf(&c->out, ", p=%.3g)", x->p_value);
	} else if (c->format == REPORT_LOG_JSON) {
		pg_buf_addstr(&c->out, ",\"change\":{");
		add_change_json(&c->out, x);
		pg_buf_addch(&c->out, '}');
		/* and the list of all changes, newest first */
		pg_buf_addstr(&c->changes,
		              c->nchanges++ ? ",\n{\"sha\":" : "{\"sha\":");
		pg_json_add_string(&c->changes, k->sha);
		pg_buf_addstr(&c->changes, ",\"benchmark\":");
		pg_json_add_string(&c->changes, r->name);
		pg_buf_addstr(&c->changes, ",\"metric\":");
		pg_json_add_string(&c->changes, r->metric);
		pg_buf_addstr(&c->changes, ",\"unit\":");
		pg_json_add_string(&c->changes, r->unit);
		pg_buf_addch(&c->changes, ',');
		add_change_json(&c->changes, x);
		pg_buf_addch(&c->changes, '}');
	} else {
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->shift);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->before);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->after);
		pg_buf_addch(&c->out, ',');
		pg_json_add_number(&c->out, x->p_value);
	}
}

static void emit_row(struct report_log *c, const struct store_commit *k,
                     const struct history_row *r, int first)
{
	char date[11];

	if (c->format == REPORT_LOG_TEXT) {
		pg_buf_addf(&c->out, "    %-30s ", pg_printable(r->name));
		print_value(&c->out, r->median, r->unit);
		pg_buf_addf(&c->out, "  n=%zu", r->samples);
	} else if (c->format == REPORT_LOG_JSON) {
		pg_buf_addstr(&c->out, first ? "{\"name\":" : ",{\"name\":");
		pg_json_add_string(&c->out, r->name);
		pg_buf_addstr(&c->out, ",\"metric\":");
		pg_json_add_string(&c->out, r->metric);
		pg_buf_addstr(&c->out, ",\"unit\":");
		pg_json_add_string(&c->out, r->unit);
		pg_buf_addstr(&c->out, ",\"median\":");
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",\"samples\":%zu,\"runs\":%zu",
		            r->samples, r->runs);
	} else {
		store_commit_date(k, date);
		pg_buf_addf(&c->out, "%s,%s,", k->sha, date);
		add_csv_name(&c->out, r->name);
		pg_buf_addf(&c->out, ",%s,%s,", r->metric, r->unit);
		pg_json_add_number(&c->out, r->median);
		pg_buf_addf(&c->out, ",%zu,%zu", r->samples, r->runs);
		if (c->with_changes && !r->change)
			pg_buf_addstr(&c->out, ",,,,");
	}
	if (r->change)
		emit_change(c, k, r);
	pg_buf_addstr(&c->out, c->format == REPORT_LOG_JSON ? "}" : "\n");
}

void report_log_commit(struct report_log *c, const struct store_commit *k,
                       const struct history_row *rows, size_t n)
{
	size_t i;

	emit_commit_head(c, k);
	for (i = 0; i < n; i++)
		emit_row(c, k, &rows[i], i == 0);
	if (c->format == REPORT_LOG_JSON)
		pg_buf_addstr(&c->out, "]}");
	c->shown++;
}

static void json_trailer(struct report_log *c, const struct stats_cp_opts *cp,
                         size_t walked, int shallow, size_t warnings)
{
	pg_buf_addstr(&c->out, "\n]");
	if (c->with_changes) {
		pg_buf_addf(&c->out,
		            ",\"change_points\":{\"method\":\"e-divisive\","
		            "\"p_threshold\":%g,\"window\":%zu,"
		            "\"permutations\":%zu,\"seed\":%llu},"
		            "\"changes\":[",
		            cp->p_threshold, cp->window, cp->permutations,
		            (unsigned long long)cp->seed);
		if (c->nchanges)
			pg_buf_addf(&c->out, "\n%s\n", c->changes.s);
		pg_buf_addch(&c->out, ']');
	}
	pg_buf_addf(&c->out,
	            ",\"walked\":%zu,\"shallow\":%s,\"warnings\":%zu}\n",
	            walked, shallow ? "true" : "false", warnings);
}

void report_log_init(struct report_log *c, enum report_log_format format,
                     int with_changes)
{
	memset(c, 0, sizeof(*c));
	c->format = format;
	c->with_changes = with_changes;
	pg_buf_init(&c->out);
	pg_buf_init(&c->changes);
}

void report_log_release(struct report_log *c)
{
	pg_buf_release(&c->out);
	pg_buf_release(&c->changes);
}

int report_log_format_parse(enum report_log_format *out, const char *arg)
{
	if (!strcmp(arg, "text"))
		*out = REPORT_LOG_TEXT;
	else if (!strcmp(arg, "json"))
		*out = REPORT_LOG_JSON;
	else if (!strcmp(arg, "csv"))
		*out = REPORT_LOG_CSV;
	else
		return pg_error_input("'%s' is not text, json or csv", arg);
	return 0;
}

void report_log_begin(struct report_log *c, const char *notes_ref)
{
	if (c->format == REPORT_LOG_JSON) {
		pg_buf_addstr(&c->out, "{\"notes_ref\":");
		pg_json_add_string(&c->out, notes_ref);
		pg_buf_addstr(&c->out, ",\"commits\":[\n");
	} else if (c->format == REPORT_LOG_CSV) {
		pg_buf_addstr(&c->out, "sha,date,benchmark,metric,unit,median,"
		                       "samples,runs");
		pg_buf_addstr(&c->out, c->with_changes ? ",shift,before,after,"
		                                         "p_value\n"
		                                       : "\n");
	}
}

void report_log_changes_total(struct report_log *c, size_t total,
                              const struct stats_cp_opts *cp)
{
	if (c->format == REPORT_LOG_TEXT && c->shown)
		pg_buf_addf(&c->out,
		            "%zu change point%s (E-divisive means, p <= %g, "
		            "window %zu, %zu permutations, seed %llu)\n",
		            total, total == 1 ? "" : "s", cp->p_threshold,
		            cp->window, cp->permutations,
		            (unsigned long long)cp->seed);
}

void report_log_end(struct report_log *c, const struct stats_cp_opts *cp,
                    size_t walked, int shallow, size_t warnings)
{
	if (c->format == REPORT_LOG_JSON)
		json_trailer(c, cp, walked, shallow, warnings);
}
