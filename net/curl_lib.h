/*
 * curl_lib.h - libcurl, loaded with dlopen() when HTTP is first needed.
 *
 * Only `perfgate comment` speaks HTTP, yet linking libcurl pulls some
 * thirty shared libraries (TLS, Kerberos, LDAP, IDN, ...) into every
 * start of perfgate: about 4 ms on the CI VM, paid by every `perfgate
 * run` and pre-push hook.  So net/http.c reaches libcurl through this
 * table, filled once by net_curl_lib_load().  The headers (and so the
 * ABI) are still libcurl's own, found by pkg-config.
 */
#ifndef PG_NET_CURL_LIB_H
#define PG_NET_CURL_LIB_H

#include <curl/curl.h>
#include <time.h>

/* The library loaded: libcurl's ABI 4, stable since 2006. */
#define NET_CURL_SONAME "libcurl.so.4"

/* The libcurl functions net/http.c calls. */
struct net_curl_lib {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	const char *(*easy_strerror)(CURLcode rc);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	time_t (*getdate)(const char *date, const time_t *unused);
};

/*
 * Load NET_CURL_SONAME and resolve every function (once: later calls
 * return 0 at once).  Not thread-safe: called from net_http_global_init().
 * Returns 0, or PG_ERUNTIME naming the library or the missing symbol.
 */
int net_curl_lib_load(void);

/* The table; valid after net_curl_lib_load() returned 0. */
const struct net_curl_lib *net_curl_lib(void);

#endif
