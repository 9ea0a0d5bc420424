/*
 * cmd.h - the verbs of the perfgate command line and what they share.
 *
 * Each verb lives in cmd/<verb>.c and exports `int cmd_<verb>(int argc,
 * char **argv)` returning perfgate's exit status (util/error.h), plus its
 * help text `cmd_<verb>_usage`.  main.c dispatches from one table.  Only
 * code in cmd/ prints errors and chooses exit codes.
 */
#ifndef PG_CMD_CMD_H
#define PG_CMD_CMD_H

#include <signal.h>

#include "util/error.h"

struct cmd_verb {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage; /* full text for `perfgate help <verb>` */
	const char *exit1; /* what exit 1 means; NULL: the verb never exits 1 */
};

int cmd_run(int argc, char **argv);
extern const char cmd_run_usage[];
int cmd_import(int argc, char **argv);
extern const char cmd_import_usage[];
int cmd_log(int argc, char **argv);
extern const char cmd_log_usage[];
int cmd_report(int argc, char **argv);
extern const char cmd_report_usage[];
int cmd_show(int argc, char **argv);
extern const char cmd_show_usage[];
int cmd_sync(int argc, char **argv);
extern const char cmd_sync_usage[];

int cmd_gate(int argc, char **argv);
extern const char cmd_gate_usage[];
int cmd_compare(int argc, char **argv);
extern const char cmd_compare_usage[];
int cmd_stat(int argc, char **argv);
extern const char cmd_stat_usage[];
int cmd_ab(int argc, char **argv);
extern const char cmd_ab_usage[];
int cmd_noise(int argc, char **argv);
extern const char cmd_noise_usage[];
int cmd_hook(int argc, char **argv);
extern const char cmd_hook_usage[];
int cmd_gc(int argc, char **argv);
extern const char cmd_gc_usage[];
int cmd_explain(int argc, char **argv);
extern const char cmd_explain_usage[];
int cmd_bisect(int argc, char **argv);
extern const char cmd_bisect_usage[];
int cmd_init(int argc, char **argv);
extern const char cmd_init_usage[];
int cmd_comment(int argc, char **argv);
extern const char cmd_comment_usage[];

/*
 * Write run as a results document (docs/results-format.md) to path, or to
 * standard output for "-".  0 or PG_ERUNTIME.
 */
struct result_run;
int cmd_write_results(const struct result_run *run, const char *path);
/* cmd_write_results() of a document already serialised. */
struct pg_buf;
int cmd_write_doc(const struct pg_buf *doc, const char *path);

/* Set by SIGINT/SIGTERM; long-running library calls poll it. */
extern volatile sig_atomic_t cmd_interrupted;
/* Install the SIGINT/SIGTERM handler that sets cmd_interrupted. */
void cmd_catch_signals(void);
/*
 * While on is set, SIGINT/SIGTERM end the process at once with exit 3 and
 * "perfgate: error: interrupted": for read-only stretches (a verb's parse
 * before it writes anything, all of `log`) that may sit in a library call
 * no poll reaches (cJSON parsing a huge file).  Turn it off before
 * writing anything that must not be cut short.
 */
void cmd_exit_on_signal(int on);

/*
 * s without credentials and with control characters escaped (util/redact.h,
 * util/printable.h), in a static buffer reused on the next call.
 */
const char *cmd_redacted(const char *s);

/*
 * Print "perfgate: error: <msg>" to stderr, without credentials and with
 * control characters escaped.
 */
void cmd_error(const char *fmt, ...) PG_PRINTF(1, 2);
/* Print pg_error_last() as above and return pg_exit_code(status). */
int cmd_fail(int status);
/*
 * Report a bad option from getopt_long (opterr = 0), naming it, and
 * return PG_EXIT_INPUT.  c is getopt's return (':' or '?').
 */
int cmd_bad_option(const char *verb, char **argv, int c);

/*
 * The width to wrap text at on fd: the terminal's when fd is one, else
 * $COLUMNS, else PG_DEFAULT_TERM_WIDTH.
 */
size_t cmd_terminal_width(int fd);
/* Parse a whole number >= min for option opt; PG_EXIT_INPUT on error. */
int cmd_parse_long(const char *verb, const char *opt, const char *arg, long min,
                   long *out);
int cmd_parse_double(const char *verb, const char *opt, const char *arg,
                     double *out);

/*
 * Load the config at path into cfg (config_init()ed), or the work tree's
 * perfgate.json when path is NULL, where a missing file is fine: *loaded
 * stays 0.  Returns 0 or config_load()'s errors.
 */
struct config;
struct store;
int cmd_load_optional_config(struct config *cfg, struct store *s,
                             const char *path, int *loaded);

#endif
