/* perfgate compare: compare the stored results of two commits. */
#include "cmd/cmd.h"
#include "cmd/gate_common.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cmd_compare_usage[] =
        "usage: perfgate compare [options] [REV_A] [REV_B]\n"
        "\n"
        "Compare the results stored on REV_B (default HEAD) with those of\n"
        "REV_A, with the same statistics, reports and exit codes as `perfgate\n"
        "gate`, and run nothing.  REV_A defaults to the baseline `perfgate\n"
        "gate` would select (the merge-base with the target branch, pooled\n"
        "over --baseline-window commits with results); a given REV_A is\n"
        "compared alone unless --baseline-window is set.\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE     perfgate.json for per-benchmark policy\n"
        "                        (default: the one at the repository root,\n"
        "                        if any)\n"
        "  --label LABEL         compare REV_B's runs with this runner label\n"
        "                        (default: the newest run's)\n"
        "  --require-shards N    REV_B's suite ran as N shards (`perfgate\n"
        "                        gate --shard I/N`, one job each): take the\n"
        "                        newest run of every shard 1..N, compare\n"
        "                        their union as one suite (one correction\n"
        "                        across all of it), and fail with exit 2\n"
        "                        when a shard has no results (default: no\n"
        "                        shards; fetch them first with `perfgate\n"
        "                        sync --fetch-only`)\n" CMD_GATE_USAGE;

enum { OPT_LABEL = 256, OPT_REQUIRE_SHARDS };

/* clang-format off */
static const struct option compare_options[] = {
	{"config",         required_argument, NULL, 'c'},
	{"label",          required_argument, NULL, OPT_LABEL},
	{"require-shards", required_argument, NULL, OPT_REQUIRE_SHARDS},
	CMD_GATE_LONG_OPTIONS,
	{NULL, 0, NULL, 0},
};
/* clang-format on */

/* Keep the runs of one environment: --label's, else the newest run's. */
static size_t pick_runs(struct result_run *runs, size_t n, const char *label)
{
	char *key = NULL;
	size_t i, kept = 0;

	if (!n)
		return 0;
	if (!label)
		key = result_run_env_key(&runs[n - 1]);
	for (i = 0; i < n; i++) {
		char *k = result_run_env_key(&runs[i]);
		int keep =
		        label ? runs[i].label && !strcmp(runs[i].label, label)
		              : !strcmp(k, key);

		free(k);
		if (keep)
			runs[kept++] = runs[i];
		else
			result_run_release(&runs[i]);
	}
	free(key);
	return kept;
}

/* Is run a better pick than cur (NULL: none yet) for its shard? */
static int newer(const struct result_run *run, const struct result_run *cur)
{
	if (!cur)
		return 1;
	if (!run->timestamp || !cur->timestamp)
		return 1; /* later in the note: appended later */
	return strcmp(run->timestamp, cur->timestamp) >= 0;
}

/*
 * --require-shards: replace *runs by the newest run of each shard 1..count
 * (runs marked as shards of count, with label's label when given), in
 * shard order.  PG_EINPUT naming the first missing shard.
 */
static int pick_shards(struct result_run **runs, size_t *n, unsigned count,
                       const char *label, const char *sha)
{
	struct result_run *all = *runs;
	struct result_run *picked = pg_calloc(count, sizeof(*picked));
	size_t *from = pg_calloc(count, sizeof(size_t));
	size_t i;
	unsigned k;
	int err = 0;

	for (k = 0; k < count; k++)
		from[k] = *n;
	for (i = 0; i < *n; i++) {
		const struct result_run *r = &all[i];

		if (r->shard_count != count || r->dirty ||
		    (label && (!r->label || strcmp(r->label, label))))
			continue;
		k = r->shard_index - 1;
		if (newer(r, from[k] < *n ? &all[from[k]] : NULL))
			from[k] = i;
	}
	for (k = 0; k < count && !err; k++)
		if (from[k] == *n)
			err = pg_error_input(
			        "--require-shards %u: shard %u/%u has no "
			        "results%s%s on %.12s (did its job fail?  "
			        "fetch them with 'perfgate sync --fetch-only')",
			        count, k + 1, count,
			        label ? " with label " : "", label ? label : "",
			        sha);
	for (k = 0; k < count && !err; k++) {
		picked[k] = all[from[k]];
		result_run_init(&all[from[k]]);
	}
	result_runs_free(all, *n);
	free(from);
	if (err) {
		free(picked);
		*runs = NULL;
		*n = 0;
		return err;
	}
	*runs = picked;
	*n = count;
	return 0;
}

