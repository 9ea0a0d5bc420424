/*
 * soak.h - soak mode: sample a service's memory and CPU from /proc while
 * the load runs, and turn the samples into metrics (docs/load.md).
 *
 * A sample sums the resident set size and the CPU time of every process
 * in the service's process group (a shell wrapper and its server count
 * together).  Memory growth is the Theil-Sen slope of RSS over time with
 * Sen's CI (stats_theil_sen()): robust to the odd spike of a garbage
 * collector, and distribution-free.
 */
#ifndef PG_RUNNER_SOAK_H
#define PG_RUNNER_SOAK_H

#include <sys/types.h>

#include "model/result.h"

struct runner_soak;

/*
 * One reading of process group pgid now: *rss the summed resident set
 * size (bytes), *cpu the summed user and system CPU time (seconds) of its
 * processes.  Returns 1, or 0 when no process of the group was found.
 */
int runner_soak_measure(pid_t pgid, double *rss, double *cpu);

/* A sampler of process group pgid, one sample per call of _sample(). */
struct runner_soak *runner_soak_new(pid_t pgid);
void runner_soak_free(struct runner_soak *k);

/* Start the clock and take the first sample (again: restarts). */
void runner_soak_start(struct runner_soak *k);
/* 1 once runner_soak_start() was called. */
int runner_soak_started(const struct runner_soak *k);
/* Seconds since runner_soak_start(). */
double runner_soak_elapsed(const struct runner_soak *k);

/*
 * Take one sample now (a no-op before the start).  At most
 * PG_SOAK_MAX_SAMPLES are kept: beyond, every other one is dropped and
 * only every other call samples, so a long soak keeps an even grid.
 */
void runner_soak_sample(struct runner_soak *k);

/*
 * Take a last sample and add to b: rss_slope (B/s, the Theil-Sen slope;
 * parameters rss_slope_low, rss_slope_high and rss_slope_confidence hold
 * its CI at PG_DEFAULT_CONFIDENCE), rss_max (B), cpu_time (s of CPU the
 * service used during the soak) and, when requests > 0, cpu_per_request
 * (s).  Every metric is an aggregate.  Returns 0, or PG_ERUNTIME with
 * fewer than 3 samples (a soak shorter than 3 sample intervals, or /proc
 * unreadable).
 */
int runner_soak_finish(struct runner_soak *k, struct result_bench *b,
                       double requests);

#endif
