/* The table of formats, detection and the checks every format shares. */
#include "formats/formats.h"
#include "formats/internal.h"
#include "util/cancel.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/mem.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

static const struct fmt_ops *const table[] = {
        &fmt_google_benchmark, &fmt_hyperfine, &fmt_go,  &fmt_pytest_benchmark,
        &fmt_criterion,        &fmt_jmh,       &fmt_bmf, &fmt_perfgate,
        &fmt_locust,           &fmt_wrk,       &fmt_hey, &fmt_k6,
        &fmt_autocannon,
};

#define NFORMATS (sizeof(table) / sizeof(table[0]))

static const char *const names[] = {
        "google-benchmark", "hyperfine", "go",  "pytest-benchmark",
        "criterion",        "jmh",       "bmf", "perfgate",
        "locust",           "wrk",       "hey", "k6",
        "autocannon",       NULL,
};

const char *const *formats_names(void)
{
	return names;
}

static const struct fmt_ops *find_ops(const char *name)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

static void add_name_list(struct pg_buf *b)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		pg_buf_addf(b, "%s%s", i ? ", " : "", table[i]->name);
}

int formats_check_name(const char *name)
{
	struct pg_buf b = PG_BUF_INIT;
	int err;

	if (!strcmp(name, FORMATS_AUTO) || find_ops(name))
		return 0;
	add_name_list(&b);
	err = pg_error_input("unknown format '%s' (known: %s, auto)", name,
	                     b.s);
	pg_buf_release(&b);
	return err;
}

/*
 * The one format that matches in.  With quiet set no message is recorded
 * (the caller only wants a hint for its own message).
 */
static const struct fmt_ops *detect_in(struct fmt_input *in, int quiet)
{
	const struct fmt_ops *found[NFORMATS];
	const cJSON *root = NULL;
	size_t i, n = 0;

	for (i = 0; i < NFORMATS; i++)
		if (table[i]->detect(in))
			found[n++] = table[i];
	if (n == 1)
		return found[0];
	if (quiet)
		return NULL;
	if (n > 1) {
		struct pg_buf b = PG_BUF_INIT;

		for (i = 0; i < n; i++)
			pg_buf_addf(&b, "%s%s", i ? " and " : "",
			            found[i]->name);
		pg_error_input("'%s': ambiguous format: the content matches "
		               "both %s; name the format with --format or "
		               "\"format\"",
		               in->source, b.s);
		pg_buf_release(&b);
		return NULL;
	}
	/* it looks like JSON but does not parse: say where it breaks */
	if (fmt_looks_like_json(in->data, in->len) &&
	    fmt_json_root(in, &root) < 0)
		return NULL;
	{
		struct pg_buf b = PG_BUF_INIT;

		add_name_list(&b);
		pg_error_input("'%s': cannot detect the format: the content is "
		               "none of %s",
		               in->source, b.s);
		pg_buf_release(&b);
	}
	return NULL;
}

const char *formats_detect(const char *data, size_t len, const char *source)
{
	struct fmt_input in = {data, len, source, NULL, 0};
	const struct fmt_ops *ops = detect_in(&in, 0);

	fmt_input_release(&in);
	return ops ? ops->name : NULL;
}

/* The parser for format and in, or NULL with a message. */
static const struct fmt_ops *choose(const char *format, struct fmt_input *in)
{
	const struct fmt_ops *ops, *other;
	const cJSON *root;

	if (formats_check_name(format) < 0)
		return NULL;
	if (!strcmp(format, FORMATS_AUTO))
		return detect_in(in, 0);
	ops = find_ops(format);
	if (ops->is_json && fmt_json_root(in, &root) < 0)
		return NULL;
	if (ops->detect(in))
		return ops;
	other = detect_in(in, 1);
	if (other)
		pg_error_input("'%s': not %s output (it looks like %s output)",
		               in->source, ops->name, other->name);
	else
		pg_error_input("'%s': not %s output", in->source, ops->name);
	return NULL;
}

static void move_bench(struct result_run *dst, struct result_bench *b,
                       const char *name)
{
	dst->benches = pg_grow_array(dst->benches, sizeof(*dst->benches),
	                             dst->nbenches + 1, &dst->benches_alloc);
	dst->benches[dst->nbenches] = *b;
	if (name) {
		free(dst->benches[dst->nbenches].name);
		dst->benches[dst->nbenches].name = pg_strdup(name);
	}
	dst->nbenches++;
	memset(b, 0, sizeof(*b));
}

