/* History alerts in the notes; see store/alerts.h. */
#include "store/alerts.h"
#include "store/internal.h"
#include "store/notes.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "model/result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void store_alerts_free(struct store_alert *alerts, size_t n)
{
	size_t i;

	for (i = 0; alerts && i < n; i++) {
		free(alerts[i].bench);
		free(alerts[i].metric);
	}
	free(alerts);
}

int store_append_alert(struct store *s, const char *sha,
                       const struct store_alert *a)
{
	struct pg_buf doc = PG_BUF_INIT, id = PG_BUF_INIT;
	int err;

	pg_buf_addf(&id, "%s/%s", a->bench, a->metric);
	pg_buf_addf(&doc,
	            "{\"schema\":%d,\"runs\":[],\"" STORE_NOTE_ALERTS
	            "\":[{\"id\":",
	            RESULT_SCHEMA);
	pg_json_add_string(&doc, id.s);
	pg_buf_addstr(&doc, ",\"benchmark\":");
	pg_json_add_string(&doc, a->bench);
	pg_buf_addstr(&doc, ",\"metric\":");
	pg_json_add_string(&doc, a->metric);
	pg_buf_addstr(&doc, ",\"shift\":");
	pg_json_add_number(&doc, a->shift);
	pg_buf_addstr(&doc, ",\"ci\":[");
	pg_json_add_number(&doc, a->ci_low);
	pg_buf_addch(&doc, ',');
	pg_json_add_number(&doc, a->ci_high);
	pg_buf_addstr(&doc, "],\"p_value\":");
	pg_json_add_number(&doc, a->p_value);
	pg_buf_addstr(&doc, ",\"raised_on\":");
	pg_json_add_string(&doc, a->raised_on);
	pg_buf_addstr(&doc, "}]}\n");
	err = store_append_doc(s, sha, &doc);
	pg_buf_release(&doc);
	pg_buf_release(&id);
	return err;
}

static double number_or_nan(const cJSON *v)
{
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* One entry of "alerts" into *a; 0 when it is not one we can read. */
static int read_entry(struct store_alert *a, const cJSON *it)
{
	const cJSON *bench = pg_json_get(it, "benchmark");
	const cJSON *metric = pg_json_get(it, "metric");
	const cJSON *ci = pg_json_get(it, "ci");
	const cJSON *on = pg_json_get(it, "raised_on");

	if (!cJSON_IsString(bench) || !cJSON_IsString(metric))
		return 0;
	memset(a, 0, sizeof(*a));
	a->bench = pg_strdup(bench->valuestring);
	a->metric = pg_strdup(metric->valuestring);
	a->shift = number_or_nan(pg_json_get(it, "shift"));
	a->p_value = number_or_nan(pg_json_get(it, "p_value"));
	a->ci_low = number_or_nan(cJSON_GetArrayItem(ci, 0));
	a->ci_high = number_or_nan(cJSON_GetArrayItem(ci, 1));
	if (cJSON_IsString(on) &&
	    strlen(on->valuestring) < sizeof(a->raised_on))
		strcpy(a->raised_on, on->valuestring);
	return 1;
}

int store_read_alerts(struct store *s, const char *sha,
                      struct store_alert **out, size_t *n)
{
	const cJSON *list, *it;
	cJSON *root = NULL;
	char *text = NULL;
	size_t len = 0, alloc = 0;
	int err;

	*out = NULL;
	*n = 0;
	if ((err = store_read_note(s, sha, &text, &len)) < 0 || !text)
		return err;
	if (pg_json_parse(&root, text, len, sha) < 0) {
		/* a note that is not JSON holds no alerts we can honour */
		pg_error_clear();
		free(text);
		return 0;
	}
	list = pg_json_get(root, STORE_NOTE_ALERTS);
	if (!cJSON_IsArray(list))
		list = NULL;
	cJSON_ArrayForEach(it, list)
	{
		*out = pg_grow_array(*out, sizeof(**out), *n + 1, &alloc);
		if (cJSON_IsObject(it) && read_entry(&(*out)[*n], it))
			(*n)++;
	}
	cJSON_Delete(root);
	free(text);
	return 0;
}
