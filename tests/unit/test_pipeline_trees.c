/*
 * Unit tests for pipeline/trees.h: a commit exported into the scratch
 * directory with the working tree's config mapped into it, built there
 * with the config's "build", and the scratch directory removed on
 * release.
 */
#include "tests/unit/unit.h"
#include "tests/unit/store_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/trees.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

static char tmpdir[256];

static int setup(void **state)
{
	if (store_fx_scratch(tmpdir, sizeof(tmpdir), "pg-ptrees.") < 0)
		return -1;
	/* the old commit has no build; the working tree's config has one */
	sh("cd %s && git init -q -b main r && cd r && mkdir bench && echo old "
	   ">bench/f && printf '%%s' '{\"benchmarks\": [{\"name\": \"a\", "
	   "\"command\": [\"true\"]}]}' >bench/perfgate.json && git add . && "
	   "git commit -qm old && echo new >bench/f && printf '%%s' "
	   "'{\"build\": [\"sh\", \"-c\", \"cat f >built\"], \"benchmarks\": "
	   "[{\"name\": \"a\", \"command\": [\"true\"]}]}' "
	   ">bench/perfgate.json && git commit -qam new",
	   tmpdir);
	return 0;
}

static int teardown(void **state)
{
	sh("rm -rf %s", tmpdir);
	return 0;
}

static void test_export_build_release(void **state)
{
	struct pg_buf p = PG_BUF_INIT, built = PG_BUF_INIT;
	struct pipeline_trees t;
	struct store *s = NULL;
	struct config work, cfg;
	char sha[41], *root = NULL, *scratch;

	pg_buf_addf(&p, "%s/r", tmpdir);
	assert_int_equal(store_open(&s, p.s, NULL, 0), 0);
	pg_buf_reset(&p);
	pg_buf_addf(&p, "%s/r/bench/perfgate.json", tmpdir);
	assert_int_equal(config_load(&work, p.s), 0);
	assert_int_equal(store_resolve(s, "HEAD~1", sha), 0);
	pipeline_trees_init(&t, &work, store_workdir(s), NULL);
	assert_int_equal(pipeline_trees_export(&t, s, sha, "old", &root, &cfg),
	                 0);
	assert_non_null(t.scratch);
	assert_int_equal(strncmp(root, t.scratch, strlen(t.scratch)), 0);
	/* the working tree's config, mapped to the same place in root */
	assert_non_null(cfg.build_argv);
	assert_contains(cfg.path, root);
	assert_contains(cfg.path, "/bench/perfgate.json");
	assert_int_equal(pipeline_trees_build(&t, &cfg, root), 0);
	pg_buf_reset(&p);
	pg_buf_addf(&p, "%s/bench/built", root);
	assert_int_equal(pg_buf_read_file(&built, p.s), 0);
	assert_string_equal(built.s, "old\n"); /* built in the old tree */
	scratch = pg_strdup(t.scratch);
	assert_int_equal(pipeline_trees_release(&t), 0);
	assert_int_equal(access(scratch, F_OK), -1);
	free(scratch);
	free(root);
	config_release(&cfg);
	config_release(&work);
	store_free(s);
	pg_buf_release(&p);
	pg_buf_release(&built);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_export_build_release,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
