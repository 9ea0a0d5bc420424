/* perfgate import: results produced elsewhere by another harness. */
#include "cmd/cmd.h"
#include "pipeline/target.h"
#include "formats/formats.h"
#include "util/buf.h"
#include "util/cancel.h"
#include "util/mem.h"
#include "model/result.h"
#include "model/result_spool.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cmd_import_usage[] =
        "usage: perfgate import [options] FILE...\n"
        "\n"
        "Read benchmark results that another harness wrote and store them\n"
        "as one perfgate run, for teams whose CI already runs the harness.\n"
        "Every FILE is parsed before anything is written: an import stores\n"
        "everything or nothing.  A benchmark name may appear in one FILE\n"
        "only.\n"
        "\n"
        "Options:\n"
        "  --format F      format of every FILE (default: auto, detected\n"
        "                  from the content; an ambiguous or unknown file\n"
        "                  is an error): google-benchmark, hyperfine, go,\n"
        "                  pytest-benchmark, criterion (FILE is the\n"
        "                  target/criterion directory), jmh, bmf, perfgate,\n"
        "                  and the load generators locust (FILE is\n"
        "                  PREFIX_stats.csv, the --csv PREFIX or its\n"
        "                  directory), wrk, hey, k6, autocannon\n"
        "  --commit REV    store the results on REV (default: HEAD; on\n"
        "                  GitHub pull_request events the PR head commit);\n"
        "                  with --no-store it must be a full 40-digit SHA\n"
        "  --label LABEL   runner label (default: $PERFGATE_RUNNER)\n"
        "  --no-store      do not store the results in git notes\n"
        "  --notes-ref REF notes ref for results (default:\n"
        "                  $PERFGATE_NOTES_REF, else refs/notes/perfgate)\n"
        "  --json OUT      write the run as perfgate JSON (schema 1,\n"
        "                  docs/results-format.md); - is standard output\n"
        "\n"
        "The run is stored as a git note on the commit, like `perfgate run`\n"
        "stores its own; importing outside a git repository needs\n"
        "--no-store.\n"
        "\n"
        "Formats, units and directions are described in docs/formats.md,\n"
        "load-test metrics in docs/load.md.\n";

enum {
	OPT_FORMAT = 256,
	OPT_COMMIT,
	OPT_LABEL,
	OPT_NO_STORE,
	OPT_JSON,
	OPT_NOTES_REF,
};

/* clang-format off */
static const struct option import_options[] = {
	{"format",    required_argument, NULL, OPT_FORMAT},
	{"commit",    required_argument, NULL, OPT_COMMIT},
	{"label",     required_argument, NULL, OPT_LABEL},
	{"no-store",  no_argument,       NULL, OPT_NO_STORE},
	{"json",      required_argument, NULL, OPT_JSON},
	{"notes-ref", required_argument, NULL, OPT_NOTES_REF},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct import_opts {
	const char *format;
	const char *commit;
	const char *label;
	const char *json;
	const char *notes_ref;
	int no_store;
	char **files;
	int nfiles;
};

static int parse_import_options(struct import_opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->format = FORMATS_AUTO;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", import_options, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			o->format = optarg;
			break;
		case OPT_COMMIT:
			o->commit = optarg;
			break;
		case OPT_LABEL:
			o->label = optarg;
			break;
		case OPT_NO_STORE:
			o->no_store = 1;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_NOTES_REF:
			o->notes_ref = optarg;
			break;
		default:
			return cmd_bad_option("import", argv, c);
		}
	}
	if (formats_check_name(o->format) < 0) {
		cmd_error("import: --format: %s", pg_error_last());
		return PG_EXIT_INPUT;
	}
	if (optind >= argc) {
		cmd_error("import: no FILE given (see 'perfgate help import')");
		return PG_EXIT_INPUT;
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (!o->label)
		o->label = getenv("PERFGATE_RUNNER");
	return 0;
}

static int is_full_sha(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return i == 40;
}

