/*
 * Locust's --csv output.  `locust --csv PREFIX` writes PREFIX_stats.csv
 * (one row per endpoint, "Type,Name,Request Count,Failure Count,...,50%,
 * ...,100%", times in ms, and an "Aggregated" row), PREFIX_failures.csv
 * ("Method,Name,Error,Occurrences") and PREFIX_stats_history.csv (one row
 * per second).  Each stats row with requests is one benchmark: "GET /" for
 * an endpoint, "Aggregated" for the total.  Locust counts failed requests
 * in "Request Count", so error_rate = Failure Count / Request Count.
 * The failures file gives each benchmark the parameter top_error (the
 * most frequent error), the history the parameter users (the largest user
 * count); both are optional, and only read through
 * fmt_locust_parse_files() (a path), not from stats content alone.
 */
#include "formats/internal.h"
#include "util/mem.h"

#include <stdio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_COLUMNS 64
#define STATS_HEAD "Type,Name,Request Count,Failure Count,"
#define HISTORY_HEAD "Timestamp,User Count,"
#define FAILURES_HEAD "Method,Name,Error,Occurrences"

static int starts(const struct fmt_input *in, const char *head)
{
	size_t len = strlen(head);

	return in->len >= len && !memcmp(in->data, head, len);
}

static int locust_detect(struct fmt_input *in)
{
	return starts(in, STATS_HEAD) || starts(in, HISTORY_HEAD) ||
	       starts(in, FAILURES_HEAD);
}

enum col { TYPE, NAME, REQS, FAILS, AVG, MAX, RPS, P50, P90, P95, P99, NCOLS };

static const char *const col_names[NCOLS] = {
        "Type",
        "Name",
        "Request Count",
        "Failure Count",
        "Average Response Time",
        "Max Response Time",
        "Requests/s",
        "50%",
        "90%",
        "95%",
        "99%",
};

static int header(struct fmt_ctx *c, char *line, int *cols, int *ncols)
{
	char *f[MAX_COLUMNS];
	int n = fmt_csv_split(line, f, MAX_COLUMNS), i, j;

	if (n < 0)
		return fmt_error(c, "cannot read the CSV header");
	for (j = 0; j < NCOLS; j++) {
		cols[j] = -1;
		for (i = 0; i < n; i++)
			if (!strcmp(f[i], col_names[j]))
				cols[j] = i;
		if (cols[j] < 0)
			return fmt_error(c,
			                 "no column '%s' (Locust 2.x "
			                 "writes it)",
			                 col_names[j]);
	}
	*ncols = n;
	return 0;
}

static int number(struct fmt_ctx *c, char **f, const int *cols, enum col k,
                  double *out)
{
	if (fmt_parse_double(f[cols[k]], out) < 0 || *out < 0)
		return fmt_error(c, "'%s': '%s' is not a non-negative number",
		                 col_names[k], f[cols[k]]);
	return 0;
}

static int stats_row(struct fmt_ctx *c, struct result_run *run, char *line,
                     const int *cols, int ncols)
{
	static const struct {
		enum col col;
		const char *metric;
		double scale;
	} stats[] = {{P50, "latency_p50", 1e-3}, {P90, "latency_p90", 1e-3},
	             {P95, "latency_p95", 1e-3}, {P99, "latency_p99", 1e-3},
	             {MAX, "latency_max", 1e-3}, {AVG, "latency_mean", 1e-3},
	             {RPS, "throughput", 1}};
	char *f[MAX_COLUMNS], name[1024];
	struct result_bench *b;
	double reqs, fails, v;
	size_t i;
	int err, k;

	if (fmt_csv_split(line, f, MAX_COLUMNS) != ncols)
		return fmt_error(c, "expected %d comma-separated fields",
		                 ncols);
	/* every column but Type and Name holds a number, or N/A */
	for (k = 0; k < ncols; k++)
		if (k != cols[TYPE] && k != cols[NAME] && strcmp(f[k], "N/A") &&
		    fmt_parse_double(f[k], &v) < 0)
			return fmt_error(c, "field %d: '%s' is not a number",
			                 k + 1, f[k]);
	if (fmt_parse_count(f[cols[REQS]], &reqs) < 0 ||
	    fmt_parse_count(f[cols[FAILS]], &fails) < 0)
		return fmt_error(c, "the request and failure counts must be "
		                    "whole numbers");
	if (reqs == 0)
		return 0; /* an endpoint that was never hit: nothing to say */
	snprintf(name, sizeof(name), "%s%s%s", f[cols[TYPE]],
	         *f[cols[TYPE]] ? " " : "", f[cols[NAME]]);
	if ((err = fmt_bench_new(c, run, name, &b)) < 0)
		return err;
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		if ((err = number(c, f, cols, stats[i].col, &v)) < 0 ||
		    (err = fmt_load_stat(c, b, stats[i].metric, v,
		                         stats[i].scale)) < 0)
			return err;
	return fmt_load_order(b, fmt_load_counts(c, b, reqs, fails));
}

static int locust_parse(struct fmt_input *in, struct result_run *run)
{
	struct pg_buf line = PG_BUF_INIT;
	struct fmt_ctx c;
	size_t off = 0, lineno = 0;
	int cols[NCOLS], ncols = 0, err;

	fmt_ctx_init(&c, in->source, "");
	if (!starts(in, STATS_HEAD))
		return fmt_error(&c,
		                 "this is Locust's %s file: import "
		                 "PREFIX_stats.csv, or give the --csv "
		                 "PREFIX",
		                 starts(in, HISTORY_HEAD) ? "stats history"
		                                          : "failures");
	while ((err = fmt_next_line(in, &off, &line, &lineno)) > 0) {
		fmt_ctx_init(&c, in->source, "");
		fmt_path_push(&c, "line %zu", lineno);
		if (lineno == 1)
			err = header(&c, line.s, cols, &ncols);
		else if (line.len)
			err = stats_row(&c, run, line.s, cols, ncols);
		if (err < 0)
			break;
	}
	pg_buf_release(&line);
	return err;
}

