/*
 * defaults.h - every named default of perfgate in one place.  Each is
 * documented in `perfgate --help` / `perfgate help <verb>` and the README;
 * change them together.
 */
#ifndef PG_UTIL_DEFAULTS_H
#define PG_UTIL_DEFAULTS_H

/* perfgate run */
#define PG_DEFAULT_CONFIG "perfgate.json"
#define PG_DEFAULT_RUNS 10
#define PG_DEFAULT_WARMUP 1
#define PG_DEFAULT_TIMEOUT_S 60.0
/*
 * Instruction counts repeat exactly under valgrind (and within a few
 * instructions with hardware counters): three runs show that they do.
 */
#define PG_DEFAULT_INSTRUCTION_RUNS 3
/*
 * Under valgrind a program runs 20 to 60 times slower and valgrind needs
 * about half a second to start: the timeout of a counting run is
 * timeout x FACTOR + EXTRA.
 */
#define PG_VALGRIND_TIMEOUT_FACTOR 60.0
#define PG_VALGRIND_TIMEOUT_EXTRA_S 10.0
/* Bytes of a failing benchmark's stderr kept for its error message. */
#define PG_STDERR_TAIL_BYTES 2048

/* The pre-push hook (perfgate hook, "pre_push" in perfgate.json) */
#define PG_DEFAULT_PRE_PUSH_PAIRS 10

/* perfgate report --html (and the sparklines of log --plot, Markdown) */
#define PG_DEFAULT_REPORT_COMMITS 1000 /* commits walked */
#define PG_DEFAULT_SPARK_POINTS 30 /* newest commits in a sparkline */
/* one point per commit up to this many per chart, then fixed buckets */
#define PG_DEFAULT_CHART_MAX_POINTS 2000
/* Mermaid charts in a Markdown report or PR comment, at most (the rest
 * are named); each is about 600 bytes, far below the forges' limits */
#define PG_DEFAULT_MARKDOWN_CHARTS 5

/* Store */
#define PG_DEFAULT_NOTES_REF "refs/notes/perfgate"

/* perfgate gate / compare */
#define PG_DEFAULT_BASELINE_WINDOW 5 /* ancestor commits pooled */
#define PG_DEFAULT_BASELINE_MAX_WALK 500 /* commits searched for results */
/* first-parent commits with results whose runs give a stored baseline's
 * between-run variance (stats/runvar.h); the level comes from the newest
 * PG_DEFAULT_BASELINE_WINDOW of them */
#define PG_DEFAULT_HISTORY_WINDOW 30
/*
 * perfgate gc: raw samples are kept for the newest PG_DEFAULT_GC_KEEP_COMMITS
 * commits with results of every branch and for commits younger than
 * PG_DEFAULT_GC_KEEP_DAYS days; older runs are summarised.  Both are far
 * beyond the stored baseline's and history alerts' windows.
 */
#define PG_DEFAULT_GC_KEEP_COMMITS 200
#define PG_DEFAULT_GC_KEEP_DAYS 90
/* stored runs of history needed before a timing metric is tested against
 * a stored baseline: fewer are "inconclusive", never a verdict from noise */
#define PG_STORED_MIN_RUNS 5
/* ... and the degrees of freedom its between-run variance needs */
#define PG_STORED_MIN_DF 2.0
/* power at which every row's minimum detectable effect is given */
#define PG_MDE_POWER 0.9
/* a baseline run whose median is more than this many thresholds theta
 * from the newest level is at another level and is not pooled */
#define PG_POOLED_SHIFT_THETAS 3.0
/* benchmarks (of one metric) with >= 2 pooled runs needed to fit the
 * suite prior of the between-run variance */
#define PG_POOLED_PRIOR_MIN_CELLS 3
/* most degrees of freedom that suite prior may carry (bench/pooled:
 * more trusts it too much when benchmarks differ in between-run noise) */
#define PG_POOLED_PRIOR_MAX_DF 10.0
/* run-level comparisons are significant at alpha * this: between-run noise
 * is as large as theta, so theta no longer filters chance findings and at
 * alpha itself 5% of unchanged suites would fail (bench/pooled) */
#define PG_POOLED_ALPHA_SCALE 0.2
#define PG_GITLAB_JUNIT "perfgate-junit.xml" /* when GITLAB_CI=true */
/* GitHub's limit on one step summary (1 MiB) */
#define PG_GITHUB_SUMMARY_MAX_BYTES ((size_t)1024 * 1024)

/* Paired mode (perfgate gate --paired, perfgate ab, perfgate noise) */
#define PG_DEFAULT_PAIRS                                                       \
	{                                                                      \
		10, 20, 30                                                     \
	} /* pairs at each sequential look */
