#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void *pg_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *pg_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *pg_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		abort();
	return q;
}

void *pg_grow_array(void *p, size_t size, size_t want, size_t *alloc)
{
	size_t n = *alloc;

	if (want <= n)
		return p;
	n = n ? n : 8;
	while (n < want) {
		if (n > ((size_t)-1) / 2 / size)
			abort();
		n *= 2;
	}
	*alloc = n;
	return pg_realloc(p, n * size);
}

void *pg_grow_array_small(void *p, size_t size, size_t want, size_t *alloc)
{
	if (*alloc == 0 && want > 0) {
		*alloc = want;
		return pg_realloc(p, want * size);
	}
	return pg_grow_array(p, size, want, alloc);
}

char *pg_strdup(const char *s)
{
	return pg_strndup(s, strlen(s));
}

char *pg_strndup(const char *s, size_t n)
{
	char *d = pg_malloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *pg_strdup_or_null(const char *s)
{
	return s ? pg_strdup(s) : NULL;
}

void pg_strv_free_n(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}
