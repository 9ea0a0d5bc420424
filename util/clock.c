/* The clock, the sleep and the backoff; see util/clock.h. */
#include "util/clock.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

double pg_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void pg_sleep_ms(double ms)
{
	struct timespec ts;
	double s = ms / 1000;

	if (!(ms > 0))
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* splitmix64: small, stateless apart from its counter, and well mixed. */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void pg_backoff_seed(struct pg_backoff *b, uint64_t seed)
{
	b->state = seed;
}

void pg_backoff_init(struct pg_backoff *b, double base_ms, double max_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	b->base_ms = base_ms;
	b->max_ms = max_ms;
	pg_backoff_seed(b, (uint64_t)getpid() << 32 ^
	                           (uint64_t)ts.tv_sec << 40 ^
	                           (uint64_t)ts.tv_nsec);
}

double pg_backoff_delay_ms(struct pg_backoff *b, unsigned attempt)
{
	double d = b->base_ms;
	/* 53 random bits: a uniform double in [0, 1) */
	double u = (double)(next_u64(&b->state) >> 11) / (double)(1ull << 53);

	while (attempt-- && d < b->max_ms)
		d *= 2;
	if (d > b->max_ms)
		d = b->max_ms;
	return d / 2 + u * d / 2;
}

double pg_backoff(struct pg_backoff *b, unsigned attempt)
{
	double ms = pg_backoff_delay_ms(b, attempt);

	pg_sleep_ms(ms);
	return ms;
}
