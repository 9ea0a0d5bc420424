/*
 * gate_common.h - what `perfgate gate` and `perfgate compare` share: their
 * comparison options, baseline selection, reports and exit status.
 */
#ifndef PG_CMD_GATE_COMMON_H
#define PG_CMD_GATE_COMMON_H

#include <getopt.h>

#include "gate/baseline.h"
#include "gate/compare.h"
#include "pipeline/gate.h"
#include "store/repo.h"
#include "model/config.h"
#include "model/result.h"

/* Option ids of the shared options, above any verb's own. */
enum {
	CMD_GATE_OPT_BASE = 512,
	CMD_GATE_OPT_BASE_BRANCH,
	CMD_GATE_OPT_WINDOW,
	CMD_GATE_OPT_REQUIRE_BASELINE,
	CMD_GATE_OPT_FAIL_INCONCLUSIVE,
	CMD_GATE_OPT_ALPHA,
	CMD_GATE_OPT_THRESHOLD,
	CMD_GATE_OPT_CORRECTION,
	CMD_GATE_OPT_JUNIT,
	CMD_GATE_OPT_MARKDOWN,
	CMD_GATE_OPT_JSON,
	CMD_GATE_OPT_NOTES_REF,
	CMD_GATE_OPT_HISTORY,
	CMD_GATE_OPT_EXPLAIN,
	CMD_GATE_OPT_METRICS,
	CMD_GATE_OPT_VERBOSE = 'v',
};

/* --explain: for the verbs whose candidate is the working tree. */
#define CMD_GATE_EXPLAIN_USAGE                                                 \
	"  --explain           run `perfgate explain` on each regression\n"    \
	"                      (at most 3, callgrind) and add where the\n"     \
	"                      instructions went to every report (also\n"      \
	"                      \"explain\": true in perfgate.json)\n"

/* getopt_long entries for the shared options, to put in a verb's table. */
/* clang-format off */
#define CMD_GATE_LONG_OPTIONS                                                              \
	{"base",                 required_argument, NULL, CMD_GATE_OPT_BASE},              \
	{"base-branch",          required_argument, NULL, CMD_GATE_OPT_BASE_BRANCH},       \
	{"baseline-window",      required_argument, NULL, CMD_GATE_OPT_WINDOW},            \
	{"history-window",       required_argument, NULL, CMD_GATE_OPT_HISTORY},           \
	{"require-baseline",     no_argument,       NULL, CMD_GATE_OPT_REQUIRE_BASELINE},  \
	{"fail-on-inconclusive", no_argument,       NULL, CMD_GATE_OPT_FAIL_INCONCLUSIVE}, \
	{"alpha",                required_argument, NULL, CMD_GATE_OPT_ALPHA},             \
	{"threshold",            required_argument, NULL, CMD_GATE_OPT_THRESHOLD},         \
	{"correction",           required_argument, NULL, CMD_GATE_OPT_CORRECTION},        \
	{"junit",                required_argument, NULL, CMD_GATE_OPT_JUNIT},             \
	{"markdown",             required_argument, NULL, CMD_GATE_OPT_MARKDOWN},          \
	{"json",                 required_argument, NULL, CMD_GATE_OPT_JSON},              \
	{"verbose",              no_argument,       NULL, CMD_GATE_OPT_VERBOSE},           \
	{"metrics",              required_argument, NULL, CMD_GATE_OPT_METRICS},           \
	{"notes-ref",            required_argument, NULL, CMD_GATE_OPT_NOTES_REF}
/* clang-format on */

