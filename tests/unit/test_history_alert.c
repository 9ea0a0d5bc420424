/*
 * Unit tests for history alerts: the decision on one series
 * (history/alert.h), the BENCHMARK@COMMIT trailer that clears an alert
 * (gate/accept.h), alerts in the notes beside the runs (store/alerts.h)
 * and in the report model (model/report.h).
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "gate/accept.h"
#include "gate/alert.h"
#include "history/alert.h"
#include "model/report.h"
#include "reporters/reporter.h"
#include "store/alerts.h"
#include "store/notes.h"
#include "store/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "model/result.h"

/* Fixed noise in percent: the same series every run. */
static const double pattern[30] = {
        0.3,  -1.2, 0.8,  -0.4, 1.1,  -0.9, 0.2,  0.6,  -1.4, 0.5,
        -0.1, 0.9,  -0.7, 1.3,  -0.3, 0.0,  -1.0, 0.7,  0.4,  -0.6,
        1.0,  -0.2, -0.8, 0.1,  0.6,  -0.5, 1.2,  -1.1, 0.3,  -0.4};

/* history_alert_find() on the 30 points, which must succeed: the count. */
static size_t find(struct history_shift **s, const double *x,
                   enum result_direction dir,
                   const struct history_alert_opts *o)
{
	size_t n = 0;

	*s = NULL;
	assert_int_equal(history_alert_find(s, &n, x, 30, dir, o), 0);
	return n;
}

/* 30 points at 1.0 with 1% noise, times factor from index step on. */
static void step_series(double *x, size_t step, double factor)
{
	size_t i;

	for (i = 0; i < 30; i++)
		x[i] = (i < step ? 1.0 : factor) * (1 + 0.01 * pattern[i]);
}

/*
 * A +10% step at 24 of 30: one alert at 24.  Reference (SciPy 1.10, the
 * same series; Welch on the logs, 99% CI):
 *   l = log(x); a, b = l[:24], l[24:]
 *   va, vb = a.var(ddof=1)/24, b.var(ddof=1)/6; se = sqrt(va + vb)
 *   df = (va+vb)**2 / (va**2/23 + vb**2/5)            # 7.2888
 *   d = b.mean() - a.mean(); t = stats.t.ppf(0.995, df)
 *   expm1(d), expm1(d - t*se), expm1(d + t*se)
 *   -> 0.10004520977957475 0.085837920266519208 0.11443838990442455
 *   median(x[:24]), median(x[24:]) -> 1.0005 1.09945
 */
static void test_step_is_an_alert(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];

	step_series(x, 24, 1.10);
	history_alert_opts_init(&o);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 1);
	assert_int_equal(s[0].index, 24);
	assert_int_equal(s[0].later, 5);
	assert_rel(s[0].shift, 0.10004520977957475, 1e-12);
	assert_rel(s[0].ci_low, 0.085837920266519208, 1e-9);
	assert_rel(s[0].ci_high, 0.11443838990442455, 1e-9);
	assert_rel(s[0].before, 1.0005, 1e-12);
	assert_rel(s[0].after, 1.09945, 1e-12);
	assert_true(s[0].p_value <= o.cp.p_threshold);
	free(s);
}

/* Faster is never an alert; for a throughput metric slower is. */
static void test_direction(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];

	history_alert_opts_init(&o);
	step_series(x, 24, 1 / 1.10);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
	assert_int_equal(find(&s, x, RESULT_HIGHER_IS_BETTER, &o), 1);
	assert_true(s[0].shift < -0.08);
	free(s);
	step_series(x, 24, 1.10);
	assert_int_equal(find(&s, x, RESULT_HIGHER_IS_BETTER, &o), 0);
}

/* Only the newest commits: an old step is history, not an alert. */
static void test_recent_window(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];

	history_alert_opts_init(&o);
	step_series(x, 12, 1.10);
	o.recent = 18; /* the step at 12 of 30 starts the 18 newest */
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 1);
	assert_int_equal(s[0].index, 12);
	free(s);
	o.recent = 17;
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
}

