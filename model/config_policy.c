/* perfgate.json: how benchmarks are gated (metrics, theta, alpha, budgets,
 * accepted regressions). */
#include "model/config_internal.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/quantity.h"
#include "model/result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* alpha above this is not a significance level anyone means */
#define CONFIG_ALPHA_MAX 0.5
/* theta of 100% or more would never fail anything */
#define CONFIG_THRESHOLD_MAX 1.0

void config_policy_init(struct config_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->threshold = NAN;
	p->alpha = NAN;
}

static int parse_gate(struct config_policy *p, const cJSON *v, const char *file,
                      const char *path)
{
	const cJSON *it;

	if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
		return pg_error_input("'%s': %s.gate: must be a non-empty "
		                      "array of metric names",
		                      file, path);
	p->gate = pg_calloc((size_t)cJSON_GetArraySize(v), sizeof(char *));
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it) || !*it->valuestring)
			return pg_error_input("'%s': %s.gate: metric names "
			                      "must be non-empty strings",
			                      file, path);
		p->gate[p->ngate++] = pg_strdup(it->valuestring);
	}
	return 0;
}

/* A fraction given as 0.05 or "5%". */
static int parse_fraction(double *out, const cJSON *v, double max,
                          const char *file, const char *path, const char *key)
{
	char num[64];
	const char *text = num;

	if (cJSON_IsNumber(v))
		snprintf(num, sizeof(num), "%.17g", v->valuedouble);
	else if (cJSON_IsString(v))
		text = v->valuestring;
	else
		return pg_error_input("'%s': %s.%s: must be a number or a "
		                      "percentage string",
		                      file, path, key);
	if (pg_fraction_parse(out, text, max) < 0)
		return pg_error_wrap(PG_EINPUT, "'%s': %s.%s", file, path, key);
	return 0;
}

static int parse_threshold(struct config_policy *p, const cJSON *v,
                           const char *file, const char *path)
{
	const cJSON *it;
	char key[128];
	size_t n;
	int err;

	if (!cJSON_IsObject(v))
		return parse_fraction(&p->threshold, v, CONFIG_THRESHOLD_MAX,
		                      file, path, "threshold");
	n = (size_t)cJSON_GetArraySize(v);
	p->threshold_metrics = pg_calloc(n, sizeof(char *));
	p->threshold_values = pg_calloc(n, sizeof(double));
	cJSON_ArrayForEach(it, v)
	{
		snprintf(key, sizeof(key), "threshold.%s", it->string);
		err = parse_fraction(&p->threshold_values[p->nthresholds], it,
		                     CONFIG_THRESHOLD_MAX, file, path, key);
		if (err < 0)
			return err;
		p->threshold_metrics[p->nthresholds++] = pg_strdup(it->string);
	}
	return 0;
}

/* "p95" -> 0.95, "median" -> 0.5, "max" -> 1, "mean" -> -1; else < -1. */
static double stat_quantile(const char *stat)
{
	char *end;
	double q;

	if (!strcmp(stat, "median"))
		return 0.5;
	if (!strcmp(stat, "max"))
		return 1;
	if (!strcmp(stat, "min"))
		return 0;
	if (!strcmp(stat, "mean"))
		return -1;
	if (stat[0] != 'p' || !stat[1])
		return -2;
	q = strtod(stat + 1, &end);
	if (*end || !(q > 0 && q < 100))
		return -2;
	return q / 100;
}

static int add_budget(struct config_policy *p, const char *metric,
                      const char *stat, const cJSON *v, const char *file,
                      const char *path)
{
	struct config_budget *b;
	struct pg_quantity q;
	int every = !strcmp(stat, "every");
	double quantile = every ? 0 : stat_quantile(stat);
	char text[160];
	int op = 0;

	if (quantile < -1)
		return pg_error_input("'%s': %s.budget: unknown statistic "
		                      "'%s' (median, mean, min, max, p50, p95, "
		                      "p99.9, ...)",
		                      file, path, stat);
	if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
		return pg_error_input("'%s': %s.budget.%s: must be a string "
		                      "such as \"250ms\" or a number",
		                      file, path, stat);
	if (cJSON_IsNumber(v)) {
		q.value = v->valuedouble;
		q.kind = PG_QTY_NUMBER;
		snprintf(text, sizeof(text), "%s %s %g", metric, stat,
		         v->valuedouble);
	} else {
		const char *value = v->valuestring;

		/* ">= 1000": a floor, "<= 250ms": a ceiling, said outright */
		if ((value[0] == '>' || value[0] == '<') && value[1] == '=')
			op = value[0];
		if (op)
			value += 2 + strspn(value + 2, " ");
		if (pg_quantity_parse(&q, value) < 0)
			return pg_error_wrap(PG_EINPUT, "'%s': %s.budget.%s",
			                     file, path, stat);
		if (every)
			snprintf(text, sizeof(text), "%s %s", metric,
			         v->valuestring);
		else
			snprintf(text, sizeof(text), "%s %s %s", metric, stat,
			         v->valuestring);
	}
	/* "capacity": ">= 1000": the smallest sample; "<= X": the largest */
	if (every) {
		stat = op == '>' ? "min" : "max";
		quantile = op == '>' ? 0 : 1;
	}
	p->budgets =
	        pg_realloc(p->budgets, (p->nbudgets + 1) * sizeof(*p->budgets));
	b = &p->budgets[p->nbudgets++];
	b->metric = pg_strdup(metric);
	b->stat = pg_strdup(stat);
	b->quantile = quantile;
	b->limit = q.value;
	b->kind = (int)q.kind;
	b->text = pg_strdup(text);
	b->op = op;
	return 0;
}

