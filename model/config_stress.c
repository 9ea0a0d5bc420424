/* perfgate.json: a load benchmark's "stress" ramp (docs/stress.md). */
#include "util/buf.h"
#include "model/config_internal.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const stress_keys[] = {"levels", "slo", "ramps",
                                          "ready_timeout", NULL};
static const char *const ramp_keys[] = {"from", "factor", "max", NULL};

/* Where a placeholder appears: the command, the output or an env value. */
static int mentions(const struct config_bench *b, const char *what)
{
	size_t i;

	if (b->shell && strstr(b->shell, what))
		return 1;
	for (i = 0; b->argv && i < b->argc; i++)
		if (strstr(b->argv[i], what))
			return 1;
	for (i = 0; i < b->nenv; i++)
		if (strstr(b->env[i], what))
			return 1;
	return b->output && strstr(b->output, what);
}

/* "{concurrency}" or "{rate}", exactly one of them, and "{port}". */
static int check_command(struct config_stress *s, const struct config_bench *b,
                         const char *file, const char *path)
{
	int conc = mentions(b, "{concurrency}"), rate = mentions(b, "{rate}");

	if (conc == rate)
		return pg_error_input("'%s': %s.command: a stress test's load "
		                      "command must hold exactly one of "
		                      "\"{concurrency}\" (closed loop: hey -c, "
		                      "wrk -c, k6 --vus, locust -u) and "
		                      "\"{rate}\" (open loop: requests per "
		                      "second)",
		                      file, path);
	if (!mentions(b, "{port}"))
		return pg_error_input("'%s': %s.command: a stress test's load "
		                      "command must target \"{port}\", the "
		                      "port of the service perfgate started "
		                      "(only 127.0.0.1 is stressed)",
		                      file, path);
	s->kind = conc ? CONFIG_STRESS_CONCURRENCY : CONFIG_STRESS_RATE;
	return 0;
}

static int bad_levels(const char *file, const char *path, const char *why)
{
	return pg_error_input("'%s': %s.stress.levels: %s (a list of "
	                      "increasing levels such as [4, 8, 16], or "
	                      "{\"from\": 4, \"factor\": 2, \"max\": 512}; at "
	                      "most %d levels)",
	                      file, path, why, PG_STRESS_MAX_LEVELS);
}

static void add_level(struct config_stress *s, double v)
{
	s->levels = pg_realloc(s->levels, (s->nlevels + 1) * sizeof(double));
	s->levels[s->nlevels++] = v;
}

static int check_level(const struct config_stress *s, double v)
{
	if (!(v > 0) || !isfinite(v) || v > 1e9)
		return 0;
	if (s->kind == CONFIG_STRESS_CONCURRENCY && v != floor(v))
		return 0;
	return !s->nlevels || v > s->levels[s->nlevels - 1];
}

static int number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!v || !cJSON_IsNumber(v))
		return -1;
	*out = v->valuedouble;
	return 0;
}

/* {"from": 4, "factor": 2, "max": 512}: from, from*f, ... up to max. */
static int parse_ramp(struct config_stress *s, const cJSON *v, const char *file,
                      const char *path)
{
	struct pg_buf p = PG_BUF_INIT;
	double from, factor, max, l;
	int err;

	pg_buf_addf(&p, "%s.stress.levels", path);
	err = pg_json_check_keys(v, ramp_keys, file, p.s);
	pg_buf_release(&p);
	if (err < 0)
		return err;
	if (number(v, "from", &from) < 0 || number(v, "factor", &factor) < 0 ||
	    number(v, "max", &max) < 0 || !(factor > 1) || !(max >= from))
		return bad_levels(file, path,
		                  "\"from\", \"factor\" > 1 and \"max\" >= "
		                  "\"from\" must be numbers");
	s->geometric = 1;
	for (l = from; l <= max * (1 + 1e-9); l *= factor) {
		double v2 = s->kind == CONFIG_STRESS_CONCURRENCY ? round(l) : l;

		if (s->nlevels == PG_STRESS_MAX_LEVELS)
			return bad_levels(file, path, "too many levels");
		if (s->nlevels && v2 <= s->levels[s->nlevels - 1])
			continue; /* 1 * 1.2 rounds to 1 again */
		if (!check_level(s, v2))
			return bad_levels(file, path,
			                  "levels must be positive");
		add_level(s, v2);
	}
	return 0;
}

