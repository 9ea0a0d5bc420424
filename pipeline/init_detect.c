/*
 * perfgate init: what a repository has.  A bounded walk of the work tree
 * (INIT_MAX_DEPTH levels, build output and dependencies skipped, names in
 * sorted order so that the same tree always gives the same config), each
 * file classified by its name and, for sources, a look at its text.
 */
#include "pipeline/init.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* how deep below the work tree files are looked at */
#define INIT_MAX_DEPTH 3
/* the pytest-benchmark and JMH output files the starter config names */
#define INIT_PYTEST_OUT ".perfgate-pytest.json"
#define INIT_JMH_OUT ".perfgate-jmh.json"

static const char *const skip_dirs[] = {
        ".git",     "node_modules", "vendor", "target",      "build",
        "dist",     ".venv",        "venv",   "__pycache__", "third_party",
        "external", ".tox",         NULL};

void init_found_init(struct init_found *f)
{
	memset(f, 0, sizeof(*f));
	pg_buf_init(&f->found);
	pg_buf_init(&f->check);
	pg_buf_init(&f->make_targets);
}

void init_found_release(struct init_found *f)
{
	size_t i, j;

	for (i = 0; i < f->nbenches; i++) {
		struct init_bench *b = &f->benches[i];

		for (j = 0; j < b->argc; j++)
			free(b->argv[j]);
		free(b->argv);
		free(b->name);
		free(b->format);
		free(b->output);
		free(b->why);
	}
	free(f->benches);
	free(f->build);
	free(f->build_why);
	pg_buf_release(&f->found);
	pg_buf_release(&f->check);
	pg_buf_release(&f->make_targets);
	memset(f, 0, sizeof(*f));
}

static int name_taken(const struct init_found *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nbenches; i++)
		if (!strcmp(f->benches[i].name, name))
			return 1;
	return 0;
}

/*
 * Add an entry; args is a NULL-terminated list copied.  A name already
 * taken gets -2, -3, ...  Returns the entry for format and output.
 */
static struct init_bench *add_bench(struct init_found *f, const char *name,
                                    const char *why, const char *const *args)
{
	struct init_bench *b;
	struct pg_buf n = PG_BUF_INIT;
	size_t i, k = 2;

	pg_buf_addstr(&n, name);
	while (name_taken(f, n.s)) {
		pg_buf_reset(&n);
		pg_buf_addf(&n, "%s-%zu", name, k++);
	}
	f->benches = pg_grow_array(f->benches, sizeof(*f->benches),
	                           f->nbenches + 1, &f->alloc);
	b = &f->benches[f->nbenches++];
	memset(b, 0, sizeof(*b));
	b->name = pg_buf_detach(&n, NULL);
	b->why = pg_strdup(why);
	for (i = 0; args[i]; i++)
		;
	b->argc = i;
	b->argv = pg_calloc(i + 1, sizeof(char *));
	for (i = 0; args[i]; i++)
		b->argv[i] = pg_strdup(args[i]);
	pg_buf_addf(&f->found, "%s\n", why);
	return b;
}

