/*
 * httpserver - a small HTTP/1.1 server for load-test demos and tests.
 *
 *   httpserver [--port N] [--port-file FILE] [--delay-us N]
 *              [--leak-bytes N] [--error-rate F] [--workers N]
 *              [--shed-above N] [--crash-above N]
 *
 * Listens on 127.0.0.1 only (never on other interfaces).  --port 0 (the
 * default) takes a free port; the port is printed on stdout as one line
 * and, with --port-file, written to FILE (atomically: a reader never sees
 * a partial file).  One thread per connection, keep-alive and pipelining,
 * so wrk and hey can drive it hard.
 *
 *   GET /health   200 "ok", never delayed, failed or leaking;
 *   anything else 200 "hello", after the knobs below:
 *     --delay-us N    sleep N microseconds per request (added latency);
 *     --leak-bytes N  allocate, touch and never free N bytes per request;
 *     --error-rate F  answer a fraction F of requests with 500: request k
 *                     (0-based, across connections) fails when
 *                     floor((k + 1) F) > floor(k F), so exactly
 *                     floor(n F) of the first n requests fail;
 *     --workers N     at most N requests in service at once (the delay
 *                     is their service time): the others queue, so the
 *                     capacity is N / delay requests per second;
 *     --shed-above N  answer 503 at once when more than N requests are
 *                     in the server (queued or in service): load shed;
 *     --crash-above N abort() (a crash, SIGABRT) when more than N
 *                     requests are in the server at once.
 *
 * SIGTERM or SIGINT: stop accepting, let open connections finish their
 * current request (at most a second), print "served N requests, M
 * failed" on stderr and exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE 8192
#define IDLE_SLICE_MS 100

static long delay_us;
static size_t leak_bytes;
static double error_rate;
static atomic_ulong requests, failures, active, inflight;
static long workers, shed_above, crash_above;
static sem_t worker_sem;
static atomic_int stopping;
static int wake_pipe[2] = {-1, -1};
static pthread_mutex_t leak_lock = PTHREAD_MUTEX_INITIALIZER;
static void *leaked; /* the leaked blocks, chained so none is optimised out */

static void on_signal(int sig)
{
	int saved = errno;
	char c = 1;

	(void)sig;
	atomic_store(&stopping, 1);
	if (write(wake_pipe[1], &c, 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = saved;
}

static void leak(void)
{
	void **block;

	if (leak_bytes < sizeof(void *))
		return;
	block = malloc(leak_bytes);
	if (!block)
		return;
	memset(block, 0xa5, leak_bytes); /* resident, not just reserved */
	pthread_mutex_lock(&leak_lock);
	*block = leaked;
	leaked = block;
	pthread_mutex_unlock(&leak_lock);
}

/* Whether request number k (0-based) fails. */
static int should_fail(unsigned long k)
{
	if (error_rate <= 0)
		return 0;
	return floor((double)(k + 1) * error_rate) >
	       floor((double)k * error_rate);
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t w = send(fd, s, len, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Value of header name in the header block hdr (NUL-terminated), or NULL. */
static const char *header(const char *hdr, const char *name)
{
	size_t len = strlen(name);
	const char *p = strstr(hdr, "\r\n");

	while (p && p[2] != '\r') {
		p += 2;
		if (!strncasecmp(p, name, len) && p[len] == ':') {
			p += len + 1;
			return p + strspn(p, " \t");
		}
		p = strstr(p, "\r\n");
	}
	return NULL;
}

/* One request's service: a worker, the delay, the leak, maybe a 500. */
static const char *work(const char **body)
{
	unsigned long k = atomic_fetch_add(&requests, 1);
	const char *status = "200 OK";

	if (workers > 0)
		while (sem_wait(&worker_sem) < 0 && errno == EINTR)
			;
	if (delay_us > 0) {
		struct timespec ts = {delay_us / 1000000,
		                      (delay_us % 1000000) * 1000};

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	if (workers > 0)
		sem_post(&worker_sem);
	leak();
	if (should_fail(k)) {
		atomic_fetch_add(&failures, 1);
		status = "500 Internal Server Error";
		*body = "injected failure\n";
	}
	return status;
}

/* Answer one request whose header block is hdr; 1 to keep the connection. */
static int respond(int fd, const char *hdr)
{
	char method[16], path[1024], version[16], out[512];
	const char *conn = header(hdr, "Connection");
	const char *status = "200 OK", *body = "hello\n";
	int keep, n;

	if (sscanf(hdr, "%15s %1023s %15s", method, path, version) != 3) {
		status = "400 Bad Request";
		body = "bad request\n";
		keep = 0;
	} else {
		keep = strcmp(version, "HTTP/1.0") != 0;
		if (conn && !strncasecmp(conn, "close", 5))
			keep = 0;
		if (conn && !strncasecmp(conn, "keep-alive", 10))
			keep = 1;
		if (!strcmp(path, "/health")) {
			body = "ok\n";
		} else {
			unsigned long in = atomic_fetch_add(&inflight, 1) + 1;

			if (crash_above > 0 && in > (unsigned long)crash_above)
				abort();
			if (shed_above > 0 && in > (unsigned long)shed_above) {
				status = "503 Service Unavailable";
				body = "overloaded\n";
			} else {
				status = work(&body);
			}
			atomic_fetch_sub(&inflight, 1);
		}
	}
	n = snprintf(out, sizeof(out),
	             "HTTP/1.1 %s\r\nContent-Type: text/plain\r\n"
	             "Content-Length: %zu\r\n%s\r\n%s",
	             status, strlen(body), keep ? "" : "Connection: close\r\n",
	             body);
	if (write_all(fd, out, (size_t)n) < 0)
		return 0;
	return keep;
}

/* Wait for input on fd, giving up when the server stops; 1 when readable. */
static int wait_readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};

	while (!atomic_load(&stopping)) {
		int r = poll(&p, 1, IDLE_SLICE_MS);

		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return 0;
	}
	return 0;
}

static void *serve(void *arg)
{
	int fd = (int)(long)arg, keep = 1;
	char buf[BUF_SIZE + 1];
	size_t len = 0;

	while (keep) {
		char *end;
		size_t hlen, body = 0;
		const char *cl;

		buf[len] = '\0';
		while (!(end = strstr(buf, "\r\n\r\n"))) {
			ssize_t r;

			if (len == BUF_SIZE || !wait_readable(fd))
				goto out;
			r = recv(fd, buf + len, BUF_SIZE - len, 0);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				goto out;
			len += (size_t)r;
			buf[len] = '\0';
		}
		*end = '\0'; /* headers only; a body is skipped below */
		hlen = (size_t)(end - buf) + 4;
		cl = header(buf, "Content-Length");
		if (cl)
			body = strtoul(cl, NULL, 10);
		keep = respond(fd, buf);
		/* drop this request and its body, keep what was pipelined */
		if (hlen + body > len) {
			keep = 0; /* a body we do not wait for */
			break;
		}
		memmove(buf, buf + hlen + body, len - hlen - body);
		len -= hlen + body;
	}
out:
	close(fd);
	atomic_fetch_sub(&active, 1);
	return NULL;
}

static int listen_local(int port, int *out_port)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		close(fd);
		return -1;
	}
	*out_port = ntohs(a.sin_port);
	return fd;
}

static int write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0)
		return -1;
	return rename(tmp, path);
}

