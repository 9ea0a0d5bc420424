/* The instructions metric: perf counters or valgrind's callgrind. */
#define _GNU_SOURCE

#include "runner/icount.h"
#include "runner/runner.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VALGRIND "valgrind"
/* One output file per process (%p); a forked child has its own pid. */
#define CALLGRIND_OUT "callgrind.%p"

const char *runner_icount_source_name(enum runner_icount_source s)
{
	switch (s) {
	case RUNNER_ICOUNT_PERF:
		return "perf";
	case RUNNER_ICOUNT_VALGRIND:
		return "valgrind";
	default:
		return "auto";
	}
}

int runner_icount_source_parse(enum runner_icount_source *out, const char *s)
{
	if (!strcmp(s, "auto"))
		*out = RUNNER_ICOUNT_AUTO;
	else if (!strcmp(s, "perf"))
		*out = RUNNER_ICOUNT_PERF;
	else if (!strcmp(s, "valgrind"))
		*out = RUNNER_ICOUNT_VALGRIND;
	else
		return pg_error_input("unknown instruction counter '%s' "
		                      "(expected auto, perf or valgrind)",
		                      s);
	return 0;
}

/* 1 when name is an executable file in a directory of $PATH. */
static int on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct pg_buf f = PG_BUF_INIT;
	int found = 0;

	for (p = path ? path : "/usr/bin:/bin"; !found && *p; p = colon + 1) {
		colon = strchr(p, ':');
		if (!colon)
			colon = p + strlen(p);
		pg_buf_reset(&f);
		if (colon > p)
			pg_buf_add(&f, p, (size_t)(colon - p));
		else
			pg_buf_addch(&f, '.');
		pg_buf_addf(&f, "/%s", name);
		found = access(f.s, X_OK) == 0;
		if (!*colon)
			break;
	}
	pg_buf_release(&f);
	return found;
}

int runner_icount_resolve(enum runner_icount_source *out,
                          enum runner_icount_source want)
{
	struct pg_buf why = PG_BUF_INIT;
	int err = 0;

	if (want != RUNNER_ICOUNT_VALGRIND) {
		if (runner_perf_usable(RUNNER_PERF_INSTRUCTIONS)) {
			*out = RUNNER_ICOUNT_PERF;
			goto out;
		}
		pg_buf_addstr(&why, pg_error_last());
		if (want == RUNNER_ICOUNT_PERF) {
			err = pg_error_runtime("instruction counts: %s", why.s);
			goto out;
		}
	}
	if (on_path(VALGRIND)) {
		*out = RUNNER_ICOUNT_VALGRIND;
		goto out;
	}
	err = pg_error_runtime("instruction counts need a hardware counter or "
	                       "valgrind: %s%s'valgrind' is not on PATH "
	                       "(apt-get install valgrind)",
	                       why.s, why.len ? ", and " : "");
out:
	pg_buf_release(&why);
	return err;
}

