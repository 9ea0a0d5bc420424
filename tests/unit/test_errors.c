/*
 * Unit tests for the reasons carried with an error (util/error.h) and for
 * store_git_reason(), the one place where libgit2's codes become them.
 */
#include "tests/unit/unit.h"

#include "store/internal.h"
#include "store/repo.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>

/* A reason lives as long as its message: wrap keeps it, a new one not. */
static void test_reason_follows_the_message(void **state)
{
	assert_int_equal(pg_error_because(PG_ELOCKED, PG_ERUNTIME, "locked"),
	                 PG_ERUNTIME);
	assert_int_equal(pg_error_reason(), PG_ELOCKED);
	assert_int_equal(pg_error_wrap(PG_ERUNTIME, "sync"), PG_ERUNTIME);
	assert_string_equal(pg_error_last(), "sync: locked");
	assert_int_equal(pg_error_reason(), PG_ELOCKED);
	pg_error_input("other");
	assert_int_equal(pg_error_reason(), PG_ENONE);
	assert_int_equal(pg_error_set_reason(PG_EAUTH, PG_EINPUT), PG_EINPUT);
	assert_int_equal(pg_error_reason(), PG_EAUTH);
	assert_string_equal(pg_error_last(), "other");
	pg_error_clear();
	assert_int_equal(pg_error_reason(), PG_ENONE);
}

static void test_git_codes_map_to_reasons(void **state)
{
	static const struct {
		int err, klass;
		const char *msg; /* libgit2's last error; NULL: none */
		int reason;
	} cases[] = {
	        {GIT_EAUTH, GIT_ERROR_HTTP,
	         "authentication required but no callback set", PG_EAUTH},
	        {GIT_ELOCKED, GIT_ERROR_REFERENCE, "x", PG_ELOCKED},
	        {GIT_EUNBORNBRANCH, GIT_ERROR_REFERENCE, "x", PG_EUNBORN},
	        {GIT_ENONFASTFORWARD, GIT_ERROR_REFERENCE,
	         "cannot push non-fastforwardable reference", PG_EREJECTED},
	        {GIT_ENOTFOUND, GIT_ERROR_REPOSITORY,
	         "could not find repository from '/'", PG_ENOTREPO},
	        /* a missing reference is not a missing repository */
	        {GIT_ENOTFOUND, GIT_ERROR_REFERENCE,
	         "reference 'refs/x' not found", PG_ENONE},
	        /* libgit2 1.5.1 carries a 403 only in a generic error */
	        {GIT_ERROR, GIT_ERROR_HTTP, "unexpected http status code: 403",
	         PG_EAUTH},
	        {GIT_ERROR, GIT_ERROR_HTTP, "unexpected http status code: 500",
	         PG_ENONE},
	        {GIT_ERROR, GIT_ERROR_SSH,
	         "Failed to authenticate SSH session: Unable to open "
	         "connection to agent",
	         PG_EAUTH},
	        {GIT_ERROR, GIT_ERROR_SSH, "failed to start SSH session",
	         PG_ENONE},
	        /* the words in another kind of error are no auth failure */
	        {GIT_ERROR, GIT_ERROR_OS, "cannot read 'auth-403-credential'",
	         PG_ENONE},
	        {GIT_ERROR, GIT_ERROR_NET, NULL, PG_ENONE},
	        {0, GIT_ERROR_NET, NULL, PG_ENONE},
	};
	size_t i;

	git_libgit2_init();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		git_error_clear();
		if (cases[i].msg)
			git_error_set_str(cases[i].klass, cases[i].msg);
		if (store_git_reason(cases[i].err) != cases[i].reason)
			fail_msg("case %zu (%d, '%s'): reason %d, expected %d",
			         i, cases[i].err,
			         cases[i].msg ? cases[i].msg : "",
			         store_git_reason(cases[i].err),
			         cases[i].reason);
	}
	git_error_clear();
	git_libgit2_shutdown();
}

/* Raised for real: a plain directory and an unborn HEAD. */
static void test_store_open_sets_reasons(void **state)
{
	char dir[] = "/tmp/pg-errors-XXXXXX", cmd[128];
	struct store *s = NULL;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(store_open(&s, dir, NULL, 0), PG_EINPUT);
	assert_null(s);
	assert_int_equal(pg_error_reason(), PG_ENOTREPO);
	assert_contains(pg_error_last(), "not a git repository");

	snprintf(cmd, sizeof(cmd), "git init -q '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(store_open(&s, dir, NULL, 0), PG_EINPUT);
	assert_int_equal(pg_error_reason(), PG_EUNBORN);
	store_free(s);
	s = NULL;
	assert_int_equal(store_open(&s, dir, NULL, STORE_ALLOW_UNBORN), 0);
	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_reason_follows_the_message),
	        cmocka_unit_test(test_git_codes_map_to_reasons),
	        cmocka_unit_test(test_store_open_sets_reasons),
	};

	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