/*
 * "budget": {"p95": "250ms"} budgets wall time; {"max_rss": "512MiB"}
 * budgets a metric's median; {"max_rss": {"max": "1GiB"}} names both.
 */
static int parse_budget(struct config_policy *p, const cJSON *v,
                        const char *file, const char *path)
{
	const cJSON *it, *inner;
	int err;

	if (!cJSON_IsObject(v))
		return pg_error_input("'%s': %s.budget: must be an object",
		                      file, path);
	cJSON_ArrayForEach(it, v)
	{
		if (cJSON_IsObject(it)) {
			cJSON_ArrayForEach(inner, it)
			{
				err = add_budget(p, it->string, inner->string,
				                 inner, file, path);
				if (err < 0)
					return err;
			}
			continue;
		}
		if (stat_quantile(it->string) >= -1)
			err = add_budget(p, "wall_time", it->string, it, file,
			                 path);
		else if (cJSON_IsString(it) &&
		         strchr("<>", it->valuestring[0]) &&
		         it->valuestring[0] && it->valuestring[1] == '=')
			/* "capacity": ">= 1000": every sample */
			err = add_budget(p, it->string, "every", it, file,
			                 path);
		else
			err = add_budget(p, it->string, "median", it, file,
			                 path);
		if (err < 0)
			return err;
	}
	return 0;
}

int config_policy_parse(struct config_policy *p, const cJSON *obj,
                        const char *file, const char *path)
{
	const cJSON *v;
	int err;

	config_policy_init(p);
	if ((v = pg_json_get(obj, "gate")) &&
	    (err = parse_gate(p, v, file, path)) < 0)
		return err;
	if ((v = pg_json_get(obj, "threshold")) &&
	    (err = parse_threshold(p, v, file, path)) < 0)
		return err;
	if ((v = pg_json_get(obj, "alpha"))) {
		if ((err = parse_fraction(&p->alpha, v, CONFIG_ALPHA_MAX, file,
		                          path, "alpha")) < 0)
			return err;
		if (p->alpha <= 0)
			return pg_error_input("'%s': %s.alpha: must be > 0",
			                      file, path);
	}
	if ((v = pg_json_get(obj, "budget")) &&
	    (err = parse_budget(p, v, file, path)) < 0)
		return err;
	return 0;
}

void config_policy_release(struct config_policy *p)
{
	size_t i;

	for (i = 0; i < p->ngate; i++)
		free(p->gate[i]);
	free(p->gate);
	for (i = 0; i < p->nthresholds; i++)
		free(p->threshold_metrics[i]);
	free(p->threshold_metrics);
	free(p->threshold_values);
	for (i = 0; i < p->nbudgets; i++) {
		free(p->budgets[i].metric);
		free(p->budgets[i].stat);
		free(p->budgets[i].text);
	}
	free(p->budgets);
	config_policy_init(p);
}

static const char *const accept_keys[] = {"benchmark", "metric", "max",
                                          "commit",    "reason", NULL};

