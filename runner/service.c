/* A load benchmark's service: start, probe, watch, stop (service.h). */
#define _GNU_SOURCE

#include "runner/service.h"
#include "runner/runner.h"
#include "util/defaults.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Capture files larger than this are emptied (see keep_small()). */
#define SERVICE_CAPTURE_MAX (1 << 20)
/* Polls while waiting for the service to stop. */
#define SERVICE_STOP_POLL_S 0.01

struct runner_service {
	const struct config_service *cfg;
	char *name;
	pid_t pid;
	int reaped, status;
	long port;
	int out, err; /* memfds: stdout, stderr */
};

char *runner_subst_port(const char *text, long port)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *p;

	while ((p = strstr(text, "{port}"))) {
		pg_buf_add(&b, text, (size_t)(p - text));
		pg_buf_addf(&b, "%ld", port);
		text = p + 6;
	}
	pg_buf_addstr(&b, text);
	return pg_buf_detach(&b, NULL);
}

static void loopback(struct sockaddr_in *sa, long port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)port);
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* A port of 127.0.0.1 that nothing listens on right now. */
static int free_port(long *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int err = 0;

	loopback(&sa, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		err = pg_error_runtime("cannot find a free port on 127.0.0.1: "
		                       "%s",
		                       strerror(errno));
	else
		*port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return err;
}

/* Wait until fd is ready for events, at most timeout seconds. */
static int wait_fd(int fd, short events, double timeout)
{
	struct pollfd p = {fd, events, 0};
	int rc;

	do
		rc = poll(&p, 1, (int)(timeout * 1000) + 1);
	while (rc < 0 && errno == EINTR);
	return rc > 0 && (p.revents & (events | POLLHUP | POLLERR));
}

static int connect_loopback(long port, double timeout)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (fd < 0)
		return -1;
	loopback(&sa, port);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, timeout) ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr) {
		close(fd);
		return -1;
	}
	return fd;
}

/* "HTTP/1.x NNN ..." -> NNN, else 0. */
static int http_status(const char *resp)
{
	int major, minor, code;

	if (sscanf(resp, "HTTP/%d.%d %3d", &major, &minor, &code) != 3)
		return 0;
	return code;
}

static int http_get_ok(int fd, const char *url, long port, double timeout)
{
	const char *path = strchr(url + strlen("http://"), '/');
	double deadline = pg_now_s() + timeout;
	struct pg_buf req = PG_BUF_INIT;
	char resp[256];
	size_t got = 0, sent = 0;
	int ok = 0;

	pg_buf_addf(&req,
	            "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%ld\r\n"
	            "User-Agent: perfgate\r\nConnection: close\r\n\r\n",
	            path ? path : "/", port);
	while (sent < req.len && wait_fd(fd, POLLOUT, deadline - pg_now_s())) {
		ssize_t n =
		        send(fd, req.s + sent, req.len - sent, MSG_NOSIGNAL);

		if (n <= 0)
			goto out;
		sent += (size_t)n;
	}
	while (got < sizeof(resp) - 1 && !memchr(resp, '\n', got) &&
	       pg_now_s() < deadline &&
	       wait_fd(fd, POLLIN, deadline - pg_now_s())) {
		ssize_t n = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	resp[got] = '\0';
	ok = http_status(resp) / 100 == 2;
out:
	pg_buf_release(&req);
	return ok;
}

int runner_probe(const char *url, long port, double timeout)
{
	int fd = connect_loopback(port, timeout), ok;

	if (fd < 0)
		return 0;
	ok = url ? http_get_ok(fd, url, port, timeout) : 1;
	close(fd);
	return ok;
}

/* The last PG_STDERR_TAIL_BYTES of fd, without the holes of keep_small. */
static void read_tail(int fd, struct pg_buf *out)
{
	char buf[PG_STDERR_TAIL_BYTES];
	struct stat st;
	off_t from;
	ssize_t n, i;

	if (fstat(fd, &st) < 0 || !st.st_size)
		return;
	from = st.st_size > (off_t)sizeof(buf) ? st.st_size - sizeof(buf) : 0;
	n = pread(fd, buf, sizeof(buf), from);
	for (i = 0; i < n; i++)
		if (buf[i])
			pg_buf_addch(out, buf[i]);
	while (out->len &&
	       (out->s[out->len - 1] == '\n' || out->s[out->len - 1] == ' '))
		out->s[--out->len] = '\0';
}

/*
 * A chatty service must not fill memory over a long soak: empty a large
 * capture file.  The service keeps writing at its offset, which leaves a
 * hole (no memory) before its newest bytes; read_tail() skips the zeros.
 */
static void keep_small(int fd)
{
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > SERVICE_CAPTURE_MAX)
		if (ftruncate(fd, 0) < 0)
			return;
}

/* Reap the service if it has exited; 1 when it has. */
static int reap(struct runner_service *s, int block)
{
	pid_t w;

	if (s->reaped)
		return 1;
	do
		w = waitpid(s->pid, &s->status, block ? 0 : WNOHANG);
	while (w < 0 && errno == EINTR);
	if (w == s->pid || (w < 0 && errno == ECHILD))
		s->reaped = 1;
	return s->reaped;
}

