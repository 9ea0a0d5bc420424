/*
 * `go test -bench` text output.
 *
 *   pkg: example.com/m
 *   BenchmarkSort/size=10-8   2000   302.2 ns/op   104 B/op   2 allocs/op
 *
 * Each result line is one sample of each of its metrics; -count
 * repetitions give more lines for the same name.  The -N GOMAXPROCS
 * suffix becomes the "procs" parameter and is dropped from the name
 * unless the same benchmark ran with several -cpu values.  name=value
 * parts of sub-benchmark names become parameters.  Metrics: ns/op (as
 * "sec/op" in seconds), B/op, allocs/op, MB/s (as "B/s", higher is
 * better) and b.ReportMetric units, kept as they are (higher is better
 * when the unit ends in "/s").  "--- FAIL: BenchmarkX" marks X failed.
 * A last line that starts with "Benchmark" but has no newline is taken
 * for truncated output.
 */
#include "formats/internal.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/mem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

struct go_state {
	struct fmt_ctx c;
	struct result_run *run;
	char *pkg;
	char *pending; /* a name printed alone; its numbers follow later */
};

/* Split line into at most MAX_FIELDS NUL-terminated fields, in place. */
static size_t split(char *line, char **fields)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p || n == MAX_FIELDS)
			break;
		fields[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int is_count(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int is_result_start(char **f, size_t n)
{
	return n >= 3 && is_count(f[0]) && n % 2 == 1;
}

/* Length of name without a "-N" GOMAXPROCS suffix; *procs gets N. */
static size_t base_len(const char *name, const char **procs)
{
	const char *dash = strrchr(name, '-');

	*procs = NULL;
	if (!dash || dash == name || !is_count(dash + 1) || strchr(dash, '/'))
		return strlen(name);
	*procs = dash + 1;
	return (size_t)(dash - name);
}

/* name=value parts after the first '/' become parameters. */
static void name_params(struct result_bench *b, const char *name, size_t len)
{
	char *copy = pg_strndup(name, len), *part, *save = NULL;
	int first = 1;

	for (part = strtok_r(copy, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		char *eq = strchr(part, '=');

		if (!first && eq && eq != part) {
			*eq = '\0';
			result_bench_set_param(b, part, eq + 1);
		}
		first = 0;
	}
	free(copy);
}

static int get_bench(struct go_state *s, const char *name,
                     struct result_bench **out)
{
	struct result_bench *b = result_bench_find(s->run, name);
	const char *procs, *pkg;
	size_t i, blen;

	if (!pg_utf8_valid(name))
		return fmt_error(&s->c,
		                 "benchmark name '%s' is not valid UTF-8",
		                 pg_printable(name));
	if (b) {
		for (pkg = NULL, i = 0; i < b->nparams; i++)
			if (!strcmp(b->params[i].key, "pkg"))
				pkg = b->params[i].value;
		if (s->pkg && pkg && strcmp(pkg, s->pkg))
			return fmt_error(&s->c,
			                 "benchmark '%s' is in packages '%s' "
			                 "and '%s': run them separately",
			                 name, pkg, s->pkg);
		*out = b;
		return 0;
	}
	b = result_bench_add(s->run, name);
	blen = base_len(name, &procs);
	if (procs)
		result_bench_set_param(b, "procs", procs);
	if (s->pkg)
		result_bench_set_param(b, "pkg", s->pkg);
	name_params(b, name, blen);
	*out = b;
	return 0;
}

/* Metric name, unit, scale and direction for a Go unit. */
static void go_unit(const char *unit, const char **metric, const char **norm,
                    double *scale, enum result_direction *dir)
{
	const struct fmt_unit *u = fmt_unit_find(unit);
	size_t len = strlen(unit);

	*metric = unit;
	*norm = unit;
	*scale = 1;
	*dir = len > 2 && !strcmp(unit + len - 2, "/s")
	               ? RESULT_HIGHER_IS_BETTER
	               : RESULT_LOWER_IS_BETTER;
	if (!u)
		return;
	if (!strcmp(u->unit, "s") && len > 3 && !strcmp(unit + len - 3, "/op"))
		*metric = "sec/op";
	else if (!strcmp(unit, "MB/s"))
		*metric = "B/s";
	else if (strcmp(unit, "B/op") && strcmp(unit, "allocs/op"))
		return;
	*norm = u->unit;
	*scale = u->scale;
	*dir = u->direction;
}

/* f[0] is the iteration count, then value/unit pairs. */
static int add_result(struct go_state *s, const char *name, char **f, size_t n)
{
	const char *seen[MAX_FIELDS];
	struct result_bench *b;
	size_t i, j, nseen = 0;
	int err;

	if ((err = get_bench(s, name, &b)) < 0)
		return err;
	for (i = 1; i + 1 < n; i += 2) {
		const char *metric, *unit;
		enum result_direction dir;
		struct result_metric *m;
		double v, scale;
		char *end;

		errno = 0;
		v = strtod(f[i], &end);
		if (*end || end == f[i] || errno == ERANGE)
			return fmt_error(&s->c, "'%s': '%s' is not a number",
			                 name, f[i]);
		go_unit(f[i + 1], &metric, &unit, &scale, &dir);
		for (j = 0; j < nseen; j++)
			if (!strcmp(seen[j], metric))
				return fmt_error(&s->c,
				                 "'%s': metric '%s' appears "
				                 "twice",
				                 name, metric);
		seen[nseen++] = metric;
		m = result_metric_get(b, metric, unit, dir);
		if (strcmp(m->unit, unit) || m->direction != dir)
			return fmt_error(&s->c,
			                 "'%s': metric '%s' changed "
			                 "unit",
			                 name, metric);
		if ((err = fmt_push(&s->c, m, v, scale)) < 0)
			return err;
	}
	return 0;
}

static int fail_line(struct go_state *s, char **f, size_t n)
{
	struct result_bench *b;
	int err;

	if (n < 3 || strncmp(f[2], "Benchmark", 9))
		return 0;
	if ((err = get_bench(s, f[2], &b)) < 0)
		return err;
	result_bench_set_error(b, "benchmark failed (--- FAIL)");
	return 0;
}

static int parse_line(struct go_state *s, char *line)
{
	char *f[MAX_FIELDS];
	size_t n = split(line, f);
	int err = 0;

	if (n == 2 && !strcmp(f[0], "pkg:")) {
		free(s->pkg);
		s->pkg = pg_strdup(f[1]);
	} else if (n >= 2 && !strcmp(f[0], "---") && !strcmp(f[1], "FAIL:")) {
		err = fail_line(s, f, n);
	} else if (n >= 1 && !strncmp(f[0], "Benchmark", 9)) {
		free(s->pending);
		s->pending = NULL;
		if (n == 1)
			s->pending = pg_strdup(f[0]);
		else if (n == MAX_FIELDS)
			err = fmt_error(&s->c, "too many fields");
		else if (!is_count(f[1]))
			err = fmt_error(&s->c,
			                "'%s': expected the iteration "
			                "count, not '%s'",
			                f[0], f[1]);
		else if (!is_result_start(f + 1, n - 1))
			err = fmt_error(&s->c,
			                "'%s': expected value and unit "
			                "pairs after the iteration count",
			                f[0]);
		else
			err = add_result(s, f[0], f + 1, n - 1);
	} else if (s->pending && is_result_start(f, n) && n < MAX_FIELDS) {
		err = add_result(s, s->pending, f, n);
		free(s->pending);
		s->pending = NULL;
	}
	return err;
}

/*
 * Drop the -N suffix from names when no other benchmark has the same base
 * name (the usual case: one -cpu value).
 */
static void drop_procs(struct result_run *run)
{
	size_t i, j, li, lj;
	const char *p;

	for (i = 0; i < run->nbenches; i++) {
		char *name = run->benches[i].name;
		int unique = 1;

		li = base_len(name, &p);
		if (!p)
			continue;
		for (j = 0; j < run->nbenches && unique; j++) {
			const char *other = run->benches[j].name;

			lj = base_len(other, &p);
			if (j != i && li == lj && !strncmp(name, other, li))
				unique = 0;
		}
		if (unique)
			name[li] = '\0';
	}
}

static int go_parse(struct fmt_input *in, struct result_run *run)
{
	struct go_state s = {{0}, run, NULL, NULL};
	struct pg_buf line = PG_BUF_INIT;
	size_t off = 0, lineno = 0;
	int err = 0;

	while (off < in->len && err == 0) {
		const char *nl = memchr(in->data + off, '\n', in->len - off);
		size_t end = nl ? (size_t)(nl - in->data) : in->len;

		lineno++;
		pg_buf_reset(&line);
		pg_buf_add(&line, in->data + off, end - off);
		if (memchr(line.s, '\0', line.len)) {
			fmt_ctx_init(&s.c, in->source, "");
			err = fmt_error(&s.c, "line %zu: contains a NUL byte",
			                lineno);
			break;
		}
		fmt_ctx_init(&s.c, in->source, "");
		fmt_path_push(&s.c, "line %zu", lineno);
		/* go ends every line: a last partial one was cut short */
		if (!nl &&
		    !strncmp(line.s + strspn(line.s, " \t"), "Benchmark", 9)) {
			err = fmt_error(&s.c, "incomplete line (is the output "
			                      "truncated?)");
			break;
		}
		err = parse_line(&s, line.s);
		off = end + 1;
	}
	if (err == 0)
		drop_procs(run);
	free(s.pkg);
	free(s.pending);
	pg_buf_release(&line);
	return err;
}

/* A result line (even a broken one), or a benchmark failure. */
static int go_detect(struct fmt_input *in)
{
	size_t off = 0;
	int found = 0, pending = 0;

	if (fmt_looks_like_json(in->data, in->len))
		return 0;
	while (off < in->len && !found) {
		const char *nl = memchr(in->data + off, '\n', in->len - off);
		size_t end = nl ? (size_t)(nl - in->data) : in->len;
		char *copy = pg_strndup(in->data + off, end - off);
		char *f[MAX_FIELDS];
		size_t n = split(copy, f);

		/* a name and an iteration count: a result, maybe broken */
		if (n >= 2 && !strncmp(f[0], "Benchmark", 9) && is_count(f[1]))
			found = 1;
		if (n >= 3 && !strcmp(f[0], "---") && !strcmp(f[1], "FAIL:") &&
		    !strncmp(f[2], "Benchmark", 9))
			found = 1;
		/* a name alone, its numbers after the benchmark's output */
		if (pending && is_result_start(f, n))
			found = 1;
		if (n == 1 && !strncmp(f[0], "Benchmark", 9))
			pending = 1;
		free(copy);
		off = end + 1;
	}
	return found;
}

const struct fmt_ops fmt_go = {"go", 0, go_detect, go_parse};