/* Add the format name to the comma-separated list in names, once. */
static void note_format(struct pg_buf *names, const char *name)
{
	const char *p = names->s;
	size_t len = strlen(name);

	while ((p = strstr(p, name)) != NULL) {
		if ((p == names->s || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0'))
			return;
		p += len;
	}
	pg_buf_addf(names, "%s%s", names->len ? "," : "", name);
}

/*
 * Read one file (or criterion / Locust directory) into the spool: the
 * run's benchmarks are written out as they are read, never held as a
 * model all at once (model/result_spool.h).
 */
static int import_file(const char *format, const char *path,
                       struct result_spool *spool, struct pg_buf *names)
{
	const char *used = format;
	int err = formats_spool_path(format, path, spool, &used);

	if (err == 0)
		note_format(names, used);
	return err;
}

/* Open the store and resolve the commit before parsing anything. */
static int prepare_store(struct pipeline_target *t, const struct import_opts *o)
{
	int err;

	if (o->no_store)
		return 0;
	if ((err = pipeline_target_prepare(t, o->commit, o->notes_ref)) < 0)
		return err;
	/* run measures anyway outside a repository; import has no point */
	if (!t->store)
		return pg_error_input("import: not in a git repository: "
		                      "nothing to store the results in (use "
		                      "--no-store --json OUT)");
	return 0;
}

/* The run's fields: a fresh id, the time, this machine, where it came from. */
static int stamp(struct result_run *run, const struct import_opts *o,
                 struct pipeline_target *target, const struct pg_buf *names)
{
	struct pg_buf src = PG_BUF_INIT;
	int err;

	if ((err = result_run_stamp(run, o->label)) < 0)
		return err;
	pg_buf_addf(&src, "import:%s", names->s);
	run->source = pg_buf_detach(&src, NULL);
	if (o->no_store && o->commit)
		run->commit = pg_strdup(o->commit);
	pipeline_target_stamp(target, run);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	struct pg_buf names = PG_BUF_INIT, doc = PG_BUF_INIT;
	struct pipeline_target target = {0};
	struct result_spool spool;
	struct import_opts o;
	struct result_run run;
	size_t nbenches;
	int err, i;

	if ((err = parse_import_options(&o, argc, argv)))
		return err;
	result_run_init(&run);
	result_spool_init(&spool);
	if (o.no_store && o.commit && !is_full_sha(o.commit)) {
		err = pg_error_input("import: --commit '%s': with --no-store "
		                     "give a full 40-digit SHA",
		                     o.commit);
		goto out;
	}
	if ((err = prepare_store(&target, &o)) < 0)
		goto out;
	/* all or nothing: every file is parsed before anything is written */
	cmd_exit_on_signal(1);
	for (i = 0; i < o.nfiles; i++)
		if ((err = import_file(o.format, o.files[i], &spool, &names)) <
		    0)
			goto out;
	cmd_exit_on_signal(0);
	/* interrupted meanwhile: store nothing rather than exit 3 after */
	if ((err = pg_cancel_check()) < 0)
		goto out;
	nbenches = spool.nbenches;
	if ((err = stamp(&run, &o, &target, &names)) < 0 ||
	    (err = result_spool_finish(&spool, &run, &doc)) < 0)
		goto out;
	if (!o.no_store &&
	    (err = pipeline_target_save_doc(&target, run.id, &doc)) < 0)
		goto out;
	if (o.json && (err = cmd_write_doc(&doc, o.json)) < 0)
		goto out;
	if (!o.json || strcmp(o.json, "-"))
		printf("imported %zu benchmark%s from %d file%s (%s)%s\n",
		       nbenches, nbenches == 1 ? "" : "s", o.nfiles,
		       o.nfiles == 1 ? "" : "s", names.s,
		       o.no_store ? ", not stored" : "");
out:
	cmd_exit_on_signal(0);
	pipeline_target_release(&target);
	pg_buf_release(&names);
	pg_buf_release(&doc);
	result_spool_release(&spool);
	result_run_release(&run);
	return cmd_fail(err);
}
