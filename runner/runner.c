/* pipe2, posix_spawn_file_actions_addchdir_np, strsignal: glibc/Linux */
#define _GNU_SOURCE

#include "runner/runner.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How often to look for the child's exit when pidfds are unavailable. */
#define RUNNER_POLL_FALLBACK_MS 1

void runner_result_init(struct runner_result *r)
{
	memset(r, 0, sizeof(*r));
	pg_buf_init(&r->out);
	pg_buf_init(&r->err_tail);
}

void runner_result_release(struct runner_result *r)
{
	pg_buf_release(&r->out);
	pg_buf_release(&r->err_tail);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double timeval_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

static void keep_tail(struct pg_buf *b)
{
	if (b->len <= 2 * PG_STDERR_TAIL_BYTES)
		return;
	memmove(b->s, b->s + b->len - PG_STDERR_TAIL_BYTES,
		PG_STDERR_TAIL_BYTES);
	b->len = PG_STDERR_TAIL_BYTES;
	b->s[b->len] = '\0';
}

/* Read what is available; returns 0 at EOF or error (fd closed), 1 else. */
static int drain(int *fd, struct pg_buf *b, int tail)
{
	char chunk[16384];

	for (;;) {
		ssize_t n = read(*fd, chunk, sizeof(chunk));

		if (n > 0) {
			pg_buf_add(b, chunk, (size_t)n);
			if (tail)
				keep_tail(b);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 1;
		close(*fd);
		*fd = -1;
		return 0;
	}
}

static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return pg_error_runtime("cannot create a pipe: %s",
					strerror(errno));
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

struct child {
	pid_t pid;
	int pidfd;
	int out[2];
	int err[2];
	int devnull;
};

static int spawn_child(const struct runner_spec *spec, struct child *c,
		       double *t0)
{
	static char sh[] = "/bin/sh", dash_c[] = "-c";
	char *shell_argv[4] = {sh, dash_c, NULL, NULL};
	char *const *argv = spec->argv;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, deflt;
	int rc;

	if (spec->shell) {
		shell_argv[2] = (char *)spec->shell;
		argv = shell_argv;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_adddup2(&fa, c->devnull, 0);
	posix_spawn_file_actions_adddup2(
		&fa, spec->capture_stdout ? c->out[1] : c->devnull, 1);
	posix_spawn_file_actions_adddup2(&fa, c->err[1], 2);
	if (spec->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, spec->cwd);
	sigemptyset(&none);
	sigfillset(&deflt);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
						POSIX_SPAWN_SETSIGMASK |
						POSIX_SPAWN_SETSIGDEF);

	*t0 = now_s();
	rc = posix_spawnp(&c->pid, argv[0], &fa, &attr, argv,
			  spec->envp ? spec->envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc)
		return pg_error_runtime("cannot run '%s'%s%s: %s", argv[0],
					spec->cwd ? " in " : "",
					spec->cwd ? spec->cwd : "",
					strerror(rc));
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return 0;
}

/* Has the child exited?  Without a pidfd, ask waitid without reaping. */
static int child_exited(const struct child *c, const struct pollfd *pfd)
{
	siginfo_t si;

	if (c->pidfd >= 0)
		return (pfd->revents & (POLLIN | POLLHUP | POLLERR)) != 0;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return 1;
	return si.si_pid == c->pid;
}

static int poll_timeout_ms(const struct child *c, double deadline)
{
	int ms = -1;

	if (deadline > 0) {
		double left = deadline - now_s();

		ms = left <= 0 ? 0 : (int)(left * 1000.0) + 1;
	}
	if (c->pidfd < 0 && (ms < 0 || ms > RUNNER_POLL_FALLBACK_MS))
		ms = RUNNER_POLL_FALLBACK_MS;
	return ms;
}

/* Wait for the child's exit, reading its pipes; returns the exit time. */
static double watch_child(const struct runner_spec *spec, struct child *c,
			  double t0, struct runner_result *res)
{
	double deadline = spec->timeout > 0 ? t0 + spec->timeout : 0;
	int killed = 0;

	for (;;) {
		struct pollfd pfd[3] = {{c->pidfd, POLLIN, 0},
					{c->err[0], POLLIN, 0},
					{c->out[0], POLLIN, 0}};
		int n = poll(pfd, 3, poll_timeout_ms(c, killed ? 0 : deadline));
		double t = now_s();

		if (n < 0 && errno != EINTR)
			return t;
		if (n > 0 && child_exited(c, &pfd[0]))
			return t;
		if (n == 0 && c->pidfd < 0 && child_exited(c, &pfd[0]))
			return t;
		if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP)))
			drain(&c->err[0], &res->err_tail, 1);
		if (n > 0 && (pfd[2].revents & (POLLIN | POLLHUP)))
			drain(&c->out[0], &res->out, 0);
		if (killed)
			continue;
		if (spec->cancel && *spec->cancel) {
			res->cancelled = 1;
		} else if (deadline > 0 && t >= deadline) {
			res->timed_out = 1;
		} else {
			continue;
		}
		/* the whole process group: shells leave grandchildren */
		kill(-c->pid, SIGKILL);
		killed = 1;
	}
}