/* A significant shift below theta is not an alert; above it is. */
static void test_threshold(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];
	size_t i;

	history_alert_opts_init(&o);
	/* 0.1% noise, a +2% step: clear, but below theta 3% */
	for (i = 0; i < 30; i++)
		x[i] = (i < 24 ? 1.0 : 1.02) * (1 + 0.001 * pattern[i]);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
	o.threshold = 0.015;
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 1);
	assert_int_equal(s[0].index, 24);
	free(s);
}

/* Pure noise, and too few points after a step: no alert. */
static void test_noise_and_short_tail(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];

	history_alert_opts_init(&o);
	step_series(x, 30, 1.0);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
	/* one point after the step cannot be told from an outlier */
	step_series(x, 29, 1.10);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
	/* a median that is not a positive number is bad input */
	x[3] = 0;
	{
		size_t n = 0;

		assert_int_equal(history_alert_find(&s, &n, x, 30,
		                                    RESULT_LOWER_IS_BETTER, &o),
		                 PG_EINPUT);
	}
	assert_contains(pg_error_last(), "value 3");
}

/*
 * Three points after a +10% step are too few for E-divisive at p <= 0.001
 * but not for the online look: Mann-Whitney of the newest 3 against the
 * 27 before, all three above all 27 and no ties (the pattern's repeated
 * values are told apart by 1e-6 i), p = 1/C(30,3) = 1/4060 (SciPy 1.10:
 * x = [(1.0 if i < 27 else 1.10) * (1 + 0.01 * p + 1e-6 * i) ...];
 * mannwhitneyu(x[27:], x[:27], alternative="greater").pvalue
 * -> 0.00024630541871921183), below 0.001 / 3 looks.
 */
static void test_online_look(void **state)
{
	struct history_alert_opts o;
	struct history_shift *s = NULL;
	double x[30];
	size_t lo, hi;

	history_alert_opts_init(&o);
	step_series(x, 27, 1.10);
	for (lo = 0; lo < 30; lo++)
		x[lo] = (lo < 27 ? 1.0 : 1.10) *
		        (1 + 0.01 * pattern[lo] + 1e-6 * (double)lo);
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 1);
	assert_int_equal(s[0].online, 1);
	assert_int_equal(s[0].index, 27);
	assert_int_equal(s[0].later, 2);
	assert_rel(s[0].p_value, 0.00024630541871921183, 1e-9);
	assert_true(s[0].shift > 0.08 && s[0].shift < 0.12);
	/* an earlier alert up to online_max + slack back makes it known */
	history_alert_known_range(&s[0], &o, &lo, &hi);
	assert_int_equal(lo, 27 - 5 - 2);
	assert_int_equal(hi, 27 + 2);
	free(s);
	/* off: nothing; E-divisive alone cannot see it yet */
	o.online_max = 0;
	assert_int_equal(find(&s, x, RESULT_LOWER_IS_BETTER, &o), 0);
}

static void test_accept_alert_trailer(void **state)
{
	struct gate_accepts a;
	const struct gate_alert_accept *x;
	const char *culprit = "abc1234def5678abc1234def5678abc1234def56";

	gate_accepts_init(&a);
	assert_int_equal(
	        gate_accepts_parse_message(&a,
	                                   "tokenizer\n\n"
	                                   "Perfgate-Accept: parse@abc1234 "
	                                   "worth it\n"
	                                   "Perfgate-Accept: g/x@y@ABC1234D\n"
	                                   "Perfgate-Accept: sort +10%\n",
	                                   "1111111111111111111111111111111111"
	                                   "111111"),
	        0);
	assert_int_equal(a.nalerts, 2);
	assert_int_equal(a.n, 1); /* the ordinary line is still one */
	x = gate_accepts_find_alert(&a, "parse", culprit);
	assert_non_null(x);
	assert_string_equal(x->reason, "worth it");
	assert_string_equal(x->by, "1111111111111111111111111111111111111111");
	/* the last '@' splits; the prefix matches without case */
	assert_non_null(gate_accepts_find_alert(&a, "g/x@y", culprit));
	/* another benchmark, another commit: not accepted */
	assert_null(gate_accepts_find_alert(&a, "render", culprit));
	assert_null(gate_accepts_find_alert(
	        &a, "parse", "abc1235def5678abc1234def5678abc1234def56"));
	/* the alert form does not accept an ordinary regression */
	assert_null(gate_accepts_find(&a, "parse", "wall_time", 0.01));
	gate_accepts_release(&a);

	/* a prefix shorter than 7 digits is neither form */
	gate_accepts_init(&a);
	assert_int_equal(gate_accepts_parse_message(
	                         &a, "Perfgate-Accept: parse@abc12 why", "1"),
	                 PG_EINPUT);
	assert_contains(pg_error_last(), "BENCHMARK@COMMIT");
	gate_accepts_release(&a);
}

