/*
 * criterion.rs output: target/criterion/<id>/new/sample.json holds
 * {"sampling_mode": ..., "iters": [...], "times": [...]}, the total time in
 * nanoseconds of each sample of iters[i] iterations; times[i] / iters[i]
 * are the per-iteration samples ("time", seconds).  The sibling
 * benchmark.json gives the name ("full_id"), the input ("value_str") and
 * the throughput ({"Bytes": n}, {"BytesDecimal": n}, {"Elements": n} or
 * {"Bits": n}) per iteration, which adds a "throughput" metric in B/s or
 * items/s.  No criterion binary is packaged in Debian: the fixtures are
 * written after criterion 0.5's SavedSample and BenchmarkId structs.
 */
#include "formats/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 16

static int cr_detect(struct fmt_input *in)
{
	const cJSON *root = fmt_json(in);

	return cJSON_IsObject(root) && pg_json_get(root, "iters") &&
	       pg_json_get(root, "times");
}

/* Throughput per iteration from benchmark.json, or 0 with no unit. */
static int throughput(struct fmt_ctx *c, const cJSON *meta, double *per_iter,
                      const char **unit)
{
	static const struct {
		const char *key, *unit;
		double scale;
	} kinds[] = {{"Bytes", "B/s", 1},
	             {"BytesDecimal", "B/s", 1},
	             {"Elements", "items/s", 1},
	             {"Bits", "B/s", 1.0 / 8}};
	const cJSON *tp = pg_json_get(meta, "throughput");
	size_t i, plen;
	int err = 0;

	*unit = NULL;
	if (!tp || cJSON_IsNull(tp))
		return 0;
	plen = fmt_path_push(c, ".throughput");
	if (!cJSON_IsObject(tp))
		return fmt_error(c, "must be an object");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		double n;

		err = fmt_get_number(c, tp, kinds[i].key, &n);
		if (err < 0)
			return err;
		if (err == 0) {
			if (!(n > 0))
				return fmt_error(c, "'%s' must be positive",
				                 kinds[i].key);
			*per_iter = n * kinds[i].scale;
			*unit = kinds[i].unit;
			fmt_path_pop(c, plen);
			return 0;
		}
	}
	tp = tp->child;
	return fmt_error(c, "unknown throughput '%s'",
	                 tp && tp->string ? tp->string : "");
}

/*
 * One benchmark from sample (the sample.json document, source sname) and
 * meta (benchmark.json, or NULL; source mname).  name is the fallback.
 */
static int add_sample(struct result_run *run, const cJSON *sample,
                      const char *sname, const cJSON *meta, const char *mname,
                      const char *name)
{
	const cJSON *iters, *times, *it, *tt;
	struct result_metric *m, *tm = NULL;
	const char *tunit = NULL, *full = NULL, *value = NULL;
	double per_iter = 0;
	struct result_bench *b;
	struct fmt_ctx c;
	size_t i = 0;
	int err;

	fmt_ctx_init(&c, mname, "$");
	if (meta) {
		if (!cJSON_IsObject(meta))
			return fmt_error(&c, "expected an object");
		if ((err = fmt_get_string(&c, meta, "full_id", &full)) < 0 ||
		    (err = fmt_get_string(&c, meta, "value_str", &value)) < 0 ||
		    (err = throughput(&c, meta, &per_iter, &tunit)) < 0)
			return err;
	}
	fmt_ctx_init(&c, sname, "$");
	if (!cJSON_IsObject(sample))
		return fmt_error(&c, "expected an object");
	iters = pg_json_get(sample, "iters");
	times = pg_json_get(sample, "times");
	if (!cJSON_IsArray(iters) || !cJSON_IsArray(times))
		return fmt_error(&c, "'iters' and 'times' must be arrays");
	if (cJSON_GetArraySize(iters) != cJSON_GetArraySize(times))
		return fmt_error(&c, "'iters' has %d entries but 'times' %d",
		                 cJSON_GetArraySize(iters),
		                 cJSON_GetArraySize(times));
	if ((err = fmt_bench_new(&c, run, full ? full : name, &b)) < 0)
		return err;
	if (value)
		result_bench_set_param(b, "input", value);
	m = result_metric_get(b, "time", "s", RESULT_LOWER_IS_BETTER);
	if (tunit) {
		tm = result_metric_get(b, "throughput", tunit,
		                       RESULT_HIGHER_IS_BETTER);
		/* adding a metric may move the others */
		m = result_metric_find(b, "time");
	}
	for (it = iters->child, tt = times->child; it && tt;
	     it = it->next, tt = tt->next, i++) {
		size_t plen = fmt_path_push(&c, ".iters[%zu]", i);
		double t;

		if (!cJSON_IsNumber(it) || !(it->valuedouble > 0))
			return fmt_error(&c, "must be a positive number");
		fmt_path_pop(&c, plen);
		fmt_path_push(&c, ".times[%zu]", i);
		if (!cJSON_IsNumber(tt))
			return fmt_error(&c, "must be a number");
		if ((err = fmt_push(&c, m, tt->valuedouble / it->valuedouble,
		                    1e-9)) < 0)
			return err;
		t = m->samples[m->n - 1];
		if (tm && t <= 0)
			return fmt_error(&c, "a zero time gives no throughput");
		if (tm && (err = fmt_push(&c, tm, per_iter / t, 1)) < 0)
			return err;
		fmt_path_pop(&c, plen);
	}
	return 0;
}

