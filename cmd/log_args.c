/*
 * perfgate log's positional arguments, read as git reads them: revisions
 * before --, benchmarks after it.
 */
#include "cmd/log_args.h"
#include "store/repo.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/error.h"

#include <string.h>

/* The index of the first "--" in argv (after the verb), else argc. */
int log_args_dashdash(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

/*
 * 1 when name is a benchmark of the work tree's perfgate.json (or an
 * entry whose inner benchmarks are name/...): git's "both a revision and
 * a path in the working tree" ambiguity.
 */
static int is_suite_bench(struct store *s, const char *name)
{
	const char *dir = store_workdir(s);
	struct pg_buf path = PG_BUF_INIT;
	struct config cfg;
	int found = 0;

	config_init(&cfg);
	if (dir) {
		pg_buf_addf(&path, "%s/perfgate.json", dir);
		found = config_load(&cfg, path.s) == 0 &&
		        config_find_bench(&cfg, name) != NULL;
	}
	pg_error_clear();
	config_release(&cfg);
	pg_buf_release(&path);
	return found;
}

/*
 * The positional arguments before --: at most one, a revision (git's
 * rule: revisions first, paths, here benchmarks, after --).  An argument
 * that does not resolve is an error that says how to name a benchmark;
 * one that is also a benchmark of the suite is ambiguous without --.
 */
int log_args_rev(struct store *s, char **args, int n, const char **rev,
                 int rev_given, int dashdash)
{
	char sha[41];

	if (n == 0)
		return 0;
	if (rev_given)
		return pg_error_input("log: two revisions, '%s' and --rev "
		                      "'%s'; benchmarks go after --",
		                      args[0], *rev);
	if (n > 1)
		return pg_error_input("log: more than one revision ('%s', "
		                      "'%s'); benchmarks go after --, as in "
		                      "'perfgate log %s -- %s'",
		                      args[0], args[1], args[0], args[1]);
	if (store_resolve(s, args[0], sha) < 0)
		return pg_error_input("log: '%s' is not a revision; to select "
		                      "the benchmark '%s', use 'perfgate log "
		                      "-- %s'",
		                      args[0], args[0], args[0]);
	if (!dashdash && is_suite_bench(s, args[0]))
		return pg_error_input("log: '%s' is both a revision and a "
		                      "benchmark: 'perfgate log %s --' for the "
		                      "revision, 'perfgate log -- %s' for the "
		                      "benchmark",
		                      args[0], args[0], args[0]);
	*rev = args[0];
	return 0;
}
