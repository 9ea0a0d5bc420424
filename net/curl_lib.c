/* libcurl through dlopen(); see net/curl_lib.h. */
#include "net/curl_lib.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "util/error.h"

/*
 * Process-wide, like libcurl's own global state: filled by the one
 * net_curl_lib_load() that net_http_global_init() makes, read-only after.
 * The library stays loaded until exit (TLS libraries register exit
 * handlers, so unloading it would be unsafe).
 */
static struct net_curl_lib lib;
static void *handle;

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
#define SYM(field, name)                                                       \
	{                                                                      \
		name, offsetof(struct net_curl_lib, field)                     \
	}
        SYM(global_init, "curl_global_init"),
        SYM(global_cleanup, "curl_global_cleanup"),
        SYM(easy_strerror, "curl_easy_strerror"),
        SYM(easy_init, "curl_easy_init"),
        SYM(easy_setopt, "curl_easy_setopt"),
        SYM(easy_perform, "curl_easy_perform"),
        SYM(easy_getinfo, "curl_easy_getinfo"),
        SYM(easy_cleanup, "curl_easy_cleanup"),
        SYM(slist_append, "curl_slist_append"),
        SYM(slist_free_all, "curl_slist_free_all"),
        SYM(getdate, "curl_getdate"),
#undef SYM
};

int net_curl_lib_load(void)
{
	struct net_curl_lib loaded;
	void *h;
	size_t i;

	if (handle)
		return 0;
	h = dlopen(NET_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return pg_error_runtime("cannot load %s (install libcurl4): "
		                        "%s",
		                        NET_CURL_SONAME, dlerror());
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *f = dlsym(h, symbols[i].name);

		if (!f) {
			dlclose(h);
			return pg_error_runtime("%s has no '%s'",
			                        NET_CURL_SONAME,
			                        symbols[i].name);
		}
		/* dlsym()'s pointer is the function's (POSIX) */
		memcpy((char *)&loaded + symbols[i].offset, &f, sizeof(f));
	}
	lib = loaded;
	handle = h;
	return 0;
}

const struct net_curl_lib *net_curl_lib(void)
{
	return &lib;
}
