#include "util/printable.h"
#include "model/config_internal.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"
#include "model/result.h"

#include <limits.h>
#include <regex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const top_keys[] = {
        "benchmarks",       "runs",     "warmup", "timeout", "gate",
        "threshold",        "alpha",    "budget", "accept",  "metrics",
        "instruction_runs", "pre_push", "build",  "pairs",   "on_change",
        "explain",          NULL};
static const char *const pre_push_keys[] = {"filter", "pairs", NULL};
static const char *const bench_keys[] = {
        "name",      "command", "runs",   "warmup",  "timeout",
        "env",       "cwd",     "format", "output",  "gate",
        "threshold", "alpha",   "budget", "metrics", "instruction_runs",
        "service",   "soak",    "stress", NULL};

int config_metric_flag(unsigned *flag, const char *name)
{
	if (!strcmp(name, RESULT_WALL_TIME))
		*flag = CONFIG_METRIC_WALL_TIME;
	else if (!strcmp(name, RESULT_INSTRUCTIONS))
		*flag = CONFIG_METRIC_INSTRUCTIONS;
	else
		return pg_error_input("unknown metric '%s' (expected wall_time "
		                      "or instructions; timing runs also "
		                      "record cpu_user, cpu_sys and max_rss)",
		                      name);
	return 0;
}

/* "metrics": ["wall_time", "instructions"] into CONFIG_METRIC_* flags. */
static int get_metrics(const cJSON *obj, unsigned *out, const char *file,
                       const char *path)
{
	const cJSON *v = pg_json_get(obj, "metrics"), *it;
	unsigned flags = 0, f = 0;
	size_t i = 0;

	if (!v)
		return 0;
	if (!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
		return pg_error_input("'%s': %s.metrics: must be a non-empty "
		                      "array of metric names",
		                      file, path);
	cJSON_ArrayForEach(it, v)
	{
		if (!cJSON_IsString(it))
			return pg_error_input(
			        "'%s': %s.metrics[%zu]: must be a "
			        "string",
			        file, path, i);
		if (config_metric_flag(&f, it->valuestring) < 0)
			return pg_error_wrap(PG_EINPUT, "'%s': %s.metrics[%zu]",
			                     file, path, i);
		flags |= f;
		i++;
	}
	*out = flags;
	return 0;
}

static int get_long(const cJSON *obj, const char *key, long min, long *out,
                    const char *file, const char *path)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < (double)min || v->valuedouble > 1e9)
		return pg_error_input("'%s': %s.%s: must be a whole number "
		                      ">= %ld",
		                      file, path, key, min);
	*out = (long)v->valuedouble;
	return 0;
}

static int get_timeout(const cJSON *obj, double *out, const char *file,
                       const char *path)
{
	const cJSON *v = pg_json_get(obj, "timeout");

	if (!v)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble > 0) ||
	    !isfinite(v->valuedouble))
		return pg_error_input("'%s': %s.timeout: must be a number of "
		                      "seconds > 0",
		                      file, path);
	*out = v->valuedouble;
	return 0;
}

static int get_string(const cJSON *obj, const char *key, char **out,
                      const char *file, const char *path)
{
	const cJSON *v = pg_json_get(obj, key);

	if (!v)
		return 0;
	if (!cJSON_IsString(v) || !*v->valuestring)
		return pg_error_input("'%s': %s.%s: must be a non-empty string",
		                      file, path, key);
	*out = pg_strdup(v->valuestring);
	return 0;
}

/*
 * A command at JSON path at: a string (sh -c) into *shell, or an array of
 * strings into *argv (NULL-terminated, *argc entries).  0 or PG_EINPUT.
 */
