/* String -> index hash map, open addressing (util/strmap.h). */
#include "util/strmap.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64 bits */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t slot(const struct pg_strmap *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);

	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct pg_strmap *m)
{
	struct pg_strmap big = PG_STRMAP_INIT;
	size_t i;

	big.cap = m->cap ? 2 * m->cap : 16;
	big.keys = pg_calloc(big.cap, sizeof(*big.keys));
	big.values = pg_calloc(big.cap, sizeof(*big.values));
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = slot(&big, m->keys[i]);

			big.keys[j] = m->keys[i];
			big.values[j] = m->values[i];
		}
	}
	big.n = m->n;
	pg_strmap_release(m);
	*m = big;
}

void pg_strmap_release(struct pg_strmap *m)
{
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

int pg_strmap_add(struct pg_strmap *m, const char *key, size_t value,
                  size_t *old)
{
	size_t i;

	/* at most half full: probes stay short */
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	i = slot(m, key);
	if (m->keys[i]) {
		if (old)
			*old = m->values[i];
		return 0;
	}
	m->keys[i] = key;
	m->values[i] = value;
	m->n++;
	return 1;
}

int pg_strmap_get(const struct pg_strmap *m, const char *key, size_t *value)
{
	size_t i;

	if (!m->cap)
		return 0;
	i = slot(m, key);
	if (!m->keys[i])
		return 0;
	*value = m->values[i];
	return 1;
}
