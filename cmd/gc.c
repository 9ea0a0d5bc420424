/* perfgate gc: summarise old runs' raw samples (retention). */
#include "cmd/cmd.h"
#include "gate/retention.h"
#include "store/gc.h"
#include "store/repo.h"
#include "util/buf.h"
#include "model/config.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/printable.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* clang-format cannot lay out STR() between string literals */
/* clang-format off */
const char cmd_gc_usage[] =
        "usage: perfgate gc [--apply] [--keep-commits N] [--keep-days D]\n"
        "                   [--config FILE] [--notes-ref REF]\n"
        "\n"
        "Replace the raw samples of old runs by summaries (n, mean, sd, "
        "MAD and the\nquantiles min, 5%, 10%, 25%, median, 75%, 90%, 95%, "
        "max), keeping every run,\nits id and its fingerprint.  Without "
        "--apply it only prints what it would\ndo: per branch, the "
        "commits kept raw, the runs summarised and the bytes\nbefore and "
        "after.  With --apply it writes one notes commit (compare-and-\n"
        "swap); a sync never brings the dropped samples back.\n"
        "\n"
        "Raw samples are kept on the newest N commits with results of "
        "every local\nand remote-tracking branch (first-parent history), "
        "on commits younger than\nD days, on commits with history alerts "
        "and on commits that an accepted\nregression names (Perfgate-Accept "
        "lines, perfgate.json \"accept\" entries\nwith \"commit\").  "
        "Unreadable notes are reported and left untouched.\n"
        "docs/store.md \"Retention\" has the details.\n"
        "\n"
        "  --apply            write the summaries (default: dry run)\n"
        "  --keep-commits N   newest commits with results kept raw per "
        "branch\n"
        "                     (default " STR(PG_DEFAULT_GC_KEEP_COMMITS) ")\n"
        "  --keep-days D      commits younger than D days kept raw; 0: "
        "none by age\n"
        "                     (default " STR(PG_DEFAULT_GC_KEEP_DAYS) ")\n"
        "  --config FILE      perfgate.json whose \"accept\" entries to "
        "honour\n"
        "                     (default: perfgate.json of the work tree, "
        "if any)\n"
        "  --notes-ref REF    notes ref holding results (default\n"
        "                     $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n";
/* clang-format on */

struct gc_args {
	long keep_commits;
	double keep_days;
	const char *config, *notes_ref;
	int apply;
};

static int parse_args(struct gc_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
	        {"apply", no_argument, NULL, 'a'},
	        {"keep-commits", required_argument, NULL, 'n'},
	        {"keep-days", required_argument, NULL, 'd'},
	        {"config", required_argument, NULL, 'c'},
	        {"notes-ref", required_argument, NULL, 'N'},
	        {NULL, 0, NULL, 0},
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			a->apply = 1;
			break;
		case 'n':
			if (cmd_parse_long("gc", "--keep-commits", optarg, 0,
			                   &a->keep_commits))
				return PG_EXIT_INPUT;
			break;
		case 'd':
			if (cmd_parse_double("gc", "--keep-days", optarg,
			                     &a->keep_days))
				return PG_EXIT_INPUT;
			if (a->keep_days < 0) {
				cmd_error("gc: --keep-days: '%s' is negative",
				          optarg);
				return PG_EXIT_INPUT;
			}
			break;
		case 'c':
			a->config = optarg;
			break;
		case 'N':
			a->notes_ref = optarg;
			break;
		default:
			return cmd_bad_option("gc", argv, opt);
		}
	}
	if (optind < argc) {
		cmd_error("gc: unexpected argument '%s' (see 'perfgate help "
		          "gc')",
		          argv[optind]);
		return PG_EXIT_INPUT;
	}
	return 0;
}

