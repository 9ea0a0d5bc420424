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
};

int cmd_run(int argc, char **argv);
extern const char cmd_run_usage[];
int cmd_import(int argc, char **argv);
extern const char cmd_import_usage[];

/* Set by SIGINT/SIGTERM; long-running library calls poll it. */
extern volatile sig_atomic_t cmd_interrupted;
/* Install the SIGINT/SIGTERM handler that sets cmd_interrupted. */
void cmd_catch_signals(void);

/* Print "perfgate: error: <msg>" to stderr. */
void cmd_error(const char *fmt, ...) PG_PRINTF(1, 2);
/* Print pg_error_last() as above and return pg_exit_code(status). */
int cmd_fail(int status);
/*
 * Report a bad option from getopt_long (opterr = 0), naming it, and
 * return PG_EXIT_INPUT.  c is getopt's return (':' or '?').
 */
int cmd_bad_option(const char *verb, char **argv, int c);
/* Parse a whole number >= min for option opt; PG_EXIT_INPUT on error. */
int cmd_parse_long(const char *verb, const char *opt, const char *arg, long min,
                   long *out);
int cmd_parse_double(const char *verb, const char *opt, const char *arg,
                     double *out);

#endif
