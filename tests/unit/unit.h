/*
 * unit.h - what every C unit test includes: cmocka and a few helpers.
 * Each tests/unit/test_<name>.c is its own program (the Makefile builds
 * them all); run-tests.sh runs them with TAP output and counts the results.
 */
#ifndef PG_TESTS_UNIT_H
#define PG_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

/* Assert |a - b| <= tol, printing both values on failure. */
#define assert_close(a, b, tol)                                                \
	do {                                                                   \
		double a_ = (a), b_ = (b), t_ = (tol);                         \
		if (!(fabs(a_ - b_) <= t_))                                    \
			fail_msg("%s = %.17g, expected %.17g (tol %g)", #a,    \
			         a_, b_, t_);                                  \
	} while (0)

/* Assert |a - b| <= rel * |b|. */
#define assert_rel(a, b, rel) assert_close((a), (b), fabs(b) * (rel))

/* Assert that haystack contains needle. */
#define assert_contains(haystack, needle)                                      \
	do {                                                                   \
		const char *h_ = (haystack), *n_ = (needle);                   \
		if (!h_ || !strstr(h_, n_))                                    \
			fail_msg("'%s' does not contain '%s'",                 \
			         h_ ? h_ : "(null)", n_);                      \
	} while (0)

#endif
