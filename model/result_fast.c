/*
 * The fast reader of results documents; see model/result_fast.h.
 *
 * Every function returns 0 when it read what it expected, or DECLINE.  A
 * decline is not an error: result_doc_parse() then reads the text with
 * cJSON, so each check here only has to be at least as strict as cJSON and
 * model/result_json.c, never to explain anything.  What cJSON 1.7.15 is
 * lenient about (numbers such as "01" or "1.", any byte <= 32 as
 * whitespace, raw control characters in strings, "\u" escapes of NUL or
 * with bad hex digits, which it turns into NUL) is declined here.
 */
#include "model/result_fast.h"
#include "util/buf.h"
#include "util/cancel.h"
#include "util/jsonnum.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DECLINE 1
/* cJSON copies at most 63 characters of a number before strtod(). */
#define NUMBER_MAX 63
/* cJSON refuses nesting deeper than 1000; stay well below. */
#define DEPTH_MAX 200

struct reader {
	const char *p, *end;
	int depth;
	int cancelled; /* SIGINT/SIGTERM arrived: util/cancel.h */
	struct pg_buf key, val; /* the last key / string value read */
	double *samples; /* scratch for one metric's samples */
	size_t nsamples, samples_alloc;
};

static void ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
	                         *r->p == '\r' || *r->p == '\t'))
		r->p++;
}

static int peek(const struct reader *r)
{
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

static int expect(struct reader *r, char c)
{
	if (r->p >= r->end || *r->p != c)
		return DECLINE;
	r->p++;
	return 0;
}

static int literal(struct reader *r, const char *word, size_t len)
{
	if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len))
		return DECLINE;
	r->p += len;
	return 0;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return DECLINE;
	}
	*out = v;
	return 0;
}

/* A "\uXXXX" escape at p (after the backslash) into out, as UTF-8. */
static int unicode_escape(struct reader *r, struct pg_buf *out)
{
	unsigned cp;
	char u[3];

	/* NUL would cut the string; surrogates are rare: leave to cJSON */
	if (r->end - r->p < 5 || hex4(r->p + 1, &cp) || cp == 0 ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return DECLINE;
	r->p += 5;
	if (cp < 0x80) {
		pg_buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		pg_buf_add(out, u, 2);
	} else {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		pg_buf_add(out, u, 3);
	}
	return 0;
}

static int escape(struct reader *r, struct pg_buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;

	r->p++; /* the backslash */
	if (r->p >= r->end)
		return DECLINE;
	if (*r->p == 'u')
		return unicode_escape(r, out);
	hit = strchr(from, *r->p);
	if (!hit || !*r->p)
		return DECLINE;
	pg_buf_addch(out, to[hit - from]);
	r->p++;
	return 0;
}

/* A string at r->p into out (reset first). */
static int string(struct reader *r, struct pg_buf *out)
{
	const char *run;

	pg_buf_reset(out);
	if (expect(r, '"'))
		return DECLINE;
	for (;;) {
		run = r->p;
		while (r->p < r->end && *r->p != '"' && *r->p != '\\' &&
		       (unsigned char)*r->p >= 0x20)
			r->p++;
		pg_buf_add(out, run, (size_t)(r->p - run));
		if (r->p >= r->end || (unsigned char)*r->p < 0x20)
			return DECLINE;
		if (*r->p == '"')
			break;
		if (escape(r, out))
			return DECLINE;
	}
	r->p++;
	return 0;
}

static int number(struct reader *r, double *v)
{
	const char *e = pg_json_scan_number(r->p, r->end, v);

	if (!e || e - r->p > NUMBER_MAX)
		return DECLINE;
	r->p = e;
	return 0;
}

static int is_number_start(int c)
{
	return c == '-' || (c >= '0' && c <= '9');
}

/*
 * Object members and array elements.  Call with *first = 1 just after the
 * opening bracket; returns 0 with r->p at the next member's value (its key
 * in r->key) or element, -1 at the closing bracket, DECLINE otherwise.
 */
static int next_member(struct reader *r, int *first)
{
	ws(r);
	if (*first && peek(r) == '}') {
		r->p++;
		return -1;
	}
	if (!*first) {
		if (peek(r) == '}') {
			r->p++;
			return -1;
		}
		if (expect(r, ','))
			return DECLINE;
		ws(r);
	}
	*first = 0;
	if (string(r, &r->key))
		return DECLINE;
	ws(r);
	if (expect(r, ':'))
		return DECLINE;
	ws(r);
	return 0;
}

static int next_element(struct reader *r, int *first)
{
	/* every array element: a single huge note must not hold a signal */
	if (pg_cancel_signal) {
		r->cancelled = 1;
		return DECLINE;
	}
	ws(r);
	if (peek(r) == ']') {
		/* after a comma the value readers decline on ']' */
		r->p++;
		return -1;
	}
	if (!*first && expect(r, ','))
		return DECLINE;
	*first = 0;
	ws(r);
	return 0;
}

static int skip_value(struct reader *r);

static int skip_container(struct reader *r, char open)
{
	int first = 1, k;

	if (++r->depth > DEPTH_MAX)
		return DECLINE;
	r->p++;
	while ((k = open == '{' ? next_member(r, &first)
	                        : next_element(r, &first)) == 0)
		if (skip_value(r))
			return DECLINE;
	r->depth--;
	return k < 0 ? 0 : DECLINE;
}

static int skip_value(struct reader *r)
{
	double v;
	int c = peek(r);

	switch (c) {
	case '"':
		return string(r, &r->val);
	case '{':
	case '[':
		return skip_container(r, (char)c);
	case 't':
		return literal(r, "true", 4);
	case 'f':
		return literal(r, "false", 5);
	case 'n':
		return literal(r, "null", 4);
	default:
		return is_number_start(c) ? number(r, &v) : DECLINE;
	}
}

/* `true` is 1; any other value is 0 (cJSON_IsTrue). */
static int flag(struct reader *r, int *out)
{
	*out = peek(r) == 't';
	return skip_value(r);
}

/* An optional string: a string or null; absent leaves *out NULL. */
static int opt_string(struct reader *r, char **out)
{
	if (peek(r) == 'n')
		return literal(r, "null", 4);
	if (string(r, &r->val))
		return DECLINE;
	*out = pg_strndup(r->val.s, r->val.len);
	return 0;
}

/*
 * Which of the known keys names is r->key: its index, or -1.  A known
 * key seen twice declines, since cJSON readers take the first and this
 * reader would take the last.
 */
static int known_key(const struct reader *r, const char *const *names,
                     unsigned *seen, int *dup)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(r->key.s, names[i])) {
			*dup = (*seen >> i) & 1;
			*seen |= 1u << i;
			return i;
		}
	}
	*dup = 0;
	return -1;
}

