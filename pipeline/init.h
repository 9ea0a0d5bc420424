/*
 * init.h - what `perfgate init` finds in a repository, and the starter
 * perfgate.json it writes from that.
 *
 * init_detect() looks at the files under a directory (a few levels deep,
 * skipping .git, build output and dependencies) for a build (Makefile,
 * CMake, Cargo, Maven/Gradle, go.mod) and for benchmarks perfgate can run:
 * Google Benchmark sources, `go test -bench` packages, pytest-benchmark
 * tests, hyperfine commands in scripts, cargo bench, JMH, package.json
 * scripts named bench*, and Makefile targets named bench*.
 * init_render() writes the starter config: valid JSON that perfgate reads
 * as is, commented with "//" keys (ignored by the config reader), with
 * relative paths and a "build" so that paired mode works.
 */
#ifndef PG_PIPELINE_INIT_H
#define PG_PIPELINE_INIT_H

#include "util/buf.h"

#include <stddef.h>

/* One benchmark entry of the starter config; every string owned. */
struct init_bench {
	char *name;
	char **argv; /* the command, run without a shell */
	size_t argc;
	char *format; /* harness format, NULL: timed as a process */
	char *output; /* the harness's output file, NULL: stdout */
	char *why; /* what it was found from, for the "//" comment */
};

struct init_found {
	char *build; /* shell command that builds a tree, NULL: none */
	char *build_why;
	struct init_bench *benches;
	size_t nbenches, alloc;
	struct pg_buf found; /* one line per thing found, for the user */
	struct pg_buf check; /* one line per thing to check */
	struct pg_buf make_targets; /* bench* targets, one a line: entries
	                             * only when no harness was found */
};

/* Empty result; release with init_found_release(). */
void init_found_init(struct init_found *f);
void init_found_release(struct init_found *f);

/*
 * Look at the repository whose work tree is root and fill f.  Never fails
 * on what it cannot read (it is skipped); PG_ERUNTIME when root itself
 * cannot be read.
 */
int init_detect(struct init_found *f, const char *root);

/*
 * Append the starter perfgate.json to out.  With no benchmark found, the
 * config times `true` under a name that says to replace it, so that it
 * still runs.
 */
void init_render(const struct init_found *f, struct pg_buf *out);

/*
 * Append the CI file for platform ("github" or "gitlab") that runs the
 * gate with perfgate's action or CI/CD component; version is the tag to
 * use ("v1" on GitHub, "1" on GitLab: the moving major tags) and branch
 * the default branch, whose pushes store the baselines.  PG_EINPUT naming
 * platform when it is neither.
 */
int init_render_ci(struct pg_buf *out, const char *platform,
                   const char *version, const char *branch);

/* Where init_render_ci()'s file goes, relative to the work tree. */
const char *init_ci_path(const char *platform);

#endif