/* Set key=value on every benchmark of run (name NULL) or on name. */
static void set_param(struct result_run *run, const char *name, const char *key,
                      const char *value)
{
	size_t i;

	for (i = 0; i < run->nbenches; i++)
		if (!name || !strcmp(run->benches[i].name, name))
			result_bench_set_param(&run->benches[i], key, value);
}

/* The most frequent error per endpoint, and overall for "Aggregated". */
static int failures_file(struct fmt_input *in, struct result_run *run)
{
	struct pg_buf line = PG_BUF_INIT, name = PG_BUF_INIT;
	struct fmt_ctx c;
	size_t off = 0, lineno = 0;
	double top = -1;
	char *top_error = NULL;
	int err;

	while ((err = fmt_next_line(in, &off, &line, &lineno)) > 0) {
		char *f[5];
		double n;

		fmt_ctx_init(&c, in->source, "");
		fmt_path_push(&c, "line %zu", lineno);
		if (lineno == 1) {
			if (strcmp(line.s, FAILURES_HEAD))
				err = fmt_error(&c, "expected the header '%s'",
				                FAILURES_HEAD);
		} else if (line.len) {
			if (fmt_csv_split(line.s, f, 5) != 4 ||
			    fmt_parse_count(f[3], &n) < 0) {
				err = fmt_error(&c, "expected Method, Name, "
				                    "Error and a count");
			} else {
				pg_buf_reset(&name);
				pg_buf_addf(&name, "%s %s", f[0], f[1]);
				/* rows come most frequent first per endpoint */
				if (!result_bench_find(run, name.s) ||
				    !result_metric_find(
				            result_bench_find(run, name.s),
				            "failures"))
					continue;
				set_param(run, name.s, "top_error", f[2]);
				if (n > top) {
					top = n;
					free(top_error);
					top_error = pg_strdup(f[2]);
				}
			}
		}
		if (err < 0)
			break;
	}
	if (err == 0 && top_error)
		set_param(run, "Aggregated", "top_error", top_error);
	free(top_error);
	pg_buf_release(&line);
	pg_buf_release(&name);
	return err;
}

static int history_file(struct fmt_input *in, struct result_run *run)
{
	struct pg_buf line = PG_BUF_INIT;
	struct fmt_ctx c;
	size_t off = 0, lineno = 0;
	double users = -1;
	int err;

	while ((err = fmt_next_line(in, &off, &line, &lineno)) > 0) {
		char *f[MAX_COLUMNS];
		double n;

		fmt_ctx_init(&c, in->source, "");
		fmt_path_push(&c, "line %zu", lineno);
		if (lineno == 1) {
			if (strncmp(line.s, HISTORY_HEAD, strlen(HISTORY_HEAD)))
				err = fmt_error(&c,
				                "expected a header that "
				                "starts with '%s'",
				                HISTORY_HEAD);
		} else if (line.len) {
			if (fmt_csv_split(line.s, f, MAX_COLUMNS) < 2 ||
			    fmt_parse_count(f[1], &n) < 0)
				err = fmt_error(&c, "expected a timestamp and "
				                    "a user count");
			else if (n > users)
				users = n;
		}
		if (err < 0)
			break;
	}
	if (err == 0 && users >= 0) {
		char tmp[32];

		snprintf(tmp, sizeof(tmp), "%.0f", users);
		set_param(run, NULL, "users", tmp);
	}
	pg_buf_release(&line);
	return err;
}

/* Read the sibling prefix+suffix with fn when it exists. */
static int sibling(const char *stats_path, const char *suffix,
                   int (*fn)(struct fmt_input *, struct result_run *),
                   struct result_run *run)
{
	struct pg_buf path = PG_BUF_INIT, data = PG_BUF_INIT;
	size_t plen = strlen(stats_path) - strlen("_stats.csv");
	struct stat st;
	int err = 0;

	pg_buf_add(&path, stats_path, plen);
	pg_buf_addstr(&path, suffix);
	if (stat(path.s, &st) == 0 &&
	    (err = pg_buf_read_file(&data, path.s)) == 0) {
		struct fmt_input in = {data.s, data.len, path.s, NULL, 0};

		err = fn(&in, run);
	}
	pg_buf_release(&path);
	pg_buf_release(&data);
	return err;
}

int fmt_locust_parse_files(const char *stats_path, struct result_run *run)
{
	struct pg_buf data = PG_BUF_INIT;
	size_t len = strlen(stats_path);
	int err;

	if (len < 10 || strcmp(stats_path + len - 10, "_stats.csv"))
		return pg_error_input("'%s': Locust's statistics file ends "
		                      "with '_stats.csv'",
		                      stats_path);
	if ((err = pg_buf_read_file(&data, stats_path)) == 0) {
		struct fmt_input in = {data.s, data.len, stats_path, NULL, 0};

		err = locust_parse(&in, run);
	}
	if (err == 0)
		err = sibling(stats_path, "_failures.csv", failures_file, run);
	if (err == 0)
		err = sibling(stats_path, "_stats_history.csv", history_file,
		              run);
	pg_buf_release(&data);
	return err;
}

const struct fmt_ops fmt_locust = {"locust", 0, locust_detect, locust_parse};
