/* perfgate.json: a load benchmark's "service" and "soak" (docs/load.md). */
#include "util/buf.h"
#include "model/config_internal.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const service_keys[] = {
        "command", "env", "cwd", "port", "ready", "stop_timeout", NULL};
static const char *const ready_keys[] = {"http", "timeout", NULL};
static const char *const soak_keys[] = {"duration", "sample_every",
                                        "max_rss_slope", NULL};

/* A time as pg_quantity_parse() reads it, where "10m" is 10 minutes. */
static int parse_time(struct pg_quantity *q, const char *text)
{
	size_t len = strlen(text);
	struct pg_buf b = PG_BUF_INIT;
	int err;

	if (len > 1 && text[len - 1] == 'm' &&
	    isdigit((unsigned char)text[len - 2])) {
		pg_buf_addf(&b, "%sin", text);
		err = pg_quantity_parse(q, b.s);
		pg_buf_release(&b);
		return err;
	}
	return pg_quantity_parse(q, text);
}

/* A number of seconds, or a time such as "250ms" or "10m", at least min. */
static int get_seconds(double *out, const cJSON *obj, const char *key,
                       double min, const char *file, const char *path)
{
	const cJSON *v = pg_json_get(obj, key);
	struct pg_quantity q;

	if (!v)
		return 0;
	if (cJSON_IsNumber(v)) {
		q.value = v->valuedouble;
	} else if (!cJSON_IsString(v) || parse_time(&q, v->valuestring) < 0 ||
	           q.kind != PG_QTY_TIME) {
		return pg_error_input("'%s': %s.%s: must be a number of "
		                      "seconds or a time such as \"10s\"",
		                      file, path, key);
	}
	if (!(q.value >= min) || !isfinite(q.value) || q.value > 1e7)
		return pg_error_input("'%s': %s.%s: must be at least %gs", file,
		                      path, key, min);
	*out = q.value;
	return 0;
}

/*
 * The readiness URL: http://127.0.0.1 or http://localhost, a port (digits
 * or "{port}") and a path.  perfgate only ever talks to this machine.
 */
static int check_url(const char *url, const char *file, const char *path)
{
	static const char *const hosts[] = {
	        "http://127.0.0.1:", "http://localhost:", NULL};
	const char *p = NULL;
	size_t i;

	for (i = 0; hosts[i] && !p; i++)
		if (!strncmp(url, hosts[i], strlen(hosts[i])))
			p = url + strlen(hosts[i]);
	if (p && !strncmp(p, "{port}", 6))
		p += 6;
	else if (p && isdigit((unsigned char)*p))
		while (isdigit((unsigned char)*p))
			p++;
	else
		p = NULL;
	if (!p || (*p && *p != '/'))
		return pg_error_input("'%s': %s.ready.http: '%s' must be "
		                      "http://127.0.0.1:{port}/PATH or "
		                      "http://localhost:{port}/PATH (only this "
		                      "machine)",
		                      file, path, url);
	return 0;
}

static int parse_port(struct config_service *s, const cJSON *v,
                      const char *file, const char *path)
{
	if (!v || (cJSON_IsString(v) && !strcmp(v->valuestring, "auto"))) {
		s->port_mode = CONFIG_PORT_AUTO;
		return 0;
	}
	if (cJSON_IsString(v) && !strcmp(v->valuestring, "stdout")) {
		s->port_mode = CONFIG_PORT_STDOUT;
		return 0;
	}
	if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
	    v->valuedouble >= 1 && v->valuedouble <= 65535) {
		s->port_mode = CONFIG_PORT_FIXED;
		s->port = (long)v->valuedouble;
		return 0;
	}
	return pg_error_input("'%s': %s.port: must be \"auto\" (perfgate "
	                      "picks a free port), \"stdout\" (the service "
	                      "prints it) or a port number from 1 to 65535",
	                      file, path);
}

static int parse_ready(struct config_service *s, const cJSON *v,
                       const char *file, const char *path)
{
	const cJSON *url;
	int err;

	s->ready_kind = CONFIG_READY_TCP;
	s->ready_timeout = PG_DEFAULT_SERVICE_READY_TIMEOUT_S;
	if (!v)
		return 0;
	if (!cJSON_IsObject(v))
		return pg_error_input("'%s': %s.ready: must be an object such "
		                      "as {\"http\": \"http://127.0.0.1:{port}"
		                      "/health\", \"timeout\": 10}",
		                      file, path);
	if ((err = pg_json_check_keys(v, ready_keys, file, path)) < 0 ||
	    (err = get_seconds(&s->ready_timeout, v, "timeout", 0.01, file,
	                       path)) < 0)
		return err;
	if (!(url = pg_json_get(v, "http")))
		return 0;
	if (!cJSON_IsString(url))
		return pg_error_input("'%s': %s.ready.http: must be a URL",
		                      file, path);
	if ((err = check_url(url->valuestring, file, path)) < 0)
		return err;
	s->ready_kind = CONFIG_READY_HTTP;
	s->ready_url = pg_strdup(url->valuestring);
	return 0;
}