static void print_branch(const struct gate_retention_branch *b,
                         const struct store_gc_report *r)
{
	size_t i, raw = 0, commits = 0, runs = 0, before = 0, after = 0;

	for (i = 0; i < b->n; i++) {
		const struct store_gc_note *e = store_gc_find(r, b->shas[i]);

		if (!e)
			continue;
		before += e->bytes_before;
		after += e->bytes_after;
		if (e->state == STORE_GC_SUMMARISED) {
			commits++;
			runs += e->summarised;
		} else {
			raw++;
		}
	}
	printf("  %s: %zu commits with results: %zu kept raw (%zu in the "
	       "window), %zu summarised (%zu runs); %zu -> %zu bytes\n",
	       pg_printable(b->ref.name), b->n, raw, b->kept, commits, runs,
	       before, after);
}

static void print_report(const struct gate_retention *plan,
                         const struct store_gc_report *r,
                         const struct gc_args *a, const char *ref)
{
	size_t i, count[STORE_GC_CORRUPT + 1] = {0};

	for (i = 0; i < r->n; i++) {
		count[r->notes[i].state]++;
		if (r->notes[i].state == STORE_GC_CORRUPT)
			fprintf(stderr,
			        "perfgate: warning: gc leaves the note on %s "
			        "untouched: %s\n",
			        r->notes[i].sha,
			        pg_printable(r->notes[i].warning));
	}
	printf("perfgate gc%s: raw samples kept on the newest %ld commits "
	       "with results per branch",
	       a->apply ? "" : " (dry run: nothing written, --apply to act)",
	       a->keep_commits);
	if (a->keep_days > 0)
		printf(" and on commits younger than %g days", a->keep_days);
	printf("\n");
	for (i = 0; i < plan->nbranches; i++)
		print_branch(&plan->branches[i], r);
	printf("notes: %zu (%zu kept raw, %zu protected by alerts or "
	       "acceptances, %zu already summarised or small, %zu "
	       "summarised, %zu unreadable)\n",
	       r->n, count[STORE_GC_KEPT], count[STORE_GC_PROTECTED],
	       count[STORE_GC_DONE], count[STORE_GC_SUMMARISED],
	       count[STORE_GC_CORRUPT]);
	printf("runs %s: %zu; bytes of notes: %zu -> %zu\n",
	       a->apply ? "summarised" : "to summarise", r->summarised,
	       r->bytes_before, r->bytes_after);
	if (r->written)
		printf("wrote one notes commit on '%s'\n", ref);
}

static int gc(struct store *s, const struct gc_args *a)
{
	struct gate_retention_opts o = {0};
	struct gate_retention plan = {0};
	struct store_gc_report r = {0};
	struct store_gc_plan p;
	struct config cfg;
	int err, loaded;

	config_init(&cfg);
	if ((err = cmd_load_optional_config(&cfg, s, a->config, &loaded)) < 0)
		goto out;
	o.keep_commits = (size_t)a->keep_commits;
	o.keep_days = a->keep_days;
	o.now = (long long)time(NULL);
	o.cfg = loaded ? &cfg : NULL;
	if ((err = gate_retention_plan(&plan, s, &o)) < 0)
		goto out;
	gate_retention_gc_plan(&plan, &p, a->apply);
	if ((err = store_gc(s, &p, &r)) < 0)
		goto out;
	print_report(&plan, &r, a, store_notes_ref(s));
out:
	store_gc_report_release(&r);
	gate_retention_release(&plan);
	config_release(&cfg);
	return err;
}

int cmd_gc(int argc, char **argv)
{
	struct gc_args a = {PG_DEFAULT_GC_KEEP_COMMITS, PG_DEFAULT_GC_KEEP_DAYS,
	                    NULL, NULL, 0};
	struct store *s = NULL;
	int err;

	if ((err = parse_args(&a, argc, argv)) != 0)
		return err;
	err = store_open(&s, NULL, a.notes_ref, STORE_ALLOW_BARE);
	if (err == 0)
		err = gc(s, &a);
	store_free(s);
	return cmd_fail(err);
}
