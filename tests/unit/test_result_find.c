/*
 * result_bench_find() on many large runs at once (hardening #18, finding
 * 8): each run keeps its own index, so lookups interleaved across any
 * number of runs stay right (and linear: bench/scale measures that), also
 * after benchmarks are appended or removed, names repeat, or a run is
 * moved to another struct.
 */
#include "unit.h"
#include "model/result.h"

#include <stdio.h>
#include <stdlib.h>

#define NRUNS 40
#define NBENCH 300

static void name_of(char *out, size_t size, int run, int i)
{
	snprintf(out, size, "run%d/bench/%d", run, i);
}

static void fill(struct result_run *runs)
{
	char name[64];
	int r, i;

	for (r = 0; r < NRUNS; r++) {
		result_run_init(&runs[r]);
		for (i = 0; i < NBENCH; i++) {
			name_of(name, sizeof(name), r, i);
			result_bench_add(&runs[r], name);
		}
	}
}

static void test_interleaved_runs(void **state)
{
	struct result_run runs[NRUNS];
	char name[64];
	int r, i, pass;

	(void)state;
	fill(runs);
	/* round robin over more runs than any fixed cache would hold */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < NBENCH; i++) {
			for (r = 0; r < NRUNS; r++) {
				struct result_bench *b;

				name_of(name, sizeof(name), r, i);
				b = result_bench_find(&runs[r], name);
				assert_non_null(b);
				assert_int_equal(b - runs[r].benches, i);
				/* another run's name is not in this one */
				name_of(name, sizeof(name), (r + 1) % NRUNS, i);
				assert_null(result_bench_find(&runs[r], name));
			}
		}
	}
	for (r = 0; r < NRUNS; r++)
		result_run_release(&runs[r]);
}

static void test_changes_after_lookups(void **state)
{
	struct result_run run, moved;
	struct result_bench *b;
	char name[64];
	int i;

	(void)state;
	result_run_init(&run);
	for (i = 0; i < NBENCH; i++) {
		name_of(name, sizeof(name), 0, i);
		result_bench_add(&run, name);
		/* looked up while it grows, as the duplicate checks do */
		assert_ptr_equal(result_bench_find(&run, name),
		                 &run.benches[i]);
	}
	/* a repeated name: the first one is found */
	result_bench_add(&run, "run0/bench/7");
	assert_ptr_equal(result_bench_find(&run, "run0/bench/7"),
	                 &run.benches[7]);
	/* removing shifts the others: each is still found where it is */
	assert_int_equal(result_run_remove_bench(&run, "run0/bench/3"), 1);
	assert_null(result_bench_find(&run, "run0/bench/3"));
	for (i = 4; i < NBENCH; i++) {
		name_of(name, sizeof(name), 0, i);
		b = result_bench_find(&run, name);
		assert_non_null(b);
		assert_int_equal(b - run.benches, i - 1);
	}
	/* the repeat is now the only "run0/bench/7"... after the first */
	assert_int_equal(result_run_remove_bench(&run, "run0/bench/7"), 1);
	assert_ptr_equal(result_bench_find(&run, "run0/bench/7"),
	                 &run.benches[run.nbenches - 1]);
	/* a run moved to another struct takes its index along */
	moved = run;
	result_run_init(&run);
	name_of(name, sizeof(name), 0, NBENCH - 1);
	assert_non_null(result_bench_find(&moved, name));
	result_bench_add(&moved, "late");
	assert_ptr_equal(result_bench_find(&moved, "late"),
	                 &moved.benches[moved.nbenches - 1]);
	assert_null(result_bench_find(&run, name));
	result_run_release(&moved);
	result_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_interleaved_runs),
	        cmocka_unit_test(test_changes_after_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