static int parse_service(struct config *cfg, struct config_service *s,
                         const cJSON *v, const char *path)
{
	const char *file = cfg->path;
	int err;

	if (!cJSON_IsObject(v))
		return pg_error_input("'%s': %s: must be an object with "
		                      "\"command\"",
		                      file, path);
	s->stop_timeout = PG_DEFAULT_SERVICE_STOP_TIMEOUT_S;
	if ((err = pg_json_check_keys(v, service_keys, file, path)) < 0 ||
	    (err = config_parse_command(&s->argv, &s->argc, &s->shell,
	                                pg_json_get(v, "command"), file,
	                                path)) < 0 ||
	    (err = config_parse_env(&s->env, &s->nenv, pg_json_get(v, "env"),
	                            file, path)) < 0 ||
	    (err = parse_port(s, pg_json_get(v, "port"), file, path)) < 0 ||
	    (err = parse_ready(s, pg_json_get(v, "ready"), file, path)) < 0 ||
	    (err = get_seconds(&s->stop_timeout, v, "stop_timeout", 0, file,
	                       path)) < 0)
		return err;
	if ((v = pg_json_get(v, "cwd"))) {
		if (!cJSON_IsString(v) || !*v->valuestring)
			return pg_error_input("'%s': %s.cwd: must be a "
			                      "non-empty string",
			                      file, path);
		s->cwd = config_resolve_path(cfg, v->valuestring);
	}
	return 0;
}

/* "1MiB/min", "16KiB/s", "100B/s" or a number of B/s. */
static int parse_slope(struct config_soak *k, const cJSON *v, const char *file,
                       const char *path)
{
	struct pg_quantity q;
	char *text, *slash;
	double per = 1;
	int err = 0;

	if (cJSON_IsNumber(v)) {
		k->max_rss_slope = v->valuedouble;
		k->max_rss_slope_text = pg_strdup("B/s");
		goto check;
	}
	if (!cJSON_IsString(v))
		goto bad;
	text = pg_strdup(v->valuestring);
	slash = strrchr(text, '/');
	if (slash) {
		per = !strcmp(slash, "/s")     ? 1
		      : !strcmp(slash, "/min") ? 60
		      : !strcmp(slash, "/h")   ? 3600
		                               : 0;
		*slash = '\0';
	}
	if (!slash || !per || pg_quantity_parse(&q, text) < 0 ||
	    (q.kind != PG_QTY_BYTES && q.kind != PG_QTY_NUMBER))
		err = -1;
	free(text);
	if (err)
		goto bad;
	k->max_rss_slope = q.value / per;
	k->max_rss_slope_text = pg_strdup(v->valuestring);
check:
	if (k->max_rss_slope >= 0 && isfinite(k->max_rss_slope))
		return 0;
bad:
	return pg_error_input("'%s': %s.soak.max_rss_slope: must be a growth "
	                      "rate such as \"1MiB/min\" or \"64KiB/s\" (or "
	                      "a number of bytes per second), at least 0",
	                      file, path);
}

static int parse_soak(struct config *cfg, struct config_soak *k, const cJSON *v,
                      const char *path)
{
	const char *file = cfg->path;
	struct pg_buf p = PG_BUF_INIT;
	const cJSON *slope;
	int err;

	if (!cJSON_IsObject(v))
		return pg_error_input(
		        "'%s': %s.soak: must be an object such as "
		        "{\"duration\": \"10m\", \"sample_every\": "
		        "\"1s\"}",
		        file, path);
	pg_buf_addf(&p, "%s.soak", path);
	k->sample_every = PG_DEFAULT_SOAK_SAMPLE_EVERY_S;
	k->max_rss_slope = PG_DEFAULT_SOAK_MAX_RSS_SLOPE;
	k->max_rss_slope_text = pg_strdup(PG_DEFAULT_SOAK_MAX_RSS_SLOPE_TEXT);
	if ((err = pg_json_check_keys(v, soak_keys, file, p.s)) < 0)
		goto out;
	if (!pg_json_get(v, "duration")) {
		err = pg_error_input("'%s': %s: missing \"duration\"", file,
		                     p.s);
		goto out;
	}
	if ((err = get_seconds(&k->duration, v, "duration", 0.1, file, p.s)) <
	            0 ||
	    (err = get_seconds(&k->sample_every, v, "sample_every", 0.01, file,
	                       p.s)) < 0)
		goto out;
	if (k->sample_every * 3 > k->duration) {
		err = pg_error_input("'%s': %s: \"sample_every\" must leave at "
		                     "least 3 samples in \"duration\"",
		                     file, p.s);
		goto out;
	}
	if ((slope = pg_json_get(v, "max_rss_slope"))) {
		free(k->max_rss_slope_text);
		k->max_rss_slope_text = NULL;
		err = parse_slope(k, slope, file, path);
	}
out:
	pg_buf_release(&p);
	return err;
}

int config_service_parse(struct config *cfg, struct config_bench *b,
                         const cJSON *jb, const char *path)
{
	const cJSON *v;
	int err;

	if ((v = pg_json_get(jb, "service"))) {
		struct pg_buf p = PG_BUF_INIT;

		b->service = pg_calloc(1, sizeof(*b->service));
		pg_buf_addf(&p, "%s.service", path);
		err = parse_service(cfg, b->service, v, p.s);
		pg_buf_release(&p);
		if (err < 0)
			return err;
	}
	if (!(v = pg_json_get(jb, "soak")))
		return 0;
	b->soak = pg_calloc(1, sizeof(*b->soak));
	if ((err = parse_soak(cfg, b->soak, v, path)) < 0)
		return err;
	if (!b->service)
		return pg_error_input("'%s': %s.soak: needs a \"service\" to "
		                      "sample",
		                      cfg->path, path);
	return 0;
}

void config_service_release(struct config_bench *b)
{
	struct config_service *s = b->service;

	if (s) {
		config_free_strv(s->argv, s->argc);
		free(s->shell);
		config_free_strv(s->env, s->nenv);
		free(s->cwd);
		free(s->ready_url);
		free(s);
	}
	if (b->soak)
		free(b->soak->max_rss_slope_text);
	free(b->soak);
	config_stress_release(b);
	b->service = NULL;
	b->soak = NULL;
}
