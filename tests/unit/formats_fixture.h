/*
 * formats_fixture.h - helpers shared by the formats/ unit tests.  Define
 * FORMATS_FIXTURE_DIR (relative to the project's top, found through
 * $PERFGATE_TOP) before including it.  Everything is static inline so that
 * a test that does not use a helper does not warn.
 */
#ifndef PG_TESTS_FORMATS_FIXTURE_H
#define PG_TESTS_FORMATS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "formats/formats.h"
#include "util/error.h"
#include "model/result.h"

/* The path of fixture name; valid until the next call. */
static inline const char *fixture(const char *name)
{
	static char path[4096];
	const char *top = getenv("PERFGATE_TOP");

	snprintf(path, sizeof(path), "%s/" FORMATS_FIXTURE_DIR "/%s",
	         top ? top : ".", name);
	return path;
}

/* Parse a whole fixture file with format into a fresh run. */
static inline void load(struct result_run *run, const char *format,
                        const char *name)
{
	result_run_init(run);
	if (formats_parse_path(format, fixture(name), run))
		fail_msg("%s: %s", name, pg_error_last());
}

static inline int parse_str(struct result_run *run, const char *format,
                            const char *text)
{
	result_run_init(run);
	return formats_parse(format, text, strlen(text), "inline", run);
}

static inline const struct result_metric *
metric(const struct result_run *run, const char *bench, const char *name)
{
	const struct result_bench *b = result_bench_find(run, bench);

	if (!b)
		fail_msg("no benchmark '%s'", bench);
	if (!result_metric_find(b, name))
		fail_msg("benchmark '%s' has no metric '%s'", bench, name);
	return result_metric_find(b, name);
}

static inline const char *param(const struct result_run *run, const char *bench,
                                const char *key)
{
	const struct result_bench *b = result_bench_find(run, bench);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < b->nparams; i++)
		if (!strcmp(b->params[i].key, key))
			return b->params[i].value;
	return NULL;
}

#endif