/* "service of 'api' exited with status 1; stderr ends with: ..." */
static int failure(struct runner_service *s, const char *what)
{
	struct pg_buf tail = PG_BUF_INIT;
	struct pg_buf msg = PG_BUF_INIT;
	int err;

	pg_buf_addf(&msg, "service of '%s' %s", s->name, what);
	if (s->reaped && WIFEXITED(s->status))
		pg_buf_addf(&msg, " (exited with status %d)",
		            WEXITSTATUS(s->status));
	else if (s->reaped && WIFSIGNALED(s->status))
		pg_buf_addf(&msg, " (killed by signal %d, %s)",
		            WTERMSIG(s->status),
		            strsignal(WTERMSIG(s->status)));
	read_tail(s->err, &tail);
	if (tail.len)
		pg_buf_addf(&msg, "; stderr ends with:\n%s", tail.s);
	err = pg_error_runtime("%s", msg.s);
	pg_buf_release(&tail);
	pg_buf_release(&msg);
	return err;
}

static int spawn(struct runner_service *s, const char *cwd)
{
	const struct config_service *c = s->cfg;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char **argv = NULL, **extra, **envp;
	char *sh_argv[4] = {"/bin/sh", "-c", NULL, NULL};
	sigset_t none, deflt;
	size_t i;
	int devnull, rc;

	if (c->shell) {
		sh_argv[2] = runner_subst_port(c->shell, s->port);
	} else {
		argv = pg_calloc(c->argc + 1, sizeof(char *));
		for (i = 0; i < c->argc; i++)
			argv[i] = runner_subst_port(c->argv[i], s->port);
	}
	extra = pg_calloc(c->nenv + 1, sizeof(char *));
	for (i = 0; i < c->nenv; i++)
		extra[i] = runner_subst_port(c->env[i], s->port);
	envp = runner_env_build(extra, c->nenv);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_adddup2(&fa, devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, s->out, 1);
	posix_spawn_file_actions_adddup2(&fa, s->err, 2);
	if (c->cwd || cwd)
		posix_spawn_file_actions_addchdir_np(&fa,
		                                     c->cwd ? c->cwd : cwd);
	sigemptyset(&none);
	sigfillset(&deflt);
	sigdelset(&deflt, SIGKILL);
	sigdelset(&deflt, SIGSTOP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &deflt);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	                                        POSIX_SPAWN_SETSIGMASK |
	                                        POSIX_SPAWN_SETSIGDEF);
	rc = devnull < 0 ? errno
	                 : posix_spawnp(&s->pid,
	                                c->shell ? sh_argv[0] : argv[0], &fa,
	                                &attr, c->shell ? sh_argv : argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (devnull >= 0)
		close(devnull);
	runner_env_free(envp);
	runner_env_free(extra);
	if (rc) {
		s->pid = 0;
		rc = pg_error_runtime("cannot start the service of '%s' "
		                      "('%s'): %s",
		                      s->name, c->shell ? sh_argv[2] : argv[0],
		                      strerror(rc));
	}
	free(sh_argv[2]);
	runner_env_free(argv);
	return rc;
}

/* "port": "stdout": the first line the service prints is its port. */
static int read_port(struct runner_service *s)
{
	char buf[32];
	ssize_t n = pread(s->out, buf, sizeof(buf) - 1, 0);
	char *end;
	long port;

	if (n <= 0 || !memchr(buf, '\n', (size_t)n))
		return 0;
	buf[n] = '\0';
	port = strtol(buf, &end, 10);
	if (end == buf || (*end != '\n' && *end != '\r') || port < 1 ||
	    port > 65535)
		return -1;
	s->port = port;
	return 1;
}

static int wait_ready(struct runner_service *s,
                      const volatile sig_atomic_t *cancel)
{
	const struct config_service *c = s->cfg;
	double deadline = pg_now_s() + c->ready_timeout;
	char *url = NULL, what[96];
	int ready = 0, err = 0;

	while (!ready) {
		if (cancel && *cancel) {
			err = pg_error_runtime("interrupted while the service "
			                       "of '%s' was starting",
			                       s->name);
			break;
		}
		if (reap(s, 0)) {
			err = failure(s, "exited before it was ready");
			break;
		}
		if (pg_now_s() > deadline) {
			snprintf(what, sizeof(what),
			         "was not ready after %gs (%s)",
			         c->ready_timeout,
			         url       ? url
			         : s->port ? "no TCP connection"
			                   : "no port on stdout");
			err = failure(s, what);
			break;
		}
		if (!s->port && c->port_mode == CONFIG_PORT_STDOUT &&
		    read_port(s) < 0) {
			err = failure(s, "printed something other than its "
			                 "port on the first line of stdout");
			break;
		}
		if (s->port && !url && c->ready_url)
			url = runner_subst_port(c->ready_url, s->port);
		if (s->port)
			ready = runner_probe(url, s->port,
			                     PG_SERVICE_READY_POLL_S * 10);
		if (!ready)
			pg_sleep_ms(PG_SERVICE_READY_POLL_S * 1000);
	}
	free(url);
	return err;
}

