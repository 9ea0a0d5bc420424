#include "cmd/cmd.h"
#include "store/repo.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/cancel.h"
#include "util/defaults.h"
#include "util/mem.h"
#include "util/printable.h"
#include "util/redact.h"
#include "model/result.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

volatile sig_atomic_t cmd_interrupted;

static volatile sig_atomic_t exit_on_signal;

static void on_signal(int sig)
{
	static const char msg[] = "perfgate: error: interrupted\n";

	cmd_interrupted = sig;
	pg_cancel_signal = sig; /* long parses poll it (util/cancel.h) */
	if (exit_on_signal) {
		/* async-signal-safe: nothing is being written (see cmd.h) */
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(PG_EXIT_RUNTIME);
		_exit(PG_EXIT_RUNTIME);
	}
}

void cmd_exit_on_signal(int on)
{
	exit_on_signal = on;
}

void cmd_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: blocking calls must return EINTR and notice */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Messages carry user text (names, URLs, server answers): without
 * credentials and with control characters escaped; the lines after the
 * first are indented.
 */
void cmd_error(const char *fmt, ...)
{
	struct pg_buf msg = PG_BUF_INIT;
	char *p, *nl;
	va_list ap;

	va_start(ap, fmt);
	pg_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	/*
	 * A message may quote a benchmark's stderr over several lines: each
	 * line is escaped and starts with "  | ", so that no line, even with
	 * its blanks trimmed, starts a workflow command.
	 */
	fputs("perfgate: error: ", stderr);
	for (p = msg.s;; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		fprintf(stderr, "%s%s\n", p == msg.s ? "" : "  | ",
		        cmd_redacted(p));
		if (!nl)
			break;
	}
	pg_buf_release(&msg);
}

const char *cmd_redacted(const char *s)
{
	static char *clean;
	size_t size = 3 * strlen(s) + 1;

	free(clean);
	clean = pg_malloc(size);
	pg_redact(clean, size, s);
	return pg_printable(clean);
}

int cmd_fail(int status)
{
	const char *msg = pg_error_last();

	if (status == PG_OK || status == PG_EREGRESSION)
		return pg_exit_code(status);
	cmd_error("%s", *msg ? msg : "unknown error");
	return pg_exit_code(status);
}

int cmd_bad_option(const char *verb, char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		cmd_error("%s: option '%s' needs a value (see 'perfgate help "
		          "%s')",
		          verb, arg, verb);
	else if (optopt && strncmp(arg, "--", 2))
		cmd_error("%s: unknown option '-%c' (see 'perfgate help %s')",
		          verb, optopt, verb);
	else
		cmd_error("%s: unknown option '%s' (see 'perfgate help %s')",
		          verb, arg, verb);
	return PG_EXIT_INPUT;
}

int cmd_parse_long(const char *verb, const char *opt, const char *arg, long min,
                   long *out)
{
	char *end;
	long v;

	v = strtol(arg, &end, 10);
	if (!*arg || *end || v < min || v > 1000000000L) {
		cmd_error("%s: %s: '%s' is not a whole number >= %ld", verb,
		          opt, arg, min);
		return PG_EXIT_INPUT;
	}
	*out = v;
	return 0;
}

int cmd_parse_double(const char *verb, const char *opt, const char *arg,
                     double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || !isfinite(v)) {
		cmd_error("%s: %s: '%s' is not a number", verb, opt, arg);
		return PG_EXIT_INPUT;
	}
	*out = v;
	return 0;
}

int cmd_write_doc(const struct pg_buf *doc, const char *path)
{
	if (strcmp(path, "-"))
		return pg_write_file_atomic(path, doc->s, doc->len);
	if (fwrite(doc->s, 1, doc->len, stdout) != doc->len || fflush(stdout))
		return pg_error_runtime("cannot write results to standard "
		                        "output");
	return 0;
}

int cmd_write_results(const struct result_run *run, const char *path)
{
	struct pg_buf doc = PG_BUF_INIT;
	int err;

	result_doc_to_json(run, 1, &doc);
	err = cmd_write_doc(&doc, path);
	pg_buf_release(&doc);
	return err;
}

size_t cmd_terminal_width(int fd)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long n;

	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (cols && (n = strtol(cols, NULL, 10)) > 0)
		return (size_t)n;
	return PG_DEFAULT_TERM_WIDTH;
}

/*
 * Load the config at path, or at the work tree's root when path is NULL
 * (where a missing file is fine: *loaded stays 0).
 */
int cmd_load_optional_config(struct config *cfg, struct store *s,
                             const char *path, int *loaded)
{
	struct pg_buf p = PG_BUF_INIT;
	struct stat st;
	int err = 0;

	*loaded = 0;
	if (!path && store_workdir(s)) {
		pg_buf_addf(&p, "%s/%s", store_workdir(s), PG_DEFAULT_CONFIG);
		if (stat(p.s, &st) == 0)
			path = p.s;
	}
	if (path) {
		err = config_load(cfg, path);
		*loaded = 1;
	}
	pg_buf_release(&p);
	return err;
}
