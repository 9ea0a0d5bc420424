/*
 * log_args.h - perfgate log's positional arguments, git-style.
 */
#ifndef PG_CMD_LOG_ARGS_H
#define PG_CMD_LOG_ARGS_H

struct store;

/* The index of the first "--" in argv (after the verb), else argc. */
int log_args_dashdash(int argc, char **argv);

/*
 * The n arguments before --: at most one, a revision, stored in *rev
 * (borrowed from args).  PG_EINPUT with a message that says what to type
 * when there are two revisions (rev_given: --rev was given too), when
 * args[0] does not resolve in s, or when it is also a benchmark of the
 * work tree's perfgate.json and dashdash (a -- was given) is 0.
 */
int log_args_rev(struct store *s, char **args, int n, const char **rev,
                 int rev_given, int dashdash);

#endif
