/*
 * libFuzzer target: the report writers fed hostile names.  The input is
 * split at NUL bytes into a group, a benchmark, a metric and a unit; a
 * report of one row of each verdict is written in every format.  The JSON
 * report must parse back with those names; the JUnit report must carry
 * no control character XML 1.0 forbids; the terminal and GitHub outputs
 * must not let a name start a line or carry ESC.
 */
#include "model/report.h"
#include "reporters/reporter.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The i-th NUL-separated field of data, malloc'd ("" when missing). */
static char *field(const uint8_t *data, size_t size, int i)
{
	size_t start = 0, end;

	for (; i > 0 && start <= size; i--) {
		const uint8_t *nul = memchr(data + start, 0, size - start);

		start = nul ? (size_t)(nul - data) + 1 : size + 1;
	}
	if (start > size)
		return pg_strdup("");
	end = start;
	while (end < size && data[end])
		end++;
	return pg_strndup((const char *)data + start, end - start);
}

static void build(struct report *r, char *const f[4])
{
	int v;

	report_init(r);
	r->title = pg_strdup(f[0]);
	r->mode = pg_strdup("stored baseline");
	r->notice = pg_strdup(f[1]);
	for (v = 0; v <= REPORT_REMOVED; v++) {
		struct report_row *row = report_add_row(r, f[0], f[1], f[2]);

		row->unit = pg_strdup(f[3]);
		row->verdict = (enum report_verdict)v;
		row->base_value = 1.0;
		row->cand_value = v % 2 ? NAN : 1.5;
		row->estimate = 0.5;
		row->ci_low = 0.1;
		row->ci_high = INFINITY;
		row->p_value = 0.01;
		row->p_adjusted = 0.02;
		row->n_base = row->n_cand = 3;
		row->test = pg_strdup(f[2]);
	}
}

static void check_json(const struct pg_buf *out)
{
	cJSON *root = NULL;

	if (pg_json_parse(&root, out->s, out->len, "report") != 0) {
		/* the JSON report is not JSON */
		fprintf(stderr, "%s\n", pg_error_last());
		abort();
	}
	cJSON_Delete(root);
}

static void check_junit(const struct pg_buf *out)
{
	size_t i;

	for (i = 0; i < out->len; i++) {
		unsigned char c = (unsigned char)out->s[i];

		if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
			/* not XML 1.0 */
			fprintf(stderr, "junit: byte 0x%02x at %zu: %.60s\n", c,
			        i, out->s + (i > 30 ? i - 30 : 0));
			abort();
		}
	}
}

static void check_lines(const struct pg_buf *out, int github)
{
	const char *p;

	const char *esc = memchr(out->s, 0x1b, out->len);

	if (esc) {
		/* an ESC from a name reached the output */
		fprintf(stderr, "ESC at %zu: %.60s\n", (size_t)(esc - out->s),
		        esc > out->s + 30 ? esc - 30 : out->s);
		abort();
	}
	for (p = out->s; github && (p = strstr(p, "\n::")); p++)
		if (strncmp(p + 3, "error", 5) &&
		    strncmp(p + 3, "warning", 7) && strncmp(p + 3, "notice", 6))
			abort(); /* a name started a workflow command */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct reporter *const *rep;
	struct report r;
	char *f[4];
	int i;

	for (i = 0; i < 4; i++)
		f[i] = field(data, size, i);
	build(&r, f);
	for (rep = report_reporters; *rep; rep++) {
		struct pg_buf out = PG_BUF_INIT;

		(*rep)->write(&r, &out, NULL);
		if (!strcmp((*rep)->name, "json"))
			check_json(&out);
		else if (!strcmp((*rep)->name, "junit"))
			check_junit(&out);
		else if (!strcmp((*rep)->name, "terminal") ||
		         !strcmp((*rep)->name, "github"))
			check_lines(&out, !strcmp((*rep)->name, "github"));
		pg_buf_release(&out);
	}
	report_release(&r);
	for (i = 0; i < 4; i++)
		free(f[i]);
	return 0;
}
