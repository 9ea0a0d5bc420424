/* perfgate sync: exchange results with a remote. */
#include "cmd/cmd.h"
#include "store/repo.h"
#include "store/sync.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

const char cmd_sync_usage[] =
        "usage: perfgate sync [REMOTE] [--fetch-only | --push-only]\n"
        "                     [--tries N] [--notes-ref REF]\n"
        "\n"
        "Exchange stored results with REMOTE (a remote name or URL; "
        "default origin):\nfetch its notes ref into a private ref, merge "
        "them with the local notes as\nthe union of runs per commit "
        "(de-duplicated by run id, so no run on either\nside is lost), "
        "and push without force.  A push rejected because someone\nelse "
        "pushed first is retried (fetch, merge, push) with backoff.\n"
        "\n"
        "  --fetch-only      fetch and merge into the local notes; do not "
        "push\n"
        "  --push-only       push without fetching; a rejection is an "
        "error\n"
        "  --tries N         push attempts before giving up (default 8)\n"
        "  --notes-ref REF   notes ref holding results (default\n"
        "                    $PERFGATE_NOTES_REF, else "
        "refs/notes/perfgate)\n"
        "\n"
        "Credentials: ssh remotes use the SSH agent; https remotes use "
        "a token from\nPERFGATE_TOKEN, GITHUB_TOKEN or CI_JOB_TOKEN, and "
        "any http.<url>.extraheader\nfrom the git config (as written by "
        "actions/checkout) is sent along.\n";

enum {
	OPT_FETCH_ONLY = 256,
	OPT_PUSH_ONLY,
	OPT_TRIES,
	OPT_NOTES_REF,
};

/* clang-format off */
static const struct option sync_options[] = {
	{"fetch-only", no_argument,       NULL, OPT_FETCH_ONLY},
	{"push-only",  no_argument,       NULL, OPT_PUSH_ONLY},
	{"tries",      required_argument, NULL, OPT_TRIES},
	{"notes-ref",  required_argument, NULL, OPT_NOTES_REF},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

int cmd_sync(int argc, char **argv)
{
	struct store_sync_opts o;
	struct store_sync_report r;
	const char *notes_ref = NULL;
	struct store *s = NULL;
	long tries = STORE_SYNC_DEFAULT_TRIES;
	int opt, err;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", sync_options, NULL)) != -1) {
		switch (opt) {
		case OPT_FETCH_ONLY:
			o.fetch_only = 1;
			break;
		case OPT_PUSH_ONLY:
			o.push_only = 1;
			break;
		case OPT_TRIES:
			if (cmd_parse_long("sync", "--tries", optarg, 1,
			                   &tries))
				return PG_EXIT_INPUT;
			break;
		case OPT_NOTES_REF:
			notes_ref = optarg;
			break;
		default:
			return cmd_bad_option("sync", argv, opt);
		}
	}
	if (o.fetch_only && o.push_only) {
		cmd_error("sync: --fetch-only and --push-only exclude each "
		          "other");
		return PG_EXIT_INPUT;
	}
	if (argc - optind > 1) {
		cmd_error("sync: expected at most one remote (see 'perfgate "
		          "help sync')");
		return PG_EXIT_INPUT;
	}
	o.remote = optind < argc ? argv[optind] : NULL;
	o.max_tries = (unsigned)tries;
	err = store_open(&s, NULL, notes_ref,
	                 STORE_ALLOW_BARE | STORE_ALLOW_UNBORN);
	if (err == 0)
		err = store_sync(s, &o, &r);
	if (err == 0)
		fprintf(stderr,
		        "perfgate: sync %s: %s%zu notes merged%s (%u push "
		        "attempts)%s\n",
		        cmd_redacted(o.remote ? o.remote : "origin"),
		        r.remote_had_notes ? "" : "remote had no results, ",
		        r.notes_merged, r.pushed ? ", pushed" : "", r.tries,
		        r.notes_skipped ? " (unreadable notes kept as local)"
		                        : "");
	store_free(s);
	return cmd_fail(err);
}
