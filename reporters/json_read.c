/* Reading the report JSON document back; see reporters/json_read.h. */
#include "reporters/json_read.h"
#include "reporters/json.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = pg_json_get(o, key);

	return cJSON_IsString(v) ? pg_strdup(v->valuestring) : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = pg_json_get(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static size_t count_of(const cJSON *o, const char *key)
{
	double v = num_of(o, key);

	return v >= 0 ? (size_t)v : 0;
}

static int verdict_of(const char *name, enum report_verdict *out)
{
	int v;

	for (v = REPORT_REGRESSION; v <= REPORT_NO_BASELINE; v++) {
		if (name && !strcmp(report_verdict_name(v), name)) {
			*out = (enum report_verdict)v;
			return 0;
		}
	}
	return -1;
}

static int read_row(struct report *r, const cJSON *o, size_t i,
                    const char *what)
{
	struct report_row *row;
	char *dir;
	const cJSON *v;

	if (!cJSON_IsObject(o))
		return pg_error_input("'%s': rows[%zu] is not an object", what,
		                      i);
	row = report_add_row(r, NULL, NULL, NULL);
	row->group = str_of(o, "group");
	row->bench = str_of(o, "bench");
	row->metric = str_of(o, "metric");
	row->unit = str_of(o, "unit");
	if (!row->bench || !row->metric)
		return pg_error_input("'%s': rows[%zu] has no bench or metric",
		                      what, i);
	v = pg_json_get(o, "verdict");
	if (verdict_of(cJSON_IsString(v) ? v->valuestring : NULL,
	               &row->verdict) < 0)
		return pg_error_input(
		        "'%s': rows[%zu].verdict is not a verdict", what, i);
	dir = str_of(o, "direction");
	row->direction = dir && !strcmp(dir, "higher") ? RESULT_HIGHER_IS_BETTER
	                                               : RESULT_LOWER_IS_BETTER;
	free(dir);
	row->n_base = count_of(o, "n_base");
	row->n_cand = count_of(o, "n_cand");
	row->base_value = num_of(o, "base_value");
	row->cand_value = num_of(o, "cand_value");
	row->estimate = num_of(o, "estimate");
	row->ci_low = num_of(o, "ci_low");
	row->ci_high = num_of(o, "ci_high");
	row->confidence = num_of(o, "confidence");
	row->p_value = num_of(o, "p_value");
	row->p_adjusted = num_of(o, "p_adjusted");
	row->threshold = num_of(o, "threshold");
	row->mde = num_of(o, "mde");
	row->test = str_of(o, "test");
	row->method = str_of(o, "method");
	row->note = str_of(o, "note");
	row->error = str_of(o, "error");
	row->budget = str_of(o, "budget");
	row->over_budget = cJSON_IsTrue(pg_json_get(o, "over_budget"));
	row->informational = cJSON_IsFalse(pg_json_get(o, "gating"));
	return 0;
}

static void read_sides(struct report *r, const cJSON *doc)
{
	const cJSON *base = pg_json_get(doc, "baseline");
	const cJSON *cand = pg_json_get(doc, "candidate");

	if (cJSON_IsObject(base)) {
		const cJSON *c;

		r->base_commit = str_of(base, "commit");
		r->base_env = str_of(base, "env");
		cJSON_ArrayForEach(c, pg_json_get(base, "commits"))
		{
			if (cJSON_IsString(c))
				report_add_baseline_commit(r, c->valuestring);
		}
	}
	if (cJSON_IsObject(cand)) {
		r->cand_commit = str_of(cand, "commit");
		r->cand_env = str_of(cand, "env");
	}
}

int report_json_read(struct report *r, const char *text, size_t len,
                     const char *what)
{
	cJSON *doc = NULL;
	const cJSON *rows, *row;
	size_t i = 0;
	int err;

	if ((err = pg_json_parse(&doc, text, len, what)) < 0)
		return err;
	if (!cJSON_IsObject(doc) ||
	    num_of(doc, "schema") != REPORT_JSON_SCHEMA) {
		err = pg_error_input("'%s': not a perfgate report (schema %d)",
		                     what, REPORT_JSON_SCHEMA);
		goto out;
	}
	rows = pg_json_get(doc, "rows");
	if (!cJSON_IsArray(rows)) {
		err = pg_error_input("'%s': rows is not an array", what);
		goto out;
	}
	r->title = str_of(doc, "title");
	r->mode = str_of(doc, "mode");
	r->mode_reason = str_of(doc, "mode_reason");
	r->method = str_of(doc, "method");
	r->notice = str_of(doc, "notice");
	r->correction = str_of(doc, "correction");
	r->alpha = num_of(doc, "alpha");
	r->duration = num_of(doc, "duration");
	read_sides(r, doc);
	cJSON_ArrayForEach(row, rows)
	{
		if ((err = read_row(r, row, i++, what)) < 0)
			goto out;
	}
out:
	cJSON_Delete(doc);
	return err;
}