static int samples(struct reader *r, struct result_metric *m)
{
	int first = 1, k;
	double v;

	if (expect(r, '['))
		return DECLINE;
	r->nsamples = 0;
	while ((k = next_element(r, &first)) == 0) {
		if (!is_number_start(peek(r)) || number(r, &v) || !isfinite(v))
			return DECLINE;
		r->samples = pg_grow_array(r->samples, sizeof(double),
		                           r->nsamples + 1, &r->samples_alloc);
		r->samples[r->nsamples++] = v;
	}
	if (k > 0)
		return DECLINE;
	m->n = m->alloc = r->nsamples;
	m->samples = pg_malloc(r->nsamples * sizeof(double));
	if (r->nsamples)
		memcpy(m->samples, r->samples, r->nsamples * sizeof(double));
	return 0;
}

/*
 * The "summary" of a metric gc summarised: exactly n, mean, sd and mad,
 * finite, n a positive integer.  Anything else declines: the tree reader
 * says what is wrong.
 */
static int summary(struct reader *r, struct result_metric *m)
{
	static const char *const keys[] = {"n", "mean", "sd", "mad", NULL};
	double *slots[] = {NULL, &m->summary.mean, &m->summary.sd,
	                   &m->summary.mad};
	unsigned seen = 0;
	int first = 1, k, dup, i;
	double v;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		i = known_key(r, keys, &seen, &dup);
		if (i < 0 || dup || !is_number_start(peek(r)) ||
		    number(r, &v) || !isfinite(v))
			return DECLINE;
		if (i > 0)
			*slots[i] = v;
		else if (v < 1 || v > RESULT_SUMMARY_MAX_N ||
		         v != (double)(size_t)v)
			return DECLINE;
		else
			m->summary.n = (size_t)v;
	}
	return k > 0 || seen != 15 ? DECLINE : 0;
}

