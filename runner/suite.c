#include "runner/suite.h"
#include "runner/invoke.h"
#include "runner/loadtest.h"
#include "runner/record.h"
#include "runner/stress.h"
#include "util/error.h"

#include <sys/stat.h>

int runner_check_cwd(const struct config_bench *cb)
{
	struct stat st;

	if (cb->cwd && (stat(cb->cwd, &st) < 0 || !S_ISDIR(st.st_mode)))
		return pg_error_input("benchmark '%s': cwd '%s' is not a "
		                      "directory",
		                      cb->name, cb->cwd);
	return 0;
}

int runner_run_bench(struct result_run *run, const struct config_bench *cb,
                     long runs, long warmup, const struct runner_hooks *hooks)
{
	struct runner_invoker *v;
	int err;

	if ((err = runner_check_cwd(cb)) < 0)
		return err;
	if (cb->stress)
		return runner_run_stress(run, cb, hooks);
	if (cb->service)
		return runner_run_service(run, cb, runs, warmup, hooks);
	if ((err = runner_invoker_open(&v, cb, hooks, NULL)) < 0) {
		if (err == PG_EINPUT)
			return err;
		runner_fail_entry(run, run->nbenches, cb, pg_error_last());
		return 0;
	}
	err = runner_run_invoker(run, v, runs, warmup, hooks);
	runner_invoker_close(v);
	return err;
}
