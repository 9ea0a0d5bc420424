/*
 * Retention (perfgate gc): the summary of a metric, both note readers on
 * a summarised run, and the union rule that keeps a summarised run over
 * the raw one with its id (store/gc.h).
 */
#include "unit.h"

#include "store/internal.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"
#include "model/result_fast.h"
#include "model/result_summary.h"

#include <stdlib.h>

static const double sample[] = {3.1, 2.7, 5.9, 4.4, 3.3, 2.2,
                                8.1, 4.0, 3.8, 5.1, 2.9, 3.6};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

/*
 * Reference values:
 *   /usr/bin/python3 -c "import numpy as np, scipy.stats as ss;
 *     x=np.array([3.1,2.7,5.9,4.4,3.3,2.2,8.1,4.0,3.8,5.1,2.9,3.6]);
 *     print(list(np.quantile(x,[0,.05,.1,.25,.5,.75,.9,.95,1])));
 *     print(x.mean(), x.std(ddof=1),
 *           ss.median_abs_deviation(x, scale=1/1.4826))"
 * (numpy's default quantile is R's type 7; R's mad() scales by 1.4826.)
 */
static const double want_points[] = {2.2,   2.475, 2.72, 3.05, 3.7,
                                     4.575, 5.82,  6.89, 8.1};

static void test_summary_matches_reference(void **state)
{
	double points[RESULT_SUMMARY_POINTS];
	struct result_summary s;
	size_t i;

	(void)state;
	result_summary_compute(&s, points, sample, NSAMPLE);
	for (i = 0; i < RESULT_SUMMARY_POINTS; i++)
		assert_close(points[i], want_points[i], 1e-12);
	assert_int_equal(s.n, NSAMPLE);
	/* rounded to RESULT_SUMMARY_DIGITS (9) significant digits */
	assert_close(s.mean, 4.09166667, 1e-12);
	assert_close(s.sd, 1.63287718, 1e-12);
	assert_close(s.mad, 1.11195, 1e-12);
}

