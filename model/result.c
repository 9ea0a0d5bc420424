#include "model/result.h"
#include "util/error.h"
#include "util/mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void find_forget(struct result_run *run);

/* Not find_forget(): run may be uninitialised, or moved from. */
void result_run_init(struct result_run *run)
{
	memset(run, 0, sizeof(*run));
}

static void metric_release(struct result_metric *m)
{
	free(m->name);
	free(m->unit);
	free(m->samples);
}

void result_bench_release(struct result_bench *b)
{
	size_t i;

	free(b->name);
	free(b->error);
	for (i = 0; i < b->nparams; i++) {
		free(b->params[i].key);
		free(b->params[i].value);
	}
	free(b->params);
	for (i = 0; i < b->nmetrics; i++)
		metric_release(&b->metrics[i]);
	free(b->metrics);
	memset(b, 0, sizeof(*b));
}

void result_run_release(struct result_run *run)
{
	size_t i;

	free(run->id);
	free(run->timestamp);
	free(run->label);
	free(run->version);
	free(run->config_hash);
	free(run->commit);
	free(run->source);
	free(run->mode);
	free(run->session);
	free(run->side);
	free(run->env.hostname);
	free(run->env.cpu_model);
	free(run->env.kernel);
	for (i = 0; i < run->nbenches; i++)
		result_bench_release(&run->benches[i]);
	free(run->benches);
	find_forget(run);
	result_run_init(run);
}

void result_runs_free(struct result_run *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		result_run_release(&runs[i]);
	free(runs);
}

static char *read_cpu_model(void)
{
	char line[512];
	char *model = NULL;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return NULL;
	while (!model && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line, "model name", 10))
			continue;
		colon++;
		colon += strspn(colon, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		model = pg_strdup(colon);
	}
	fclose(f);
	return model;
}

int result_run_new_id(struct result_run *run)
{
	unsigned char rnd[16];
	char id[33];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return pg_error_runtime("cannot make a run id: getrandom: %s",
		                        strerror(errno));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	free(run->id);
	run->id = pg_strdup(id);
	return 0;
}

int result_run_stamp(struct result_run *run, const char *label)
{
	char ts[32], host[256];
	struct utsname u;
	struct tm tm;
	time_t now;
	int err;

	if ((err = result_run_new_id(run)) < 0)
		return err;

	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(run->timestamp);
	run->timestamp = pg_strdup(ts);

	free(run->label);
	run->label = label && *label ? pg_strdup(label) : NULL;
	free(run->version);
	run->version = pg_strdup(PERFGATE_VERSION);

	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		free(run->env.hostname);
		run->env.hostname = pg_strdup(host);
	}
	free(run->env.cpu_model);
	run->env.cpu_model = read_cpu_model();
	if (uname(&u) == 0) {
		char k[sizeof(u.sysname) + sizeof(u.release) +
		       sizeof(u.machine) + 3];

		snprintf(k, sizeof(k), "%s %s %s", u.sysname, u.release,
		         u.machine);
		free(run->env.kernel);
		run->env.kernel = pg_strdup(k);
	}
	run->env.cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(run->env.loadavg, 3) != 3)
		memset(run->env.loadavg, 0, sizeof(run->env.loadavg));
	return 0;
}

struct result_bench *result_bench_add(struct result_run *run, const char *name)
{
	struct result_bench *b;

	run->benches = pg_grow_array(run->benches, sizeof(*run->benches),
	                             run->nbenches + 1, &run->benches_alloc);
	b = &run->benches[run->nbenches++];
	memset(b, 0, sizeof(*b));
	b->name = pg_strdup(name);
	return b;
}

/*
 * result_bench_find() on a large run: an index of its names, so that
 * checking every name for duplicates is linear (40k names took 6.4 s).
 * The index belongs to the run (run->find), so any number of runs keep
 * theirs, and it moves with the run when the struct is copied.  It holds
 * the hash and the position of each name, never the name itself: every
 * candidate is compared with the run's current name, so a stale index can
 * give no wrong answer, only a miss, and it is rebuilt whenever the run
 * changed in a way that could hide one (fewer benchmarks, or other names
 * at the first or last indexed position).
 */
#define FIND_INDEX_MIN 32

struct result_find {
	struct find_slot {
		uint64_t hash;
		size_t pos; /* position + 1; 0 is an empty slot */
	} * slots;
	size_t cap; /* a power of two, at most half full */
	size_t indexed;
	const char *first, *last; /* name pointers at 0 and indexed - 1 */
};

/* FNV-1a, 64 bits (result_shard_of() hashes the same way) */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void find_forget(struct result_run *run)
{
	if (run->find) {
		free(run->find->slots);
		free(run->find);
		run->find = NULL;
	}
}

static void find_put(struct result_find *x, uint64_t h, size_t pos)
{
	size_t i = (size_t)h & (x->cap - 1);

	while (x->slots[i].pos)
		i = (i + 1) & (x->cap - 1);
	x->slots[i].hash = h;
	x->slots[i].pos = pos + 1;
}

/*
 * Room for want names, at most half full.  Growing re-indexes from the
 * start, in position order, so that of equal names the first stays first
 * on its probe chain; doubling keeps that linear overall.
 */
static void find_reserve(struct result_find *x, size_t want)
{
	if (2 * want <= x->cap)
		return;
	while (2 * want > x->cap)
		x->cap = x->cap ? 2 * x->cap : 64;
	free(x->slots);
	x->slots = pg_calloc(x->cap, sizeof(*x->slots));
	x->indexed = 0;
}