/* Copy the line [p, end) into out (truncated), NUL-terminated. */
static void copy_line(char *out, size_t size, const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The 0-based column of "Ir" in an "events:" line's names, or -1. */
static long ir_column(char *names)
{
	char *tok, *save = NULL;
	long i = 0;

	for (tok = strtok_r(names, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save), i++)
		if (!strcmp(tok, "Ir"))
			return i;
	return -1;
}

/* Column col of a "totals:"/"summary:" line's values; 0 when absent. */
static int column_value(double *out, char *values, long col)
{
	char *tok, *save = NULL, *end;
	long i = 0;

	*out = 0;
	for (tok = strtok_r(values, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save), i++) {
		if (i != col)
			continue;
		*out = strtod(tok, &end);
		return *end || !isfinite(*out) || *out < 0 ? -1 : 0;
	}
	return 0;
}

int runner_icount_parse(double *out, const char *text, size_t len,
                        const char *what)
{
	const char *p = text, *end = text + len, *nl;
	char events[1024] = "", totals[1024] = "", summary[1024] = "";
	int have_events = 0, have_totals = 0, have_summary = 0;
	int callgrind = 0;
	long col;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p >= 18 && !memcmp(p, "creator: callgrind", 18)) {
			callgrind = 1;
		} else if (nl - p > 7 && !memcmp(p, "events:", 7)) {
			copy_line(events, sizeof(events), p + 7, nl);
			have_events = 1;
		} else if (nl - p > 7 && !memcmp(p, "totals:", 7)) {
			copy_line(totals, sizeof(totals), p + 7, nl);
			have_totals = 1;
		} else if (nl - p > 8 && !memcmp(p, "summary:", 8)) {
			copy_line(summary, sizeof(summary), p + 8, nl);
			have_summary = 1;
		}
	}
	if (!have_events || (col = ir_column(events)) < 0)
		return pg_error_input("'%s': no \"events:\" line with Ir: not "
		                      "a callgrind or cachegrind output file",
		                      what);
	/* callgrind writes "summary:" first and "totals:" last */
	if (!have_totals && (callgrind || !have_summary))
		return pg_error_input("'%s': no \"totals:\" or \"summary:\" "
		                      "line: the profiled process did not "
		                      "finish writing it",
		                      what);
	if (column_value(out, have_totals ? totals : summary, col) < 0)
		return pg_error_input("'%s': bad Ir total in its \"%s:\" line",
		                      what, have_totals ? "totals" : "summary");
	return 0;
}

int runner_icount_collect(double *out, const char *dir)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	struct dirent *e;
	size_t files = 0;
	double one;
	DIR *d;
	int err = 0;

	*out = 0;
	if (!(d = opendir(dir)))
		return pg_error_runtime("cannot read '%s': %s", dir,
		                        strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		pg_buf_reset(&path);
		pg_buf_addf(&path, "%s/%s", dir, e->d_name);
		pg_buf_reset(&text);
		if (!err && (err = pg_buf_read_file(&text, path.s)) == 0 &&
		    (err = runner_icount_parse(&one, text.s, text.len,
		                               path.s)) == 0) {
			*out += one;
			files++;
		}
		unlink(path.s);
	}
	closedir(d);
	if (!err && !files)
		err = pg_error_runtime("valgrind wrote no output file into "
		                       "'%s'",
		                       dir);
	pg_buf_release(&path);
	pg_buf_release(&text);
	return err;
}

/* A private directory for valgrind's files; absolute (children chdir). */
static char *make_outdir(void)
{
	const char *tmp = getenv("TMPDIR");
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "%s/perfgate-icount.XXXXXX",
	            tmp && tmp[0] == '/' ? tmp : "/tmp");
	if (!mkdtemp(b.s)) {
		pg_error_runtime("cannot create a temporary directory '%s': %s",
		                 b.s, strerror(errno));
		pg_buf_release(&b);
		return NULL;
	}
	return pg_buf_detach(&b, NULL);
}

/* --dump-before on every fork entry point: see icount.h. */
char **runner_icount_valgrind_argv(const struct config_bench *cb,
                                   const char *dir, char **outfile)
{
	static char *const opts[] = {
	        VALGRIND,
	        "-q",
	        "--tool=callgrind",
	        "--trace-children=yes",
	        /* no gdbserver FIFOs in $TMPDIR, left behind when killed */
	        "--vgdb=no",
	        "--dump-before=fork",
	        "--dump-before=_Fork",
	        "--dump-before=__libc_fork",
	        "--dump-before=vfork",
	};
	static char sh[] = "/bin/sh", dash_c[] = "-c";
	size_t nopts = sizeof(opts) / sizeof(opts[0]), i, k = 0;
	char **argv = pg_calloc(nopts + 1 + (cb->argv ? cb->argc : 3) + 1,
	                        sizeof(char *));
	struct pg_buf f = PG_BUF_INIT;

	for (i = 0; i < nopts; i++)
		argv[k++] = opts[i];
	pg_buf_addf(&f, "--callgrind-out-file=%s/%s", dir, CALLGRIND_OUT);
	*outfile = pg_buf_detach(&f, NULL);
	argv[k++] = *outfile;
	if (cb->argv) {
		for (i = 0; i < cb->argc; i++)
			argv[k++] = cb->argv[i];
	} else {
		argv[k++] = sh;
		argv[k++] = dash_c;
		argv[k++] = cb->shell;
	}
	return argv;
}