static void fill_run(struct result_run *run, size_t nsamples)
{
	struct result_bench *b;
	struct result_metric *m;
	size_t i;

	result_run_init(run);
	run->id = strdup("0123456789abcdef0123456789abcdef");
	run->label = strdup("ci");
	b = result_bench_add(run, "b");
	m = result_metric_get(b, "wall_time", "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < nsamples; i++)
		result_metric_push(m, sample[i % NSAMPLE]);
	m = result_metric_get(b, "max_rss", "B", RESULT_LOWER_IS_BETTER);
	result_metric_push(m, 1e6);
}

/* few samples stay raw; the run is marked only when a metric changed */
static void test_summarise_run(void **state)
{
	struct result_run run;
	const struct result_metric *m;

	(void)state;
	fill_run(&run, RESULT_SUMMARY_POINTS);
	assert_int_equal(result_run_summarise(&run), 0);
	assert_int_equal(run.summarised, 0);
	result_run_release(&run);

	fill_run(&run, NSAMPLE);
	assert_int_equal(result_run_summarise(&run), 1);
	assert_int_equal(run.summarised, 1);
	m = result_metric_find(&run.benches[0], "wall_time");
	assert_int_equal(m->n, RESULT_SUMMARY_POINTS);
	assert_int_equal(result_metric_count(m), NSAMPLE);
	assert_close(m->samples[4], 3.7, 1e-12); /* the median */
	m = result_metric_find(&run.benches[0], "max_rss");
	assert_int_equal(m->summary.n, 0);
	assert_int_equal(result_metric_count(m), 1);
	/* a second pass changes nothing */
	assert_int_equal(result_run_summarise(&run), 0);
	result_run_release(&run);
}

/* what the writer prints, both readers read back alike */
static void test_readers_agree(void **state)
{
	struct result_run run, *fast = NULL, *tree = NULL;
	struct pg_buf doc = PG_BUF_INIT;
	size_t nf = 0, nt = 0;
	const struct result_metric *a, *b;

	(void)state;
	fill_run(&run, NSAMPLE);
	result_run_summarise(&run);
	result_doc_to_json(&run, 1, &doc);
	assert_contains(doc.s, "\"summarised\":true");
	assert_contains(doc.s, "\"summary\":{\"n\":12,");
	assert_int_equal(result_doc_parse_fast(&fast, &nf, doc.s, doc.len), 0);
	assert_int_equal(result_doc_parse_tree(&tree, &nt, doc.s, doc.len, "t"),
	                 0);
	assert_int_equal(nf, 1);
	assert_int_equal(nt, 1);
	assert_int_equal(fast[0].summarised, 1);
	assert_int_equal(tree[0].summarised, 1);
	a = result_metric_find(&fast[0].benches[0], "wall_time");
	b = result_metric_find(&tree[0].benches[0], "wall_time");
	assert_int_equal(a->summary.n, NSAMPLE);
	assert_int_equal(b->summary.n, NSAMPLE);
	assert_true(a->summary.mean == b->summary.mean);
	assert_true(a->summary.sd == run.benches[0].metrics[0].summary.sd);
	assert_true(a->summary.mad == b->summary.mad);
	assert_memory_equal(a->samples, b->samples,
	                    RESULT_SUMMARY_POINTS * sizeof(double));
	result_runs_free(fast, nf);
	result_runs_free(tree, nt);
	result_run_release(&run);
	pg_buf_release(&doc);
}

/* a summary with a wrong number of points is bad input, named */
static void test_bad_summary_refused(void **state)
{
	const char *bad =
	        "{\"schema\":1,\"runs\":[{\"id\":\"x\",\"benchmarks\":[{"
	        "\"name\":\"b\",\"metrics\":{\"wall_time\":{\"unit\":\"s\","
	        "\"samples\":[1,2,3],\"summary\":{\"n\":30,\"mean\":2,"
	        "\"sd\":1,\"mad\":1}}}}]}]}";
	struct result_run *runs = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(result_doc_parse(&runs, &n, bad, strlen(bad), "t"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "summary");
	pg_error_clear();
}

#define RAW                                                                    \
	"{\"id\":\"r1\",\"benchmarks\":[{\"name\":\"b\",\"metrics\":{"         \
	"\"wall_time\":{\"unit\":\"s\",\"samples\":[1,2,3,4,5,6,7,8,9,10]}}}]" \
	"}"
#define SUMMARISED                                                             \
	"{\"id\":\"r1\",\"benchmarks\":[{\"name\":\"b\",\"metrics\":{"         \
	"\"wall_time\":{\"unit\":\"s\",\"samples\":[1,1,1,3,5,8,9,9,10],"      \
	"\"summary\":{\"n\":10,\"mean\":5.5,\"sd\":3,\"mad\":3.7}}}}],"        \
	"\"summarised\":true}"
#define OTHER "{\"id\":\"r2\",\"benchmarks\":[]}"

/* union with a summarised run on either side: the summary wins */
static void test_union_prefers_summarised(void **state)
{
	const char *raw = "{\"schema\":1,\"runs\":[\n" OTHER ",\n" RAW "\n]}\n";
	const char *gcd = "{\"schema\":1,\"runs\":[\n" SUMMARISED "\n]}\n";
	int strict;
	char *out = NULL;

	(void)state;
	for (strict = 0; strict <= 1; strict++) {
		/* ours raw, theirs summarised: ours' run is replaced */
		assert_int_equal(store_note_union(&out, raw, strlen(raw), gcd,
		                                  strlen(gcd), "c", strict),
		                 0);
		assert_string_equal(out, "{\"schema\":1,\"runs\":[\n" OTHER
		                         ",\n" SUMMARISED "\n]}\n");
		free(out);
		/* ours summarised, theirs raw: theirs is not copied */
		assert_int_equal(store_note_union(&out, gcd, strlen(gcd), raw,
		                                  strlen(raw), "c", strict),
		                 0);
		assert_string_equal(out, "{\"schema\":1,\"runs\":[\n" SUMMARISED
		                         ",\n" OTHER "\n]}\n");
		free(out);
	}
}

/* the same rule when the texts must be re-serialised */
static void test_union_prefers_summarised_reprinted(void **state)
{
	/* a key written with an escape: the scanner declines */
	const char *raw = "{\"schema\":1,\"r\\u0075ns\":[" RAW "]}";
	const char *gcd = "{\"schema\":1,\"runs\":[" SUMMARISED "]}";
	char *out = NULL;

	(void)state;
	assert_int_equal(store_note_union(&out, raw, strlen(raw), gcd,
	                                  strlen(gcd), "c", 0),
	                 0);
	assert_contains(out, "\"summarised\":true");
	assert_null(strstr(out, "[1,2,3,4,5,6,7,8,9,10]"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_summary_matches_reference),
	        cmocka_unit_test(test_summarise_run),
	        cmocka_unit_test(test_readers_agree),
	        cmocka_unit_test(test_bad_summary_refused),
	        cmocka_unit_test(test_union_prefers_summarised),
	        cmocka_unit_test(test_union_prefers_summarised_reprinted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