int runner_exec(const struct runner_spec *spec, struct runner_result *res)
{
	struct child c = {-1, -1, {-1, -1}, {-1, -1}, -1};
	struct rusage ru;
	double t0 = 0, t1;
	int status = 0, err;
	pid_t w;

	pg_buf_reset(&res->out);
	pg_buf_reset(&res->err_tail);
	res->exited = res->exit_code = res->signal = 0;
	res->timed_out = res->cancelled = 0;
	c.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (c.devnull < 0) {
		err = pg_error_runtime("cannot open /dev/null: %s",
				       strerror(errno));
		goto out;
	}
	if ((err = make_pipe(c.err)) < 0 ||
	    (spec->capture_stdout && (err = make_pipe(c.out)) < 0))
		goto out;
	if ((err = spawn_child(spec, &c, &t0)) < 0)
		goto out;
	close_fd(&c.err[1]);
	close_fd(&c.out[1]);
	t1 = watch_child(spec, &c, t0, res);
	do
		w = wait4(c.pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		err = pg_error_runtime("cannot wait for '%s': %s",
				       spec->shell ? spec->shell
						   : spec->argv[0],
				       strerror(errno));
		goto out;
	}
	/* what the exited child left in the pipes */
	if (c.err[0] >= 0)
		drain(&c.err[0], &res->err_tail, 1);
	if (c.out[0] >= 0)
		drain(&c.out[0], &res->out, 0);
	res->wall = t1 - t0;
	res->user = timeval_s(&ru.ru_utime);
	res->sys = timeval_s(&ru.ru_stime);
	res->max_rss = (double)ru.ru_maxrss * 1024.0;
	res->exited = WIFEXITED(status);
	res->exit_code = res->exited ? WEXITSTATUS(status) : 0;
	res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	err = 0;
out:
	close_fd(&c.pidfd);
	close_fd(&c.devnull);
	close_fd(&c.err[0]);
	close_fd(&c.err[1]);
	close_fd(&c.out[0]);
	close_fd(&c.out[1]);
	return err;
}

int runner_succeeded(const struct runner_result *res)
{
	return res->exited && res->exit_code == 0 && !res->timed_out &&
	       !res->cancelled;
}

void runner_describe_failure(const struct runner_result *res, double timeout,
			     struct pg_buf *msg)
{
	const char *tail = res->err_tail.s;
	size_t len = res->err_tail.len;

	if (res->timed_out)
		pg_buf_addf(msg, "timed out after %gs", timeout);
	else if (res->cancelled)
		pg_buf_addstr(msg, "interrupted");
	else if (res->exited)
		pg_buf_addf(msg, "exited with status %d", res->exit_code);
	else
		pg_buf_addf(msg, "killed by signal %d (%s)", res->signal,
			    strsignal(res->signal));
	while (len && (tail[len - 1] == '\n' || tail[len - 1] == ' '))
		len--;
	if (len) {
		pg_buf_addstr(msg, "; stderr ends with:\n");
		pg_buf_add(msg, tail, len);
	}
}

char **runner_env_build(char *const *extra, size_t n)
{
	size_t nenv = 0, i, j, k = 0;
	char **envp;

	while (environ[nenv])
		nenv++;
	envp = pg_calloc(nenv + n + 1, sizeof(char *));
	for (i = 0; i < nenv; i++) {
		size_t klen = strcspn(environ[i], "=");

		for (j = 0; j < n; j++)
			if (!strncmp(extra[j], environ[i], klen) &&
			    extra[j][klen] == '=')
				break;
		if (j == n)
			envp[k++] = pg_strdup(environ[i]);
	}
	for (j = 0; j < n; j++)
		envp[k++] = pg_strdup(extra[j]);
	return envp;
}

void runner_env_free(char **envp)
{
	size_t i;

	for (i = 0; envp && envp[i]; i++)
		free(envp[i]);
	free(envp);
}
