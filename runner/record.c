/* Measured runs and failures into a result_run; see runner/record.h. */
#include "runner/record.h"
#include "runner/runner.h"

#include <string.h>

void runner_record(struct result_bench *b, const struct runner_result *r)
{
	result_metric_push(result_metric_get(b, RESULT_WALL_TIME, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->wall);
	result_metric_push(result_metric_get(b, RESULT_CPU_USER, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->user);
	result_metric_push(result_metric_get(b, RESULT_CPU_SYS, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->sys);
	result_metric_push(result_metric_get(b, RESULT_MAX_RSS, "B",
	                                     RESULT_LOWER_IS_BETTER),
	                   r->max_rss);
}

/* 1 when benchmark name is entry cb's own or, for a harness, its inner. */
static int owned_by(const char *name, const struct config_bench *cb)
{
	size_t n = strlen(cb->name);

	return !strncmp(name, cb->name, n) &&
	       (name[n] == '\0' || (cb->format && name[n] == '/'));
}

void runner_fail_entry(struct result_run *run, size_t first,
                       const struct config_bench *cb, const char *msg)
{
	size_t i;
	int any = 0;

	for (i = first; i < run->nbenches; i++) {
		if (!owned_by(run->benches[i].name, cb))
			continue;
		result_bench_set_error(&run->benches[i], msg);
		any = 1;
	}
	if (!any)
		result_bench_set_error(result_bench_add(run, cb->name), msg);
}