static void set_build(struct init_found *f, const char *cmd, const char *why)
{
	if (f->build)
		return;
	f->build = pg_strdup(cmd);
	f->build_why = pg_strdup(why);
	pg_buf_addf(&f->found, "%s: \"build\": \"%s\"\n", why, cmd);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The text of path, or NULL (unreadable files are skipped). */
static char *slurp(const char *path)
{
	struct pg_buf b = PG_BUF_INIT;

	if (pg_buf_read_file(&b, path) < 0) {
		pg_error_clear();
		pg_buf_release(&b);
		return NULL;
	}
	return pg_buf_detach(&b, NULL);
}

/* "bench", "bench-fast": Makefile targets named bench*, timed as is. */
static void makefile_targets(struct init_found *f, const char *text)
{
	const char *p = text;

	while (p && *p) {
		size_t len =
		        strspn(p, "abcdefghijklmnopqrstuvwxyz"
		                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

		if (len >= 5 && !strncmp(p, "bench", 5) && p[len] == ':' &&
		    p[len + 1] != '=') {
			pg_buf_add(&f->make_targets, p, len);
			pg_buf_addch(&f->make_targets, '\n');
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
}

/* package.json: scripts named bench*, run with npm. */
static void package_scripts(struct init_found *f, const char *text)
{
	cJSON *root = NULL;
	const cJSON *it;

	if (pg_json_parse(&root, text, strlen(text), "package.json") < 0) {
		pg_error_clear();
		pg_buf_addstr(&f->check, "package.json is not valid JSON: "
		                         "its scripts were not read\n");
		return;
	}
	cJSON_ArrayForEach(it, pg_json_get(root, "scripts"))
	{
		if (it->string && !strncmp(it->string, "bench", 5)) {
			const char *args[] = {"npm", "run", "--silent",
			                      it->string, NULL};
			struct pg_buf why = PG_BUF_INIT, name = PG_BUF_INIT;

			pg_buf_addf(&why, "package.json script '%s'",
			            it->string);
			pg_buf_addf(&name, "npm-%s", it->string);
			add_bench(f, name.s, why.s, args);
			pg_buf_release(&why);
			pg_buf_release(&name);
		}
	}
	cJSON_Delete(root);
}

/* The top-level build files. */
static void root_file(struct init_found *f, const char *path, const char *name)
{
	char *text;

	if (!strcmp(name, "Makefile") || !strcmp(name, "GNUmakefile") ||
	    !strcmp(name, "makefile")) {
		set_build(f, "make", "Makefile");
		if ((text = slurp(path))) {
			makefile_targets(f, text);
			free(text);
		}
	} else if (!strcmp(name, "CMakeLists.txt")) {
		set_build(f, "cmake -S . -B build && cmake --build build",
		          "CMakeLists.txt");
	} else if (!strcmp(name, "package.json") && (text = slurp(path))) {
		package_scripts(f, text);
		free(text);
	} else if (!strcmp(name, "Cargo.toml")) {
		set_build(f, "cargo build --release", "Cargo.toml");
	} else if (!strcmp(name, "pom.xml") && (text = slurp(path))) {
		if (strstr(text, "jmh"))
			set_build(f, "mvn -q -DskipTests package", "pom.xml");
		free(text);
	}
}

/* The file's name without directory or extension. */
static char *stem(const char *name)
{
	const char *dot = strrchr(name, '.');

	return pg_strndup(name, dot ? (size_t)(dot - name) : strlen(name));
}

static void gbench_source(struct init_found *f, const char *rel,
                          const char *dir, const char *name)
{
	char *s = stem(name);
	struct pg_buf bin = PG_BUF_INIT, why = PG_BUF_INIT;
	const char *args[] = {NULL, "--benchmark_format=json", NULL};
	struct init_bench *b;

	/* a Makefile builds next to the source; CMake into build/ */
	if (f->build && !strncmp(f->build, "cmake", 5))
		pg_buf_addf(&bin, "build/%s", s);
	else
		pg_buf_addf(&bin, "./%s%s%s", *dir ? dir : "", *dir ? "/" : "",
		            s);
	args[0] = bin.s;
	pg_buf_addf(&why, "Google Benchmark in %s", rel);
	b = add_bench(f, s, why.s, args);
	b->format = pg_strdup("google-benchmark");
	pg_buf_addf(&f->check, "%s: the binary built from %s is %s\n", b->name,
	            rel, bin.s);
	pg_buf_release(&bin);
	pg_buf_release(&why);
	free(s);
}

/* go test -bench, pytest-benchmark: one entry per directory. */
static int dir_seen(const struct init_found *f, const char *format,
                    const char *dir)
{
	size_t i;

	for (i = 0; i < f->nbenches; i++) {
		const struct init_bench *b = &f->benches[i];

		if (b->format && !strcmp(b->format, format) &&
		    !strcmp(b->argv[b->argc - 1], dir))
			return 1;
	}
	return 0;
}

static void go_package(struct init_found *f, const char *dir)
{
	struct pg_buf pkg = PG_BUF_INIT, why = PG_BUF_INIT, name = PG_BUF_INIT;
	const char *args[] = {"go", "test",      "-run", "^$", "-bench",
	                      ".",  "-benchmem", NULL,   NULL};

	pg_buf_addf(&pkg, "%s%s", *dir ? "./" : ".", dir);
	if (!dir_seen(f, "go", pkg.s)) {
		args[7] = pkg.s;
		pg_buf_addf(&why, "go test -bench in %s", *dir ? dir : ".");
		pg_buf_addf(&name, "go%s%s", *dir ? "-" : "", dir);
		add_bench(f, name.s, why.s, args)->format = pg_strdup("go");
	}
	pg_buf_release(&pkg);
	pg_buf_release(&why);
	pg_buf_release(&name);
}

static void pytest_dir(struct init_found *f, const char *dir)
{
	struct pg_buf why = PG_BUF_INIT, name = PG_BUF_INIT;
	const char *d = *dir ? dir : ".";
	const char *args[] = {"python3",
	                      "-m",
	                      "pytest",
	                      "-q",
	                      "--benchmark-only",
	                      "--benchmark-json=" INIT_PYTEST_OUT,
	                      d,
	                      NULL};
	struct init_bench *b;

	if (dir_seen(f, "pytest-benchmark", d))
		return;
	pg_buf_addf(&why, "pytest-benchmark tests in %s", d);
	pg_buf_addf(&name, "pytest%s%s", *dir ? "-" : "", dir);
	b = add_bench(f, name.s, why.s, args);
	b->format = pg_strdup("pytest-benchmark");
	b->output = pg_strdup(INIT_PYTEST_OUT);
	pg_buf_release(&why);
	pg_buf_release(&name);
}

/* --export-json FILE (or =FILE) in a hyperfine command line. */
static char *export_json(const char *text)
{
	const char *p = strstr(text, "--export-json");
	size_t len;

	if (!p)
		return NULL;
	p += strlen("--export-json");
	p += strspn(p, " =\t'\"");
	len = strcspn(p, " \t\n'\";");
	return len ? pg_strndup(p, len) : NULL;
}

static void hyperfine_script(struct init_found *f, const char *rel,
                             const char *text)
{
	char *out = export_json(text),
	     *s = stem(strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel);
	const char *args[] = {"sh", rel, NULL};
	struct pg_buf why = PG_BUF_INIT;
	struct init_bench *b;

	if (!out) {
		pg_buf_addf(
		        &f->check,
		        "%s runs hyperfine without --export-json FILE: add "
		        "it, then an entry with \"format\": \"hyperfine\"\n",
		        rel);
		free(s);
		return;
	}
	pg_buf_addf(&why, "hyperfine in %s", rel);
	b = add_bench(f, s, why.s, args);
	b->format = pg_strdup("hyperfine");
	b->output = out;
	pg_buf_addf(&f->check,
	            "%s: %s writes %s relative to where it runs "
	            "(the config's directory)\n",
	            b->name, rel, out);
	pg_buf_release(&why);
	free(s);
}

/* A file below the root: sources that hold benchmarks. */
static void tree_file(struct init_found *f, const char *path, const char *rel,
                      const char *dir, const char *name)
{
	int c = ends_with(name, ".cc") || ends_with(name, ".cpp") ||
	        ends_with(name, ".cxx") || ends_with(name, ".c");
	int go = ends_with(name, "_test.go");
	int py = ends_with(name, ".py") &&
	         (!strncmp(name, "test_", 5) || ends_with(name, "_test.py"));
	int sh = ends_with(name, ".sh");
	char *text;

	if (!(c || go || py || sh) || !(text = slurp(path)))
		return;
	if (c && strstr(text, "benchmark/benchmark.h"))
		gbench_source(f, rel, dir, name);
	else if (go && strstr(text, "func Benchmark"))
		go_package(f, dir);
	else if (py && strstr(text, "benchmark"))
		pytest_dir(f, dir);
	else if (sh && strstr(text, "hyperfine"))
		hyperfine_script(f, rel, text);
	free(text);
}

static int skipped(const char *name)
{
	size_t i;

	for (i = 0; skip_dirs[i]; i++)
		if (!strcmp(name, skip_dirs[i]))
			return 1;
	return 0;
}

static void walk(struct init_found *f, const char *root, const char *dir,
                 int depth)
{
	struct dirent **names;
	struct pg_buf path = PG_BUF_INIT, rel = PG_BUF_INIT;
	struct stat st;
	int i, n;

	pg_buf_addf(&path, "%s%s%s", root, *dir ? "/" : "", dir);
	n = scandir(path.s, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		pg_buf_reset(&path);
		pg_buf_reset(&rel);
		pg_buf_addf(&rel, "%s%s%s", dir, *dir ? "/" : "", name);
		pg_buf_addf(&path, "%s/%s", root, rel.s);
		if (name[0] == '.')
			; /* ., .., .git and other hidden files */
		else if (stat(path.s, &st) < 0)
			;
		else if (S_ISDIR(st.st_mode) && depth < INIT_MAX_DEPTH &&
		         !skipped(name))
			walk(f, root, rel.s, depth + 1);
		else if (S_ISREG(st.st_mode))
			tree_file(f, path.s, rel.s, dir, name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	pg_buf_release(&path);
	pg_buf_release(&rel);
}

/* Files at the root that name the build, read before the tree. */
static void root_files(struct init_found *f, const char *root)
{
	static const char *const files[] = {
	        "Makefile",   "GNUmakefile", "makefile",     "CMakeLists.txt",
	        "Cargo.toml", "pom.xml",     "package.json", NULL};
	struct pg_buf path = PG_BUF_INIT;
	struct stat st;
	size_t i;

	for (i = 0; files[i]; i++) {
		pg_buf_reset(&path);
		pg_buf_addf(&path, "%s/%s", root, files[i]);
		if (stat(path.s, &st) == 0 && S_ISREG(st.st_mode))
			root_file(f, path.s, files[i]);
	}
	pg_buf_release(&path);
}

/* cargo bench (criterion) and JMH, from the build files found. */
static void build_benches(struct init_found *f, const char *root)
{
	struct pg_buf path = PG_BUF_INIT;
	struct stat st;

	pg_buf_addf(&path, "%s/benches", root);
	if (f->build_why && !strcmp(f->build_why, "Cargo.toml") &&
	    stat(path.s, &st) == 0 && S_ISDIR(st.st_mode)) {
		const char *args[] = {"cargo", "bench", NULL};
		struct init_bench *b = add_bench(
		        f, "cargo-bench", "cargo bench (benches/)", args);

		b->format = pg_strdup("criterion");
		b->output = pg_strdup("target/criterion");
	}
	if (f->build_why && !strcmp(f->build_why, "pom.xml")) {
		const char *args[] = {
		        "java",       "-jar", "target/benchmarks.jar",
		        "-rf",        "json", "-rff",
		        INIT_JMH_OUT, NULL};
		struct init_bench *b =
		        add_bench(f, "jmh", "JMH (pom.xml)", args);

		b->format = pg_strdup("jmh");
		b->output = pg_strdup(INIT_JMH_OUT);
		pg_buf_addstr(&f->check, "jmh: the benchmarks jar is "
		                         "target/benchmarks.jar\n");
	}
	pg_buf_release(&path);
}

/*
 * Makefile targets named bench*: timed as a whole, and only when no
 * harness entry was found (a bench target usually runs those harnesses).
 */
static void make_benches(struct init_found *f)
{
	const char *p = f->make_targets.s, *nl;
	size_t harnesses = f->nbenches;

	for (; p && (nl = strchr(p, '\n')); p = nl + 1) {
		char *t = pg_strndup(p, (size_t)(nl - p));
		struct pg_buf why = PG_BUF_INIT, name = PG_BUF_INIT;
		const char *args[] = {"make", "-s", t, NULL};

		pg_buf_addf(&why, "Makefile target '%s'", t);
		if (harnesses) {
			pg_buf_addf(&f->check,
			            "%s was not added: the entries above "
			            "measure the harnesses it likely runs\n",
			            why.s);
		} else {
			pg_buf_addf(&name, "make-%s", t);
			add_bench(f, name.s, why.s, args);
		}
		pg_buf_release(&why);
		pg_buf_release(&name);
		free(t);
	}
}

int init_detect(struct init_found *f, const char *root)
{
	struct stat st;

	if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode))
		return pg_error_runtime("cannot read the directory '%s'", root);
	root_files(f, root);
	walk(f, root, "", 0);
	build_benches(f, root);
	make_benches(f);
	return 0;
}
