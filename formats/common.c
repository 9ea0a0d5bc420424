/* Helpers shared by the parsers; see formats/internal.h. */
#include "formats/internal.h"
#include "formats/lean.h"
#include "util/cancel.h"
#include "util/printable.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cJSON *fmt_json(struct fmt_input *in)
{
	cJSON *root = NULL;

	if (in->json_state != 0 && in->json_state != FMT_JSON_FULL)
		return in->json;
	if (!fmt_looks_like_json(in->data, in->len)) {
		in->json_state = -1;
	} else if (in->json_state == 0 &&
	           fmt_lean_parse(&root, in->data, in->len) == 0) {
		in->json = root;
		in->json_state = FMT_JSON_LEAN;
	} else if (pg_json_parse(&root, in->data, in->len, in->source) == 0) {
		in->json = root;
		in->json_state = 1;
	} else {
		in->json_state = -1;
		pg_error_clear();
	}
	return in->json;
}

int fmt_json_full(struct fmt_input *in)
{
	if (in->json_state == FMT_JSON_LEAN) {
		fmt_input_release(in);
		in->json_state = FMT_JSON_FULL;
	}
	return 0;
}

int fmt_json_root(struct fmt_input *in, const cJSON **root)
{
	cJSON *tmp = NULL;
	int err;

	*root = fmt_json(in);
	if (*root)
		return 0;
	/* parse again for the message that names line and column */
	err = pg_json_parse(&tmp, in->data, in->len, in->source);
	cJSON_Delete(tmp);
	if (err == 0)
		err = pg_error_input("'%s': invalid JSON", in->source);
	return err;
}

void fmt_input_release(struct fmt_input *in)
{
	cJSON_Delete(in->json);
	in->json = NULL;
	in->json_state = 0;
}

int fmt_looks_like_json(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] && strchr(" \t\r\n", s[i]))
		i++;
	/* a UTF-8 byte order mark */
	if (i + 3 <= len && !memcmp(s + i, "\xef\xbb\xbf", 3))
		return 0;
	return i < len && (s[i] == '{' || s[i] == '[');
}

void fmt_ctx_init(struct fmt_ctx *c, const char *source, const char *path)
{
	c->source = source;
	snprintf(c->path, sizeof(c->path), "%s", path);
}

size_t fmt_path_push(struct fmt_ctx *c, const char *fmt, ...)
{
	size_t len = strlen(c->path);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->path + len, sizeof(c->path) - len, fmt, ap);
	va_end(ap);
	return len;
}

void fmt_path_pop(struct fmt_ctx *c, size_t len)
{
	if (len < sizeof(c->path))
		c->path[len] = '\0';
}

int fmt_error(const struct fmt_ctx *c, const char *fmt, ...)
{
	struct pg_buf b = PG_BUF_INIT;
	va_list ap;
	int err;

	va_start(ap, fmt);
	pg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (c->path[0])
		err = pg_error_input("'%s': %s: %s", c->source, c->path, b.s);
	else
		err = pg_error_input("'%s': %s", c->source, b.s);
	pg_buf_release(&b);
	return err;
}

int fmt_push(const struct fmt_ctx *c, struct result_metric *m, double v,
             double scale)
{
	if (!isfinite(v) || !isfinite(v * scale))
		return fmt_error(c, "'%s' value is not a finite number",
		                 m->name);
	if (v < 0)
		return fmt_error(c, "'%s' value %g is negative", m->name, v);
	/*
	 * 200 ns * 1e-9 is 2.0000000000000002e-07 but 200 / 1e9 is 2e-07:
	 * divide by the exact reciprocal of a scale below 1 (1e9, 60, 8).
	 */
	if (scale > 0 && scale < 1 &&
	    fabs(nearbyint(1 / scale) * scale - 1) < 1e-12)
		result_metric_push(m, v / nearbyint(1 / scale));
	else
		result_metric_push(m, v * scale);
	return 0;
}

/* The values of an elided array: checked only where one is refused. */
static int push_block(struct fmt_ctx *c, struct result_metric *m,
                      const double *vals, size_t n)
{
	size_t i, ilen;
	int err;

	if (m->alloc < m->n + n) {
		m->samples = pg_realloc(m->samples,
		                        (m->n + n) * sizeof(*m->samples));
		m->alloc = m->n + n;
	}
	for (i = 0; i < n; i++) {
		if (i % PG_CANCEL_EVERY == 0 && (err = pg_cancel_check()) < 0)
			return err;
		if (isfinite(vals[i]) && vals[i] >= 0) {
			m->samples[m->n++] = vals[i];
			continue;
		}
		ilen = fmt_path_push(c, "[%zu]", i);
		if ((err = fmt_push(c, m, vals[i], 1)) < 0)
			return err;
		fmt_path_pop(c, ilen);
	}
	return 0;
}