static void accept_loop(int lfd)
{
	struct pollfd p[2] = {{lfd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	while (!atomic_load(&stopping)) {
		pthread_t t;
		int fd, one = 1;

		if (poll(p, 2, -1) < 0 || !(p[0].revents & POLLIN))
			continue;
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		atomic_fetch_add(&active, 1);
		if (pthread_create(&t, &attr, serve, (void *)(long)fd) != 0) {
			close(fd);
			atomic_fetch_sub(&active, 1);
		}
	}
	pthread_attr_destroy(&attr);
}

static const char usage[] =
        "usage: httpserver [--port N] [--port-file FILE] [--delay-us N]\n"
        "                  [--leak-bytes N] [--error-rate F] [--workers N]\n"
        "                  [--shed-above N] [--crash-above N]\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"port", required_argument, NULL, 'p'},
	        {"port-file", required_argument, NULL, 'f'},
	        {"delay-us", required_argument, NULL, 'd'},
	        {"leak-bytes", required_argument, NULL, 'l'},
	        {"error-rate", required_argument, NULL, 'e'},
	        {"workers", required_argument, NULL, 'w'},
	        {"shed-above", required_argument, NULL, 's'},
	        {"crash-above", required_argument, NULL, 'c'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *port_file = NULL;
	struct sigaction sa;
	int c, port = 0, lfd, i;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;

		switch (c) {
		case 'p':
			port = (int)strtol(optarg, &end, 10);
			break;
		case 'f':
			port_file = optarg;
			break;
		case 'd':
			delay_us = strtol(optarg, &end, 10);
			break;
		case 'l':
			leak_bytes = strtoul(optarg, &end, 10);
			break;
		case 'e':
			error_rate = strtod(optarg, &end);
			break;
		case 'w':
			workers = strtol(optarg, &end, 10);
			break;
		case 's':
			shed_above = strtol(optarg, &end, 10);
			break;
		case 'c':
			crash_above = strtol(optarg, &end, 10);
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
		if (end && (*end || end == optarg)) {
			fprintf(stderr, "httpserver: bad value '%s'\n", optarg);
			return 2;
		}
	}
	if (optind < argc || port < 0 || port > 65535 || delay_us < 0 ||
	    !(error_rate >= 0 && error_rate <= 1) || workers < 0 ||
	    shed_above < 0 || crash_above < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (workers > 0 && sem_init(&worker_sem, 0, (unsigned)workers) < 0) {
		perror("httpserver: sem_init");
		return 3;
	}
	if (pipe(wake_pipe) < 0) {
		perror("httpserver: pipe");
		return 3;
	}
	fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lfd = listen_local(port, &port);
	if (lfd < 0) {
		perror("httpserver: cannot listen on 127.0.0.1");
		return 3;
	}
	if (port_file && write_port_file(port_file, port) < 0) {
		perror("httpserver: cannot write the port file");
		return 3;
	}
	printf("%d\n", port);
	fflush(stdout);
	accept_loop(lfd);
	close(lfd);
	/* connection threads notice `stopping` within IDLE_SLICE_MS */
	for (i = 0; i < 100 && atomic_load(&active) > 0; i++) {
		struct timespec ts = {0, 10000000};

		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "httpserver: served %lu requests, %lu failed\n",
	        atomic_load(&requests), atomic_load(&failures));
	return 0;
}
