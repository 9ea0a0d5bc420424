/*
 * Credentials out of messages (util/redact.h, hardening #18 finding 5) and
 * printable names (util/printable.h, finding 9).
 */
#include "tests/unit/unit.h"

#include <stdlib.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/redact.h"

static void check(const char *in, const char *want)
{
	char out[512];
	size_t n = pg_redact(out, sizeof(out), in);

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void test_redact_urls(void **state)
{
	(void)state;
	check("cannot push to 'https://user:s3cret@host/r.git'",
	      "cannot push to 'https://***@host/r.git'");
	check("https://tok@github.com/x", "https://***@github.com/x");
	check("GET http://h/x?a=1&token=abc&b=2",
	      "GET http://h/x?a=1&token=***&b=2");
	check("http://h/x?access_token=abc#f", "http://h/x?access_token=***#f");
	check("'user:pw@/nonexistent/repo.git'", "'***@/nonexistent/repo.git'");
	/* not credentials */
	check("cannot read 'a.json': line 3, column 4",
	      "cannot read 'a.json': line 3, column 4");
	check("http://host:8080/path?x=1", "http://host:8080/path?x=1");
	check("git@github.com:org/repo.git", "git@github.com:org/repo.git");
	check("?token=", "?token=");
}

static void test_redact_headers(void **state)
{
	(void)state;
	check("echo: Authorization: Basic dXNlcjpwdw==",
	      "echo: Authorization: Basic ***");
	check("{\"Authorization\": \"Bearer abc.def\"}",
	      "{\"Authorization\": \"Bearer ***\"}");
	check("PRIVATE-TOKEN: glpat-xyz\n", "PRIVATE-TOKEN: ***\n");
	check("bearer abcdefgh1 rest", "bearer *** rest");
	check("basic arithmetic", "basic arithmetic");
	check("basic rules apply", "basic rules apply");
	check("the authorization failed", "the authorization failed");
}

static void test_redact_bounded(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(pg_redact(out, sizeof(out), "https://a:b@h/"),
	                 strlen("https://***@h/"));
	assert_string_equal(out, "https:/");
}

static void test_errors_redacted(void **state)
{
	(void)state;
	pg_error_runtime("cannot fetch 'https://u:pw@h/r': %s", "refused");
	assert_string_equal(pg_error_last(), "cannot fetch 'https://***@h/r': "
	                                     "refused");
	/* an argument may be the last message itself */
	pg_error_runtime("%s (again)", pg_error_last());
	assert_contains(pg_error_last(), "***@h/r': refused (again)");
	pg_error_wrap(PG_ERUNTIME, "remote 'https://x:y@h'");
	assert_contains(pg_error_last(), "remote 'https://***@h': cannot");
}

static void test_printable(void **state)
{
	struct pg_buf b = PG_BUF_INIT;

	(void)state;
	pg_buf_add_printable(&b, "a\nb\033[31m\t\x7f\xc3\xa9\xff\xc0\xaf z");
	assert_string_equal(b.s, "a\\x0ab\\x1b[31m\\x09\\x7f\xc3\xa9\\xff"
	                         "\\xc0\\xaf z");
	assert_int_equal(pg_is_printable("caf\xc3\xa9 \xe2\x82\xac"), 1);
	assert_int_equal(pg_is_printable("\xed\xa0\x80"), 0); /* surrogate */
	assert_int_equal(pg_is_printable("x\r"), 0);
	assert_int_equal(pg_is_printable("\xc2\x85"), 0); /* C1 NEL */
	assert_string_equal(pg_printable("::add-mask::\nx"),
	                    "::add-mask::\\x0ax");
	pg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_redact_urls),
	        cmocka_unit_test(test_redact_headers),
	        cmocka_unit_test(test_redact_bounded),
	        cmocka_unit_test(test_errors_redacted),
	        cmocka_unit_test(test_printable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
