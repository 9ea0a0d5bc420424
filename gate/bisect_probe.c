/* What one bisect probe showed: see gate/bisect_probe.h. */
#include "gate/bisect_probe.h"
#include "util/buf.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/* The first line of s, for a reason. */
static char *first_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return pg_strndup(s, nl ? (size_t)(nl - s) : strlen(s));
}

/* How much a row's verdict says: a shift outranks a failure, ... */
static enum gate_bisect_mark row_mark(const struct report_row *r)
{
	switch (r->verdict) {
	case REPORT_REGRESSION:
		return GATE_BISECT_SHIFTED;
	case REPORT_ERROR:
		return GATE_BISECT_SKIP;
	case REPORT_INCONCLUSIVE:
		/*
		 * bisect asks one-sided "shifted up by theta?": a CI below
		 * theta answers no, however far down it reaches (paired
		 * mode's early pass asks the same)
		 */
		if (r->ci_high < r->threshold)
			return GATE_BISECT_SAME;
		return GATE_BISECT_UNCLEAR;
	default:
		return GATE_BISECT_SAME;
	}
}

static int rank(enum gate_bisect_mark m)
{
	return m == GATE_BISECT_SHIFTED   ? 3
	       : m == GATE_BISECT_SKIP    ? 2
	       : m == GATE_BISECT_UNCLEAR ? 1
	                                  : 0;
}

void gate_bisect_probe_decide(struct gate_bisect_probe *p,
                              const struct report *rep, const char *want)
{
	const struct report_row *keep = NULL;
	size_t i;

	for (i = 0; i < rep->nrows; i++) {
		const struct report_row *r = &rep->rows[i];

		if (r->informational || (want && strcmp(r->metric, want)))
			continue;
		if (!keep || rank(row_mark(r)) > rank(row_mark(keep)))
			keep = r;
	}
	if (!keep) {
		p->mark = GATE_BISECT_UNCLEAR;
		p->why = pg_strdup("no gating comparison");
		return;
	}
	p->mark = row_mark(keep);
	p->metric = pg_strdup(keep->metric);
	p->estimate = keep->estimate;
	p->ci_low = keep->ci_low;
	p->ci_high = keep->ci_high;
	p->confidence = keep->confidence;
	p->threshold = keep->threshold;
	p->pairs = (long)keep->n_cand;
	if (keep->error)
		p->why = first_line(keep->error);
	else if (p->mark == GATE_BISECT_UNCLEAR && keep->note)
		p->why = pg_strdup(keep->note);
}

static int names_error(const char *line, size_t len)
{
	char *copy = pg_strndup(line, len);
	int yes = strstr(copy, "error:") != NULL;

	free(copy);
	return yes;
}

char *gate_bisect_build_failure(const char *err)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p = err, *nl, *pick = NULL, *last = NULL;
	size_t pick_len = 0, last_len = 0, len;

	for (; *p; p = nl ? nl + 1 : p + len) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (!len)
			continue;
		last = p;
		last_len = len;
		if (names_error(p, len)) {
			pick = p;
			pick_len = len;
		}
		if (!nl)
			break;
	}
	if (!pick) {
		pick = last ? last : err;
		pick_len = last ? last_len : 0;
	}
	pg_buf_addstr(&b, "does not build: ");
	pg_buf_add(&b, pick, pick_len);
	return pg_buf_detach(&b, NULL);
}
