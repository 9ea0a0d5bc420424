/*
 * The static HTML site: page chrome, the index and the benchmark pages;
 * the trend charts are reporters/svg.c, the gate page html_gate.c.
 */
#include "reporters/html.h"
#include "reporters/junit.h"
#include "reporters/spark.h"
#include "reporters/svg.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char css[] =
        "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
        "table{border-collapse:collapse}td,th{padding:3px 8px;"
        "border-bottom:1px solid #ddd;text-align:left;vertical-align:middle}"
        "td.num{text-align:right;font-variant-numeric:tabular-nums}"
        ".chart text{font-size:11px;fill:#444}"
        ".axis line{stroke:#888}.grid{stroke:#eee}"
        ".line{fill:none;stroke:#3366aa;stroke-width:1.2}"
        ".pt{fill:#3366aa}.wh{stroke:#7799cc}"
        ".cp-worse path{fill:#c0392b}.cp-worse line{stroke:#c0392b;"
        "stroke-dasharray:6 3}.cp-better path{fill:#27864a}"
        ".cp-better line{stroke:#27864a;stroke-dasharray:2 3}"
        ".accepted path{fill:#b7791f}.paired rect{fill:none;stroke:#6b46c1}"
        ".spark polyline{fill:none;stroke:#3366aa}.spark circle{fill:#222}"
        ".v-regression,.v-over-budget,.v-error{color:#c0392b}"
        ".v-improvement{color:#27864a}.v-accepted{color:#b7791f}"
        ".sb{fill:#3366aa}.sc{fill:#c0392b}"
        ".note{color:#555}code{font-size:90%}";

void html_esc(struct pg_buf *b, const char *s)
{
	report_xml_escape(b, s, 1);
}

void html_page_begin(struct pg_buf *b, const char *title, const char *heading)
{
	pg_buf_addstr(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	                 "<meta charset=\"utf-8\"/><title>");
	html_esc(b, title);
	pg_buf_addf(b, "</title><style>%s</style></head>\n<body>\n", css);
	pg_buf_addstr(b, "<p><a href=\"index.html\">index</a></p>\n<h1>");
	html_esc(b, heading);
	pg_buf_addstr(b, "</h1>\n");
}

void html_page_end(struct pg_buf *b)
{
	pg_buf_addstr(b, "<p class=\"note\">Written by perfgate report "
	                 "--html.</p>\n</body></html>\n");
}

void html_percent(struct pg_buf *b, double f)
{
	if (isfinite(f))
		pg_buf_addf(b, "%+.1f%%", 100 * f);
	else
		pg_buf_addstr(b, "\xe2\x80\x94"); /* em dash */
}

static const char *verdict_shape(enum report_verdict v)
{
	switch (v) {
	case REPORT_REGRESSION:
	case REPORT_OVER_BUDGET:
		return "\xe2\x96\xb2"; /* up triangle */
	case REPORT_ERROR:
		return "\xe2\x9c\x96"; /* heavy x */
	case REPORT_IMPROVEMENT:
		return "\xe2\x96\xbc"; /* down triangle */
	case REPORT_ACCEPTED:
		return "\xe2\x97\x86"; /* diamond */
	case REPORT_INCONCLUSIVE:
		return "?";
	default:
		return "\xe2\x97\x8b"; /* circle */
	}
}

void html_verdict(struct pg_buf *b, const struct report_row *row)
{
	pg_buf_addf(b, "<span class=\"v-%s\">%s ",
	            report_verdict_name(row->verdict),
	            verdict_shape(row->verdict));
	html_esc(b, report_row_verdict_name(row));
	pg_buf_addstr(b, "</span>");
}

/* A name safe in a file name and unique: "parse-1a2b3c4d". */
static void slug(struct pg_buf *b, const char *name)
{
	char hash[17];
	const char *p;
	size_t n = 0;

	for (p = name; *p && n < 40; p++, n++)
		pg_buf_addch(b, (*p >= 'a' && *p <= 'z') ||
		                                (*p >= 'A' && *p <= 'Z') ||
		                                (*p >= '0' && *p <= '9') ||
		                                *p == '-' || *p == '_'
		                        ? *p
		                        : '_');
	result_hash_hex(name, strlen(name), hash);
	pg_buf_addf(b, "-%.8s", hash);
}

