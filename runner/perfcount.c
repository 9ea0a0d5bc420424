/* perf_event_open(2) counters for the runner. */
#define _GNU_SOURCE

#include "runner/perfcount.h"
#include "util/error.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Iterations of the probe loop: a few microseconds of work. */
#define PERF_PROBE_LOOP 100000

static void fill_attr(struct perf_event_attr *pe, enum runner_perf_event ev)
{
	memset(pe, 0, sizeof(*pe));
	pe->size = sizeof(*pe);
	if (ev == RUNNER_PERF_TASK_CLOCK) {
		pe->type = PERF_TYPE_SOFTWARE;
		pe->config = PERF_COUNT_SW_TASK_CLOCK;
	} else {
		pe->type = PERF_TYPE_HARDWARE;
		pe->config = PERF_COUNT_HW_INSTRUCTIONS;
	}
	pe->exclude_kernel = 1;
	pe->exclude_hv = 1;
	pe->read_format =
	        PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
}

static int open_attr(struct perf_event_attr *pe, pid_t pid)
{
	long fd = syscall(SYS_perf_event_open, pe, pid, -1, -1,
	                  PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return pg_error_runtime("cannot open a %s counter: %s",
		                        pe->type == PERF_TYPE_HARDWARE
		                                ? "hardware instruction"
		                                : "task-clock",
		                        errno == ENOENT || errno == EOPNOTSUPP
		                                ? "not supported here"
		                                : strerror(errno));
	return (int)fd;
}

int runner_perf_open(pid_t pid, enum runner_perf_event ev)
{
	struct perf_event_attr pe;

	fill_attr(&pe, ev);
	pe.disabled = 1;
	pe.enable_on_exec = 1;
	pe.inherit = 1;
	return open_attr(&pe, pid);
}

int runner_perf_read(int fd, double *count)
{
	uint64_t v[3]; /* value, time enabled, time running */
	ssize_t n;

	do
		n = read(fd, v, sizeof(v));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v))
		return pg_error_runtime("cannot read a perf counter: %s",
		                        n < 0 ? strerror(errno) : "short read");
	*count = (double)v[0];
	if (v[2] && v[2] < v[1])
		*count = (double)v[0] * ((double)v[1] / (double)v[2]);
	return 0;
}

int runner_perf_usable(enum runner_perf_event ev)
{
	struct perf_event_attr pe;
	volatile uint64_t x = 1;
	double count = 0;
	int fd, i, ok;

	fill_attr(&pe, ev);
	pe.disabled = 1;
	if ((fd = open_attr(&pe, 0)) < 0)
		return 0;
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (i = 0; i < PERF_PROBE_LOOP; i++)
		x = x * 3 + 1;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	ok = runner_perf_read(fd, &count) == 0;
	if (ok && !(count > 0)) {
		pg_error_runtime("the %s counter opens but counts nothing",
		                 ev == RUNNER_PERF_TASK_CLOCK ? "task-clock"
		                                              : "instruction");
		ok = 0;
	}
	close(fd);
	return ok;
}