/* The shared options' help text, for the verbs' usage strings. */
#define CMD_GATE_USAGE                                                         \
	"Baseline:\n"                                                          \
	"  --base REV            compare with results at or before REV\n"      \
	"  --base-branch BRANCH  target branch whose merge-base is the\n"      \
	"                        baseline (default: $GITHUB_BASE_REF,\n"       \
	"                        $CI_MERGE_REQUEST_TARGET_BRANCH_NAME,\n"      \
	"                        $CI_DEFAULT_BRANCH, origin/HEAD, main,\n"     \
	"                        master)\n"                                    \
	"  --baseline-window N   the newest N ancestor commits with results\n" \
	"                        set the baseline level (default 5); runs\n"   \
	"                        off the newest level are left out\n"          \
	"  --history-window N    stored baselines: the between-run variance\n" \
	"                        comes from up to N commits with results\n"    \
	"                        (default 30); fewer than 5 runs of history\n" \
	"                        are inconclusive (docs/statistics.md)\n"      \
	"  --require-baseline    no baseline is an error (exit 2) instead\n"   \
	"                        of a pass with a notice\n"                    \
	"  --notes-ref REF       notes ref (default: $PERFGATE_NOTES_REF or\n" \
	"                        refs/notes/perfgate)\n"                       \
	"Statistics:\n"                                                        \
	"  --alpha A             significance after correction (default\n"     \
	"                        0.05; 0.01 in paired mode)\n"                 \
	"  --threshold T         practical threshold, 0.05 or 5% (default "    \
	"5%,\n"                                                                \
	"                        2% for paired runs); config wins per\n"       \
	"                        benchmark\n"                                  \
	"  --correction C        benjamini-hochberg (default) or holm\n"       \
	"  --fail-on-inconclusive  inconclusive results fail the build too\n"  \
	"Reports (any combination):\n"                                         \
	"  --junit FILE          JUnit XML (default perfgate-junit.xml when\n" \
	"                        GITLAB_CI=true)\n"                            \
	"  --markdown FILE       GitHub-flavoured Markdown\n"                  \
	"  --json FILE           everything, machine-readable\n"               \
	"  --metrics FILE        OpenMetrics text: medians, changes, counts\n" \
	"                        (GitLab's artifacts:reports:metrics)\n"       \
	"  -v, --verbose         show every row in the terminal report; by\n"  \
	"                        default the non-gating metrics that are\n"    \
	"                        unchanged, inconclusive or zero fold into\n"  \
	"                        one line (the other reports keep them)\n"     \
	"A terminal report always goes to stderr.  Under GitHub Actions the\n" \
	"Markdown is appended to $GITHUB_STEP_SUMMARY and regressions "        \
	"become\n"                                                             \
	"::error annotations on stdout.\n"

/* pipeline_gate_opts_init(), explaining with pipeline_explain_report(). */
void cmd_gate_opts_init(struct pipeline_gate_opts *o);

/*
 * Handle option c (from getopt_long) if it is a shared one: returns 1 when
 * handled, 0 when not a shared option, PG_EXIT_INPUT after printing an
 * error for a bad value.
 */
int cmd_gate_option(struct pipeline_gate_opts *o, const char *verb, int c,
                    const char *arg);

/*
 * Compare cand (runs measured on cand_sha) with base using cmp, apply the
 * acceptances between them, write every report and return the exit
 * status.  cfg may be NULL.  mode names the comparison in reports.
 */
int cmd_gate_report(struct store *s, const struct config *cfg,
                    const struct result_run *cand, size_t ncand,
                    const char *cand_sha, const struct pipeline_gate_base *base,
                    const struct pipeline_gate_opts *o,
                    const struct gate_compare_opts *cmp, const char *mode);

/*
 * After pipeline_gate_build(): write every report of rep and return the
 * exit status (no_baseline: --require-baseline applies, with notice as
 * the reason).
 */
struct report;
int cmd_gate_finish(const struct report *rep,
                    const struct pipeline_gate_opts *o, int no_baseline,
                    const char *notice);

/*
 * Select the baseline of cand_sha, compare cand (runs measured on it) with
 * it, write every report and return the exit status.  cfg may be NULL.
 * mode names the comparison in reports ("stored baseline").
 */
int cmd_gate_compare_and_report(struct store *s, const struct config *cfg,
                                const struct result_run *cand, size_t ncand,
                                const char *cand_sha,
                                const struct pipeline_gate_opts *o,
                                const char *mode);

#endif
