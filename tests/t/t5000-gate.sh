#!/bin/sh
# perfgate gate and compare, end to end: real benchmark program, real git
# history, stored baselines, reports read back by independent consumers.
# test: serial
. ./lib.sh

CPU="$EXAMPLES/cpuwork"
FAST=6000000
# three times the iterations: a real slowdown of the program, large enough
# to be caught against a stored history of a few runs even when the
# machine is busy (under `make check` the between-run sd of cpu_user
# reached 11%, and +50% was inconclusive on 4 df); the statistics' power
# is measured by bench/stored-history, not here
SLOW=18000000

# The suite gates on CPU time, which a busy machine (parallel builds, other
# tests) disturbs far less than wall time: these tests check the gate's
# mechanics, and must not depend on how quiet the machine is.

# commit_iters N MESSAGE: set the benchmark's work and commit it.
commit_iters() {
	echo "$1" >iters && git add iters && git commit -q -m "$2"
}

# seed_runs N: store N more runs on HEAD.  A stored baseline takes the
# between-run variance from the history (docs/statistics.md): with fewer
# than 5 stored runs every timing row is inconclusive.
seed_runs() {
	for i in $(seq "$1"); do
		perfgate run >/dev/null 2>&1 || return 1
	done
}

validate_reports() {
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" "$1" &&
	"$TEST_DIR/check_junit.py" "$@"
}

new_repo repo
cat >repo/perfgate.json <<JSON
{"runs": 15, "warmup": 1, "gate": ["cpu_user"], "benchmarks": [
  {"name": "work", "command": "\"$CPU\" \$(cat iters)"},
  {"name": "steady", "command": ["$CPU", "1000000"], "gate": ["max_rss"]}
]}
JSON
(cd repo && git add perfgate.json && commit_iters $FAST "A: baseline")

test_expect_success 'no baseline: exit 0 with a notice in every report' '
	cd repo &&
	perfgate gate --junit j.xml --markdown m.md --json r.json 2>err &&
	test_grep "no baseline" err &&
	test_grep "no baseline" m.md &&
	test "$(json_get r.json "d[\"notice\"] is not None and \"no baseline\" in d[\"notice\"]")" = True &&
	validate_reports j.xml "work [cpu_user]=skipped" &&
	"$TEST_DIR/check_markdown.py" m.md 0 "no baseline"
'

test_expect_success '--require-baseline turns a missing baseline into exit 2' '
	new_repo lonely && cd lonely &&
	cp ../repo/perfgate.json . && echo $FAST >iters &&
	test_expect_code 2 perfgate gate --require-baseline 2>err &&
	test_grep "require-baseline: the candidate is a root commit" err
'

test_expect_success 'with one stored run a slowdown is inconclusive, with the reason' '
	cd repo &&
	git checkout -q -b one-run &&
	commit_iters $SLOW "slower, one run of history" &&
	perfgate gate --stored --no-store --json r.json 2>err &&
	test_grep "1 stored run of history" err &&
	test_grep "paired mode" err &&
	test "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0]")" = inconclusive &&
	git checkout -q main && git branch -q -D one-run
'

test_expect_success 'a slowdown fails the gate (exit 1) and JUnit names it' '
	cd repo &&
	seed_runs 4 &&
	commit_iters $SLOW "B: slower" &&
	test_expect_code 1 perfgate gate --junit j.xml --markdown m.md --json r.json 2>err &&
	test_grep "FAIL" err &&
	test_grep "regression +work +cpu_user" err &&
	validate_reports j.xml "work [cpu_user]=failure" &&
	grep -E "<failure type=\"regression\" message=\"\+[0-9.]+% \[\+[0-9.]+%, \+[0-9.]+%\] p=" j.xml &&
	"$TEST_DIR/check_markdown.py" m.md 2 "work" &&
	test "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0]")" = regression &&
	test "$(json_get r.json "[r[\"estimate\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0] > 0.1")" = True
'

test_expect_success 'an identical commit passes (exit 0) and both runs are stored' '
	cd repo &&
	commit_iters $FAST "C: fast again" && git tag C &&
	perfgate gate --threshold 15% --json r.json 2>err &&
	test_grep "PASS" err &&
	test "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0] in (\"improvement\", \"unchanged\", \"inconclusive\")")" = True &&
	perfgate log --format json >log.json &&
	test "$(json_get log.json "len(d[\"commits\"]) if isinstance(d, dict) else len(d)")" -ge 3
'

test_expect_success 'perfgate compare reruns nothing and agrees on the regression' '
	cd repo &&
	test_expect_code 1 perfgate compare HEAD~2 HEAD~1 --json c.json 2>err &&
	test "$(json_get c.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0]")" = regression &&
	test_grep -v "runs +median" err