int runner_service_start(struct runner_service **out,
                         const struct config_service *svc, const char *cwd,
                         const char *name, const volatile sig_atomic_t *cancel)
{
	struct runner_service *s = pg_calloc(1, sizeof(*s));
	int err = 0;

	*out = NULL;
	s->cfg = svc;
	s->name = pg_strdup(name);
	s->out = memfd_create("perfgate-service-stdout", MFD_CLOEXEC);
	s->err = memfd_create("perfgate-service-stderr", MFD_CLOEXEC);
	if (s->out < 0 || s->err < 0) {
		err = pg_error_runtime("cannot set up the service of '%s': %s",
		                       name, strerror(errno));
		goto out;
	}
	if (svc->port_mode == CONFIG_PORT_FIXED)
		s->port = svc->port;
	else if (svc->port_mode == CONFIG_PORT_AUTO &&
	         (err = free_port(&s->port)) < 0)
		goto out;
	if ((err = spawn(s, cwd)) < 0 || (err = wait_ready(s, cancel)) < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	if (s && s->pid > 0) {
		/* keep the message: stopping may not touch it, but be safe */
		char *msg = pg_strdup(pg_error_last());

		runner_service_stop(s);
		err = pg_error_runtime("%s", msg);
		free(msg);
	} else if (s) {
		runner_service_stop(s);
	}
	return err;
}

long runner_service_port(const struct runner_service *s)
{
	return s->port;
}

pid_t runner_service_pid(const struct runner_service *s)
{
	return s->pid;
}

int runner_service_check(struct runner_service *s)
{
	keep_small(s->out);
	keep_small(s->err);
	if (reap(s, 0))
		return failure(s, "exited during the load");
	return 0;
}

int runner_service_alive(struct runner_service *s, double timeout)
{
	double deadline = pg_now_s() + timeout;
	char *url = s->cfg->ready_url
	                    ? runner_subst_port(s->cfg->ready_url, s->port)
	                    : NULL;
	struct pg_buf what = PG_BUF_INIT;
	int err = 0;

	while (!(err = runner_service_check(s))) {
		double left = deadline - pg_now_s();

		if (runner_probe(url, s->port,
		                 fmin(fmax(left, 0.01),
		                      PG_SERVICE_READY_POLL_S * 10)))
			break;
		if (pg_now_s() > deadline) {
			pg_buf_addf(&what,
			            "stopped answering its readiness probe "
			            "(%s) for %gs after the load",
			            url ? url : "TCP connection", timeout);
			err = failure(s, what.s);
			break;
		}
		pg_sleep_ms(PG_SERVICE_READY_POLL_S * 1000);
	}
	free(url);
	pg_buf_release(&what);
	return err;
}

void runner_service_stop(struct runner_service *s)
{
	double deadline;

	if (!s)
		return;
	if (s->pid > 0 && !reap(s, 0)) {
		kill(-s->pid, SIGTERM);
		deadline = pg_now_s() + s->cfg->stop_timeout;
		while (!reap(s, 0) && pg_now_s() < deadline)
			pg_sleep_ms(SERVICE_STOP_POLL_S * 1000);
		if (!s->reaped) {
			kill(-s->pid, SIGKILL);
			reap(s, 1);
		}
	}
	/* whatever the service left behind in its process group */
	if (s->pid > 0)
		kill(-s->pid, SIGKILL);
	if (s->out >= 0)
		close(s->out);
	if (s->err >= 0)
		close(s->err);
	free(s->name);
	free(s);
}

void runner_load_subst(struct config_bench *sub, const struct config_bench *cb,
                       long port)
{
	size_t i;

	*sub = *cb;
	sub->service = NULL;
	sub->soak = NULL;
	sub->argv = NULL;
	if (cb->argv) {
		sub->argv = pg_calloc(cb->argc + 1, sizeof(char *));
		for (i = 0; i < cb->argc; i++)
			sub->argv[i] = runner_subst_port(cb->argv[i], port);
	}
	sub->shell = cb->shell ? runner_subst_port(cb->shell, port) : NULL;
	sub->output = cb->output ? runner_subst_port(cb->output, port) : NULL;
	sub->env = pg_calloc(cb->nenv + 2, sizeof(char *));
	for (i = 0; i < cb->nenv; i++)
		sub->env[i] = runner_subst_port(cb->env[i], port);
	sub->env[cb->nenv] = pg_malloc(32);
	snprintf(sub->env[cb->nenv], 32, "PERFGATE_PORT=%ld", port);
	sub->nenv = cb->nenv + 1;
}

void runner_load_subst_release(struct config_bench *sub)
{
	size_t i;

	for (i = 0; sub->argv && i < sub->argc; i++)
		free(sub->argv[i]);
	free(sub->argv);
	for (i = 0; i < sub->nenv; i++)
		free(sub->env[i]);
	free(sub->env);
	free(sub->shell);
	free(sub->output);
}