/* run's index, brought up to date (the run itself is not changed). */
static struct result_find *find_index_of(const struct result_run *run)
{
	/* the index is a cache: filling it does not change the run */
	struct result_run *mut = (struct result_run *)run;
	struct result_find *x = run->find;

	if (x &&
	    (x->indexed > run->nbenches ||
	     (x->indexed && (run->benches[0].name != x->first ||
	                     run->benches[x->indexed - 1].name != x->last)))) {
		find_forget(mut);
		x = NULL;
	}
	if (!x)
		x = mut->find = pg_calloc(1, sizeof(*x));
	find_reserve(x, run->nbenches);
	for (; x->indexed < run->nbenches; x->indexed++)
		if (run->benches[x->indexed].name)
			find_put(x, name_hash(run->benches[x->indexed].name),
			         x->indexed);
	x->first = run->nbenches ? run->benches[0].name : NULL;
	x->last = run->nbenches ? run->benches[run->nbenches - 1].name : NULL;
	return x;
}

struct result_bench *result_bench_find(const struct result_run *run,
                                       const char *name)
{
	const struct result_find *x;
	uint64_t h;
	size_t i;

	if (run->nbenches < FIND_INDEX_MIN) {
		for (i = 0; i < run->nbenches; i++)
			if (run->benches[i].name &&
			    !strcmp(run->benches[i].name, name))
				return &run->benches[i];
		return NULL;
	}
	x = find_index_of(run);
	h = name_hash(name);
	/* the first hit in probe order is the first of equal names */
	for (i = (size_t)h & (x->cap - 1); x->slots[i].pos;
	     i = (i + 1) & (x->cap - 1)) {
		struct result_bench *b = &run->benches[x->slots[i].pos - 1];

		if (x->slots[i].hash == h && b->name && !strcmp(b->name, name))
			return b;
	}
	return NULL;
}

const char *result_bench_param(const struct result_bench *b, const char *key)
{
	size_t i;

	for (i = 0; i < b->nparams; i++)
		if (!strcmp(b->params[i].key, key))
			return b->params[i].value;
	return NULL;
}

void result_bench_set_param(struct result_bench *b, const char *key,
                            const char *value)
{
	size_t i;

	for (i = 0; i < b->nparams; i++) {
		if (!strcmp(b->params[i].key, key)) {
			free(b->params[i].value);
			b->params[i].value = pg_strdup(value);
			return;
		}
	}
	b->params = pg_grow_array(b->params, sizeof(*b->params), b->nparams + 1,
	                          &b->params_alloc);
	b->params[b->nparams].key = pg_strdup(key);
	b->params[b->nparams].value = pg_strdup(value);
	b->nparams++;
}

int result_run_remove_bench(struct result_run *run, const char *name)
{
	struct result_bench *b = result_bench_find(run, name);
	size_t i;

	if (!b)
		return 0;
	i = (size_t)(b - run->benches);
	result_bench_release(b);
	memmove(b, b + 1, (run->nbenches - i - 1) * sizeof(*b));
	run->nbenches--;
	find_forget(run);
	return 1;
}

int result_metric_one_per_pair(const struct result_bench *b,
                               const struct result_metric *m)
{
	const char *pairs = result_bench_param(b, RESULT_PARAM_PAIRS);
	char *end;
	long n;

	if (!pairs)
		return 1;
	n = strtol(pairs, &end, 10);
	return *end == '\0' && n >= 0 && (size_t)n == m->n;
}

void result_bench_set_error(struct result_bench *b, const char *msg)
{
	free(b->error);
	b->error = pg_strdup(msg);
}

struct result_metric *result_metric_find(const struct result_bench *b,
                                         const char *name)
{
	size_t i;

	for (i = 0; i < b->nmetrics; i++)
		if (!strcmp(b->metrics[i].name, name))
			return &b->metrics[i];
	return NULL;
}

struct result_metric *result_metric_get(struct result_bench *b,
                                        const char *name, const char *unit,
                                        enum result_direction direction)
{
	struct result_metric *m = result_metric_find(b, name);

	if (m)
		return m;
	b->metrics = pg_grow_array_small(b->metrics, sizeof(*b->metrics),
	                                 b->nmetrics + 1, &b->metrics_alloc);
	m = &b->metrics[b->nmetrics++];
	memset(m, 0, sizeof(*m));
	m->name = pg_strdup(name);
	m->unit = pg_strdup(unit);
	m->direction = direction;
	return m;
}

void result_metric_push(struct result_metric *m, double value)
{
	m->samples = pg_grow_array_small(m->samples, sizeof(*m->samples),
	                                 m->n + 1, &m->alloc);
	m->samples[m->n++] = value;
}

const char *result_direction_name(enum result_direction d)
{
	return d == RESULT_HIGHER_IS_BETTER ? "higher" : "lower";
}

char *result_run_env_key(const struct result_run *run)
{
	struct pg_buf b = PG_BUF_INIT;

	if (run->label && *run->label)
		pg_buf_addf(&b, "label:%s", run->label);
	else
		pg_buf_addf(&b, "cpu:%s/%ld",
		            run->env.cpu_model ? run->env.cpu_model : "unknown",
		            run->env.cores);
	return pg_buf_detach(&b, NULL);
}

static unsigned long long fnv1a64(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void result_hash_hex(const void *data, size_t len, char out[17])
{
	snprintf(out, 17, "%016llx", fnv1a64(data, len));
}

unsigned result_shard_of(const char *name, unsigned count)
{
	if (count <= 1)
		return 1;
	return (unsigned)(fnv1a64(name, strlen(name)) % count) + 1;
}