/* The benchmark name from a path ".../<id>/new/sample.json": "<id>". */
static char *name_from_path(const char *path)
{
	const char *end = path + strlen(path), *start;
	static const char tail[] = "/new/sample.json";
	size_t tlen = sizeof(tail) - 1;

	if ((size_t)(end - path) > tlen && !strcmp(end - tlen, tail))
		end -= tlen;
	else if ((start = strrchr(path, '/')) != NULL)
		end = start;
	else
		return pg_strdup("criterion");
	start = end;
	while (start > path && start[-1] != '/')
		start--;
	return start == end ? pg_strdup("criterion")
	                    : pg_strndup(start, (size_t)(end - start));
}

static int cr_parse(struct fmt_input *in, struct result_run *run)
{
	const cJSON *root;
	char *name;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	name = name_from_path(in->source);
	err = add_sample(run, root, in->source, NULL, NULL, name);
	free(name);
	return err;
}

/* newdir/sample.json (+ benchmark.json) as benchmark name. */
static int read_one(const char *newdir, const char *name,
                    struct result_run *run)
{
	struct pg_buf spath = PG_BUF_INIT, mpath = PG_BUF_INIT;
	struct pg_buf sdata = PG_BUF_INIT, mdata = PG_BUF_INIT;
	cJSON *sample = NULL, *meta = NULL;
	struct stat st;
	int err;

	pg_buf_addf(&spath, "%s/sample.json", newdir);
	pg_buf_addf(&mpath, "%s/benchmark.json", newdir);
	if ((err = pg_buf_read_file(&sdata, spath.s)) < 0 ||
	    (err = pg_json_parse(&sample, sdata.s, sdata.len, spath.s)) < 0)
		goto out;
	if (stat(mpath.s, &st) == 0 &&
	    ((err = pg_buf_read_file(&mdata, mpath.s)) < 0 ||
	     (err = pg_json_parse(&meta, mdata.s, mdata.len, mpath.s)) < 0))
		goto out;
	err = add_sample(run, sample, spath.s, meta, mpath.s, name);
out:
	cJSON_Delete(sample);
	cJSON_Delete(meta);
	pg_buf_release(&spath);
	pg_buf_release(&mpath);
	pg_buf_release(&sdata);
	pg_buf_release(&mdata);
	return err;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir (without . and ..); caller frees each and *out. */
static int list_dir(const char *dir, char ***out, size_t *n)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d = opendir(dir);

	*out = NULL;
	*n = 0;
	if (!d)
		return pg_error_runtime("cannot read directory '%s': %s", dir,
		                        strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		*out = pg_grow_array(*out, sizeof(**out), *n + 1, &alloc);
		(*out)[(*n)++] = pg_strdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_str);
	return 0;
}

/*
 * Walk dir/rel: a directory holding new/sample.json is a benchmark;
 * others are searched further ("report" and criterion's base/change
 * directories never hold new/sample.json).
 */
static int walk(const char *dir, const char *rel, int depth,
                struct result_run *run)
{
	struct pg_buf path = PG_BUF_INIT, sub = PG_BUF_INIT;
	char **names = NULL;
	size_t n = 0, i;
	struct stat st;
	int err = 0;

	pg_buf_addf(&path, "%s%s%s/new", dir, *rel ? "/" : "", rel);
	pg_buf_addstr(&sub, path.s);
	pg_buf_addstr(&sub, "/sample.json");
	if (*rel && stat(sub.s, &st) == 0 && S_ISREG(st.st_mode)) {
		err = read_one(path.s, rel, run);
		goto out;
	}
	if (depth >= MAX_DEPTH)
		goto out;
	pg_buf_reset(&path);
	pg_buf_addf(&path, "%s%s%s", dir, *rel ? "/" : "", rel);
	if ((err = list_dir(path.s, &names, &n)) < 0)
		goto out;
	for (i = 0; i < n && err == 0; i++) {
		pg_buf_reset(&sub);
		pg_buf_addf(&sub, "%s/%s", path.s, names[i]);
		if (stat(sub.s, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		pg_buf_reset(&sub);
		pg_buf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		err = walk(dir, sub.s, depth + 1, run);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	pg_buf_release(&path);
	pg_buf_release(&sub);
	return err;
}

int fmt_criterion_parse_dir(const char *dir, struct result_run *run)
{
	struct pg_buf p = PG_BUF_INIT;
	struct stat st;
	char *name;
	int err;

	/* one benchmark's new/ directory, or the benchmark's directory */
	pg_buf_addf(&p, "%s/sample.json", dir);
	if (stat(p.s, &st) == 0) {
		pg_buf_reset(&p);
		pg_buf_addf(&p, "%s/sample.json", dir);
		name = name_from_path(p.s);
		pg_buf_reset(&p);
		pg_buf_addstr(&p, dir);
		err = read_one(p.s, name, run);
		free(name);
		pg_buf_release(&p);
		return err;
	}
	pg_buf_reset(&p);
	pg_buf_addf(&p, "%s/new/sample.json", dir);
	if (stat(p.s, &st) == 0) {
		name = name_from_path(p.s);
		pg_buf_reset(&p);
		pg_buf_addf(&p, "%s/new", dir);
		err = read_one(p.s, name, run);
		free(name);
		pg_buf_release(&p);
		return err;
	}
	pg_buf_release(&p);
	return walk(dir, "", 0, run);
}

const struct fmt_ops fmt_criterion = {"criterion", 1, cr_detect, cr_parse};
