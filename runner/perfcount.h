/*
 * perfcount.h - count an event of a child process tree with
 * perf_event_open(2).
 *
 * The counter is opened on the child's pid between fork and exec (the
 * runner holds the child until then), disabled, with enable_on_exec and
 * inherit: it starts at the exec, so perfgate's own setup is never
 * counted, and every descendant's count is added to it when that
 * descendant exits.  Only user space is counted (exclude_kernel,
 * exclude_hv), which also satisfies perf_event_paranoid 2.
 *
 * (Opening an inherited counter on perfgate itself and letting
 * posix_spawn's child inherit it does not work reliably: the kernel may
 * swap the parent's and the vfork child's identical perf contexts on a
 * context switch, and then some runs count nothing.)
 */
#ifndef PG_RUNNER_PERFCOUNT_H
#define PG_RUNNER_PERFCOUNT_H

#include <sys/types.h>

enum runner_perf_event {
	RUNNER_PERF_NONE = 0,
	/* PERF_COUNT_HW_INSTRUCTIONS: needs a hardware PMU */
	RUNNER_PERF_INSTRUCTIONS,
	/* PERF_COUNT_SW_TASK_CLOCK (ns): a software event every kernel
	 * has; the tests use it to exercise the counting path on VMs
	 * without hardware counters */
	RUNNER_PERF_TASK_CLOCK,
};

/*
 * Open a disabled counter of ev on process pid, enabled at its next exec
 * and inherited by its children.  Returns the file descriptor (close-on-
 * exec), or PG_ERUNTIME with the reason ("not supported" on VMs without a
 * PMU, "permission denied" under perf_event_paranoid 3).
 */
int runner_perf_open(pid_t pid, enum runner_perf_event ev);

/*
 * Read counter fd into *count, scaled by time enabled / time running if
 * the kernel had to multiplex it.  Returns 0 or PG_ERUNTIME.
 */
int runner_perf_read(int fd, double *count);

/*
 * 1 when ev can be counted here: a counter on perfgate itself opens and
 * counts a short loop as non-zero (some VMs open hardware counters that
 * never count).  0 otherwise, with the reason in pg_error_last().
 */
int runner_perf_usable(enum runner_perf_event ev);

#endif
