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
#include "model/result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad_note(const char *sha, const char *why)
{
	return pg_error_input("note for '%s' is %s", sha, why);
}

int store_note_parse(cJSON **root, const char *text, size_t len,
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

/* 1 when gc summarised run (model/result.h: "summarised": true). */
static int is_summarised(const cJSON *run)
{
	return cJSON_IsTrue(pg_json_get(run, "summarised"));
}

struct run_list {
	char **text; /* printed run objects */
	char **key; /* id, or the text itself when the run has none */
	const cJSON **node; /* the parsed run, borrowed */
	size_t n, alloc;
};

/* The index of key in l, or -1. */
static long list_find(const struct run_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return (long)i;
	return -1;
}

/* Add runs to l; with dedup, not those whose key l has already. */
static void list_add_runs(struct run_list *l, const cJSON *runs, int dedup)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, runs)
	{
		const cJSON *id = pg_json_get(it, "id");
		char *printed = cJSON_PrintUnformatted(it);
		char *text, *key;
		size_t alloc2, alloc3;
		long at;

		if (!printed)
			abort(); /* cJSON only fails on allocation */
		text = pg_strdup(printed);
		cJSON_free(printed);
		key = cJSON_IsString(id) ? pg_strdup(id->valuestring)
		                         : pg_strdup(text);
		if (dedup && (at = list_find(l, key)) >= 0) {
			/* gc's summarised run replaces the raw one */
			if (is_summarised(it) && !is_summarised(l->node[at])) {
				free(l->text[at]);
				l->text[at] = text;
				l->node[at] = it;
				text = NULL;
			}
			free(text);
			free(key);
			continue;
		}
		alloc2 = l->alloc;
		l->text = pg_grow_array(l->text, sizeof(char *), l->n + 1,
		                        &l->alloc);
		alloc3 = alloc2;
		l->key = pg_grow_array(l->key, sizeof(char *), l->n + 1,
		                       &alloc2);
		l->node = pg_grow_array(l->node, sizeof(*l->node), l->n + 1,
		                        &alloc3);
		l->node[l->n] = it;
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
	free(l->node);
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

/*
 * A scanner for documents cJSON has already accepted: it only finds where
 * values start and end, so that runs can be copied byte for byte.
 */
static size_t skip_ws(const char *s, size_t i, size_t len)
{
	/* what cJSON skips: every byte up to and including space */
	while (i < len && (unsigned char)s[i] <= ' ')
		i++;
	return i;
}

static size_t skip_value(const char *s, size_t i, size_t len)
{
	int depth = 0, in_string = 0;

	if (i < len && s[i] != '"' && s[i] != '{' && s[i] != '[') {
		while (i < len && !strchr(",]} \t\r\n", s[i]))
			i++;
		return i;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"' && (in_string = 0, depth == 0))
				return i + 1;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			return i + 1;
		}
	}
	return len;
}

/* The elements of the array at s[v] == '[', all objects; or -1. */
static int find_elements(const char *s, size_t len, size_t v,
                         struct store_note_span **runs, size_t *n,
                         size_t *last_end)
{
	size_t alloc = 0;

	*last_end = v + 1;
	for (v = skip_ws(s, v + 1, len); v < len && s[v] != ']';) {
		/* a run is an object (parse_doc checked); anything else: -1 */
		if (s[v] != '{')
			return -1;
		*runs = pg_grow_array(*runs, sizeof(**runs), *n + 1, &alloc);
		(*runs)[*n].start = v;
		v = skip_value(s, v, len);
		(*runs)[(*n)++].end = *last_end = v;
		v = skip_ws(s, v, len);
		if (v < len && s[v] == ',')
			v = skip_ws(s, v + 1, len);
		else if (v < len && s[v] != ']')
			return -1;
	}
	return v < len ? 0 : -1;
}

/*
 * The spans of the elements of the first top-level array member key of
 * text ("runs", "alerts"), and *last_end: where its last element (or its
 * '[') ends.  -1 when there is none or the text is not shaped as expected
 * (a key written with escapes, say).
 */
int store_note_find_array(const char *s, size_t len, const char *key,
                          struct store_note_span **runs, size_t *n,
                          size_t *last_end)
{
	size_t i = skip_ws(s, 0, len), k, v, klen = strlen(key);
	int is_runs;

	*runs = NULL;
	*n = 0;
	if (i >= len || s[i] != '{')
		return -1;
	for (i = skip_ws(s, i + 1, len); i < len && s[i] == '"';) {
		k = i;
		i = skip_value(s, i, len);
		is_runs = i - k == klen + 2 && !strncmp(s + k + 1, key, klen) &&
		          s[k + klen + 1] == '"';
		i = skip_ws(s, i, len);
		if (i >= len || s[i] != ':')
			return -1;
		v = skip_ws(s, i + 1, len);
		i = skip_value(s, v, len);
		if (i == v)
			return -1;
		if (is_runs && s[v] == '[')
			return find_elements(s, len, v, runs, n, last_end);
		i = skip_ws(s, i, len);
		if (i < len && s[i] == ',')
			i = skip_ws(s, i + 1, len);
	}
	return -1;
}

