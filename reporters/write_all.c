/* Every report a gate asked for: see reporters/write_all.h. */
#include "reporters/write_all.h"
#include "util/defaults.h"
#include "util/error.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void reporters_outputs_init(struct reporters_outputs *o)
{
	memset(o, 0, sizeof(*o));
	o->term = stderr;
	o->annotations = stdout;
}

static int is_true(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "true");
}

static int render(const struct report *rep, const char *format,
                  const struct report_opts *ro, struct pg_buf *out)
{
	const struct reporter *r = report_reporter_find(format);

	return r->write(rep, out, ro);
}

static int write_report(const struct report *rep, const char *format,
                        const char *path, const struct report_opts *ro)
{
	struct pg_buf out = PG_BUF_INIT;
	int err;

	if ((err = render(rep, format, ro, &out)) == 0)
		err = pg_write_file_atomic(path, out.s, out.len);
	pg_buf_release(&out);
	return err;
}

/* Append the Markdown to $GITHUB_STEP_SUMMARY within GitHub's 1 MiB. */
static int github_summary(const struct report *rep,
                          const struct report_opts *ro)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct report_opts o = *ro;
	struct pg_buf out = PG_BUF_INIT;
	struct stat st;
	FILE *f;
	int err = 0;

	if (!path || !*path)
		return 0;
	o.max_bytes = PG_GITHUB_SUMMARY_MAX_BYTES;
	if (stat(path, &st) == 0)
		o.max_bytes = (size_t)st.st_size >= o.max_bytes
		                      ? 1
		                      : o.max_bytes - (size_t)st.st_size;
	render(rep, "markdown", &o, &out);
	f = fopen(path, "a");
	if (!f || fwrite(out.s, 1, out.len, f) != out.len)
		err = pg_error_runtime("cannot append to $GITHUB_STEP_SUMMARY "
		                       "'%s'",
		                       path);
	if (f && fclose(f) != 0 && !err)
		err = pg_error_runtime("cannot append to $GITHUB_STEP_SUMMARY "
		                       "'%s'",
		                       path);
	pg_buf_release(&out);
	return err;
}

int reporters_write_all(const struct report *rep,
                        const struct reporters_outputs *o)
{
	struct report_opts ro;
	struct pg_buf out = PG_BUF_INIT;
	const char *junit = o->junit;
	int err = 0;

	report_opts_init(&ro);
	ro.fail_on_inconclusive = o->fail_on_inconclusive;
	ro.color = o->color;
	ro.verbose = o->verbose;
	ro.width = o->width;
	if (o->term) {
		render(rep, "terminal", &ro, &out);
		fwrite(out.s, 1, out.len, o->term);
	}
	ro.color = 0;
	if (!junit && is_true("GITLAB_CI"))
		junit = PG_GITLAB_JUNIT;
	if (!err && junit)
		err = write_report(rep, "junit", junit, &ro);
	if (!err && o->markdown)
		err = write_report(rep, "markdown", o->markdown, &ro);
	if (!err && o->json)
		err = write_report(rep, "json", o->json, &ro);
	if (!err && o->metrics)
		err = write_report(rep, "openmetrics", o->metrics, &ro);
	if (!err && is_true("GITHUB_ACTIONS")) {
		err = github_summary(rep, &ro);
		if (o->annotations) {
			pg_buf_reset(&out);
			render(rep, "github", &ro, &out);
			fwrite(out.s, 1, out.len, o->annotations);
			fflush(o->annotations);
		}
	}
	pg_buf_release(&out);
	return err;
}