/* Shards measured on different runners are compared anyway: say so. */
static void warn_mixed_runners(const struct result_run *runs, size_t n)
{
	char *first = n ? result_run_env_key(&runs[0]) : NULL;
	size_t i;

	for (i = 1; i < n; i++) {
		char *k = result_run_env_key(&runs[i]);
		int differ = strcmp(k, first) != 0;

		free(k);
		if (differ) {
			fprintf(stderr,
			        "perfgate: warning: the shards ran on "
			        "different "
			        "runners ('%s' and others); the baseline is "
			        "taken from the last shard's (give every shard "
			        "the same --label)\n",
			        first);
			break;
		}
	}
	free(first);
}

struct compare_args {
	struct pipeline_gate_opts g;
	const char *config;
	const char *label;
	const char *rev_a, *rev_b;
	long shards; /* --require-shards; 0: none */
};

static int parse_args(struct compare_args *a, int argc, char **argv)
{
	int c, r;

	memset(a, 0, sizeof(*a));
	cmd_gate_opts_init(&a->g);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:v", compare_options, NULL)) !=
	       -1) {
		if (c == 'c') {
			a->config = optarg;
		} else if (c == OPT_LABEL) {
			a->label = optarg;
		} else if (c == OPT_REQUIRE_SHARDS) {
			if (cmd_parse_long("compare", "--require-shards",
			                   optarg, 1, &a->shards))
				return PG_EXIT_INPUT;
		} else if ((r = cmd_gate_option(&a->g, "compare", c, optarg))) {
			if (r != 1)
				return r;
		} else {
			return cmd_bad_option("compare", argv, c);
		}
	}
	if (argc - optind > 2) {
		cmd_error("compare: too many revisions (see 'perfgate help "
		          "compare')");
		return PG_EXIT_INPUT;
	}
	if (optind < argc)
		a->rev_a = argv[optind++];
	if (optind < argc)
		a->rev_b = argv[optind++];
	if (a->rev_a) {
		a->g.base = a->rev_a;
		if (!a->g.window_set)
			a->g.window = 1;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	struct store *s = NULL;
	struct result_run *runs = NULL;
	struct config cfg;
	char sha[41], *warning = NULL;
	size_t n = 0;
	int err, loaded = 0, code;

	if ((code = parse_args(&a, argc, argv)))
		return code;
	config_init(&cfg);
	if ((err = store_open(&s, NULL, a.g.notes_ref, STORE_ALLOW_BARE)) < 0 ||
	    (err = cmd_load_optional_config(&cfg, s, a.config, &loaded)) < 0 ||
	    (err = store_resolve(s, a.rev_b ? a.rev_b : "HEAD", sha)) < 0 ||
	    (err = store_read_runs(s, sha, &runs, &n, &warning)) < 0) {
		code = cmd_fail(err);
		goto out;
	}
	if (warning)
		fprintf(stderr, "perfgate: warning: %s\n", warning);
	if (a.shards) {
		if ((err = pick_shards(&runs, &n, (unsigned)a.shards, a.label,
		                       sha)) < 0) {
			code = cmd_fail(err);
			goto out;
		}
		warn_mixed_runners(runs, n);
	} else {
		n = pick_runs(runs, n, a.label);
	}
	if (!n) {
		cmd_error("no results%s%s stored on %.12s (run 'perfgate run' "
		          "there, or fetch the notes: git fetch origin "
		          "+%s:%s)",
		          a.label ? " with label " : "", a.label ? a.label : "",
		          sha, store_notes_ref(s), store_notes_ref(s));
		code = PG_EXIT_INPUT;
		goto out;
	}
	code = cmd_gate_compare_and_report(s, loaded ? &cfg : NULL, runs, n,
	                                   sha, &a.g, "stored results");
out:
	result_runs_free(runs, n);
	free(warning);
	config_release(&cfg);
	store_free(s);
	return code;
}
