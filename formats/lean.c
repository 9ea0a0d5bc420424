/* A cJSON tree without a node per sample; see formats/lean.h. */
#include "formats/lean.h"
#include "util/buf.h"
#include "util/jsonnum.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cJSON copies at most 63 characters of a number before strtod(). */
#define NUMBER_MAX 63
/*
 * What stands for the k-th elided array in the copy cJSON parses: an
 * array of one string no harness writes (it starts with U+0001).
 */
#define MARKER "\\u0001perfgate-lean-%zu"
#define MARKER_DECODED "\001perfgate-lean-%zu"

/* The values of an elided array, kept in the array node's valuestring. */
struct lean_block {
	size_t n;
	double v[];
};

struct lean {
	struct pg_buf copy; /* the document without the elided arrays */
	struct lean_block **blocks;
	size_t nblocks, alloc;
};

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/*
 * An array of plain numbers at p ('['): its end (after ']') and its
 * values in *out, or NULL when it is anything else or too short.
 */
static const char *numbers(const char *p, const char *end,
                           struct lean_block **out)
{
	struct lean_block *b = NULL;
	size_t n = 0, alloc = 0;
	double v;
	const char *e;

	p = ws(p + 1, end);
	while (p < end && (*p == '-' || (*p >= '0' && *p <= '9'))) {
		e = pg_json_scan_number(p, end, &v);
		if (!e || e - p > NUMBER_MAX)
			break;
		if (n + 1 > alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			b = pg_realloc(b, sizeof(*b) + alloc * sizeof(double));
		}
		b->v[n++] = v;
		p = ws(e, end);
		if (p < end && *p == ']' && n >= FMT_LEAN_MIN) {
			b->n = n;
			/* give back the room the doubling left */
			*out = pg_realloc(b, sizeof(*b) + n * sizeof(double));
			return p + 1;
		}
		if (p >= end || *p != ',')
			break;
		p = ws(p + 1, end);
	}
	free(b);
	return NULL;
}

/* The end of the string at p ('"'), as cJSON finds it, or NULL. */
static const char *string_end(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* Copy text into l->copy, each long numeric array replaced by a marker. */
static int elide(struct lean *l, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *from = text, *e;
	struct lean_block *b;

	while (p < end) {
		if (*p == '"') {
			if (!(p = string_end(p, end)))
				return 1;
			continue;
		}
		if (*p != '[' || !(e = numbers(p, end, &b))) {
			p++;
			continue;
		}
		l->blocks = pg_grow_array(l->blocks, sizeof(*l->blocks),
		                          l->nblocks + 1, &l->alloc);
		l->blocks[l->nblocks] = b;
		pg_buf_add(&l->copy, from, (size_t)(p - from));
		pg_buf_addf(&l->copy, "[\"" MARKER "\"]", l->nblocks);
		l->nblocks++;
		p = from = e;
	}
	if (!l->nblocks)
		return 1;
	pg_buf_add(&l->copy, from, (size_t)(end - from));
	return 0;
}

/* Hand the blocks to their marker arrays, in document order. */
static int attach(struct lean *l, cJSON *node, size_t *k)
{
	char want[64];
	cJSON *it;

	for (; node; node = node->next) {
		it = node->child;
		if (cJSON_IsArray(node) && it && !it->next &&
		    cJSON_IsString(it) && it->valuestring[0] == '\001') {
			snprintf(want, sizeof(want), MARKER_DECODED, *k);
			if (*k >= l->nblocks || strcmp(it->valuestring, want))
				return 1;
			cJSON_Delete(cJSON_DetachItemViaPointer(node, it));
			node->valuestring = (char *)l->blocks[*k];
			l->blocks[(*k)++] = NULL;
		} else if (it && attach(l, it, k)) {
			return 1;
		}
	}
	return 0;
}

int fmt_lean_parse(cJSON **root, const char *text, size_t len)
{
	struct lean l = {PG_BUF_INIT, NULL, 0, 0};
	const char *end = NULL;
	size_t k = 0, i;
	int err = 1;

	*root = NULL;
	if (memchr(text, '\0', len) || elide(&l, text, len))
		goto out;
	*root = cJSON_ParseWithLengthOpts(l.copy.s, l.copy.len, &end, 0);
	if (!*root || ws(end, l.copy.s + l.copy.len) != l.copy.s + l.copy.len ||
	    attach(&l, *root, &k) || k != l.nblocks) {
		cJSON_Delete(*root);
		*root = NULL;
		goto out;
	}
	err = 0;
out:
	for (i = 0; i < l.nblocks; i++)
		free(l.blocks[i]);
	free(l.blocks);
	pg_buf_release(&l.copy);
	return err;
}

size_t fmt_lean_numbers(const cJSON *arr, const double **vals)
{
	const struct lean_block *b;

	*vals = NULL;
	if (!cJSON_IsArray(arr) || arr->child || !arr->valuestring)
		return 0;
	b = (const struct lean_block *)(const void *)arr->valuestring;
	*vals = b->v;
	return b->n;
}

/* A scalar, or a node cJSON can print whole, appended to out. */
static void print_plain(struct pg_buf *out, const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);

	if (s)
		pg_buf_addstr(out, s);
	cJSON_free(s);
}

void fmt_lean_print(struct pg_buf *out, const cJSON *v)
{
	const double *vals;
	size_t n = fmt_lean_numbers(v, &vals), i;
	const cJSON *it;
	int obj = cJSON_IsObject(v);

	if (vals) {
		pg_buf_addch(out, '[');
		for (i = 0; i < n; i++) {
			cJSON *num = cJSON_CreateNumber(vals[i]);

			if (i)
				pg_buf_addch(out, ',');
			print_plain(out, num);
			cJSON_Delete(num);
		}
		pg_buf_addch(out, ']');
		return;
	}
	if (!obj && !cJSON_IsArray(v)) {
		print_plain(out, v);
		return;
	}
	pg_buf_addch(out, obj ? '{' : '[');
	for (it = v->child; it; it = it->next) {
		if (it != v->child)
			pg_buf_addch(out, ',');
		if (obj) {
			cJSON *key = cJSON_CreateString(it->string);

			print_plain(out, key);
			cJSON_Delete(key);
			pg_buf_addch(out, ':');
		}
		fmt_lean_print(out, it);
	}
	pg_buf_addch(out, obj ? '}' : ']');
}
