#!/bin/sh
# perfgate bisect: a real repository of 16 commits of a small C program
# whose commit 11 makes slow_path do 20% more work and whose commit 7 does
# not build.  make check bisects on
# instruction counts (exact, so the test is deterministic); wall-time
# accuracy runs are in bench/explain-bisect; --change and SIGINT are in
# tests/slow/t6211-bisect-slow.sh (make check-slow).
. ./lib.sh

. "$TEST_DIR/lib-bisect.sh"

test_expect_success 'setup: 16 commits, commit 11 adds 20% to slow_path, 7 does not build' '
	new_repo r && cd r && history 7
'

test_expect_success 'bisect names commit 11 within log2 + 2 comparisons, skipping 7' '
	cd r &&
	mkdir -p tmp &&
	TMPDIR=$PWD/tmp perfgate bisect c0 c15 --filter "^prog$" --metric instructions \
		--json b.json >out 2>err &&
	test_grep "^culprit: $(git rev-parse --short=12 c11) commit 11" out &&
	test_grep "instructions [+][0-9.]*% \[" out &&
	test "$(json_get b.json "d[\"outcome\"]")" = culprit &&
	test "$(json_get b.json "d[\"culprit\"]")" = "$(git rev-parse c11)" &&
	test "$(json_get b.json "d[\"after\"]")" = "$(git rev-parse c10)" &&
	test "$(json_get b.json "len(d[\"measured\"]) <= 6")" = True &&
	test "$(json_get b.json "d[\"measured\"][-1][\"index\"]")" = 15 &&
	test_grep "skipped .*commit 7 .*does not build: .*error: .*does not build" out &&
	test "$(json_get b.json "all(m[\"mark\"] == (\"skipped\" if m[\"index\"] == 7 else \"shifted\" if m[\"index\"] >= 11 else \"same\") for m in d[\"measured\"])")" = True &&
	test "$(ls tmp | wc -l)" = 0
'

test_expect_success 'the measured runs are stored as paired sessions' '
	cd r &&
	git notes --ref perfgate show c11 >note &&
	test_grep "\"mode\":\"paired\"" note &&
	test_grep "\"side\":\"cand\"" note &&
	git notes --ref perfgate show c0 >note &&
	test_grep "\"side\":\"base\"" note
'

test_expect_success 'no shift between GOOD and BAD: says so after one comparison' '
	cd r &&
	perfgate bisect c0 c10 --filter "^prog$" --metric instructions --no-store \
		--json b.json >out 2>err &&
	test_grep "^no shift" out &&
	test "$(json_get b.json "len(d[\"measured\"])")" = 1
'

test_expect_success 'bad usage: exit 2' '
	cd r &&
	test_expect_code 2 perfgate bisect c0 c15 2>err &&
	test_grep "filter" err &&
	test_expect_code 2 perfgate bisect c15 c0 --filter prog 2>err &&
	test_grep "not on the first-parent path" err &&
	test_expect_code 2 perfgate bisect c0 c15 --filter . 2>err &&
	test_grep "more than one" err &&
	test_expect_code 2 perfgate bisect c0 c15 --filter prog --metric speed 2>err
'

test_done
