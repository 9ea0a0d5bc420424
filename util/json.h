/*
 * json.h - cJSON helpers shared by the modules that read or write JSON
 * (config, results, notes, formats, reporters).  This header is the one
 * place where cJSON types are part of a perfgate interface; callers convert
 * to their own structs before anything crosses a module boundary.
 *
 * cJSON 1.7.15 traps handled here: cJSON_Parse accepts trailing garbage
 * (we require the document to end), and cJSON_GetObjectItem is
 * case-insensitive (we always use the CaseSensitive variant).
 */
#ifndef PG_UTIL_JSON_H
#define PG_UTIL_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "util/buf.h"

/*
 * Parse len bytes of JSON.  what names the source in messages (a file
 * name).  On a syntax error returns PG_EINPUT with "'what': invalid JSON at
 * line L, column C"; on success *out is a tree the caller frees with
 * cJSON_Delete().
 */
int pg_json_parse(cJSON **out, const char *text, size_t len, const char *what);

/* Case-sensitive member lookup; NULL when absent. */
cJSON *pg_json_get(const cJSON *obj, const char *key);

/*
 * Check that every member of obj is one of the NULL-terminated allowed
 * keys, or a comment: a key that starts with "//", whatever its value.  On
 * an unknown key returns PG_EINPUT naming what, path and the key.
 */
int pg_json_check_keys(const cJSON *obj, const char *const *allowed,
                       const char *what, const char *path);

/* Print a tree (formatted) into b; 0 or PG_ERUNTIME. */
int pg_json_print(struct pg_buf *b, const cJSON *item, int formatted);

/* Append s to b as a JSON string literal, quotes included. */
void pg_json_add_string(struct pg_buf *b, const char *s);

/*
 * Append a finite double to b so that it reads back exactly (%.17g,
 * shortened when a shorter form round-trips).
 */
void pg_json_add_number(struct pg_buf *b, double v);

#endif