#define PG_DEFAULT_NPAIRS 3
#define PG_DEFAULT_ALPHA_PAIRED 0.01 /* spent over the looks */
#define PG_MIN_PAIRS 5 /* fewer cannot reach significance */
#define PG_MAX_PAIRS 10000
#define PG_MAX_LOOKS 10
/* what an inconclusive paired row suggests for "pairs" (docs/paired.md) */
#define PG_PAIRS_MORE_EXAMPLE "[10, 20, 30, 60]"
#define PG_DEFAULT_BUILD_TIMEOUT_S 3600.0
/*
 * Built baseline trees kept for later paired sessions (runner/treecache.h),
 * in $GIT_COMMON_DIR/perfgate/trees: at most this many bytes, least
 * recently used first out.  $PERFGATE_TREE_CACHE=0 turns the cache off.
 */
#define PG_DEFAULT_TREE_CACHE_BYTES ((size_t)1 << 30)
#define PG_TREE_CACHE_ENV "PERFGATE_TREE_CACHE"
#define PG_TREE_CACHE_SUBDIR "perfgate/trees"
/* a look passes a benchmark when this CI's upper bound is below theta */
#define PG_PAIRED_PASS_CONFIDENCE 0.90
/*
 * Futility: a look before the last stops a benchmark when more pairs
 * would show a slowdown of theta (or of the estimate, if larger) with less
 * than this chance (gate/paired.h); noisy benchmarks then stop at the
 * first looks instead of running every pair to end inconclusive.
 */
#define PG_PAIRED_FUTILITY_POWER 0.10

/* Statistics (stats/, perfgate stat, the gate) */
#define PG_DEFAULT_ALPHA 0.05
#define PG_DEFAULT_CONFIDENCE 0.99
/* Practical threshold theta, as a fraction of the baseline. */
#define PG_DEFAULT_THRESHOLD 0.05 /* stored baselines, unpaired samples */
#define PG_DEFAULT_THRESHOLD_PAIRED 0.02 /* interleaved (paired) runs */
#define PG_DEFAULT_THRESHOLD_INSTRUCTIONS 0.005 /* instruction counts */
#define PG_DEFAULT_SEED 20141231u /* bootstrap, change-point permutations */
#define PG_DEFAULT_BOOTSTRAP 2000
#define PG_DEFAULT_CP_PVALUE 0.001
#define PG_DEFAULT_CP_WINDOW 50
#define PG_DEFAULT_CP_PERMUTATIONS 999
/*
 * History alerts (gate/alert.h): the gate on the target branch looks at
 * this many first-parent commits with results, raises a change point
 * that starts among the newest PG_DEFAULT_HISTORY_RECENT of them, shifts
 * by at least PG_DEFAULT_HISTORY_THRESHOLD, and gives the shift a CI at
 * PG_DEFAULT_HISTORY_CONFIDENCE.  A known alert recorded up to
 * PG_HISTORY_ALERT_SLACK commits from a new change point is the same one
 * (later data can move a split by a commit).
 */
#define PG_DEFAULT_HISTORY_COMMITS 100
#define PG_DEFAULT_HISTORY_RECENT 20
#define PG_DEFAULT_HISTORY_THRESHOLD 0.03
#define PG_DEFAULT_HISTORY_CONFIDENCE 0.99
#define PG_HISTORY_ALERT_SLACK 2
/*
 * The online look of history alerts (history/alert.h): the newest 3 to 5
 * points against at least 10 before them, Mann-Whitney at p <= 0.001 over
 * all looks of a push.
 */
#define PG_DEFAULT_HISTORY_ONLINE_MIN 3
#define PG_DEFAULT_HISTORY_ONLINE_MAX 5
#define PG_DEFAULT_HISTORY_ONLINE_REFERENCE 10
#define PG_DEFAULT_HISTORY_ONLINE_ALPHA 0.001

/* Load generators (formats/load.c) */
/*
 * Most raw per-request latencies kept per benchmark and run; beyond it the
 * latencies are replaced by this many evenly spaced quantiles of them
 * (which keeps the distribution, and makes tests conservative).
 */
#define PG_MAX_RAW_LATENCIES 20000
/*
 * theta of error_rate, in rate points (0.001 = 0.1 percentage point): a
 * relative threshold means nothing for a rate that was 0.
 */
#define PG_DEFAULT_ERROR_RATE_THRESHOLD 0.001

/* Services of load benchmarks (runner/service.h) */
#define PG_DEFAULT_SERVICE_READY_TIMEOUT_S 10.0
#define PG_DEFAULT_SERVICE_STOP_TIMEOUT_S 5.0 /* SIGTERM, then SIGKILL */
#define PG_SERVICE_READY_POLL_S 0.05 /* between readiness probes */
/* Soak mode: /proc samples of the service while the load runs */
#define PG_DEFAULT_SOAK_SAMPLE_EVERY_S 1.0
#define PG_DEFAULT_SOAK_MAX_RSS_SLOPE (1024.0 * 1024.0 / 60.0) /* B/s */
#define PG_DEFAULT_SOAK_MAX_RSS_SLOPE_TEXT "1MiB/min"
#define PG_SOAK_MAX_SAMPLES 5000 /* Theil-Sen is O(n^2) in memory */
/* Stress tests (runner/stress.h, docs/stress.md) */
#define PG_DEFAULT_STRESS_RAMPS 1 /* ramps per run; "runs" repeat loads */
/* ramp pairs of a paired session (a ramp of each side, coin-flip order):
 * the exact signed-rank test of n pairs reaches at best 2^-n, 7 pairs
 * 1/128 < 0.01 (PG_DEFAULT_ALPHA_PAIRED); "ramps" sets it */