static int parse_argv(char ***argv, size_t *argc, char **shell,
                      const cJSON *cmd, const char *file, const char *at)
{
	const cJSON *it;
	size_t i = 0;

	if (cJSON_IsString(cmd)) {
		if (!*cmd->valuestring)
			return pg_error_input("'%s': %s: is empty", file, at);
		*shell = pg_strdup(cmd->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(cmd) || !cJSON_GetArraySize(cmd))
		return pg_error_input("'%s': %s: must be a string (run by "
		                      "/bin/sh -c) or a non-empty array of "
		                      "strings",
		                      file, at);
	*argc = (size_t)cJSON_GetArraySize(cmd);
	*argv = pg_calloc(*argc + 1, sizeof(char *));
	cJSON_ArrayForEach(it, cmd)
	{
		if (!cJSON_IsString(it) || (i == 0 && !*it->valuestring))
			return pg_error_input("'%s': %s[%zu]: must be a%s "
			                      "string",
			                      file, at, i,
			                      i ? "" : " non-empty");
		(*argv)[i++] = pg_strdup(it->valuestring);
	}
	return 0;
}

int config_parse_command(char ***argv, size_t *argc, char **shell,
                         const cJSON *cmd, const char *file, const char *path)
{
	struct pg_buf at = PG_BUF_INIT;
	int err;

	if (!cmd)
		return pg_error_input("'%s': %s: missing \"command\"", file,
		                      path);
	pg_buf_addf(&at, "%s.command", path);
	err = parse_argv(argv, argc, shell, cmd, file, at.s);
	pg_buf_release(&at);
	return err;
}

char *config_resolve_path(const struct config *cfg, const char *p)
{
	struct pg_buf b = PG_BUF_INIT;

	if (p && p[0] == '/')
		return pg_strdup(p);
	pg_buf_addf(&b, "%s/%s", cfg->dir, p ? p : ".");
	return pg_buf_detach(&b, NULL);
}

int config_parse_env(char ***envv, size_t *nenv, const cJSON *env,
                     const char *file, const char *path)
{
	const cJSON *it;
	struct pg_buf kv = PG_BUF_INIT;

	if (!env)
		return 0;
	if (!cJSON_IsObject(env))
		return pg_error_input("'%s': %s.env: must be an object of "
		                      "strings",
		                      file, path);
	*envv = pg_calloc((size_t)cJSON_GetArraySize(env) + 1, sizeof(char *));
	cJSON_ArrayForEach(it, env)
	{
		if (!cJSON_IsString(it) || !*it->string ||
		    strchr(it->string, '='))
			return pg_error_input("'%s': %s.env.%s: must be a "
			                      "string, with a name without '='",
			                      file, path, it->string);
		pg_buf_reset(&kv);
		pg_buf_addf(&kv, "%s=%s", it->string, it->valuestring);
		(*envv)[(*nenv)++] = pg_buf_detach(&kv, NULL);
	}
	return 0;
}

static int parse_bench(struct config *cfg, struct config_bench *b,
                       const cJSON *jb, const char *path)
{
	const char *file = cfg->path;
	char *cwd = NULL;
	size_t i;
	int err;

	b->runs = cfg->runs;
	b->warmup = cfg->warmup;
	b->timeout = cfg->timeout;
	b->metrics = cfg->metrics;
	b->instruction_runs = cfg->instruction_runs;
	if (!cJSON_IsObject(jb))
		return pg_error_input("'%s': %s: must be an object", file,
		                      path);
	if ((err = pg_json_check_keys(jb, bench_keys, file, path)) < 0)
		return err;
	if (!pg_json_get(jb, "name"))
		return pg_error_input("'%s': %s: missing \"name\"", file, path);
	if ((err = get_string(jb, "name", &b->name, file, path)) < 0)
		return err;
	if (!pg_utf8_valid(b->name))
		return pg_error_input("'%s': %s.name: '%s' is not valid UTF-8",
		                      file, path, pg_printable(b->name));
	for (i = 0; &cfg->benches[i] != b; i++)
		if (!strcmp(cfg->benches[i].name, b->name))
			return pg_error_input("'%s': %s: duplicate benchmark "
			                      "name '%s'",
			                      file, path, b->name);
	if ((err = config_parse_command(&b->argv, &b->argc, &b->shell,
	                                pg_json_get(jb, "command"), file,
	                                path)) < 0 ||
	    (err = get_long(jb, "runs", 1, &b->runs, file, path)) < 0 ||
	    (err = get_long(jb, "warmup", 0, &b->warmup, file, path)) < 0 ||
	    (err = get_timeout(jb, &b->timeout, file, path)) < 0 ||
	    (err = config_parse_env(&b->env, &b->nenv, pg_json_get(jb, "env"),
	                            file, path)) < 0 ||
	    (err = get_string(jb, "cwd", &cwd, file, path)) < 0 ||
	    (err = get_string(jb, "format", &b->format, file, path)) < 0 ||
	    (err = get_string(jb, "output", &b->output, file, path)) < 0 ||
	    (err = get_metrics(jb, &b->metrics, file, path)) < 0 ||
	    (err = get_long(jb, "instruction_runs", 1, &b->instruction_runs,
	                    file, path)) < 0)
		goto out;
	if (b->format && pg_json_get(jb, "metrics")) {
		err = pg_error_input("'%s': %s.metrics: not for a \"format\" "
		                     "entry, whose harness reports its own "
		                     "metrics",
		                     file, path);
		goto out;
	}
	if ((err = config_policy_parse(&b->policy, jb, file, path)) < 0 ||
	    (err = config_service_parse(cfg, b, jb, path)) < 0 ||
	    (err = config_stress_parse(cfg, b, jb, path)) < 0)
		goto out;
	if (b->output && !b->format) {
		err = pg_error_input("'%s': %s.output: needs \"format\"", file,
		                     path);
		goto out;
	}
	b->cwd = config_resolve_path(cfg, cwd);
out:
	free(cwd);
	return err;
}

/* "build": a string for sh -c, or an array run directly (PATH lookup). */
static int parse_build(struct config *cfg, const cJSON *v)
{
	if (!v)
		return 0;
	return parse_argv(&cfg->build_argv, &cfg->build_argc, &cfg->build_shell,
	                  v, cfg->path, "$.build");
}

/* "pairs": the looks of paired mode, increasing numbers of pairs. */
static int parse_pairs(struct config *cfg, const cJSON *v)
{
	const cJSON *it;
	size_t n;

	if (!v)
		return 0;
	n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 0;
	if (!n || n > PG_MAX_LOOKS)
		return pg_error_input("'%s': $.pairs: must be an array of 1 "
		                      "to %d increasing numbers of pairs",
		                      cfg->path, PG_MAX_LOOKS);
	cfg->pairs = pg_calloc(n, sizeof(long));
	cJSON_ArrayForEach(it, v)
	{
		double d = cJSON_IsNumber(it) ? it->valuedouble : -1;
		long prev = cfg->npairs ? cfg->pairs[cfg->npairs - 1] : 0;

		if (d != floor(d) || d < PG_MIN_PAIRS || d > PG_MAX_PAIRS ||
		    (long)d <= prev)
			return pg_error_input("'%s': $.pairs[%zu]: must be a "
			                      "whole number from %d to %d, "
			                      "above the one before",
			                      cfg->path, cfg->npairs,
			                      PG_MIN_PAIRS, PG_MAX_PAIRS);
		cfg->pairs[cfg->npairs++] = (long)d;
	}
	return 0;
}

/* "explain": true: the gate explains each regression (docs/explain.md). */
static int parse_explain(struct config *cfg, const cJSON *v)
{
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return pg_error_input("'%s': $.explain: must be true or false",
		                      cfg->path);
	cfg->explain = cJSON_IsTrue(v);
	return 0;
}

/* "pre_push": {"filter": "REGEX", "pairs": N}, both optional. */
static int parse_pre_push(struct config *cfg, const cJSON *pp)
{
	regex_t re;
	int err, rc;

	if (!pp)
		return 0;
	if (!cJSON_IsObject(pp))
		return pg_error_input("'%s': pre_push: must be an object with "
		                      "\"filter\" and/or \"pairs\"",
		                      cfg->path);
	if ((err = pg_json_check_keys(pp, pre_push_keys, cfg->path,
	                              "pre_push")) < 0 ||
	    (err = get_long(pp, "pairs", 2, &cfg->pre_push_pairs, cfg->path,
	                    "pre_push")) < 0 ||
	    (err = get_string(pp, "filter", &cfg->pre_push_filter, cfg->path,
	                      "pre_push")) < 0)
		return err;
	if (!cfg->pre_push_filter)
		return 0;
	if (strchr(cfg->pre_push_filter, '\n'))
		return pg_error_input("'%s': pre_push.filter: must be one line",
		                      cfg->path);
	rc = regcomp(&re, cfg->pre_push_filter, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char why[128];

		regerror(rc, &re, why, sizeof(why));
		return pg_error_input("'%s': pre_push.filter: bad regular "
		                      "expression '%s': %s",
		                      cfg->path, cfg->pre_push_filter, why);
	}
	regfree(&re);
	return 0;
}

/* "on_change": "fail" | "warn" (history alerts, gate/alert.h). */
static int parse_on_change(struct config *cfg, const cJSON *root)
{
	int err;

	if ((err = get_string(root, "on_change", &cfg->on_change, cfg->path,
	                      "$")) < 0 ||
	    !cfg->on_change)
		return err;
	if (strcmp(cfg->on_change, "fail") && strcmp(cfg->on_change, "warn"))
		return pg_error_input("'%s': on_change: '%s' must be \"fail\" "
		                      "or \"warn\"",
		                      cfg->path, cfg->on_change);
	return 0;
}

static int parse_root(struct config *cfg, const cJSON *root)
{
	const cJSON *benches, *it;
	char path[64];
	size_t i = 0;
	int err;

	if (!cJSON_IsObject(root))
		return pg_error_input("'%s': must be a JSON object with "
		                      "\"benchmarks\"",
		                      cfg->path);
	if ((err = pg_json_check_keys(root, top_keys, cfg->path, "$")) < 0 ||
	    (err = get_long(root, "runs", 1, &cfg->runs, cfg->path, "$")) < 0 ||
	    (err = get_long(root, "warmup", 0, &cfg->warmup, cfg->path, "$")) <
	            0 ||
	    (err = get_timeout(root, &cfg->timeout, cfg->path, "$")) < 0 ||
	    (err = get_metrics(root, &cfg->metrics, cfg->path, "$")) < 0 ||
	    (err = get_long(root, "instruction_runs", 1, &cfg->instruction_runs,
	                    cfg->path, "$")) < 0 ||
	    (err = config_policy_parse(&cfg->policy, root, cfg->path, "$")) <
	            0 ||
	    (err = config_accepts_parse(cfg, pg_json_get(root, "accept"))) <
	            0 ||
	    (err = parse_build(cfg, pg_json_get(root, "build"))) < 0 ||
	    (err = parse_pairs(cfg, pg_json_get(root, "pairs"))) < 0 ||
	    (err = parse_pre_push(cfg, pg_json_get(root, "pre_push"))) < 0 ||
	    (err = parse_on_change(cfg, root)) < 0 ||
	    (err = parse_explain(cfg, pg_json_get(root, "explain"))) < 0)
		return err;
	benches = pg_json_get(root, "benchmarks");
	if (!benches)
		return pg_error_input("'%s': missing \"benchmarks\"",
		                      cfg->path);
	if (!cJSON_IsArray(benches))
		return pg_error_input("'%s': \"benchmarks\" must be an array",
		                      cfg->path);
	if (!cJSON_GetArraySize(benches))
		return pg_error_input(
		        "'%s': the suite is empty: \"benchmarks\" "
		        "has no entries",
		        cfg->path);
	cfg->benches = pg_calloc((size_t)cJSON_GetArraySize(benches),
	                         sizeof(*cfg->benches));
	cJSON_ArrayForEach(it, benches)
	{
		snprintf(path, sizeof(path), "benchmarks[%zu]", i);
		cfg->nbenches = i + 1;
		if ((err = parse_bench(cfg, &cfg->benches[i], it, path)) < 0)
			return err;
		i++;
	}
	return 0;
}

static char *absolute_dir_of(const char *path)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *slash = strrchr(path, '/');
	char cwd[PATH_MAX];

	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			strcpy(cwd, ".");
		pg_buf_addstr(&b, cwd);
		pg_buf_addch(&b, '/');
	}
	if (slash)
		pg_buf_add(&b, path, (size_t)(slash - path) + (slash == path));
	else
		pg_buf_addch(&b, '.');
	return pg_buf_detach(&b, NULL);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->metrics = CONFIG_METRIC_WALL_TIME;
	cfg->instruction_runs = PG_DEFAULT_INSTRUCTION_RUNS;
	config_policy_init(&cfg->policy);
}