static int parse_levels(struct config_stress *s, const cJSON *v,
                        const char *file, const char *path)
{
	const cJSON *it;

	if (!v)
		return bad_levels(file, path, "missing");
	if (cJSON_IsObject(v))
		return parse_ramp(s, v, file, path);
	if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
		return bad_levels(file, path, "must be a non-empty list");
	cJSON_ArrayForEach(it, v)
	{
		if (s->nlevels == PG_STRESS_MAX_LEVELS)
			return bad_levels(file, path, "too many levels");
		if (!cJSON_IsNumber(it) || !check_level(s, it->valuedouble))
			return bad_levels(
			        file, path,
			        s->kind == CONFIG_STRESS_CONCURRENCY
			                ? "each level must be a whole number, "
			                  "greater than the one before"
			                : "each level must be a positive "
			                  "number, greater than the one "
			                  "before");
		add_level(s, it->valuedouble);
	}
	return 0;
}

/* "p99": "200ms", "error_rate": "1%" */
static int parse_objective(struct config_slo *o, const cJSON *it,
                           const char *file, const char *path)
{
	struct pg_quantity q;
	char *end;
	double p;

	o->name = pg_strdup(it->string);
	if (!strcmp(it->string, "error_rate")) {
		o->quantile = -1;
		if (!cJSON_IsString(it) ||
		    pg_fraction_parse(&o->limit, it->valuestring, 1) < 0 ||
		    !(o->limit > 0))
			return pg_error_input("'%s': %s.stress.slo.error_rate: "
			                      "must be a rate such as \"1%%\", "
			                      "above 0 and below 100%%",
			                      file, path);
		return 0;
	}
	p = it->string[0] == 'p' ? strtod(it->string + 1, &end) : NAN;
	if (!(p > 0 && p < 100) || *end)
		return pg_error_input("'%s': %s.stress.slo: unknown objective "
		                      "'%s' (p50, p95, p99, p99.9, ... or "
		                      "error_rate)",
		                      file, path, it->string);
	o->quantile = p / 100;
	if (!cJSON_IsString(it) || pg_quantity_parse(&q, it->valuestring) < 0 ||
	    q.kind != PG_QTY_TIME || !(q.value > 0))
		return pg_error_input("'%s': %s.stress.slo.%s: must be a "
		                      "latency such as \"200ms\"",
		                      file, path, it->string);
	o->limit = q.value;
	return 0;
}

static int parse_slo(struct config_stress *s, const cJSON *v, const char *file,
                     const char *path)
{
	const cJSON *it;
	int err;

	if (!v || !cJSON_IsObject(v) || !cJSON_GetArraySize(v))
		return pg_error_input("'%s': %s.stress.slo: missing: a stress "
		                      "test needs an SLO to break, such as "
		                      "{\"p99\": \"200ms\", \"error_rate\": "
		                      "\"1%%\"}",
		                      file, path);
	cJSON_ArrayForEach(it, v)
	{
		s->slo = pg_realloc(s->slo, (s->nslo + 1) * sizeof(*s->slo));
		memset(&s->slo[s->nslo], 0, sizeof(*s->slo));
		err = parse_objective(&s->slo[s->nslo++], it, file, path);
		if (err < 0)
			return err;
	}
	return 0;
}

