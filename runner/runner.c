/* Linux process runner: posix_spawn, sigtimedwait, wait4. */
#define _GNU_SOURCE

#include "runner/runner.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A capture file larger than this is emptied before the next run. */
#define RUNNER_CAPTURE_RESET_BYTES (1 << 20)
/* How often a cancel request is noticed even without a signal. */
#define RUNNER_CANCEL_POLL_S 0.1
/*
 * How often a running child's stderr capture is trimmed to its tail: a
 * benchmark writing 1 GB to stderr must not cost 1 GB of memory (the
 * capture is a memfd, so its pages are RAM).
 */
#define RUNNER_TRIM_POLL_S 0.25
#define RUNNER_TRIM_PAGE 4096

struct runner {
	const struct runner_spec *spec;
	char *shell_argv[4];
	char *const *argv;
	int devnull;
	int err; /* memfd: the child's stderr */
	int out; /* memfd: the child's stdout, or -1 */
	sigset_t chld;
	sigset_t old_mask;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
};

void runner_result_init(struct runner_result *r)
{
	memset(r, 0, sizeof(*r));
	r->counted = NAN;
	pg_buf_init(&r->out);
	pg_buf_init(&r->err_tail);
}

void runner_result_release(struct runner_result *r)
{
	pg_buf_release(&r->out);
	pg_buf_release(&r->err_tail);
}