int fmt_push_numbers(struct fmt_ctx *c, struct result_metric *m,
                     const cJSON *arr)
{
	const double *vals;
	size_t n = fmt_lean_numbers(arr, &vals), i = 0;
	const cJSON *v;
	int err;

	if (vals)
		return push_block(c, m, vals, n);
	cJSON_ArrayForEach(v, arr)
	{
		size_t ilen;

		if (i % PG_CANCEL_EVERY == 0 && (err = pg_cancel_check()) < 0)
			return err;
		ilen = fmt_path_push(c, "[%zu]", i++);
		if (!cJSON_IsNumber(v))
			return fmt_error(c, "must be a number");
		if ((err = fmt_push(c, m, v->valuedouble, 1)) < 0)
			return err;
		fmt_path_pop(c, ilen);
	}
	return 0;
}

int fmt_get_number(const struct fmt_ctx *c, const cJSON *obj, const char *key,
                   double *out)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!v)
		return 1;
	if (!cJSON_IsNumber(v))
		return fmt_error(c, "'%s' must be a number", key);
	*out = v->valuedouble;
	return 0;
}

int fmt_get_string(const struct fmt_ctx *c, const cJSON *obj, const char *key,
                   const char **out)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!v || cJSON_IsNull(v))
		return 1;
	if (!cJSON_IsString(v))
		return fmt_error(c, "'%s' must be a string", key);
	*out = v->valuestring;
	return 0;
}

/* Names every reader of a stored note accepts: not empty, UTF-8. */
static int check_name(const struct fmt_ctx *c, const char *name)
{
	if (!*name)
		return fmt_error(c, "empty benchmark name");
	if (!pg_utf8_valid(name))
		return fmt_error(c, "benchmark name '%s' is not valid UTF-8",
		                 pg_printable(name));
	return 0;
}

int fmt_bench_new(const struct fmt_ctx *c, struct result_run *run,
                  const char *name, struct result_bench **out)
{
	int err = check_name(c, name);

	/* a file of a million benchmarks must not hold a signal */
	if (err < 0 || (err = pg_cancel_check()) < 0)
		return err;
	if (result_bench_find(run, name))
		return fmt_error(c, "duplicate benchmark '%s'", name);
	*out = result_bench_add(run, name);
	return 0;
}

int fmt_bench_get(const struct fmt_ctx *c, struct result_run *run,
                  const char *name, struct result_bench **out)
{
	int err = check_name(c, name);

	if (err < 0)
		return err;
	*out = result_bench_find(run, name);
	if (!*out)
		*out = result_bench_add(run, name);
	return 0;
}

