/*
 * clock.h - one clock, one sleep and one backoff for all of perfgate.
 *
 * Copies of these drift (a backoff whose jitter came from clock(), the CPU
 * time of the process, was nearly constant, so concurrent syncs retried in
 * lock step), so every module uses these.  None of them can fail, none
 * allocates, and none touches global state: a struct pg_backoff holds its
 * own generator, so threads each use their own.
 */
#ifndef PG_UTIL_CLOCK_H
#define PG_UTIL_CLOCK_H

#include <stdint.h>

/* Seconds on the monotonic clock, from an arbitrary origin. */
double pg_now_s(void);

/*
 * Sleep for ms milliseconds (fractions allowed; <= 0: return at once).
 * A signal does not cut the sleep short: it resumes for the time left.
 */
void pg_sleep_ms(double ms);

/*
 * Exponential backoff with jitter, for retrying after a collision with
 * another writer.  Attempt k (0, 1, ...) waits a time drawn uniformly
 * from [d/2, d] with d = min(base_ms * 2^k, max_ms): half of each interval
 * is jitter, so writers that collided once spread apart instead of
 * colliding again in lock step.
 */
struct pg_backoff {
	double base_ms; /* d of attempt 0 */
	double max_ms; /* cap of d */
	uint64_t state; /* the generator (splitmix64) */
};

/* Set up b, seeded from the pid and the monotonic clock's nanoseconds. */
void pg_backoff_init(struct pg_backoff *b, double base_ms, double max_ms);

/* Reseed b with seed: the same seed gives the same schedule (tests). */
void pg_backoff_seed(struct pg_backoff *b, uint64_t seed);

/* The wait of attempt, in ms, without sleeping; advances the generator. */
double pg_backoff_delay_ms(struct pg_backoff *b, unsigned attempt);

/* Sleep the wait of attempt (pg_backoff_delay_ms); returns it in ms. */
double pg_backoff(struct pg_backoff *b, unsigned attempt);

#endif