static int metric(struct reader *r, struct result_metric *m)
{
	static const char *const keys[] = {"unit",      "direction", "samples",
	                                   "aggregate", "summary",   NULL};
	unsigned seen = 0;
	int first = 1, k, dup;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		switch (known_key(r, keys, &seen, &dup)) {
		case 0:
			if (dup || peek(r) != '"' || string(r, &r->val))
				return DECLINE;
			m->unit = pg_strndup(r->val.s, r->val.len);
			break;
		case 1:
			if (dup || peek(r) != '"' || string(r, &r->val))
				return DECLINE;
			if (!strcmp(r->val.s, "higher"))
				m->direction = RESULT_HIGHER_IS_BETTER;
			else if (strcmp(r->val.s, "lower"))
				return DECLINE;
			break;
		case 2:
			if (dup || samples(r, m))
				return DECLINE;
			break;
		case 3:
			if (dup || flag(r, &m->aggregate))
				return DECLINE;
			break;
		case 4:
			if (dup || summary(r, m))
				return DECLINE;
			break;
		default:
			if (skip_value(r))
				return DECLINE;
		}
	}
	/* unit and samples are required; a summary needs its points */
	if (m->summary.n && m->n != RESULT_SUMMARY_POINTS)
		return DECLINE;
	return k > 0 || (seen & 5) != 5 ? DECLINE : 0;
}

static int metrics(struct reader *r, struct result_bench *b)
{
	int first = 1, k;
	size_t i;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		struct result_metric *m;

		for (i = 0; i < b->nmetrics; i++)
			if (!strcmp(b->metrics[i].name, r->key.s))
				return DECLINE; /* duplicate metric */
		b->metrics =
		        pg_grow_array_small(b->metrics, sizeof(*b->metrics),
		                            b->nmetrics + 1, &b->metrics_alloc);
		m = &b->metrics[b->nmetrics++];
		memset(m, 0, sizeof(*m));
		m->name = pg_strndup(r->key.s, r->key.len);
		if (metric(r, m))
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int params(struct reader *r, struct result_bench *b)
{
	int first = 1, k;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		if (peek(r) != '"' || string(r, &r->val))
			return DECLINE;
		result_bench_set_param(b, r->key.s, r->val.s);
	}
	return k > 0 ? DECLINE : 0;
}

/* Fields of one benchmark; the caller checks name and uniqueness. */
static int bench(struct reader *r, struct result_bench *b, unsigned *seen)
{
	static const char *const keys[] = {"name", "error", "params", "metrics",
	                                   NULL};
	int first = 1, k, dup;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		switch (known_key(r, keys, seen, &dup)) {
		case 0:
			if (dup || peek(r) != '"' || string(r, &r->val))
				return DECLINE;
			b->name = pg_strndup(r->val.s, r->val.len);
			break;
		case 1:
			if (dup || opt_string(r, &b->error))
				return DECLINE;
			break;
		case 2:
			if (dup || params(r, b))
				return DECLINE;
			break;
		case 3:
			if (dup || metrics(r, b))
				return DECLINE;
			break;
		default:
			if (skip_value(r))
				return DECLINE;
		}
	}
	return k > 0 ? DECLINE : 0;
}