void fmt_param_json(struct result_bench *b, const char *key, const cJSON *v)
{
	char tmp[64];

	if (cJSON_IsString(v)) {
		result_bench_set_param(b, key, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		snprintf(tmp, sizeof(tmp), "%.15g", v->valuedouble);
		result_bench_set_param(b, key, tmp);
	} else if (cJSON_IsBool(v)) {
		result_bench_set_param(b, key,
		                       cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		result_bench_set_param(b, key, "null");
	} else {
		struct pg_buf s = PG_BUF_INIT;

		/* as pg_json_print() prints it, elided arrays and all */
		fmt_lean_print(&s, v);
		result_bench_set_param(b, key, s.s);
		pg_buf_release(&s);
	}
}

/*
 * Every unit a harness may write, and what perfgate keeps.  Times become
 * seconds, rates items or bytes per second, memory bytes; time is lower
 * is better, throughput higher is better.
 */
static const struct fmt_unit units[] = {
        {"ns", "s", 1e-9, RESULT_LOWER_IS_BETTER},
        {"us", "s", 1e-6, RESULT_LOWER_IS_BETTER},
        {"\xc2\xb5s", "s", 1e-6, RESULT_LOWER_IS_BETTER}, /* micro sign */
        {"\xce\xbcs", "s", 1e-6, RESULT_LOWER_IS_BETTER}, /* greek mu */
        {"ms", "s", 1e-3, RESULT_LOWER_IS_BETTER},
        {"s", "s", 1, RESULT_LOWER_IS_BETTER},
        {"sec", "s", 1, RESULT_LOWER_IS_BETTER},
        {"min", "s", 60, RESULT_LOWER_IS_BETTER},
        {"ns/op", "s", 1e-9, RESULT_LOWER_IS_BETTER},
        {"us/op", "s", 1e-6, RESULT_LOWER_IS_BETTER},
        {"\xc2\xb5s/op", "s", 1e-6, RESULT_LOWER_IS_BETTER},
        {"\xce\xbcs/op", "s", 1e-6, RESULT_LOWER_IS_BETTER},
        {"ms/op", "s", 1e-3, RESULT_LOWER_IS_BETTER},
        {"s/op", "s", 1, RESULT_LOWER_IS_BETTER},
        {"sec/op", "s", 1, RESULT_LOWER_IS_BETTER},
        {"ops/ns", "items/s", 1e9, RESULT_HIGHER_IS_BETTER},
        {"ops/us", "items/s", 1e6, RESULT_HIGHER_IS_BETTER},
        {"ops/\xc2\xb5s", "items/s", 1e6, RESULT_HIGHER_IS_BETTER},
        {"ops/\xce\xbcs", "items/s", 1e6, RESULT_HIGHER_IS_BETTER},
        {"ops/ms", "items/s", 1e3, RESULT_HIGHER_IS_BETTER},
        {"ops/s", "items/s", 1, RESULT_HIGHER_IS_BETTER},
        {"ops/sec", "items/s", 1, RESULT_HIGHER_IS_BETTER},
        {"ops/min", "items/s", 1.0 / 60, RESULT_HIGHER_IS_BETTER},
        {"items/s", "items/s", 1, RESULT_HIGHER_IS_BETTER},
        {"B/s", "B/s", 1, RESULT_HIGHER_IS_BETTER},
        {"kB/s", "B/s", 1e3, RESULT_HIGHER_IS_BETTER},
        {"KB/s", "B/s", 1e3, RESULT_HIGHER_IS_BETTER},
        {"MB/s", "B/s", 1e6, RESULT_HIGHER_IS_BETTER},
        {"GB/s", "B/s", 1e9, RESULT_HIGHER_IS_BETTER},
        {"KiB/s", "B/s", 1024.0, RESULT_HIGHER_IS_BETTER},
        {"MiB/s", "B/s", 1048576.0, RESULT_HIGHER_IS_BETTER},
        {"GiB/s", "B/s", 1073741824.0, RESULT_HIGHER_IS_BETTER},
        {"B", "B", 1, RESULT_LOWER_IS_BETTER},
        {"kB", "B", 1e3, RESULT_LOWER_IS_BETTER},
        {"KB", "B", 1e3, RESULT_LOWER_IS_BETTER},
        {"MB", "B", 1e6, RESULT_LOWER_IS_BETTER},
        {"GB", "B", 1e9, RESULT_LOWER_IS_BETTER},
        {"KiB", "B", 1024.0, RESULT_LOWER_IS_BETTER},
        {"MiB", "B", 1048576.0, RESULT_LOWER_IS_BETTER},
        {"GiB", "B", 1073741824.0, RESULT_LOWER_IS_BETTER},
        {"B/op", "B", 1, RESULT_LOWER_IS_BETTER},
        {"allocs/op", "count", 1, RESULT_LOWER_IS_BETTER},
        {"count", "count", 1, RESULT_LOWER_IS_BETTER},
};

const struct fmt_unit *fmt_unit_find(const char *unit)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].name, unit))
			return &units[i];
	return NULL;
}

int fmt_json_each(struct fmt_input *in, struct result_run *run, const char *key,
                  fmt_entry_fn each)
{
	const cJSON *root, *list, *entry;
	const double *vals;
	struct fmt_ctx c;
	char path[64];
	size_t i = 0;
	int err;

	if ((err = fmt_json_root(in, &root)) < 0)
		return err;
	snprintf(path, sizeof(path), "$.%s", key);
	fmt_ctx_init(&c, in->source, path);
	list = pg_json_get(root, key);
	/* entries that are numbers: each() refuses them, from the full tree */
	if (fmt_lean_numbers(list, &vals)) {
		fmt_json_full(in);
		if ((err = fmt_json_root(in, &root)) < 0)
			return err;
		list = pg_json_get(root, key);
	}
	if (!cJSON_IsArray(list))
		return fmt_error(&c, "must be an array");
	cJSON_ArrayForEach(entry, list)
	{
		size_t plen = fmt_path_push(&c, "[%zu]", i++);

		if ((err = each(&c, run, entry)) < 0)
			return err;
		fmt_path_pop(&c, plen);
	}
	return 0;
}