/*
 * Is run (of theirs) already among runs (ours, then those of theirs
 * taken so far)?  1 when an equal run is there, or a summarised run with
 * its id (gc's tombstone: the raw samples it dropped never come back);
 * 2 when run is summarised and runs[*at] is the raw run with its id, which
 * run replaces; -1 when one with the same id differs; 0 when none.
 * Equal: cJSON_Compare, which takes numbers printed differently (by an
 * older perfgate) as equal.
 */
static int already_there(const cJSON *run, const cJSON *const *runs, size_t n,
                         size_t *at)
{
	const cJSON *id = pg_json_get(run, "id");
	size_t i;
	int clash = 0;

	for (i = 0; i < n; i++) {
		const cJSON *other = pg_json_get(runs[i], "id");

		if (cJSON_IsString(id) != cJSON_IsString(other) ||
		    (cJSON_IsString(id) &&
		     strcmp(id->valuestring, other->valuestring)))
			continue;
		if (cJSON_Compare(run, runs[i], 1))
			return 1;
		if (!cJSON_IsString(id))
			continue;
		if (is_summarised(runs[i]))
			return 1;
		if (is_summarised(run)) {
			*at = i;
			return 2;
		}
		clash = 1;
	}
	return clash ? -1 : 0;
}

/* 1 when alert (of theirs) is among ours, by id (else by content). */
static int alert_known(const cJSON *alert, const cJSON *ours)
{
	const cJSON *id = pg_json_get(alert, "id"), *it;

	cJSON_ArrayForEach(it, ours)
	{
		const cJSON *other = pg_json_get(it, "id");

		if (cJSON_IsString(id) && cJSON_IsString(other)
		            ? !strcmp(id->valuestring, other->valuestring)
		            : cJSON_Compare(alert, it, 1))
			return 1;
	}
	return 0;
}

/* Where the document's closing '}' is, or 0 when it has none. */
static size_t closing_brace(const char *s, size_t len)
{
	while (len > 0 && (unsigned char)s[len - 1] <= ' ')
		len--;
	return len > 0 && s[len - 1] == '}' ? len - 1 : 0;
}

/*
 * The rest of ours from oend on, with the history alerts of theirs that
 * ours lacks copied byte for byte into ours' "alerts" array (made when
 * ours has none): ours and its runs stay as they were.  1 when the texts
 * are not shaped so that this works (the caller re-serialises).
 */
static int splice_alerts(struct pg_buf *b, const char *ours, size_t ours_len,
                         size_t oend, const cJSON *a, const char *theirs,
                         size_t theirs_len, const cJSON *t)
{
	const cJSON *ta = alerts_of(t), *oa = alerts_of(a), *it;
	struct store_note_span *ts = NULL, *os = NULL;
	size_t tn = 0, on = 0, tend, aend, i = 0;
	int err = 1, any;

	if (!ta || !cJSON_GetArraySize(ta)) {
		pg_buf_add(b, ours + oend, ours_len - oend);
		return 0;
	}
	if (store_note_find_array(theirs, theirs_len, STORE_NOTE_ALERTS, &ts,
	                          &tn, &tend) < 0 ||
	    tn != (size_t)cJSON_GetArraySize(ta))
		goto out;
	if (oa ? store_note_find_array(ours, ours_len, STORE_NOTE_ALERTS, &os,
	                               &on, &aend) < 0 ||
	                    aend < oend
	       : (aend = closing_brace(ours, ours_len)) <= oend)
		goto out;
	pg_buf_add(b, ours + oend, aend - oend);
	if (!oa)
		pg_buf_addstr(b, ",\n\"" STORE_NOTE_ALERTS "\": [");
	any = on > 0;
	cJSON_ArrayForEach(it, ta)
	{
		const struct store_note_span *sp = &ts[i++];

		if (oa && alert_known(it, oa))
			continue;
		pg_buf_addstr(b, any ? ",\n" : "\n");
		pg_buf_add(b, theirs + sp->start, sp->end - sp->start);
		any = 1;
	}
	if (!oa)
		pg_buf_addstr(b, "\n]\n");
	pg_buf_add(b, ours + aend, ours_len - aend);
	err = 0;
out:
	free(ts);
	free(os);
	return err;
}

/*
 * ours up to the end of its last run (oend), byte for byte except the
 * runs that repl names (repl[k]: the span of theirs that replaces ours'
 * run k, or NULL).
 */
static void copy_ours(struct pg_buf *b, const char *ours,
                      const struct store_note_span *os, size_t on, size_t oend,
                      const char *theirs,
                      const struct store_note_span *const *repl)
{
	size_t k, at = 0;

	for (k = 0; k < on; k++) {
		if (!repl[k])
			continue;
		pg_buf_add(b, ours + at, os[k].start - at);
		pg_buf_add(b, theirs + repl[k]->start,
		           repl[k]->end - repl[k]->start);
		at = os[k].end;
	}
	pg_buf_add(b, ours + at, oend - at);
}