#define PG_DEFAULT_STRESS_RAMPS_PAIRED 7
#define PG_STRESS_MAX_LEVELS 64 /* levels of one ramp, listed or geometric */
#define PG_STRESS_MAX_RAMPS 100
/* how long the readiness probe may take after a level before "crash" */
#define PG_DEFAULT_STRESS_READY_TIMEOUT_S 2.0

/* Reporters */
/*
 * Largest Markdown report: GitHub accepts at most 1 MiB of step summary per
 * step; keep 24 KiB of it for whatever else the step appends.
 */
#define PG_DEFAULT_MARKDOWN_MAX_BYTES ((size_t)1000 * 1024)
/* GitHub shows at most 10 error and 10 warning annotations per step. */
#define PG_DEFAULT_MAX_ANNOTATIONS 10
/* perfgate init's starter config */
#define PG_INIT_RUNS 10
#define PG_INIT_WARMUP 1
/* where perfgate's GitHub action and GitLab CI/CD component are published
 * (docs/ci.md); perfgate init --ci names them */
#define PG_ACTION_REPO "perfgate/perfgate"
#define PG_GITLAB_COMPONENT_PROJECT "perfgate/perfgate"
/* terminal report: notes wrap here when the width is unknown (CI logs) */
#define PG_DEFAULT_TERM_WIDTH 100

/* HTTP (net/http.h) and perfgate comment */
#define PG_DEFAULT_HTTP_CONNECT_TIMEOUT_S 10.0
#define PG_DEFAULT_HTTP_TIMEOUT_S 30.0 /* one attempt, start to end */
#define PG_DEFAULT_HTTP_RETRIES 3 /* after the first attempt */
#define PG_DEFAULT_HTTP_BACKOFF_S 1.0 /* first retry; doubles */
#define PG_DEFAULT_HTTP_BACKOFF_MAX_S 30.0
/* A longer Retry-After (an hourly rate limit) fails at once, not hangs. */
#define PG_DEFAULT_HTTP_RETRY_AFTER_MAX_S 60.0
#define PG_DEFAULT_GITHUB_API_URL "https://api.github.com"
#define PG_DEFAULT_GITLAB_API_URL "https://gitlab.com/api/v4"
/* hidden first line that finds perfgate's own comment again */
#define PG_DEFAULT_COMMENT_MARKER "<!-- perfgate -->"
/* GitHub rejects comment bodies over 65536 characters; counting bytes is
 * safe, a character is at least one byte */
#define PG_GITHUB_COMMENT_MAX_BYTES ((size_t)65536)
/* GitLab's note limit is 1,000,000 characters */
#define PG_GITLAB_NOTE_MAX_BYTES ((size_t)1000000)
/* comments listed per page while looking for the marker (API maximum) */
#define PG_COMMENT_PAGE_SIZE 100
/* pages followed at most: 100 pages of 100 comments */
#define PG_COMMENT_MAX_PAGES 100

/* perfgate explain (docs/explain.md) */
#define PG_DEFAULT_EXPLAIN_TOP 10 /* functions listed */
/* plain runs per side before profiling: the CPU share and wall times */
#define PG_EXPLAIN_NATIVE_RUNS 3
/* below this share of CPU time in wall time a benchmark waits on I/O or
 * sleeps: instruction counts cannot explain it */
#define PG_EXPLAIN_MIN_CPU_SHARE 0.5
/* candidate runs added, one at a time, before a benchmark under that
 * share is refused: on a busy machine a CPU-bound run can lose the CPU */
#define PG_EXPLAIN_RECHECK_RUNS 7
/* after each plain run perfgate spins for as long (within these bounds)
 * to learn the share a CPU-bound process gets on this machine now; the
 * benchmark's share is relative to it (a loaded machine shares its CPUs) */
#define PG_EXPLAIN_SPIN_MIN_S 0.01
#define PG_EXPLAIN_SPIN_MAX_S 0.2
/* instruction growth below this fraction of the wall-time growth
 * "explains little" of it */
#define PG_EXPLAIN_LITTLE 0.5
/* a gate explains at most this many regressions, and stops starting new
 * explanations after this many seconds (callgrind is 20-60x slower) */
#define PG_EXPLAIN_MAX_BENCHES 3
#define PG_EXPLAIN_TIME_LIMIT_S 600.0

/* explain --flamegraph: frames deeper than this are cut; stacks under
 * this share of the total are dropped (they would be under a pixel) */
#define PG_FLAME_MAX_DEPTH 128
#define PG_FLAME_MIN_SHARE 1e-4
#define PG_FLAME_WIDTH 1200 /* pixels */

/* perfgate bisect (docs/bisect.md) */
#define PG_DEFAULT_BISECT_MAX_COMMITS 1000 /* first-parent path walked */

#endif
