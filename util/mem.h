/*
 * mem.h - allocation wrappers.  Like git's xmalloc(), these never return
 * NULL: on allocation failure they abort(), because no caller can do
 * anything useful without memory and a half-handled failure is worse.
 */
#ifndef PG_UTIL_MEM_H
#define PG_UTIL_MEM_H

#include <stddef.h>

void *pg_malloc(size_t n);
void *pg_calloc(size_t nmemb, size_t size);
void *pg_realloc(void *p, size_t n);
/* Grow an array of nmemb elements to hold at least want; updates *alloc. */
void *pg_grow_array(void *p, size_t size, size_t want, size_t *alloc);
/*
 * pg_grow_array(), but the first allocation holds exactly want elements:
 * for the arrays that mostly stay at one or two (a benchmark's metrics, an
 * aggregate metric's one sample), where room for 8 costs a run of a
 * million benchmarks hundreds of megabytes.
 */
void *pg_grow_array_small(void *p, size_t size, size_t want, size_t *alloc);
char *pg_strdup(const char *s);
char *pg_strndup(const char *s, size_t n);
/* pg_strdup() that passes NULL through. */
char *pg_strdup_or_null(const char *s);

/* Free the n strings of v and v itself.  Accepts NULL. */
void pg_strv_free_n(char **v, size_t n);

#endif