/*
 * Which runs of theirs to copy (take[i]) and which of ours they replace
 * (repl); dup < 0 with strict is an error.
 */
static int plan_runs(const cJSON *a, const cJSON *t,
                     const struct store_note_span *ts, int strict,
                     const char *sha, char *take,
                     const struct store_note_span **repl)
{
	const cJSON **seen, *it;
	size_t nseen = 0, i = 0, at = 0;
	int dup, err = 0;

	seen = pg_calloc(
	        (size_t)cJSON_GetArraySize(pg_json_get(a, "runs")) +
	                (size_t)cJSON_GetArraySize(pg_json_get(t, "runs")) + 1,
	        sizeof(*seen));
	cJSON_ArrayForEach(it, pg_json_get(a, "runs")) seen[nseen++] = it;
	cJSON_ArrayForEach(it, pg_json_get(t, "runs"))
	{
		dup = already_there(it, seen, nseen, &at);
		if (dup < 0 && strict) {
			err = pg_error_input(
			        "run '%s' is already stored on '%s' with other "
			        "content; perfgate will not store two runs "
			        "with "
			        "one id",
			        pg_json_get(it, "id")->valuestring, sha);
			break;
		}
		if (dup == 2 && !repl[at])
			repl[at] = &ts[i];
		take[i++] = dup == 0 || dup < 0;
		if (dup <= 0)
			seen[nseen++] = it;
	}
	free(seen);
	return err;
}

/*
 * ours byte for byte, with the runs of theirs that ours lacks copied
 * byte for byte after its last run, and ours' raw runs that theirs has
 * summarised replaced by theirs' (store/gc.h).  1 when the texts are not
 * shaped so that this works (the caller re-serialises).
 */
static int append_runs(struct pg_buf *b, const char *ours, size_t ours_len,
                       const cJSON *a, const char *theirs, size_t theirs_len,
                       const cJSON *t, int strict, const char *sha)
{
	struct store_note_span *os = NULL, *ts = NULL;
	const struct store_note_span **repl = NULL;
	char *take = NULL;
	size_t on, tn, oend, tend, i, any;
	int err = 1;

	if (store_note_find_array(ours, ours_len, "runs", &os, &on, &oend) <
	            0 ||
	    store_note_find_array(theirs, theirs_len, "runs", &ts, &tn, &tend) <
	            0 ||
	    on != (size_t)cJSON_GetArraySize(pg_json_get(a, "runs")) ||
	    tn != (size_t)cJSON_GetArraySize(pg_json_get(t, "runs")))
		goto out;
	repl = pg_calloc(on + 1, sizeof(*repl));
	take = pg_calloc(tn + 1, 1);
	if ((err = plan_runs(a, t, ts, strict, sha, take, repl)) < 0)
		goto out;
	copy_ours(b, ours, os, on, oend, theirs, repl);
	for (i = 0, any = on; i < tn; i++) {
		if (!take[i])
			continue;
		pg_buf_addstr(b, any++ ? ",\n" : "\n");
		pg_buf_add(b, theirs + ts[i].start, ts[i].end - ts[i].start);
	}
	err = splice_alerts(b, ours, ours_len, oend, a, theirs, theirs_len, t);
out:
	free(os);
	free(ts);
	free(repl);
	free(take);
	return err;
}

int store_note_union(char **out, const char *ours, size_t ours_len,
                     const char *theirs, size_t theirs_len, const char *sha,
                     int strict)
{
	struct run_list l = {0}, alerts = {0};
	struct pg_buf b = PG_BUF_INIT;
	cJSON *a = NULL, *t = NULL;
	int err;

	*out = NULL;
	if ((err = store_note_parse(&a, ours, ours_len, sha)) < 0 ||
	    (err = store_note_parse(&t, theirs, theirs_len, sha)) < 0)
		goto out;
	err = append_runs(&b, ours, ours_len, a, theirs, theirs_len, t, strict,
	                  sha);
	if (err < 0)
		goto out;
	if (err > 0) {
		/* not shaped as perfgate writes: re-serialise (never drops) */
		pg_buf_reset(&b);
		list_add_runs(&l, pg_json_get(a, "runs"), 0);
		list_add_runs(&l, pg_json_get(t, "runs"), 1);
		list_add_runs(&alerts, alerts_of(a), 1);
		list_add_runs(&alerts, alerts_of(t), 1);
		print_doc(&b, a, &l, &alerts);
		err = 0;
	}
	*out = pg_buf_detach(&b, NULL);
out:
	pg_buf_release(&b);
	list_release(&l);
	list_release(&alerts);
	cJSON_Delete(a);
	cJSON_Delete(t);
	return err;
}