static char tmpdir[256];

static void sh(const char *cmd)
{
	struct pg_buf b = PG_BUF_INIT;

	pg_buf_addf(&b, "cd %s && %s", tmpdir, cmd);
	if (system(b.s) != 0)
		fail_msg("command failed: %s", b.s);
	pg_buf_release(&b);
}

/* A scratch directory in tmpdir, and a git identity without config. */
static void scratch_dir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/pg-alerts.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "A", 1);
	setenv("GIT_AUTHOR_EMAIL", "a@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C", 1);
	setenv("GIT_COMMITTER_EMAIL", "c@example.com", 1);
	unsetenv("PERFGATE_NOTES_REF");
}

/* Alerts go beside the runs: runs untouched, one alert per benchmark. */
static void test_store_alerts(void **state)
{
	struct store *s = NULL;
	struct store_alert a, *got = NULL;
	struct result_run run, *runs = NULL;
	char sha[41], *warning = NULL;
	size_t n = 0, nruns = 0;

	scratch_dir();
	sh("git init -q -b main r && cd r && git commit -q --allow-empty -m "
	   "one");
	{
		struct pg_buf p = PG_BUF_INIT;

		pg_buf_addf(&p, "%s/r", tmpdir);
		assert_int_equal(store_open(&s, p.s, NULL, 0), 0);
		pg_buf_release(&p);
	}
	assert_int_equal(store_resolve(s, "HEAD", sha), 0);
	result_run_init(&run);
	assert_int_equal(result_run_stamp(&run, NULL), 0);
	result_metric_push(result_metric_get(result_bench_add(&run, "parse"),
	                                     RESULT_WALL_TIME, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   0.5);
	assert_int_equal(store_append_run(s, sha, &run), 0);
	memset(&a, 0, sizeof(a));
	a.bench = "parse";
	a.metric = "wall_time";
	a.shift = 0.062;
	a.ci_low = 0.041;
	a.ci_high = 0.083;
	a.p_value = 0.001;
	strcpy(a.raised_on, "2222222222222222222222222222222222222222");
	assert_int_equal(store_append_alert(s, sha, &a), 0);
	/* the same alert again, and a run after it: one alert, both kept */
	assert_int_equal(store_append_alert(s, sha, &a), 0);
	result_run_release(&run);
	result_run_init(&run);
	assert_int_equal(result_run_stamp(&run, NULL), 0);
	assert_int_equal(store_append_run(s, sha, &run), 0);
	assert_int_equal(store_read_alerts(s, sha, &got, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0].bench, "parse");
	assert_string_equal(got[0].metric, "wall_time");
	assert_close(got[0].shift, 0.062, 0);
	assert_close(got[0].ci_high, 0.083, 0);
	assert_string_equal(got[0].raised_on, a.raised_on);
	store_alerts_free(got, n);
	assert_int_equal(store_read_runs(s, sha, &runs, &nruns, &warning), 0);
	assert_null(warning);
	assert_int_equal(nruns, 2);
	assert_close(runs[0].benches[0].metrics[0].samples[0], 0.5, 0);
	result_runs_free(runs, nruns);
	result_run_release(&run);
	store_free(s);
	sh("rm -rf r");
	rmdir(tmpdir);
}

/* A run of label on the store: parse's wall_time around level (5 samples
 * with the pattern's noise from offset), and cpu_user at cpu. */
static void store_level(struct store *s, const char *sha, const char *label,
                        double level, size_t offset, double cpu)
{
	struct result_run run;
	struct result_bench *b;
	struct result_metric *m;
	size_t i;

	result_run_init(&run);
	assert_int_equal(result_run_stamp(&run, label), 0);
	b = result_bench_add(&run, "parse");
	m = result_metric_get(b, RESULT_WALL_TIME, "s", RESULT_LOWER_IS_BETTER);
	for (i = 0; i < 5; i++)
		result_metric_push(
		        m, level * (1 + 0.01 * pattern[(offset + i) % 30]));
	result_metric_push(result_metric_get(b, RESULT_CPU_USER, "s",
	                                     RESULT_LOWER_IS_BETTER),
	                   cpu);
	assert_int_equal(store_append_run(s, sha, &run), 0);
	result_run_release(&run);
}

/*
 * gate_history_alert() on a real repository: 24 commits at 1.0 and 6 at
 * 1.2 on runner "ci", each with one run.  Ignored: a runner "laptop" 3x
 * slower on the newest commits, and cpu_user (not gating) doubling.  The
 * first gate raises one new alert and records it; the second finds it
 * known; a trailer accepts it.
 */
static void test_gate_history_alert(void **state)
{
	struct gate_alert_opts o;
	struct report rep;
	struct store *s = NULL;
	struct store_alert *rec = NULL;
	char shas[30][41], head[41], rev[16];
	struct pg_buf p = PG_BUF_INIT;
	size_t i, n = 0;

	scratch_dir();
	sh("git init -q -b main r && cd r && for i in $(seq 30); do git "
	   "commit -q --allow-empty -m c$i; done");
	pg_buf_addf(&p, "%s/r", tmpdir);
	assert_int_equal(store_open(&s, p.s, NULL, 0), 0);
	for (i = 0; i < 30; i++) {
		snprintf(rev, sizeof(rev), "HEAD~%zu", 29 - i);
		assert_int_equal(store_resolve(s, rev, shas[i]), 0);
		store_level(s, shas[i], "ci", i < 24 ? 1.0 : 1.2, i,
		            i < 20 ? 1.0 : 2.0);
		if (i >= 27)
			store_level(s, shas[i], "laptop", 3.0, i, 1.0);
	}
	gate_alert_opts_init(&o);
	o.env_key = "label:ci";
	report_init(&rep);
	assert_int_equal(gate_history_alert(&rep, s, NULL, shas[29], &o), 0);
	assert_int_equal(rep.nalerts, 1);
	assert_string_equal(rep.alerts[0].bench, "parse");
	assert_string_equal(rep.alerts[0].metric, "wall_time");
	assert_string_equal(rep.alerts[0].commit, shas[24]);
	assert_string_equal(rep.alerts[0].subject, "c25");
	assert_int_equal(rep.alerts[0].state, REPORT_ALERT_NEW);
	assert_int_equal(rep.alerts[0].fails, 1);
	assert_int_equal(rep.alerts[0].later_runs, 5);
	assert_true(rep.alerts[0].shift > 0.15 && rep.alerts[0].shift < 0.25);
	assert_non_null(rep.history);
	report_release(&rep);
	assert_int_equal(store_read_alerts(s, shas[24], &rec, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rec[0].raised_on, shas[29]);
	store_alerts_free(rec, n);

	/* the next gate: known, passes, nothing recorded twice */
	report_init(&rep);
	assert_int_equal(gate_history_alert(&rep, s, NULL, shas[29], &o), 0);
	assert_int_equal(rep.nalerts, 1);
	assert_int_equal(rep.alerts[0].state, REPORT_ALERT_KNOWN);
	assert_int_equal(rep.alerts[0].fails, 0);
	assert_contains(rep.alerts[0].note, "raised on push");
	report_release(&rep);

	/* a later commit accepts it */
	pg_buf_reset(&p);
	pg_buf_addf(&p,
	            "cd r && git commit -q --allow-empty -m t -m "
	            "'Perfgate-Accept: parse@%.7s worth it'",
	            shas[24]);
	sh(p.s);
	store_free(s);
	pg_buf_reset(&p);
	pg_buf_addf(&p, "%s/r", tmpdir);
	assert_int_equal(store_open(&s, p.s, NULL, 0), 0);
	assert_int_equal(store_resolve(s, "HEAD", head), 0);
	store_level(s, head, "ci", 1.2, 7, 2.0);
	report_init(&rep);
	assert_int_equal(gate_history_alert(&rep, s, NULL, head, &o), 0);
	assert_int_equal(rep.nalerts, 1);
	assert_int_equal(rep.alerts[0].state, REPORT_ALERT_ACCEPTED);
	assert_contains(rep.alerts[0].note, "worth it");
	report_release(&rep);

	/* another runner class has no history here: nothing */
	o.env_key = "label:elsewhere";
	report_init(&rep);
	assert_int_equal(gate_history_alert(&rep, s, NULL, head, &o), 0);
	assert_int_equal(rep.nalerts, 0);
	report_release(&rep);
	store_free(s);
	pg_buf_release(&p);
	sh("rm -rf r");
	rmdir(tmpdir);
}

/* The sentence, the exit status and the JSON of an alert. */
static void test_report_alerts(void **state)
{
	struct report rep, from;
	struct report_alert *a;
	struct pg_buf b = PG_BUF_INIT;

	report_init(&rep);
	report_init(&from);
	a = report_add_alert(&from, "parse", "wall_time",
	                     "abc1234def5678abc1234def5678abc1234def56");
	a->shift = 0.062;
	a->ci_low = 0.041;
	a->ci_high = 0.083;
	a->later_runs = 4;
	report_alert_describe(a, &b);
	assert_string_equal(b.s, "commit abc1234 shifted parse by +6.2% "
	                         "[+4.1%, +8.3%], confirmed by 4 later runs");
	assert_int_equal(report_exit_code(&from, 0), 0);
	a->fails = 1;
	report_alerts_move(&rep, &from);
	assert_int_equal(from.nalerts, 0);
	assert_int_equal(rep.nalerts, 1);
	assert_int_equal(report_exit_code(&rep, 0), 1);
	pg_buf_reset(&b);
	assert_int_equal(report_reporter_find("json")->write(&rep, &b, NULL),
	                 0);
	assert_contains(b.s, "\"history\": {");
	assert_contains(b.s, "\"state\": \"new\"");
	assert_contains(b.s, "\"exit_code\": 1");
	pg_buf_reset(&b);
	assert_int_equal(report_reporter_find("junit")->write(&rep, &b, NULL),
	                 0);
	assert_contains(b.s, "classname=\"perfgate.history\"");
	assert_contains(b.s, "failures=\"1\"");
	pg_buf_reset(&b);
	assert_int_equal(report_reporter_find("github")->write(&rep, &b, NULL),
	                 0);
	/* workflow-command escaping: ':' in a title, '%' everywhere */
	assert_contains(b.s, "::error title=perfgate%3A history alert::commit "
	                     "abc1234 shifted parse by +6.2%25");
	pg_buf_reset(&b);
	assert_int_equal(
	        report_reporter_find("markdown")->write(&rep, &b, NULL), 0);
	assert_contains(b.s, "- **new** commit abc1234 shifted parse");
	rep.alerts[0].state = REPORT_ALERT_KNOWN;
	rep.alerts[0].fails = 0;
	assert_int_equal(report_exit_code(&rep, 0), 0);
	pg_buf_release(&b);
	report_release(&rep);
	report_release(&from);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_step_is_an_alert),
	        cmocka_unit_test(test_direction),
	        cmocka_unit_test(test_recent_window),
	        cmocka_unit_test(test_threshold),
	        cmocka_unit_test(test_noise_and_short_tail),
	        cmocka_unit_test(test_online_look),
	        cmocka_unit_test(test_accept_alert_trailer),
	        cmocka_unit_test(test_store_alerts),
	        cmocka_unit_test(test_gate_history_alert),
	        cmocka_unit_test(test_report_alerts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
