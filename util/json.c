#include "util/printable.h"
#include "util/json.h"
#include "util/error.h"
#include "util/jsonnum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void line_col(const char *text, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/*
 * How many objects and arrays are open at offset len of text; *in_string
 * says whether len is inside a string.
 */
static long depth_at(const char *text, size_t len, int *in_string)
{
	long depth = 0;
	size_t i;

	*in_string = 0;
	for (i = 0; i < len; i++) {
		char c = text[i];

		if (*in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				*in_string = 0;
		} else if (c == '"') {
			*in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return depth;
}

/* Does text end inside a string, object or array (a truncated file)? */
static int ends_open(const char *text, size_t len)
{
	int in_string;
	long depth = depth_at(text, len, &in_string);

	return in_string || depth > 0;
}

int pg_json_parse(cJSON **out, const char *text, size_t len, const char *what)
{
	const char *end = NULL;
	cJSON *root;
	int line, col, in_string;

	*out = NULL;
	if (memchr(text, '\0', len))
		return pg_error_input("'%s': invalid JSON: contains a NUL byte",
		                      what);
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root) {
		/* require_null_terminated is unusable with a length: do it. */
		size_t off = (size_t)(end - text);

		while (off < len && strchr(" \t\r\n", text[off]))
			off++;
		if (off == len) {
			*out = root;
			return 0;
		}
		cJSON_Delete(root);
		line_col(text, off, &line, &col);
		return pg_error_input(
		        "'%s': invalid JSON at line %d, column %d: "
		        "unexpected data after the document",
		        what, line, col);
	}
	end = cJSON_GetErrorPtr();
	if (!end || end < text || end > text + len || ends_open(text, len))
		end = text + len;
	line_col(text, (size_t)(end - text), &line, &col);
	if ((size_t)(end - text) >= len)
		return pg_error_input(
		        "'%s': invalid JSON at line %d, column %d: "
		        "unexpected end of input",
		        what, line, col);
	if (depth_at(text, (size_t)(end - text), &in_string) >=
	    CJSON_NESTING_LIMIT)
		return pg_error_input(
		        "'%s': invalid JSON at line %d, column %d: "
		        "nested deeper than %d objects and arrays",
		        what, line, col, CJSON_NESTING_LIMIT);
	return pg_error_input("'%s': invalid JSON at line %d, column %d", what,
	                      line, col);
}

cJSON *pg_json_get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

int pg_json_check_keys(const cJSON *obj, const char *const *allowed,
                       const char *what, const char *path)
{
	const cJSON *it;
	size_t i;

	cJSON_ArrayForEach(it, obj)
	{
		/* "//": a comment, as in package.json (perfgate init writes
		 * them) */
		if (it->string && !strncmp(it->string, "//", 2))
			continue;
		for (i = 0; allowed[i]; i++)
			if (it->string && !strcmp(it->string, allowed[i]))
				break;
		if (!allowed[i])
			return pg_error_input("'%s': %s: unknown key '%s'",
			                      what, path,
			                      it->string ? it->string : "");
	}
	return 0;
}

int pg_json_print(struct pg_buf *b, const cJSON *item, int formatted)
{
	char *s = formatted ? cJSON_Print(item) : cJSON_PrintUnformatted(item);

	if (!s)
		return pg_error_runtime("cannot serialise JSON");
	pg_buf_addstr(b, s);
	cJSON_free(s);
	return 0;
}

void pg_json_add_string(struct pg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	pg_buf_addch(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			pg_buf_addstr(b, "\\\"");
			break;
		case '\\':
			pg_buf_addstr(b, "\\\\");
			break;
		case '\n':
			pg_buf_addstr(b, "\\n");
			break;
		case '\r':
			pg_buf_addstr(b, "\\r");
			break;
		case '\t':
			pg_buf_addstr(b, "\\t");
			break;
		default:
			if (*p < 0x20) {
				pg_buf_addf(b, "\\u%04x", *p);
			} else if (*p < 0x80) {
				pg_buf_addch(b, (char)*p);
			} else {
				/* strict readers refuse bytes that are not
				 * UTF-8 */
				unsigned long cp;
				size_t n = pg_utf8_seq((const char *)p, &cp);

				if (n)
					pg_buf_add(b, p, n);
				else
					pg_buf_addstr(b, "\\ufffd");
				p += n ? n - 1 : 0;
			}
		}
	}
	pg_buf_addch(b, '"');
}

void pg_json_add_number(struct pg_buf *b, double v)
{
	char tmp[PG_JSON_NUMBER_BUF];
	int len;

	if (!isfinite(v)) {
		pg_buf_addstr(b, "null");
		return;
	}
	len = pg_json_format_number(tmp, v);
	pg_buf_add(b, tmp, (size_t)len);
}