static int benchmarks(struct reader *r, struct result_run *run)
{
	int first = 1, k;

	if (expect(r, '['))
		return DECLINE;
	while ((k = next_element(r, &first)) == 0) {
		struct result_bench *b;
		unsigned seen = 0;

		run->benches =
		        pg_grow_array(run->benches, sizeof(*run->benches),
		                      run->nbenches + 1, &run->benches_alloc);
		b = &run->benches[run->nbenches++];
		memset(b, 0, sizeof(*b));
		if (bench(r, b, &seen))
			return DECLINE;
		/* name and metrics are required, names are unique */
		if (!b->name || !*b->name || !(seen & 8))
			return DECLINE;
		if (result_bench_find(run, b->name) != b)
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int loadavg(struct reader *r, double load[3])
{
	int first = 1, k, i = 0;

	if (peek(r) != '[')
		return skip_value(r); /* ignored unless an array */
	r->p++;
	while ((k = next_element(r, &first)) == 0) {
		if (i < 3 && is_number_start(peek(r))) {
			if (number(r, &load[i]))
				return DECLINE;
		} else if (skip_value(r)) {
			return DECLINE;
		}
		i++;
	}
	return k > 0 ? DECLINE : 0;
}

static int environment(struct reader *r, struct result_env *e)
{
	static const char *const keys[] = {"hostname", "cpu_model", "kernel",
	                                   "cores",    "loadavg",   NULL};
	unsigned seen = 0;
	int first = 1, k, dup, i;
	double v;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		i = known_key(r, keys, &seen, &dup);
		if (dup)
			return DECLINE;
		if (i == 0 || i == 1 || i == 2) {
			char **f[] = {&e->hostname, &e->cpu_model, &e->kernel};

			if (opt_string(r, f[i]))
				return DECLINE;
		} else if (i == 3 && is_number_start(peek(r))) {
			/* a long converts only in range: leave others */
			if (number(r, &v) || !(fabs(v) < 9e18))
				return DECLINE;
			e->cores = (long)v;
		} else if (i == 4) {
			if (loadavg(r, e->loadavg))
				return DECLINE;
		} else if (skip_value(r)) {
			return DECLINE;
		}
	}
	return k > 0 ? DECLINE : 0;
}

static int run(struct reader *r, struct result_run *run)
{
	static const char *const keys[] = {
	        "id",          "timestamp", "label",      "perfgate_version",
	        "config_hash", "commit",    "source",     "mode",
	        "session",     "side",      "dirty",      "environment",
	        "benchmarks",  "shard",     "summarised", NULL};
	char **strings[] = {&run->id,      &run->timestamp,   &run->label,
	                    &run->version, &run->config_hash, &run->commit,
	                    &run->source,  &run->mode,        &run->session,
	                    &run->side};
	unsigned seen = 0;
	int first = 1, k, dup, i;

	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		i = known_key(r, keys, &seen, &dup);
		if (dup)
			return DECLINE;
		if (i >= 0 && i < 10) {
			if (opt_string(r, strings[i]))
				return DECLINE;
		} else if (i == 10) {
			if (flag(r, &run->dirty))
				return DECLINE;
		} else if (i == 11) {
			if (environment(r, &run->env))
				return DECLINE;
		} else if (i == 12) {
			if (benchmarks(r, run))
				return DECLINE;
		} else if (i == 13) {
			/* the shard object: model/result_json.c reads it */
			return DECLINE;
		} else if (i == 14) {
			if (flag(r, &run->summarised))
				return DECLINE;
		} else if (skip_value(r)) {
			return DECLINE;
		}
	}
	return k > 0 || !(seen & (1u << 12)) ? DECLINE : 0;
}

static int runs(struct reader *r, struct result_run **out, size_t *n)
{
	size_t alloc = 0;
	int first = 1, k;

	if (expect(r, '['))
		return DECLINE;
	while ((k = next_element(r, &first)) == 0) {
		*out = pg_grow_array(*out, sizeof(**out), *n + 1, &alloc);
		result_run_init(&(*out)[(*n)++]);
		if (run(r, &(*out)[*n - 1]))
			return DECLINE;
	}
	return k > 0 ? DECLINE : 0;
}

static int document(struct reader *r, struct result_run **out, size_t *n)
{
	static const char *const keys[] = {"schema", "runs", NULL};
	unsigned seen = 0;
	int first = 1, k, dup;
	double schema;

	ws(r);
	if (expect(r, '{'))
		return DECLINE;
	while ((k = next_member(r, &first)) == 0) {
		switch (known_key(r, keys, &seen, &dup)) {
		case 0:
			if (dup || !is_number_start(peek(r)) ||
			    number(r, &schema) || schema != RESULT_SCHEMA)
				return DECLINE;
			break;
		case 1:
			if (dup || runs(r, out, n))
				return DECLINE;
			break;
		default:
			if (skip_value(r))
				return DECLINE;
		}
	}
	if (k > 0 || seen != 3)
		return DECLINE;
	ws(r);
	return r->p == r->end ? 0 : DECLINE;
}

int result_doc_parse_fast(struct result_run **out, size_t *nout,
                          const char *text, size_t len)
{
	struct reader r;
	struct result_run *runs = NULL;
	size_t n = 0;
	int err;

	memset(&r, 0, sizeof(r));
	r.p = text;
	r.end = text + len;
	pg_buf_init(&r.key);
	pg_buf_init(&r.val);
	err = document(&r, &runs, &n);
	pg_buf_release(&r.key);
	pg_buf_release(&r.val);
	free(r.samples);
	if (err) {
		result_runs_free(runs, n);
		runs = NULL;
		n = 0;
	} else if (!runs) {
		/* callers may index runs[0] of an empty array, as before */
		runs = pg_calloc(1, sizeof(*runs));
	}
	*out = runs;
	*nout = n;
	if (r.cancelled)
		return pg_cancel_check();
	return err ? DECLINE : 0;
}