/* Check tmp and move its benchmarks into out; tmp is released. */
static int finish(struct result_run *tmp, struct result_run *out,
                  const char *source)
{
	size_t i;
	int err;

	if ((err = formats_validate(tmp, source)) < 0)
		goto out;
	if (tmp->nbenches == 0) {
		err = pg_error_input("'%s': no benchmarks found", source);
		goto out;
	}
	for (i = 0; i < tmp->nbenches; i++) {
		if (result_bench_find(out, tmp->benches[i].name)) {
			err = pg_error_input("'%s': duplicate benchmark '%s' "
			                     "(an earlier input has it too)",
			                     source, tmp->benches[i].name);
			goto out;
		}
	}
	for (i = 0; i < tmp->nbenches; i++)
		move_bench(out, &tmp->benches[i], NULL);
out:
	result_run_release(tmp);
	return err;
}

int formats_parse(const char *format, const char *data, size_t len,
                  const char *source, struct result_run *out)
{
	struct fmt_input in = {data, len, source, NULL, 0};
	const struct fmt_ops *ops;
	struct result_run tmp;
	int err;

	result_run_init(&tmp);
	ops = choose(format, &in);
	if (!ops) {
		err = PG_EINPUT;
		goto out;
	}
	/* the parsers that read numeric arrays as blocks may take a lean tree
	 */
	if (ops != &fmt_hyperfine && ops != &fmt_pytest_benchmark &&
	    ops != &fmt_perfgate)
		fmt_json_full(&in);
	err = ops->parse(&in, &tmp);
	if (err == 0)
		err = finish(&tmp, out, source);
out:
	result_run_release(&tmp);
	fmt_input_release(&in);
	return err;
}

/* Parse a run's worth of benchmarks with fn and move them into out. */
static int parse_into(int (*fn)(const char *, struct result_run *),
                      const char *path, struct result_run *out)
{
	struct result_run tmp;
	int err;

	result_run_init(&tmp);
	err = fn(path, &tmp);
	if (err == 0)
		err = finish(&tmp, out, path);
	result_run_release(&tmp);
	return err;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

/*
 * The one *_stats.csv in dir (malloc'd) in *out, or NULL when there is
 * none; PG_EINPUT when there are several.
 */
static int find_locust_stats(const char *dir, char **out)
{
	struct pg_buf b = PG_BUF_INIT;
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (has_suffix(de->d_name, "_stats.csv") && n++ == 0)
			pg_buf_addf(&b, "%s/%s", dir, de->d_name);
	closedir(d);
	if (n > 1) {
		pg_buf_release(&b);
		return pg_error_input("'%s' holds the output of %d Locust "
		                      "runs: give the --csv prefix of one",
		                      dir, n);
	}
	if (n == 1)
		*out = pg_buf_detach(&b, NULL);
	return 0;
}

/* A directory: Locust's --csv output in it, or criterion's. */
static int parse_dir(const char *format, const char *path,
                     struct result_run *out, const char **used)
{
	int is_auto = !strcmp(format, FORMATS_AUTO);
	char *stats = NULL;
	int err;

	if (is_auto || !strcmp(format, "locust")) {
		if ((err = find_locust_stats(path, &stats)) < 0)
			return err;
		if (stats) {
			*used = "locust";
			err = parse_into(fmt_locust_parse_files, stats, out);
			free(stats);
			return err;
		}
		if (!is_auto)
			return pg_error_input("'%s' holds no Locust "
			                      "*_stats.csv file",
			                      path);
	}
	if (!is_auto && strcmp(format, "criterion"))
		return pg_error_input("'%s' is a directory: only criterion and "
		                      "Locust output are read from a "
		                      "directory",
		                      path);
	*used = "criterion";
	return parse_into(fmt_criterion_parse_dir, path, out);
}

int formats_parse_path(const char *format, const char *path,
                       struct result_run *out)
{
	return formats_parse_path_as(format, path, out, NULL);
}

int formats_parse_path_as(const char *format, const char *path,
                          struct result_run *out, const char **used)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *dummy;
	struct stat st;
	int err;

	if (!used)
		used = &dummy;
	*used = format;
	if ((err = formats_check_name(format)) < 0)
		return err;
	if (stat(path, &st) < 0) {
		int saved = errno;

		/* `locust --csv PREFIX` writes PREFIX_stats.csv ... */
		if (!strcmp(format, "locust") ||
		    !strcmp(format, FORMATS_AUTO)) {
			pg_buf_addf(&b, "%s_stats.csv", path);
			if (stat(b.s, &st) == 0 && S_ISREG(st.st_mode)) {
				*used = "locust";
				err = parse_into(fmt_locust_parse_files, b.s,
				                 out);
				pg_buf_release(&b);
				return err;
			}
			pg_buf_release(&b);
		}
		return pg_error_input("cannot read '%s': %s", path,
		                      strerror(saved));
	}
	if (S_ISDIR(st.st_mode))
		return parse_dir(format, path, out, used);
	if ((err = pg_buf_read_file(&b, path)) < 0)
		goto out;
	if (!strcmp(format, FORMATS_AUTO) &&
	    !(*used = formats_detect(b.s, b.len, path))) {
		err = PG_EINPUT;
		goto out;
	}
	/* Locust's statistics bring their failures and history along */
	if (!strcmp(*used, "locust") && has_suffix(path, "_stats.csv"))
		err = parse_into(fmt_locust_parse_files, path, out);
	else
		err = formats_parse(*used, b.s, b.len, path, out);
out:
	pg_buf_release(&b);
	return err;
}