/* Delete whatever a failed run left in dir, then dir itself. */
static void remove_outdir(char *dir)
{
	double ignored;

	if (!dir)
		return;
	runner_icount_collect(&ignored, dir);
	rmdir(dir);
	free(dir);
}

struct counting {
	struct runner_spec spec;
	char **vargv, *outfile, *dir;
	char **envp;
};

static int counting_setup(struct counting *c, const struct config_bench *cb,
                          enum runner_icount_source source,
                          const struct runner_hooks *hooks)
{
	memset(c, 0, sizeof(*c));
	if (cb->nenv)
		c->envp = runner_env_build(cb->env, cb->nenv);
	c->spec.argv = cb->argv;
	c->spec.shell = cb->shell;
	c->spec.cwd = cb->cwd;
	c->spec.envp = c->envp;
	c->spec.timeout = cb->timeout;
	c->spec.cancel = hooks ? hooks->cancel : NULL;
	c->spec.no_aslr = 1;
	if (source == RUNNER_ICOUNT_PERF) {
		c->spec.count = RUNNER_PERF_INSTRUCTIONS;
		return 0;
	}
	if (!(c->dir = make_outdir()))
		return PG_ERUNTIME;
	c->vargv = runner_icount_valgrind_argv(cb, c->dir, &c->outfile);
	c->spec.argv = c->vargv;
	c->spec.shell = NULL;
	if (cb->timeout > 0)
		c->spec.timeout = cb->timeout * PG_VALGRIND_TIMEOUT_FACTOR +
		                  PG_VALGRIND_TIMEOUT_EXTRA_S;
	return 0;
}

static void counting_release(struct counting *c)
{
	remove_outdir(c->dir);
	free(c->vargv);
	free(c->outfile);
	runner_env_free(c->envp);
}

/* One counting run into *count; a failed run is described in msg. */
static int count_once(struct counting *c, struct runner *runner,
                      struct runner_result *res, long i, double *count,
                      struct pg_buf *msg)
{
	int err;

	if ((err = runner_exec(runner, res)) < 0)
		return err;
	if (!runner_succeeded(res)) {
		pg_buf_addf(msg, "instruction-count run %ld ", i);
		runner_describe_failure(res, c->spec.timeout, msg);
		return res->cancelled ? pg_error_runtime("interrupted") : 0;
	}
	if (c->dir)
		return runner_icount_collect(count, c->dir);
	*count = res->counted;
	return 0;
}

int runner_count_instructions(struct result_bench *b,
                              const struct config_bench *cb, long runs,
                              enum runner_icount_source source,
                              const struct runner_hooks *hooks)
{
	struct pg_buf msg = PG_BUF_INIT;
	struct runner *runner = NULL;
	struct runner_result res;
	struct result_metric *m;
	struct counting c;
	double count = 0;
	long i;
	int err;

	runner_result_init(&res);
	if ((err = counting_setup(&c, cb, source, hooks)) < 0 ||
	    (err = runner_new(&runner, &c.spec)) < 0) {
		result_bench_set_error(b, pg_error_last());
		err = 0;
		goto out;
	}
	result_bench_set_param(b, RESULT_INSTRUCTIONS_SOURCE,
	                       runner_icount_source_name(source));
	m = result_metric_get(b, RESULT_INSTRUCTIONS, "count",
	                      RESULT_LOWER_IS_BETTER);
	for (i = 1; i <= runs; i++) {
		if (hooks && hooks->before_run)
			hooks->before_run(hooks->ctx, cb->name, 0, i, runs);
		err = count_once(&c, runner, &res, i, &count, &msg);
		if (err < 0 || msg.len) {
			result_bench_set_error(b, msg.len ? msg.s
			                                  : pg_error_last());
			if (!res.cancelled)
				err = 0;
			break;
		}
		result_metric_push(m, count);
	}
out:
	runner_free(runner);
	runner_result_release(&res);
	counting_release(&c);
	pg_buf_release(&msg);
	return err;
}
