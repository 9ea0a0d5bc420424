/*
 * gc's rewrite of one note (store/gc.h), without git: runs summarised in
 * place in a cJSON tree and printed with exact numbers, spliced into the
 * note text so that the other runs stay byte for byte.
 */
#include "store/alerts.h"
#include "store/internal.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/mem.h"
#include "model/result.h"
#include "model/result_summary.h"

#include <stdlib.h>
#include <string.h>

/* Replace the samples of metric jm by a summary; 1 when it did. */
static int summarise_metric(cJSON *jm)
{
	double points[RESULT_SUMMARY_POINTS], *x;
	struct result_summary sum;
	cJSON *samples = cJSON_GetObjectItemCaseSensitive(jm, "samples");
	cJSON *js, *it;
	size_t n = 0;

	if (!cJSON_IsObject(jm) || !cJSON_IsArray(samples) ||
	    cJSON_GetObjectItemCaseSensitive(jm, "summary") ||
	    (size_t)cJSON_GetArraySize(samples) <= RESULT_SUMMARY_POINTS)
		return 0;
	x = pg_malloc((size_t)cJSON_GetArraySize(samples) * sizeof(*x));
	cJSON_ArrayForEach(it, samples) x[n++] = it->valuedouble;
	result_summary_compute(&sum, points, x, n);
	free(x);
	if (!cJSON_ReplaceItemInObjectCaseSensitive(
	            jm, "samples",
	            cJSON_CreateDoubleArray(points, RESULT_SUMMARY_POINTS)) ||
	    !(js = cJSON_AddObjectToObject(jm, "summary")) ||
	    !cJSON_AddNumberToObject(js, "n", (double)sum.n) ||
	    !cJSON_AddNumberToObject(js, "mean", sum.mean) ||
	    !cJSON_AddNumberToObject(js, "sd", sum.sd) ||
	    !cJSON_AddNumberToObject(js, "mad", sum.mad))
		abort(); /* cJSON only fails on allocation */
	return 1;
}

/* Summarise run jr in place; 1 when any of its metrics changed. */
static int summarise_run(cJSON *jr)
{
	cJSON *b, *m;
	int k = 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(jr, "summarised")))
		return 0;
	cJSON_ArrayForEach(b,
	                   cJSON_GetObjectItemCaseSensitive(jr, "benchmarks"))
	{
		cJSON_ArrayForEach(
		        m, cJSON_GetObjectItemCaseSensitive(b, "metrics")) k |=
		        summarise_metric(m);
	}
	if (k && !cJSON_AddTrueToObject(jr, "summarised"))
		abort();
	return k;
}

/*
 * Print a parsed run with numbers that read back exactly (cJSON's printer
 * may drop the last digit: STYLE.md, known traps).  Strings go through
 * cJSON's parser, which cuts them at \u0000: only summarised runs are
 * printed here; every other run is copied as it was.
 */
static void print_tree(struct pg_buf *b, const cJSON *it)
{
	const cJSON *c;
	int first = 1;

	if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
		pg_buf_addch(b, cJSON_IsObject(it) ? '{' : '[');
		cJSON_ArrayForEach(c, it)
		{
			if (!first)
				pg_buf_addch(b, ',');
			first = 0;
			if (cJSON_IsObject(it)) {
				pg_json_add_string(b, c->string);
				pg_buf_addch(b, ':');
			}
			print_tree(b, c);
		}
		pg_buf_addch(b, cJSON_IsObject(it) ? '}' : ']');
	} else if (cJSON_IsString(it)) {
		pg_json_add_string(b, it->valuestring);
	} else if (cJSON_IsNumber(it)) {
		pg_json_add_number(b, it->valuedouble);
	} else {
		pg_buf_addstr(b, cJSON_IsTrue(it)    ? "true"
		                 : cJSON_IsFalse(it) ? "false"
		                                     : "null");
	}
}

/*
 * The note text with the runs of doc that changed (printed[i] non-NULL)
 * spliced in, the rest byte for byte; the whole document re-printed when
 * the text is not shaped as perfgate writes it.
 */
static char *splice(const char *text, size_t len, const cJSON *doc,
                    char **printed, size_t nruns)
{
	struct store_note_span *sp = NULL;
	struct pg_buf b = PG_BUF_INIT;
	size_t n = 0, end, at = 0, i;

	if (store_note_find_array(text, len, "runs", &sp, &n, &end) < 0 ||
	    n != nruns) {
		print_tree(&b, doc);
		pg_buf_addch(&b, '\n');
	} else {
		for (i = 0; i < n; i++) {
			if (!printed[i])
				continue;
			pg_buf_add(&b, text + at, sp[i].start - at);
			pg_buf_addstr(&b, printed[i]);
			at = sp[i].end;
		}
		pg_buf_add(&b, text + at, len - at);
	}
	free(sp);
	return pg_buf_detach(&b, NULL);
}

/* The same runs, by id and in order, in both parsed documents? */
static int same_runs(const struct result_run *a, size_t na,
                     const struct result_run *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if ((a[i].id == NULL) != (b[i].id == NULL) ||
		    (a[i].id && strcmp(a[i].id, b[i].id)) ||
		    a[i].nbenches != b[i].nbenches)
			return 0;
	return 1;
}

int store_gc_rewrite(char **out, const char *text, size_t len, const char *sha,
                     size_t *runs, size_t *summarised)
{
	struct result_run *before = NULL, *after = NULL;
	size_t nb = 0, na = 0, i = 0, nruns = 0;
	char **printed = NULL;
	cJSON *doc = NULL, *jr;
	int err;

	*out = NULL;
	*runs = *summarised = 0;
	if ((err = result_doc_parse(&before, &nb, text, len, sha)) < 0 ||
	    (err = pg_json_parse(&doc, text, len, sha)) < 0)
		goto out;
	*runs = nb;
	nruns = (size_t)cJSON_GetArraySize(pg_json_get(doc, "runs"));
	printed = pg_calloc(nruns + 1, sizeof(*printed));
	cJSON_ArrayForEach(jr, pg_json_get(doc, "runs"))
	{
		if (summarise_run(jr)) {
			struct pg_buf b = PG_BUF_INIT;

			print_tree(&b, jr);
			printed[i] = pg_buf_detach(&b, NULL);
			(*summarised)++;
		}
		i++;
	}
	if (!*summarised)
		goto out;
	*out = splice(text, len, doc, printed, nruns);
	err = result_doc_parse(&after, &na, *out, strlen(*out), sha);
	if (err < 0 || !same_runs(before, nb, after, na)) {
		err = pg_error_input("gc of the note on '%s' would not read "
		                     "back with the same runs; nothing "
		                     "written",
		                     sha);
		free(*out);
		*out = NULL;
	}
out:
	for (i = 0; printed && i < nruns; i++)
		free(printed[i]);
	free(printed);
	cJSON_Delete(doc);
	result_runs_free(before, nb);
	result_runs_free(after, na);
	return err;
}

int store_note_has_alerts(const char *text, size_t len)
{
	cJSON *doc;
	const cJSON *a;
	int yes;

	/* most notes have none: spare them a second parse */
	if (!strstr(text, "\"" STORE_NOTE_ALERTS "\""))
		return 0;
	doc = cJSON_ParseWithLength(text, len);
	a = cJSON_GetObjectItemCaseSensitive(doc, STORE_NOTE_ALERTS);
	yes = cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0;

	cJSON_Delete(doc);
	return yes;
}
