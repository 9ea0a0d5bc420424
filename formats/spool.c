/*
 * formats_spool_path() (formats/formats.h): a file's benchmarks into a
 * spool, in one pass for bmf, through a run for the other formats.
 */
#include "formats/formats.h"
#include "formats/internal.h"
#include "model/result_spool.h"
#include "util/cancel.h"
#include "util/error.h"
#include "util/printable.h"

#include <string.h>

/* run's benchmarks into out, each released as soon as it is written. */
static int spool_run(struct result_run *run, struct result_spool *out,
                     const char *source)
{
	size_t i;
	int err;

	for (i = 0; i < run->nbenches; i++) {
		struct result_bench *b = &run->benches[i];

		if ((err = pg_cancel_check()) < 0)
			return err;
		err = result_spool_add(out, b);
		if (err > 0)
			return pg_error_input("'%s': duplicate benchmark '%s' "
			                      "(an earlier input has it too)",
			                      source, pg_printable(b->name));
		if (err < 0)
			return err;
		result_bench_release(b);
	}
	return 0;
}

int formats_spool_path(const char *format, const char *path,
                       struct result_spool *out, const char **used)
{
	int is_auto = !strcmp(format, FORMATS_AUTO);
	struct result_run run;
	const char *dummy;
	int err;

	if (!used)
		used = &dummy;
	*used = format;
	if ((err = formats_check_name(format)) < 0)
		return err;
	if (is_auto || !strcmp(format, fmt_bmf.name)) {
		err = fmt_bmf_stream(path, out, is_auto);
		if (err == 0)
			*used = fmt_bmf.name;
		if (err <= 0)
			return err;
		/* declined: the tree parser reads it, or says what is wrong */
	}
	result_run_init(&run);
	err = formats_parse_path_as(format, path, &run, used);
	if (err == 0)
		err = spool_run(&run, out, path);
	result_run_release(&run);
	return err;
}
