/*
 * testpoint.h - named points where the fault-injection tests
 * (tests/t/t3113-kill-points.sh) stop perfgate, like git's GIT_TEST_*
 * variables.  Without the variables below, a point costs one getenv().
 *
 *   PERFGATE_TEST_KILL_AT=NAME   SIGKILL this process at point NAME
 *   PERFGATE_TEST_REJECT=N       the first N pushes of sync are rejected
 *                                as if another writer had pushed first
 *
 * Errors and ownership: cannot fail and allocates nothing.
 */
#ifndef PG_UTIL_TESTPOINT_H
#define PG_UTIL_TESTPOINT_H

/* Die by SIGKILL here when PERFGATE_TEST_KILL_AT names this point. */
void pg_test_point(const char *name);

/* 1 when this push is to be rejected (PERFGATE_TEST_REJECT), else 0. */
int pg_test_reject_push(void);

#endif
