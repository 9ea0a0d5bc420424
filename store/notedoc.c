/*
 * The JSON of one note: validating it and taking the union of two notes'
 * runs without converting the runs to our structs, so that members a newer
 * perfgate wrote survive.  See store_note_union() in store/internal.h.
 */
#include "store/alerts.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad_note(const char *sha, const char *why)
{
	return pg_error_input("note for '%s' is %s", sha, why);
}

/* Parse and check {"schema":1,"runs":[{...},...]}. */
static int parse_doc(cJSON **root, const char *text, size_t len,
                     const char *sha)
{
	const cJSON *schema, *runs, *it;
	char what[64];
	int err;

	snprintf(what, sizeof(what), "note for %s", sha);
	if ((err = pg_json_parse(root, text, len, what)) < 0)
		return err;
	schema = pg_json_get(*root, "schema");
	runs = pg_json_get(*root, "runs");
	if (!cJSON_IsObject(*root) || !cJSON_IsNumber(schema) ||
	    !cJSON_IsArray(runs))
		err = bad_note(sha, "not a perfgate results document (expected "
		                    "{\"schema\":1,\"runs\":[...]})");
	else if (schema->valuedouble != RESULT_SCHEMA)
		err = pg_error_input("note for '%s' has unknown schema %g "
		                     "(this perfgate writes schema %d)",
		                     sha, schema->valuedouble, RESULT_SCHEMA);
	cJSON_ArrayForEach(it, runs)
	{
		if (!err && !cJSON_IsObject(it))
			err = bad_note(sha,
			               "not valid: a run is not an object");
	}
	if (err < 0) {
		cJSON_Delete(*root);
		*root = NULL;
	}
	return err;
}

struct run_list {
	char **text; /* printed run objects */
	char **key; /* id, or the text itself when the run has none */
	size_t n, alloc;
};

static int list_has(const struct run_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return 1;
	return 0;
}

static void list_add_runs(struct run_list *l, const cJSON *runs)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, runs)
	{
		const cJSON *id = pg_json_get(it, "id");
		char *printed = cJSON_PrintUnformatted(it);
		char *text, *key;
		size_t alloc2;

		if (!printed)
			abort(); /* cJSON only fails on allocation */
		text = pg_strdup(printed);
		cJSON_free(printed);
		key = cJSON_IsString(id) ? pg_strdup(id->valuestring)
		                         : pg_strdup(text);
		if (list_has(l, key)) {
			free(text);
			free(key);
			continue;
		}
		alloc2 = l->alloc;
		l->text = pg_grow_array(l->text, sizeof(char *), l->n + 1,
		                        &l->alloc);
		l->key = pg_grow_array(l->key, sizeof(char *), l->n + 1,
		                       &alloc2);
		l->text[l->n] = text;
		l->key[l->n++] = key;
	}
}

static void list_release(struct run_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->text[i]);
		free(l->key[i]);
	}
	free(l->text);
	free(l->key);
}

/*
 * Print the document: members of ours in their order (so unknown top-level
 * members survive), with "runs" replaced by the union, one run per line.
 */
static void print_list(struct pg_buf *b, const struct run_list *l)
{
	size_t i;

	pg_buf_addstr(b, "[\n");
	for (i = 0; i < l->n; i++)
		pg_buf_addf(b, "%s%s", i ? ",\n" : "", l->text[i]);
	pg_buf_addstr(b, "\n]");
}

static void print_doc(struct pg_buf *b, const cJSON *ours,
                      const struct run_list *l, const struct run_list *alerts)
{
	const cJSON *it;
	int first = 1;

	pg_buf_addch(b, '{');
	cJSON_ArrayForEach(it, ours)
	{
		if (!first)
			pg_buf_addch(b, ',');
		first = 0;
		pg_json_add_string(b, it->string);
		pg_buf_addch(b, ':');
		if (!strcmp(it->string, "schema")) {
			pg_buf_addf(b, "%d", RESULT_SCHEMA);
		} else if (!strcmp(it->string, "runs")) {
			print_list(b, l);
		} else if (!strcmp(it->string, STORE_NOTE_ALERTS)) {
			print_list(b, alerts);
		} else {
			char *p = cJSON_PrintUnformatted(it);

			if (!p)
				abort();
			pg_buf_addstr(b, p);
			cJSON_free(p);
		}
	}
	if (alerts->n && !pg_json_get(ours, STORE_NOTE_ALERTS)) {
		pg_buf_addstr(b, ",\"" STORE_NOTE_ALERTS "\":");
		print_list(b, alerts);
	}
	pg_buf_addstr(b, "}\n");
}

/* The history alerts recorded on the commit (store/alerts.h), or NULL. */
static const cJSON *alerts_of(const cJSON *doc)
{
	const cJSON *a = pg_json_get(doc, STORE_NOTE_ALERTS);

	return cJSON_IsArray(a) ? a : NULL;
}

int store_note_union(char **out, const char *ours, size_t ours_len,
                     const char *theirs, size_t theirs_len, const char *sha)
{
	struct run_list l = {0}, alerts = {0};
	struct pg_buf b = PG_BUF_INIT;
	cJSON *a = NULL, *t = NULL;
	int err;

	*out = NULL;
	if ((err = parse_doc(&a, ours, ours_len, sha)) < 0 ||
	    (err = parse_doc(&t, theirs, theirs_len, sha)) < 0)
		goto out;
	list_add_runs(&l, pg_json_get(a, "runs"));
	list_add_runs(&l, pg_json_get(t, "runs"));
	list_add_runs(&alerts, alerts_of(a));
	list_add_runs(&alerts, alerts_of(t));
	print_doc(&b, a, &l, &alerts);
	*out = pg_buf_detach(&b, NULL);
out:
	list_release(&l);
	list_release(&alerts);
	cJSON_Delete(a);
	cJSON_Delete(t);
	return err;
}
