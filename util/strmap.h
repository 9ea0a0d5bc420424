/*
 * strmap.h - a hash map from strings to indexes, for the checks that
 * were quadratic (duplicate benchmark names: 40k names took 6.4 s).
 * Keys are borrowed: they must outlive the map and not change.
 *
 * Errors and ownership: cannot fail (allocation failure aborts); the map
 * owns its table, pg_strmap_release() frees it.
 */
#ifndef PG_UTIL_STRMAP_H
#define PG_UTIL_STRMAP_H

#include <stddef.h>

struct pg_strmap {
	const char **keys;
	size_t *values;
	size_t cap, n;
};

#define PG_STRMAP_INIT                                                         \
	{                                                                      \
		NULL, NULL, 0, 0                                               \
	}

/* Free the table (not the keys); the map is empty and usable again. */
void pg_strmap_release(struct pg_strmap *m);

/*
 * Map key to value unless key is there already.  Returns 1 when added, 0
 * when key was there (*old, if not NULL, gets its value).
 */
int pg_strmap_add(struct pg_strmap *m, const char *key, size_t value,
                  size_t *old);

/* 1 and *value when key is there, else 0. */
int pg_strmap_get(const struct pg_strmap *m, const char *key, size_t *value);

#endif
