/*
 * What the load-generator parsers share: the metrics every load benchmark
 * carries (formats/internal.h), CSV splitting and line iteration.
 */
#include "formats/internal.h"
#include "stats/describe.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *unit;
	enum result_direction direction;
} stats_table[] = {
        {"latency_p50", "s", RESULT_LOWER_IS_BETTER},
        {"latency_p90", "s", RESULT_LOWER_IS_BETTER},
        {"latency_p95", "s", RESULT_LOWER_IS_BETTER},
        {"latency_p99", "s", RESULT_LOWER_IS_BETTER},
        {"latency_max", "s", RESULT_LOWER_IS_BETTER},
        {"latency_mean", "s", RESULT_LOWER_IS_BETTER},
        {"throughput", FMT_LOAD_THROUGHPUT_UNIT, RESULT_HIGHER_IS_BETTER},
};

static struct result_metric *aggregate(struct result_bench *b, const char *name,
                                       const char *unit,
                                       enum result_direction dir)
{
	struct result_metric *m = result_metric_get(b, name, unit, dir);

	m->aggregate = 1;
	return m;
}

int fmt_load_stat(const struct fmt_ctx *c, struct result_bench *b,
                  const char *metric, double v, double scale)
{
	size_t i;

	for (i = 0; i < sizeof(stats_table) / sizeof(stats_table[0]); i++)
		if (!strcmp(stats_table[i].name, metric))
			return fmt_push(c,
			                aggregate(b, metric,
			                          stats_table[i].unit,
			                          stats_table[i].direction),
			                v, scale);
	return fmt_error(c, "internal error: unknown load metric '%s'", metric);
}

int fmt_load_counts(const struct fmt_ctx *c, struct result_bench *b,
                    double requests, double failures)
{
	if (!(requests >= 0 && requests == floor(requests) && requests < 1e15))
		return fmt_error(c,
		                 "the request count %g is not a whole "
		                 "number",
		                 requests);
	if (!(failures >= 0 && failures == floor(failures)))
		return fmt_error(c,
		                 "the failure count %g is not a whole "
		                 "number",
		                 failures);
	if (requests == 0)
		return fmt_error(c, "no requests were made");
	if (failures > requests)
		return fmt_error(c, "%.0f failures out of %.0f requests",
		                 failures, requests);
	result_metric_push(
	        aggregate(b, "requests", "count", RESULT_HIGHER_IS_BETTER),
	        requests);
	result_metric_push(
	        aggregate(b, "failures", "count", RESULT_LOWER_IS_BETTER),
	        failures);
	result_metric_push(
	        aggregate(b, "error_rate", "ratio", RESULT_LOWER_IS_BETTER),
	        failures / requests);
	return 0;
}

void fmt_load_latencies(struct result_bench *b, const double *lat, size_t n)
{
	static const struct {
		const char *name;
		double p;
	} qs[] = {{"latency_p50", 0.5},
	          {"latency_p90", 0.9},
	          {"latency_p95", 0.95},
	          {"latency_p99", 0.99}};
	struct result_metric *m =
	        result_metric_get(b, "latency", "s", RESULT_LOWER_IS_BETTER);
	double *sorted = stats_sorted_copy(lat, n);
	size_t i;

	if (n <= PG_MAX_RAW_LATENCIES) {
		for (i = 0; i < n; i++)
			result_metric_push(m, lat[i]);
	} else {
		char tmp[32];

		/* the (i + 0.5) / k quantiles, as order statistics */
		for (i = 0; i < PG_MAX_RAW_LATENCIES; i++)
			result_metric_push(
			        m,
			        sorted[(size_t)(((double)i + 0.5) * (double)n /
			                        PG_MAX_RAW_LATENCIES)]);
		snprintf(tmp, sizeof(tmp), "%zu", n);
		result_bench_set_param(b, "latency_reduced_from", tmp);
	}
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		result_metric_push(
		        aggregate(b, qs[i].name, "s", RESULT_LOWER_IS_BETTER),
		        stats_quantile_sorted(sorted, n, qs[i].p));
	result_metric_push(
	        aggregate(b, "latency_max", "s", RESULT_LOWER_IS_BETTER),
	        sorted[n - 1]);
	result_metric_push(
	        aggregate(b, "latency_mean", "s", RESULT_LOWER_IS_BETTER),
	        stats_mean(lat, n));
	free(sorted);
}

static const char *const order[] = {
        "latency_p95",  "latency_p99", "latency_p90", "latency_p50",
        "latency_mean", "latency_max", "throughput",  "error_rate",
        "requests",     "failures",    "latency",
};

static size_t rank(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(order[i], name))
			return i;
	return i;
}

int fmt_load_order(struct result_bench *b, int err)
{
	size_t i, j;

	if (err < 0)
		return err;
	/* insertion sort: a dozen metrics, stable */
	for (i = 1; i < b->nmetrics; i++) {
		struct result_metric m = b->metrics[i];

		for (j = i;
		     j > 0 && rank(b->metrics[j - 1].name) > rank(m.name); j--)
			b->metrics[j] = b->metrics[j - 1];
		b->metrics[j] = m;
	}
	return 0;
}

int fmt_csv_split(char *line, char **fields, size_t max)
{
	char *r = line, *w = line;
	size_t n = 0;

	for (;;) {
		if (n == max)
			return -1;
		fields[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"' && r[1] == '"') {
					*w++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*w++ = *r++;
				}
			}
			if (*r && *r != ',')
				return -1;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return (int)n;
		}
		r++; /* the comma */
		*w++ = '\0';
	}
}

int fmt_next_line(const struct fmt_input *in, size_t *off, struct pg_buf *line,
                  size_t *lineno)
{
	const char *nl;
	size_t end;
	struct fmt_ctx c;

	if (*off >= in->len)
		return 0;
	nl = memchr(in->data + *off, '\n', in->len - *off);
	end = nl ? (size_t)(nl - in->data) : in->len;
	(*lineno)++;
	pg_buf_reset(line);
	pg_buf_add(line, in->data + *off, end - *off);
	*off = end + 1;
	fmt_ctx_init(&c, in->source, "");
	fmt_path_push(&c, "line %zu", *lineno);
	if (memchr(line->s, '\0', line->len))
		return fmt_error(&c, "contains a NUL byte");
	/* these tools end every line: a last partial one was cut short */
	if (!nl)
		return fmt_error(&c, "incomplete line (is the output "
		                     "truncated?)");
	if (line->len && line->s[line->len - 1] == '\r')
		line->s[--line->len] = '\0';
	return 1;
}

int fmt_parse_count(const char *s, double *out)
{
	double v;

	if (fmt_parse_double(s, &v) < 0 || v < 0 || v != floor(v) ||
	    strpbrk(s, ".eE"))
		return -1;
	*out = v;
	return 0;
}

int fmt_is_count(double x)
{
	/* a double out of long long's range must not be converted to it */
	return x >= 0 && x < 0x1p63 && x == floor(x);
}

int fmt_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	s += strspn(s, " \t");
	if (!*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	end += strspn(end, " \t");
	if (*end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}