static int parse_accept(struct config_accept *a, const cJSON *v,
                        const char *file, const char *path)
{
	const cJSON *bench = pg_json_get(v, "benchmark");
	const cJSON *metric = pg_json_get(v, "metric");
	const cJSON *commit = pg_json_get(v, "commit");
	const cJSON *reason = pg_json_get(v, "reason");
	const cJSON *max = pg_json_get(v, "max");
	int err;

	if (!cJSON_IsObject(v))
		return pg_error_input("'%s': %s: must be an object", file,
		                      path);
	if ((err = pg_json_check_keys(v, accept_keys, file, path)) < 0)
		return err;
	if (!cJSON_IsString(bench) || !cJSON_IsString(max) ||
	    (metric && !cJSON_IsString(metric)) ||
	    (commit && !cJSON_IsString(commit)) ||
	    (reason && !cJSON_IsString(reason)))
		return pg_error_input(
		        "'%s': %s: needs \"benchmark\" and "
		        "\"max\" (\"+15%%\") strings; \"metric\", "
		        "\"commit\" and \"reason\" are strings",
		        file, path);
	if ((err = pg_fraction_parse(
	             &a->max_effect,
	             max->valuestring + (max->valuestring[0] == '+'), 100)) < 0)
		return pg_error_wrap(err, "'%s': %s.max", file, path);
	a->bench = pg_strdup(bench->valuestring);
	a->metric = pg_strdup(metric ? metric->valuestring : "wall_time");
	a->commit = commit ? pg_strdup(commit->valuestring) : NULL;
	a->reason = reason ? pg_strdup(reason->valuestring) : NULL;
	return 0;
}

int config_accepts_parse(struct config *cfg, const cJSON *arr)
{
	const cJSON *it;
	char path[64];
	int err;

	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr))
		return pg_error_input("'%s': \"accept\" must be an array",
		                      cfg->path);
	cfg->accepts = pg_calloc((size_t)cJSON_GetArraySize(arr) + 1,
	                         sizeof(*cfg->accepts));
	cJSON_ArrayForEach(it, arr)
	{
		snprintf(path, sizeof(path), "accept[%zu]", cfg->naccepts);
		if ((err = parse_accept(&cfg->accepts[cfg->naccepts], it,
		                        cfg->path, path)) < 0)
			return err;
		cfg->naccepts++;
	}
	return 0;
}

void config_accepts_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->naccepts; i++) {
		free(cfg->accepts[i].bench);
		free(cfg->accepts[i].metric);
		free(cfg->accepts[i].commit);
		free(cfg->accepts[i].reason);
	}
	free(cfg->accepts);
	cfg->accepts = NULL;
	cfg->naccepts = 0;
}

const struct config_bench *config_find_bench(const struct config *cfg,
                                             const char *name)
{
	size_t i, len;

	for (i = 0; i < cfg->nbenches; i++)
		if (!strcmp(cfg->benches[i].name, name))
			return &cfg->benches[i];
	/* "entry/inner" from a harness entry */
	for (i = 0; i < cfg->nbenches; i++) {
		len = strlen(cfg->benches[i].name);
		if ((cfg->benches[i].format || cfg->benches[i].service) &&
		    !strncmp(cfg->benches[i].name, name, len) &&
		    name[len] == '/')
			return &cfg->benches[i];
	}
	return NULL;
}

static int in_list(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

int config_has_gate_policy(const struct config *cfg,
                           const struct config_bench *b)
{
	return (b && b->policy.gate) || (cfg && cfg->policy.gate);
}

int config_metric_gates(const struct config *cfg, const struct config_bench *b,
                        const char *metric)
{
	if (b && b->policy.gate)
		return in_list(b->policy.gate, b->policy.ngate, metric);
	if (cfg && cfg->policy.gate)
		return in_list(cfg->policy.gate, cfg->policy.ngate, metric);
	/* instruction counts are only there when asked for: they gate */
	return !strcmp(metric, RESULT_WALL_TIME) ||
	       !strcmp(metric, RESULT_INSTRUCTIONS);
}

/* The threshold p sets for metric by name, NAN when none. */
static double named_threshold(const struct config_policy *p, const char *metric)
{
	size_t i;

	for (i = 0; i < p->nthresholds; i++)
		if (!strcmp(p->threshold_metrics[i], metric))
			return p->threshold_values[i];
	return NAN;
}

static double policy_threshold(const struct config_policy *p,
                               const char *metric)
{
	double t = named_threshold(p, metric);

	return isnan(t) ? p->threshold : t;
}

double config_threshold(const struct config *cfg, const struct config_bench *b,
                        const char *metric, double fallback)
{
	double t = b ? policy_threshold(&b->policy, metric) : NAN;

	if (isnan(t) && cfg)
		t = policy_threshold(&cfg->policy, metric);
	return isnan(t) ? fallback : t;
}

double config_metric_threshold(const struct config *cfg,
                               const struct config_bench *b, const char *metric,
                               double fallback)
{
	double t = b ? named_threshold(&b->policy, metric) : NAN;

	if (isnan(t) && cfg)
		t = named_threshold(&cfg->policy, metric);
	return isnan(t) ? fallback : t;
}

double config_alpha(const struct config *cfg, const struct config_bench *b,
                    double fallback)
{
	if (b && !isnan(b->policy.alpha))
		return b->policy.alpha;
	if (cfg && !isnan(cfg->policy.alpha))
		return cfg->policy.alpha;
	return fallback;
}
