/*
 * Appending one new run to a note without a cJSON tree of the run
 * (store_note_append_one() in store/internal.h): an import of a million
 * benchmarks holds their text once, not a tree several times its size.
 */
#include "store/alerts.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

/* The id at the start of a run's text as perfgate writes it, into id. */
static int leading_id(const char *s, size_t len, char *id, size_t idsize)
{
	static const char prefix[] = "{\"id\":\"";
	size_t p = sizeof(prefix) - 1, i;

	if (len < p || memcmp(s, prefix, p))
		return -1;
	for (i = 0; p + i < len && s[p + i] != '"'; i++) {
		if (i + 1 >= idsize || s[p + i] == '\\')
			return -1;
		id[i] = s[p + i];
	}
	id[i] = '\0';
	return p + i < len ? 0 : -1;
}

/* 1 when a run of ours (a parsed note) has id id. */
static int ours_has_id(const cJSON *a, const char *id)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, pg_json_get(a, "runs"))
	{
		const cJSON *other = pg_json_get(it, "id");

		if (cJSON_IsString(other) && !strcmp(other->valuestring, id))
			return 1;
	}
	return 0;
}

int store_note_append_one(char **out, const char *ours, size_t ours_len,
                          const char *doc, size_t doc_len, const char *sha)
{
	struct store_note_span *os = NULL, *ds = NULL, *as = NULL;
	size_t on, dn, an, oend, dend, aend;
	struct pg_buf b = PG_BUF_INIT;
	cJSON *a = NULL;
	char id[128];
	int err;

	*out = NULL;
	if ((err = store_note_parse(&a, ours, ours_len, sha)) < 0)
		return err;
	err = 1;
	if (store_note_find_array(doc, doc_len, "runs", &ds, &dn, &dend) < 0 ||
	    dn != 1 ||
	    leading_id(doc + ds[0].start, ds[0].end - ds[0].start, id,
	               sizeof(id)) < 0 ||
	    (store_note_find_array(doc, doc_len, STORE_NOTE_ALERTS, &as, &an,
	                           &aend) == 0 &&
	     an > 0) ||
	    ours_has_id(a, id) ||
	    store_note_find_array(ours, ours_len, "runs", &os, &on, &oend) <
	            0 ||
	    on != (size_t)cJSON_GetArraySize(pg_json_get(a, "runs")))
		goto out;
	/* what append_runs() and splice_alerts() write for it */
	pg_buf_grow(&b, ours_len + ds[0].end - ds[0].start + 2);
	pg_buf_add(&b, ours, oend);
	pg_buf_addstr(&b, on ? ",\n" : "\n");
	pg_buf_add(&b, doc + ds[0].start, ds[0].end - ds[0].start);
	pg_buf_add(&b, ours + oend, ours_len - oend);
	*out = pg_buf_detach(&b, NULL);
	err = 0;
out:
	free(os);
	free(ds);
	free(as);
	cJSON_Delete(a);
	return err;
}