int config_parse(struct config *cfg, const char *text, size_t len,
                 const char *path)
{
	cJSON *root = NULL;
	int err;

	config_init(cfg);
	cfg->path = pg_strdup(path);
	cfg->dir = absolute_dir_of(path);
	cfg->runs = PG_DEFAULT_RUNS;
	cfg->warmup = PG_DEFAULT_WARMUP;
	cfg->timeout = PG_DEFAULT_TIMEOUT_S;
	cfg->pre_push_pairs = PG_DEFAULT_PRE_PUSH_PAIRS;
	cfg->metrics = CONFIG_METRIC_WALL_TIME;
	cfg->instruction_runs = PG_DEFAULT_INSTRUCTION_RUNS;
	result_hash_hex(text, len, cfg->hash);
	if ((err = pg_json_parse(&root, text, len, path)) < 0)
		return err;
	err = parse_root(cfg, root);
	cJSON_Delete(root);
	return err;
}

int config_load(struct config *cfg, const char *path)
{
	struct pg_buf b = PG_BUF_INIT;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	if ((err = pg_buf_read_file(&b, path)) < 0) {
		pg_buf_release(&b);
		return pg_error_wrap(err, "cannot read config");
	}
	err = config_parse(cfg, b.s, b.len, path);
	pg_buf_release(&b);
	return err;
}

void config_free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void config_release(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nbenches; i++) {
		struct config_bench *b = &cfg->benches[i];

		free(b->name);
		config_free_strv(b->argv, b->argc);
		free(b->shell);
		config_free_strv(b->env, b->nenv);
		free(b->cwd);
		free(b->format);
		free(b->output);
		config_policy_release(&b->policy);
		config_service_release(b);
	}
	config_policy_release(&cfg->policy);
	config_accepts_release(cfg);
	config_free_strv(cfg->build_argv, cfg->build_argc);
	free(cfg->build_shell);
	free(cfg->pairs);
	free(cfg->benches);
	free(cfg->pre_push_filter);
	free(cfg->on_change);
	free(cfg->path);
	free(cfg->dir);
	memset(cfg, 0, sizeof(*cfg));
}

int config_entry_owns(const struct config *cfg, const struct config_bench *cb,
                      const char *name)
{
	size_t n = strlen(cb->name);
	const struct config_bench *named;

	if (!name || strncmp(name, cb->name, n))
		return 0;
	if (name[n] == '\0')
		return 1;
	named = config_find_bench(cfg, name);
	return cb->format && name[n] == '/' && (!named || named == cb);
}