static int parse_ramps(struct config_stress *s, const cJSON *v,
                       const char *file, const char *path)
{
	s->ramps = PG_DEFAULT_STRESS_RAMPS;
	s->ready_timeout = PG_DEFAULT_STRESS_READY_TIMEOUT_S;
	if (!(v = pg_json_get(v, "ramps")))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < 1 || v->valuedouble > PG_STRESS_MAX_RAMPS)
		return pg_error_input("'%s': %s.stress.ramps: must be a whole "
		                      "number from 1 to %d",
		                      file, path, PG_STRESS_MAX_RAMPS);
	s->ramps = (long)v->valuedouble;
	s->ramps_set = 1;
	return 0;
}

static int parse_ready_timeout(struct config_stress *s, const cJSON *v,
                               const char *file, const char *path)
{
	struct pg_quantity q;

	if (!(v = pg_json_get(v, "ready_timeout")))
		return 0;
	if (cJSON_IsNumber(v))
		q.value = v->valuedouble, q.kind = PG_QTY_TIME;
	else if (!cJSON_IsString(v) ||
	         pg_quantity_parse(&q, v->valuestring) < 0)
		q.kind = PG_QTY_NUMBER;
	if (q.kind != PG_QTY_TIME || !(q.value >= 0.01) || q.value > 3600)
		return pg_error_input("'%s': %s.stress.ready_timeout: must be "
		                      "a time from 10ms to 1h",
		                      file, path);
	s->ready_timeout = q.value;
	return 0;
}

/* Without a "gate" list, a stress entry gates its derived metrics. */
static void default_gate(struct config_bench *b)
{
	static const char *const gate[] = {"capacity", "peak_throughput",
	                                   "failure_mode"};
	size_t i;

	if (b->policy.gate)
		return;
	b->policy.ngate = sizeof(gate) / sizeof(gate[0]);
	b->policy.gate = pg_calloc(b->policy.ngate, sizeof(char *));
	for (i = 0; i < b->policy.ngate; i++)
		b->policy.gate[i] = pg_strdup(gate[i]);
}

int config_stress_parse(struct config *cfg, struct config_bench *b,
                        const cJSON *jb, const char *path)
{
	const char *file = cfg->path;
	const cJSON *v = pg_json_get(jb, "stress");
	struct pg_buf p = PG_BUF_INIT;
	struct config_stress *s;
	int err;

	if (!v)
		return 0;
	s = b->stress = pg_calloc(1, sizeof(*b->stress));
	pg_buf_addf(&p, "%s.stress", path);
	if (!cJSON_IsObject(v))
		err = pg_error_input("'%s': %s: must be an object such as "
		                     "{\"levels\": [4, 8, 16], \"slo\": "
		                     "{\"p99\": \"200ms\"}}",
		                     file, p.s);
	else if (!b->service)
		err = pg_error_input("'%s': %s: needs a \"service\" to stress",
		                     file, p.s);
	else if (!b->format)
		err = pg_error_input("'%s': %s: needs the \"format\" of the "
		                     "load tool's output (hey, wrk, k6, "
		                     "locust, ...) to judge each level",
		                     file, p.s);
	else if (b->soak)
		err = pg_error_input("'%s': %s: an entry is a soak or a "
		                     "stress test, not both",
		                     file, p.s);
	else if ((err = pg_json_check_keys(v, stress_keys, file, p.s)) >= 0 &&
	         (err = check_command(s, b, file, path)) >= 0 &&
	         (err = parse_levels(s, pg_json_get(v, "levels"), file,
	                             path)) >= 0 &&
	         (err = parse_slo(s, pg_json_get(v, "slo"), file, path)) >= 0 &&
	         (err = parse_ramps(s, v, file, path)) >= 0)
		err = parse_ready_timeout(s, v, file, path);
	if (err >= 0)
		default_gate(b);
	pg_buf_release(&p);
	return err < 0 ? err : 0;
}

void config_stress_release(struct config_bench *b)
{
	size_t i;

	if (!b->stress)
		return;
	for (i = 0; i < b->stress->nslo; i++)
		free(b->stress->slo[i].name);
	free(b->stress->slo);
	free(b->stress->levels);
	free(b->stress);
	b->stress = NULL;
}