'

test_expect_success 'an accepted regression passes with the verdict accepted' '
	cd repo &&
	echo $SLOW >iters && git add iters &&
	git commit -q -m "D: slower on purpose" -m "Perfgate-Accept: work cpu_user +400% the cache warms up" &&
	perfgate gate --baseline-window 1 --junit j.xml --json r.json 2>err &&
	test "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] == \"cpu_user\"][0]")" = accepted &&
	test_grep "accepted" err &&
	validate_reports j.xml "work [cpu_user]=pass"
'

test_expect_success 'an acceptance too small for the slowdown still fails' '
	cd repo &&
	commit_iters $FAST "E: fast" && perfgate run 2>/dev/null &&
	echo $SLOW >iters && git add iters &&
	git commit -q -m "F: slower" -m "Perfgate-Accept: work cpu_user +2%" &&
	{ test_expect_code 1 perfgate gate --baseline-window 1 2>err ||
		{ cat err; false; }; } &&
	test_grep "regression +work +cpu_user" err
'

test_expect_success 'a crashing benchmark is exit 3 with its stderr in the report' '
	cd repo &&
	git checkout -q -b crashy &&
	cat >perfgate.json <<-JSON &&
	{"runs": 3, "benchmarks": [
	  {"name": "work", "command": "\"$CPU\" \$(cat iters)"},
	  {"name": "boom", "command": "echo segfault ahead >&2; kill -SEGV \$\$"}
	]}
	JSON
	git commit -q -am "crash" &&
	test_expect_code 3 perfgate gate --junit j.xml 2>err &&
	test_grep "segfault ahead" err &&
	validate_reports j.xml "boom [run]=error"
'

test_expect_success 'a feature branch is compared with its merge-base, not the moved-on main' '
	cd repo &&
	git checkout -q main &&
	git checkout -q -b feature C &&
	commit_iters $SLOW "feature: slower" &&
	git checkout -q main && commit_iters 3000000 "main moves on, much faster" &&
	perfgate run 2>/dev/null &&
	git checkout -q feature &&
	test_expect_code 1 perfgate gate --baseline-window 1 --base-branch main --json r.json 2>err &&
	mb=$(git merge-base HEAD main) &&
	test "$(json_get r.json "d[\"baseline\"][\"commit\"]")" = "$(git rev-parse "$mb")" &&
	GITHUB_BASE_REF=main test_expect_code 1 perfgate gate --baseline-window 1 --no-store --json r2.json 2>err2 || { cat err2; false; } &&
	test "$(json_get r2.json "d[\"baseline\"][\"commit\"]")" = "$(git rev-parse "$mb")"
'

test_expect_success 'gate options: bad values and unknown options are exit 2' '
	cd repo &&
	test_expect_code 2 perfgate gate --alpha 2 2>e1 && test_grep "alpha" e1 &&
	test_expect_code 2 perfgate gate --threshold fast 2>e2 && test_grep "threshold" e2 &&
	test_expect_code 2 perfgate gate --correction bonferroni 2>e3 && test_grep "bonferroni" e3 &&
	test_expect_code 2 perfgate gate --frob 2>e4 && test_grep "unknown option .--frob." e4 &&
	test_expect_code 2 perfgate gate --base no-such-rev --no-store 2>e5 && test_grep "no-such-rev" e5 &&
	test_expect_code 2 perfgate compare a b c 2>e6 && test_grep "too many" e6
'

test_expect_success 'gate outside a git repository is exit 2 before measuring' '
	mkdir norepo && cd norepo && cp ../repo/perfgate.json . &&
	test_expect_code 2 perfgate gate 2>err &&
	test_grep "not in a git repository" err &&
	test_grep -v "runs +median" err
'

test_expect_success 'GitHub Actions: step summary and annotations' '
	cd repo && git checkout -q feature &&
	: >summary.md &&
	GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY=$PWD/summary.md \
		test_expect_code 1 perfgate gate --baseline-window 1 --no-store --base-branch main >out 2>err &&
	test_grep "^::error title=" out &&
	"$TEST_DIR/check_markdown.py" summary.md 1 "work"
'

test_expect_success 'GitLab CI: the JUnit file the template collects' '
	cd repo && git checkout -q feature &&
	GITLAB_CI=true test_expect_code 1 perfgate gate --baseline-window 1 --no-store --base-branch main 2>err &&
	validate_reports perfgate-junit.xml "work [cpu_user]=failure"
'

test_done
