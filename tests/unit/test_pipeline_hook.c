/*
 * Unit tests for pipeline/hook.h: install, update and remove perfgate's
 * pre-push hook in a real repository; a hook perfgate did not write is
 * never touched without --chain, is chained with it, and is put back on
 * uninstall.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/hook.h"
#include "util/buf.h"
#include "util/error.h"

#define FOREIGN "#!/bin/sh\necho someone else's hook\n"

static char tmpdir[256];
static char cwd[4096];

static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-phook.") < 0)
		return -1;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	sh("cd %s && git init -q -b main r", tmpdir);
	setenv("GIT_CEILING_DIRECTORIES", tmpdir, 1);
	store_fx_cd(tmpdir, "r");
	return 0;
}

static int teardown(void **state)
{
	store_fx_leave(cwd, tmpdir);
	return 0;
}

static char *slurp(const char *path)
{
	struct pg_buf b = PG_BUF_INIT;

	if (pg_buf_read_file(&b, path) < 0) {
		pg_error_clear();
		pg_buf_release(&b);
		return NULL;
	}
	return pg_buf_detach(&b, NULL);
}

static void test_install_update_remove(void **state)
{
	struct pipeline_hook p;
	struct stat st;
	char *text;

	assert_int_equal(pipeline_hook_install(&p, "/opt/it's/perfgate", 0), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_INSTALLED);
	assert_contains(p.hook, ".git/hooks/pre-push");
	assert_int_equal(stat(p.hook, &st), 0);
	assert_true(st.st_mode & S_IXUSR);
	text = slurp(p.hook);
	assert_contains(text, "# perfgate-hook: pre-push v1");
	/* the path is quoted for /bin/sh */
	assert_contains(text, "perfgate='/opt/it'\\''s/perfgate'");
	assert_contains(text, "exec \"$perfgate\" hook pre-push \"$@\"");
	free(text);
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_install(&p, "/usr/bin/perfgate", 0), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_UPDATED);
	text = slurp(p.hook);
	assert_contains(text, "perfgate='/usr/bin/perfgate'");
	free(text);
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_uninstall(&p), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_REMOVED);
	assert_int_equal(access(p.hook, F_OK), -1);
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_uninstall(&p), PG_EINPUT);
	assert_contains(pg_error_last(), "no pre-push hook");
	pg_error_clear();
	pipeline_hook_release(&p);
}

static void test_foreign_hook(void **state)
{
	struct pipeline_hook p;
	char *text;

	sh("mkdir -p .git/hooks && printf '%%s' \"" FOREIGN
	   "\" >.git/hooks/pre-push && chmod +x .git/hooks/pre-push");
	assert_int_equal(pipeline_hook_install(&p, "pg", 0), PG_EINPUT);
	assert_contains(pg_error_last(), "perfgate did not write it");
	pg_error_clear();
	assert_int_equal(p.done, PIPELINE_HOOK_NOTHING);
	text = slurp(p.hook);
	assert_string_equal(text, FOREIGN);
	free(text);
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_uninstall(&p), PG_EINPUT);
	assert_contains(pg_error_last(), "was not written by perfgate");
	pg_error_clear();
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_install(&p, "pg", 1), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_CHAINED);
	text = slurp(p.chained);
	assert_string_equal(text, FOREIGN);
	free(text);
	text = slurp(p.hook);
	assert_contains(text, "feed | \"$chained\" \"$@\" || exit");
	free(text);
	pipeline_hook_release(&p);

	/* an update keeps the chain */
	assert_int_equal(pipeline_hook_install(&p, "pg", 0), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_UPDATED);
	text = slurp(p.hook);
	assert_contains(text, "$chained");
	free(text);
	pipeline_hook_release(&p);

	assert_int_equal(pipeline_hook_uninstall(&p), 0);
	assert_int_equal(p.done, PIPELINE_HOOK_UNCHAINED);
	text = slurp(p.hook);
	assert_string_equal(text, FOREIGN);
	free(text);
	assert_int_equal(access(p.chained, F_OK), -1);
	pipeline_hook_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_install_update_remove,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_foreign_hook, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