static double timeval_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Append bytes [from, end) of the capture file fd to b. */
static void read_capture(int fd, off_t from, struct pg_buf *b)
{
	char chunk[16384];
	ssize_t n;

	while ((n = pread(fd, chunk, sizeof(chunk), from)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		pg_buf_add(b, chunk, (size_t)n);
		from += n;
	}
}

/* Where the child's writes ended; the file is rewound when large. */
static off_t capture_end(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

/*
 * Free the pages of capture fd before its last PG_STDERR_TAIL_BYTES (and
 * after from): a hole keeps the offsets, so the tail is read as before.
 */
static void capture_trim(int fd, off_t from)
{
	off_t end = capture_end(fd), cut;

	if (end < 0 || end - from < 4 * RUNNER_TRIM_PAGE + PG_STDERR_TAIL_BYTES)
		return;
	cut = (end - PG_STDERR_TAIL_BYTES - RUNNER_TRIM_PAGE) /
	      RUNNER_TRIM_PAGE * RUNNER_TRIM_PAGE;
	from = from / RUNNER_TRIM_PAGE * RUNNER_TRIM_PAGE;
	if (cut > from)
		(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		                from, cut - from);
}

static void capture_reset(int fd)
{
	lseek(fd, 0, SEEK_SET);
	if (ftruncate(fd, 0) < 0)
		return;
}

/*
 * Signals whose disposition exec passes on when perfgate (or whatever
 * started it) ignores them; the child gets them back at their default.
 * Handled signals are reset by exec itself.
 */
static void default_signals(sigset_t *set)
{
	static const int sigs[] = {SIGPIPE, SIGINT,  SIGQUIT, SIGHUP, SIGTERM,
	                           SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU};
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(set, sigs[i]);
}

/*
 * Turn address-space randomisation off for the children started from now
 * on (fork and exec keep the persona).  Returns the persona to restore,
 * or -1 when there is nothing to restore: a seccomp profile may refuse
 * the call, and the counts are then only as repeatable as the program.
 */
static int aslr_off(void)
{
	int old = personality(0xffffffff);

	if (old < 0 || (old & ADDR_NO_RANDOMIZE))
		return -1;
	if (personality((unsigned long)old | ADDR_NO_RANDOMIZE) < 0)
		return -1;
	return old;
}

static void aslr_restore(int old)
{
	if (old >= 0)
		personality((unsigned long)old);
}

/*
 * Reap a child that never ran its command, and swallow its SIGCHLD: a
 * pending one would merge with the next child's.
 */
static void reap(struct runner *r, pid_t pid)
{
	struct timespec zero = {0, 0};

	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	while (sigtimedwait(&r->chld, NULL, &zero) == SIGCHLD)
		;
}

/*
 * The child of spawn_held(): the same set-up posix_spawn does, then wait
 * until the parent has attached the counter, then exec.  Reports a
 * failure's errno on status.  Never returns.
 */
static void child_exec(struct runner *r, int go, int status)
{
	const struct runner_spec *spec = r->spec;
	sigset_t deflt, none;
	int e, sig;
	char c;

	setpgid(0, 0);
	if (dup2(r->devnull, 0) < 0 ||
	    dup2(r->out >= 0 ? r->out : r->devnull, 1) < 0 ||
	    dup2(r->err, 2) < 0)
		goto fail;
	if (spec->cwd && chdir(spec->cwd) < 0)
		goto fail;
	default_signals(&deflt);
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&deflt, sig) == 1)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	execvpe(r->argv[0], r->argv, spec->envp ? spec->envp : environ);
fail:
	e = errno;
	if (write(status, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/*
 * Start the child with fork, attach a counter of spec->count to it while
 * it waits, then let it exec.  On success *pid runs the command and
 * *counter is the counter's descriptor.
 */
static int spawn_held(struct runner *r, pid_t *pid, int *counter)
{
	int go[2] = {-1, -1}, status[2] = {-1, -1}, e = 0, err = 0;
	ssize_t n;

	*counter = -1;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0 ||
	    (*pid = fork()) < 0) {
		err = pg_error_runtime("cannot start a child process: %s",
		                       strerror(errno));
		goto out;
	}
	if (*pid == 0) {
		/* the parent's ends: the go pipe's EOF must come from it */
		close(go[1]);
		close(status[0]);
		child_exec(r, go[0], status[1]);
	}
	setpgid(*pid, *pid); /* as the child does: no race with kill */
	close_fd(&go[0]);
	close_fd(&status[1]);
	if ((*counter = runner_perf_open(*pid, r->spec->count)) < 0) {
		err = *counter;
		*counter = -1;
		kill(*pid, SIGKILL);
		reap(r, *pid);
		goto out;
	}
	close_fd(&go[1]); /* the child execs now */
	do
		n = read(status[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		reap(r, *pid);
		close_fd(counter);
		err = pg_error_runtime("cannot run '%s'%s%s: %s", r->argv[0],
		                       r->spec->cwd ? " in " : "",
		                       r->spec->cwd ? r->spec->cwd : "",
		                       strerror(e));
	}
out:
	close_fd(&go[0]);
	close_fd(&go[1]);
	close_fd(&status[0]);
	close_fd(&status[1]);
	return err;
}

static int setup_spawn(struct runner *r)
{
	const struct runner_spec *spec = r->spec;
	sigset_t none, deflt;

	posix_spawn_file_actions_init(&r->fa);
	posix_spawnattr_init(&r->attr);
	posix_spawn_file_actions_adddup2(&r->fa, r->devnull, 0);
	posix_spawn_file_actions_adddup2(&r->fa,
	                                 r->out >= 0 ? r->out : r->devnull, 1);
	posix_spawn_file_actions_adddup2(&r->fa, r->err, 2);
	if (spec->cwd)
		posix_spawn_file_actions_addchdir_np(&r->fa, spec->cwd);
	sigemptyset(&none);
	default_signals(&deflt);
	posix_spawnattr_setsigmask(&r->attr, &none);
	posix_spawnattr_setsigdefault(&r->attr, &deflt);
	posix_spawnattr_setpgroup(&r->attr, 0);
	posix_spawnattr_setflags(&r->attr, POSIX_SPAWN_SETPGROUP |
	                                           POSIX_SPAWN_SETSIGMASK |
	                                           POSIX_SPAWN_SETSIGDEF);
	return 0;
}

int runner_new(struct runner **out, const struct runner_spec *spec)
{
	static char sh[] = "/bin/sh", dash_c[] = "-c";
	struct runner *r = pg_calloc(1, sizeof(*r));
	struct sigaction sa;
	int err = 0;

	*out = NULL;
	r->spec = spec;
	r->devnull = r->err = r->out = -1;
	r->argv = spec->argv;
	if (spec->shell) {
		r->shell_argv[0] = sh;
		r->shell_argv[1] = dash_c;
		r->shell_argv[2] = (char *)spec->shell;
		r->argv = r->shell_argv;
	}
	r->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	r->err = memfd_create("perfgate-stderr", MFD_CLOEXEC);
	if (spec->capture_stdout)
		r->out = memfd_create("perfgate-stdout", MFD_CLOEXEC);
	if (r->devnull < 0 || r->err < 0 ||
	    (spec->capture_stdout && r->out < 0)) {
		err = pg_error_runtime("cannot set up a child process: %s",
		                       strerror(errno));
		goto out;
	}
	/* an ignored SIGCHLD would make the kernel reap our children */
	if (sigaction(SIGCHLD, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
		signal(SIGCHLD, SIG_DFL);
	sigemptyset(&r->chld);
	sigaddset(&r->chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &r->chld, &r->old_mask);
	setup_spawn(r);
	*out = r;
	r = NULL;
out:
	if (r) {
		close_fd(&r->devnull);
		close_fd(&r->err);
		close_fd(&r->out);
		free(r);
	}
	return err;
}

void runner_free(struct runner *r)
{
	if (!r)
		return;
	posix_spawn_file_actions_destroy(&r->fa);
	posix_spawnattr_destroy(&r->attr);
	close_fd(&r->devnull);
	close_fd(&r->err);
	close_fd(&r->out);
	sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
	free(r);
}

static struct timespec to_timespec(double s)
{
	struct timespec ts;

	if (s < 0)
		s = 0;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	return ts;
}

/* 1 when pid has exited (it is left for wait4 to reap). */
static int has_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) ==
	               0 &&
	       si.si_pid == pid;
}

/* Call the spec's tick when it is due; the next one is due every later. */
static void tick(const struct runner_spec *spec, double *next)
{
	double now;

	if (!spec->tick || (now = pg_now_s()) < *next)
		return;
	spec->tick(spec->tick_ctx);
	*next += spec->tick_every;
	if (*next < now)
		*next = now + spec->tick_every;
}

/*
 * Wait for SIGCHLD from pid and return the time it arrived.  The timeout
 * and a cancel request kill the child's whole process group (shells leave
 * grandchildren) and then wait for it to die.
 */
static double wait_exit(struct runner *r, pid_t pid, double t0, off_t err_start,
                        struct runner_result *res)
{
	const struct runner_spec *spec = r->spec;
	double deadline = spec->timeout > 0 ? t0 + spec->timeout : 0;
	double next_tick = t0 + spec->tick_every;
	int killed = 0;

	for (;;) {
		double wait = killed || !deadline ? -1 : deadline - pg_now_s();
		struct timespec ts;
		siginfo_t si;
		int sig;

		if (spec->cancel && (wait < 0 || wait > RUNNER_CANCEL_POLL_S))
			wait = RUNNER_CANCEL_POLL_S;
		if (wait < 0 || wait > RUNNER_TRIM_POLL_S)
			wait = RUNNER_TRIM_POLL_S;
		if (spec->tick && (wait < 0 || wait > next_tick - pg_now_s()))
			wait = next_tick > pg_now_s() ? next_tick - pg_now_s()
			                              : 0;
		ts = to_timespec(wait);
		sig = sigtimedwait(&r->chld, &si, wait < 0 ? NULL : &ts);
		if (sig == SIGCHLD && si.si_pid == pid)
			return pg_now_s();
		/*
		 * Another child of ours (a load test's service).  SIGCHLDs
		 * coalesce while pending, so ours may hide behind it.
		 */
		if (sig == SIGCHLD && has_exited(pid))
			return pg_now_s();
		tick(spec, &next_tick);
		capture_trim(r->err, err_start);
		if (sig == SIGCHLD || killed)
			continue;
		if (spec->cancel && *spec->cancel)
			res->cancelled = 1;
		else if (deadline && pg_now_s() >= deadline)
			res->timed_out = 1;
		else
			continue;
		kill(-pid, SIGKILL);
		killed = 1;
	}
}

static void fill_result(struct runner_result *res, int status,
                        const struct rusage *ru)
{
	res->user = timeval_s(&ru->ru_utime);
	res->sys = timeval_s(&ru->ru_stime);
	res->max_rss = (double)ru->ru_maxrss * 1024.0;
	res->exited = WIFEXITED(status);
	res->exit_code = res->exited ? WEXITSTATUS(status) : 0;
	res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int runner_exec(struct runner *r, struct runner_result *res)
{
	const struct runner_spec *spec = r->spec;
	off_t err_start, err_end;
	struct rusage ru;
	double t0, t1;
	int status = 0, rc, err = 0, persona, counter = -1;
	pid_t pid, w;

	pg_buf_reset(&res->out);
	res->counted = NAN;
	pg_buf_reset(&res->err_tail);
	res->exited = res->exit_code = res->signal = 0;
	res->timed_out = res->cancelled = 0;
	err_start = capture_end(r->err);
	if (err_start > RUNNER_CAPTURE_RESET_BYTES) {
		capture_reset(r->err);
		err_start = 0;
	}
	if (r->out >= 0)
		capture_reset(r->out);

	persona = spec->no_aslr ? aslr_off() : -1;
	t0 = pg_now_s();
	if (spec->count) {
		err = spawn_held(r, &pid, &counter);
	} else {
		rc = posix_spawnp(&pid, r->argv[0], &r->fa, &r->attr, r->argv,
		                  spec->envp ? spec->envp : environ);
		if (rc)
			err = pg_error_runtime(
			        "cannot run '%s'%s%s: %s", r->argv[0],
			        spec->cwd ? " in " : "",
			        spec->cwd ? spec->cwd : "", strerror(rc));
	}
	aslr_restore(persona);
	if (err < 0)
		return err;
	t1 = wait_exit(r, pid, t0, err_start, res);
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		close_fd(&counter);
		return pg_error_runtime("cannot wait for '%s': %s", r->argv[0],
		                        strerror(errno));
	}
	res->wall = t1 - t0;
	fill_result(res, status, &ru);
	if (counter >= 0) {
		err = runner_perf_read(counter, &res->counted);
		close_fd(&counter);
		if (err < 0)
			return err;
	}
	if (!runner_succeeded(res)) {
		err_end = capture_end(r->err);
		read_capture(r->err,
		             err_end - err_start > PG_STDERR_TAIL_BYTES
		                     ? err_end - PG_STDERR_TAIL_BYTES
		                     : err_start,
		             &res->err_tail);
	}
	if (r->out >= 0)
		read_capture(r->out, 0, &res->out);
	return 0;
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