static int merge_bench(struct result_bench *d, const struct result_bench *s,
                       const char *what)
{
	size_t i, j;

	for (i = 0; i < s->nmetrics; i++) {
		const struct result_metric *sm = &s->metrics[i];
		struct result_metric *dm = result_metric_find(d, sm->name);

		if (dm && (strcmp(dm->unit, sm->unit) ||
		           dm->direction != sm->direction))
			return pg_error_input(
			        "%s: benchmark '%s': metric '%s' changed "
			        "from '%s' (%s is better) to '%s' (%s is "
			        "better) between invocations",
			        what, d->name, sm->name, dm->unit,
			        result_direction_name(dm->direction), sm->unit,
			        result_direction_name(sm->direction));
		if (!dm)
			dm = result_metric_get(d, sm->name, sm->unit,
			                       sm->direction);
		dm->aggregate |= sm->aggregate;
		for (j = 0; j < sm->n; j++)
			result_metric_push(dm, sm->samples[j]);
	}
	for (i = 0; i < s->nparams; i++)
		result_bench_set_param(d, s->params[i].key, s->params[i].value);
	if (s->error && !d->error)
		result_bench_set_error(d, s->error);
	return 0;
}

int formats_merge(struct result_run *dst, struct result_run *src,
                  const char *prefix)
{
	struct pg_buf name = PG_BUF_INIT;
	size_t i;
	int err = 0;

	for (i = 0; i < src->nbenches && err == 0; i++) {
		struct result_bench *s = &src->benches[i], *d;

		pg_buf_reset(&name);
		if (prefix)
			pg_buf_addf(&name, "%s/", prefix);
		pg_buf_addstr(&name, s->name);
		d = result_bench_find(dst, name.s);
		if (d)
			err = merge_bench(d, s, prefix ? prefix : "merge");
		else
			move_bench(dst, s, name.s);
	}
	pg_buf_release(&name);
	result_run_release(src);
	return err;
}

/*
 * Metric names, units and parameter keys are keys of a stored note: bytes
 * that are not UTF-8 would be written as U+FFFD, and two of them could
 * become one (a duplicate the reader refuses).
 */
static int check_utf8(const struct result_bench *b, const char *what)
{
	struct pg_buf name = PG_BUF_INIT;
	const char *bad = NULL;
	size_t j;
	int err;

	for (j = 0; j < b->nmetrics && !bad; j++)
		if (!pg_utf8_valid(b->metrics[j].name))
			bad = b->metrics[j].name;
		else if (b->metrics[j].unit &&
		         !pg_utf8_valid(b->metrics[j].unit))
			bad = b->metrics[j].unit;
	for (j = 0; j < b->nparams && !bad; j++)
		if (!pg_utf8_valid(b->params[j].key))
			bad = b->params[j].key;
	if (!bad)
		return 0;
	pg_buf_add_printable(&name, b->name);
	err = pg_error_input("'%s': benchmark '%s': '%s' is not valid UTF-8",
	                     what, name.s, pg_printable(bad));
	pg_buf_release(&name);
	return err;
}

int formats_validate_bench(const struct result_bench *b, const char *what)
{
	size_t j, k;
	int err;

	if ((err = check_utf8(b, what)) < 0)
		return err;
	if (b->error)
		return 0;
	if (b->nmetrics == 0)
		return pg_error_input("'%s': benchmark '%s' has no samples",
		                      what, b->name);
	for (j = 0; j < b->nmetrics; j++) {
		const struct result_metric *m = &b->metrics[j];

		if (m->n == 0)
			return pg_error_input("'%s': benchmark '%s': metric "
			                      "'%s' has no samples",
			                      what, b->name, m->name);
		for (k = 0; k < m->n; k++) {
			if (!isfinite(m->samples[k]))
				return pg_error_input(
				        "'%s': benchmark '%s': metric '%s': "
				        "sample %zu is not a finite number",
				        what, b->name, m->name, k);
			if (m->samples[k] < 0)
				return pg_error_input(
				        "'%s': benchmark '%s': metric '%s': "
				        "sample %zu is negative (%g)",
				        what, b->name, m->name, k,
				        m->samples[k]);
		}
	}
	return 0;
}

int formats_validate(const struct result_run *run, const char *what)
{
	size_t i;
	int err;

	for (i = 0; i < run->nbenches; i++)
		if ((err = pg_cancel_check()) < 0 ||
		    (err = formats_validate_bench(&run->benches[i], what)) < 0)
			return err;
	return 0;
}
