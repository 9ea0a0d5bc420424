/*
 * config.h - the suite file, perfgate.json.
 *
 * The format is documented in the README ("Configuration").  Parsing is
 * strict: unknown keys, wrong types, an empty suite, duplicate names and
 * out-of-range numbers are all PG_EINPUT errors that name the file and the
 * JSON path (or line and column, for a syntax error).
 */
#ifndef PG_UTIL_CONFIG_H
#define PG_UTIL_CONFIG_H

#include <stddef.h>

struct config_bench {
	char *name;
	/* Exactly one of argv (run directly) and shell (sh -c) is set. */
	char **argv; /* NULL-terminated */
	size_t argc;
	char *shell;
	long runs;
	long warmup;
	double timeout; /* seconds */
	char **env; /* "KEY=VALUE" entries added to the environment */
	size_t nenv;
	char *cwd; /* absolute: resolved against the config's directory */
	/* Harness output parsed by formats/, NULL for a plain command. */
	char *format;
	char *output; /* file the harness writes; NULL means stdout */
};

struct config {
	char *path; /* as given */
	char *dir; /* absolute directory holding the file */
	char hash[17];
	long runs, warmup; /* suite-level values (or the defaults) */
	double timeout;
	struct config_bench *benches;
	size_t nbenches;
};

/*
 * Read and validate path into cfg.  Returns 0, PG_EINPUT for a missing or
 * bad file.  cfg must be released with config_release() in every case.
 */
int config_load(struct config *cfg, const char *path);

/* Same, from a buffer; path is used in messages and to resolve cwd. */
int config_parse(struct config *cfg, const char *text, size_t len,
                 const char *path);

void config_release(struct config *cfg);

#endif