/* "owner/repo" of a remote URL: host and path into *host, *path. */
static int split_remote(const char *remote, const char **host, size_t *hlen,
                        const char **path, const char **end)
{
	const char *colon = strchr(remote, ':'), *slash = strchr(remote, '/');
	const char *at, *p;
	int scp = 0;

	if (!strncmp(remote, "https://", 8) || !strncmp(remote, "http://", 7) ||
	    !strncmp(remote, "ssh://", 6))
		*host = strstr(remote, "//") + 2;
	else if (colon && (!slash || colon < slash))
		*host = remote, scp = 1; /* git@host:owner/repo */
	else
		return -1;
	at = strchr(*host, '@');
	if (at && at < *host + strcspn(*host, "/"))
		*host = at + 1;
	*hlen = strcspn(*host, ":/");
	p = *host + *hlen;
	if (*p == ':')
		p = scp ? p + 1 : p + strcspn(p, "/"); /* scp path, or a port */
	while (*p == '/')
		p++;
	*path = p;
	*end = p + strlen(p);
	if (*end - p > 4 && !strcmp(*end - 4, ".git"))
		*end -= 4;
	while (*end > p && (*end)[-1] == '/')
		(*end)--;
	return *hlen && memchr(p, '/', (size_t)(*end - p)) != NULL ? 0 : -1;
}

static int has_gitlab(const char *host, size_t len)
{
	size_t i;

	for (i = 0; i + 6 <= len; i++)
		if (!strncmp(host + i, "gitlab", 6))
			return 1;
	return 0;
}

char *html_forge_commit_url(const char *remote)
{
	struct pg_buf b;
	const char *host, *path, *end, *suffix;
	size_t len;

	if (!remote || split_remote(remote, &host, &len, &path, &end) < 0)
		return NULL;
	if (len == 10 && !strncmp(host, "github.com", 10))
		suffix = "/commit/";
	else if (has_gitlab(host, len))
		suffix = "/-/commit/";
	else
		return NULL;
	pg_buf_init(&b);
	pg_buf_addstr(&b, "https://");
	pg_buf_add(&b, host, len);
	pg_buf_addch(&b, '/');
	pg_buf_add(&b, path, (size_t)(end - path));
	pg_buf_addstr(&b, suffix);
	return pg_buf_detach(&b, NULL);
}

void html_bench_file(struct pg_buf *b, const char *name)
{
	pg_buf_addstr(b, "bench-");
	slug(b, name);
	pg_buf_addstr(b, ".html");
}

size_t html_pos(const struct html_site *st, const struct history_row *r)
{
	return history_series_count(st->history) - 1 - r->commit;
}

const struct history_row *html_nth(const struct html_site *st,
                                   const struct history_line *s, size_t i)
{
	return history_series_row(st->history, s->rows[s->n - 1 - i]);
}

const struct store_commit *html_commit_of(const struct html_site *st,
                                          const struct history_row *r)
{
	const struct history_row *rows;
	size_t n;

	return history_series_get(st->history, r->commit, &rows, &n);
}

void html_value(struct pg_buf *b, double v, const char *unit)
{
	char text[64];

	html_esc(b, pg_format_value(text, sizeof(text), v, unit));
}

const char *html_worse_word(const struct history_line *s, double change)
{
	if (!isfinite(change) || change == 0)
		return "";
	return (change > 0) == (s->direction == RESULT_LOWER_IS_BETTER)
	               ? " worse"
	               : " better";
}

void html_change_point(struct pg_buf *b, const struct html_site *st,
                       const struct history_line *s, size_t k)
{
	const struct stats_changepoint *c = &s->cps[k];
	struct stats_interval ci;

	html_percent(b, c->shift);
	if (history_series_change_ci(&ci, st->history, s, k,
	                             HTML_CP_CONFIDENCE) == 0) {
		pg_buf_addstr(b, " [");
		html_percent(b, ci.low);
		pg_buf_addstr(b, ", ");
		html_percent(b, ci.high);
		pg_buf_addf(b, "] (%.0f%% CI)", 100 * ci.confidence);
	}
	pg_buf_addstr(b, html_worse_word(s, c->shift));
}
