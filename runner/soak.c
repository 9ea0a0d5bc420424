/* Soak mode: /proc samples of a service (soak.h). */
#include "runner/soak.h"
#include "stats/quantile.h"
#include "util/defaults.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct runner_soak {
	pid_t pgid;
	int started;
	double t0;
	double cpu0, cpu; /* CPU seconds of the group at the start, now */
	double *t, *rss; /* samples: seconds since t0, bytes */
	size_t n;
	unsigned stride, skipped; /* sample every stride-th call */
};

/*
 * Add one process's RSS (bytes) and CPU (seconds) to *rss and *cpu when
 * it belongs to process group pgid.  /proc/PID/stat: the fields after
 * the command name (which may hold spaces and parentheses) start with
 * the state, field 3; pgrp is 5, utime 14, stime 15, rss 24 (pages).
 */
static void add_process(const char *pid, pid_t pgid, double *rss, double *cpu)
{
	char path[64], buf[1024], *p;
	long pgrp, pages;
	unsigned long ut, st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (!(f = fopen(path, "re")))
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')))
		return;
	if (sscanf(p + 2,
	           "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu "
	           "%*d %*d %*d %*d %*d %*d %*u %*u %ld",
	           &pgrp, &ut, &st, &pages) != 4 ||
	    pgrp != (long)pgid)
		return;
	*rss += (double)pages * (double)sysconf(_SC_PAGESIZE);
	*cpu += (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int runner_soak_measure(pid_t pgid, double *rss, double *cpu)
{
	struct dirent *e;
	DIR *d = opendir("/proc");

	*rss = *cpu = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]))
			add_process(e->d_name, pgid, rss, cpu);
	closedir(d);
	return *rss > 0;
}

struct runner_soak *runner_soak_new(pid_t pgid)
{
	struct runner_soak *k = pg_calloc(1, sizeof(*k));

	k->pgid = pgid;
	k->t = pg_calloc(PG_SOAK_MAX_SAMPLES, sizeof(double));
	k->rss = pg_calloc(PG_SOAK_MAX_SAMPLES, sizeof(double));
	k->stride = 1;
	return k;
}

void runner_soak_free(struct runner_soak *k)
{
	if (!k)
		return;
	free(k->t);
	free(k->rss);
	free(k);
}

static void take(struct runner_soak *k)
{
	double rss, cpu;
	size_t i;

	if (!runner_soak_measure(k->pgid, &rss, &cpu))
		return;
	k->cpu = cpu;
	if (k->n == PG_SOAK_MAX_SAMPLES) {
		for (i = 0; i < k->n / 2; i++) {
			k->t[i] = k->t[2 * i];
			k->rss[i] = k->rss[2 * i];
		}
		k->n /= 2;
		k->stride *= 2;
	}
	k->t[k->n] = pg_now_s() - k->t0;
	k->rss[k->n++] = rss;
}

void runner_soak_start(struct runner_soak *k)
{
	double rss;

	k->started = 1;
	k->n = 0;
	k->stride = 1;
	k->skipped = 0;
	k->t0 = pg_now_s();
	runner_soak_measure(k->pgid, &rss, &k->cpu0);
	take(k);
}

int runner_soak_started(const struct runner_soak *k)
{
	return k->started;
}

double runner_soak_elapsed(const struct runner_soak *k)
{
	return k->started ? pg_now_s() - k->t0 : 0;
}

void runner_soak_sample(struct runner_soak *k)
{
	if (!k->started || ++k->skipped < k->stride)
		return;
	k->skipped = 0;
	take(k);
}

static void set_double(struct result_bench *b, const char *key, double v)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%.17g", v);
	result_bench_set_param(b, key, buf);
}

static void add_aggregate(struct result_bench *b, const char *name,
                          const char *unit, double v)
{
	struct result_metric *m =
	        result_metric_get(b, name, unit, RESULT_LOWER_IS_BETTER);

	m->aggregate = 1;
	result_metric_push(m, v);
}

int runner_soak_finish(struct runner_soak *k, struct result_bench *b,
                       double requests)
{
	struct stats_interval slope;
	double max = 0, cpu;
	size_t i;
	int err;

	take(k);
	if (k->n < 3)
		return pg_error_runtime("soak: %zu samples of the service's "
		                        "memory, at least 3 are needed (is "
		                        "\"duration\" long enough?)",
		                        k->n);
	if ((err = stats_theil_sen(&slope, NULL, k->t, k->rss, k->n,
	                           PG_DEFAULT_CONFIDENCE)) < 0)
		return pg_error_wrap(PG_ERUNTIME, "soak");
	for (i = 0; i < k->n; i++)
		max = k->rss[i] > max ? k->rss[i] : max;
	cpu = k->cpu - k->cpu0;
	add_aggregate(b, "rss_slope", "B/s", slope.estimate);
	add_aggregate(b, "rss_max", "B", max);
	add_aggregate(b, "cpu_time", "s", cpu);
	if (requests > 0)
		add_aggregate(b, "cpu_per_request", "s", cpu / requests);
	set_double(b, "rss_slope_low", slope.low);
	set_double(b, "rss_slope_high", slope.high);
	set_double(b, "rss_slope_confidence", slope.confidence);
	set_double(b, "soak_seconds", k->t[k->n - 1]);
	set_double(b, "soak_samples", (double)k->n);
	return 0;
}
