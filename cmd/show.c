/* perfgate show: the runs stored on one commit. */
#include "cmd/cmd.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/printable.h"
#include "util/mem.h"
#include "model/result.h"
#include "model/result_summary.h"
#include "model/units.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_show_usage[] =
        "usage: perfgate show [REV] [--format text|json] [--notes-ref REF]\n"
        "\n"
        "Print the runs stored on commit REV (default HEAD): per run its "
        "id, time,\nrunner label, environment and, per benchmark and "
        "metric, the number of\nsamples, median, minimum and maximum.  "
        "--format json prints the stored note\nitself, "
        "{\"schema\":1,\"runs\":[...]}.\n"
        "\n"
        "  --format FMT      text (default) or json\n"
        "  --notes-ref REF   notes ref holding results (default\n"
        "                    $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "A commit without results prints a note on stderr (an empty "
        "document with\n--format json) and exits 0; an unreadable note "
        "exits 2.\n";

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void print_metric(const struct result_metric *m)
{
	char med[32], lo[32], hi[32];
	double *c;

	printf("      %-16s n=%-4zu", pg_printable(m->name),
	       result_metric_count(m));
	if (m->n) {
		c = pg_malloc(m->n * sizeof(*c));
		memcpy(c, m->samples, m->n * sizeof(*c));
		qsort(c, m->n, sizeof(*c), cmp_double);
		/* a unit is a harness's text: controls escaped */
		pg_format_value(med, sizeof(med),
		                m->n % 2 ? c[m->n / 2]
		                         : (c[m->n / 2 - 1] + c[m->n / 2]) / 2,
		                pg_printable(m->unit));
		pg_format_value(lo, sizeof(lo), c[0], pg_printable(m->unit));
		pg_format_value(hi, sizeof(hi), c[m->n - 1],
		                pg_printable(m->unit));
		printf(" median %-10s  min %-10s  max %-10s", med, lo, hi);
		free(c);
	} else {
		printf(" (%s)", pg_printable(m->unit));
	}
	printf("  (%s is better)%s\n", result_direction_name(m->direction),
	       m->summary.n ? "  (summarised by gc)" : "");
}

static void print_run(const struct result_run *r)
{
	char *key = result_run_env_key(r);
	size_t i, j;

	printf("run %s\n", r->id ? pg_printable(r->id) : "(no id)");
	printf("  time:     %s\n",
	       r->timestamp ? pg_printable(r->timestamp) : "?");
	printf("  runner:   %s\n", pg_printable(key));
	if (r->env.hostname)
		printf("  host:     %s\n", pg_printable(r->env.hostname));
	printf("  version:  perfgate %s%s\n",
	       r->version ? pg_printable(r->version) : "?",
	       r->dirty ? "  (dirty working tree: never a baseline)" : "");
	for (i = 0; i < r->nbenches; i++) {
		const struct result_bench *b = &r->benches[i];

		printf("    %s", pg_printable(b->name));
		printf("%s%s\n", b->error ? ": failed: " : "",
		       b->error ? pg_printable(b->error) : "");
		for (j = 0; j < b->nmetrics; j++)
			print_metric(&b->metrics[j]);
	}
	free(key);
}

static int show(struct store *s, const char *rev, int json)
{
	struct store_commit k;
	struct result_run *runs = NULL;
	char *warning = NULL, *text = NULL;
	size_t n = 0, i;
	int err;

	if ((err = store_commit_info(s, rev, &k)) < 0)
		return err;
	if ((err = store_read_runs(s, k.sha, &runs, &n, &warning)) < 0)
		goto out;
	if (warning) {
		err = pg_error_input("%s", warning);
		goto out;
	}
	if (!n)
		fprintf(stderr, "perfgate: no results on %s in '%s'\n",
		        k.short_sha, store_notes_ref(s));
	if (json) {
		if ((err = store_read_note(s, k.sha, &text, NULL)) < 0)
			goto out;
		fputs(text ? text : "{\"schema\":1,\"runs\":[]}\n", stdout);
	} else {
		printf("commit %s\n%s\n\n", k.sha, k.subject);
		for (i = 0; i < n; i++)
			print_run(&runs[i]);
	}
out:
	free(text);
	free(warning);
	result_runs_free(runs, n);
	store_commit_release(&k);
	return err;
}

enum {
	OPT_FORMAT = 256,
	OPT_NOTES_REF,
};

/* clang-format off */
static const struct option show_options[] = {
	{"format",    required_argument, NULL, OPT_FORMAT},
	{"notes-ref", required_argument, NULL, OPT_NOTES_REF},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

int cmd_show(int argc, char **argv)
{
	const char *notes_ref = NULL;
	struct store *s = NULL;
	int opt, err, json = 0;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", show_options, NULL)) != -1) {
		switch (opt) {
		case OPT_FORMAT:
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				cmd_error("show: --format: '%s' is not text or "
				          "json",
				          optarg);
				return PG_EXIT_INPUT;
			}
			json = !strcmp(optarg, "json");
			break;
		case OPT_NOTES_REF:
			notes_ref = optarg;
			break;
		default:
			return cmd_bad_option("show", argv, opt);
		}
	}
	if (argc - optind > 1) {
		cmd_error("show: expected at most one revision (see 'perfgate "
		          "help show')");
		return PG_EXIT_INPUT;
	}
	err = store_open(&s, NULL, notes_ref, STORE_ALLOW_BARE);
	if (err == 0)
		err = show(s, optind < argc ? argv[optind] : "HEAD", json);
	store_free(s);
	return cmd_fail(err);
}
