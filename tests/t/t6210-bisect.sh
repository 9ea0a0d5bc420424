#!/bin/sh
# perfgate bisect: a real repository of 16 commits of a small C program
# whose commit 11 makes slow_path do 20% more work and whose commit 7 does
# not build.  make check bisects on
# instruction counts (exact, so the test is deterministic); wall-time
# accuracy runs are in bench/explain-bisect; --change and SIGINT are in
# tests/slow/t6211-bisect-slow.sh (make check-slow).
. ./lib.sh

if ! command -v valgrind >/dev/null || ! command -v cc >/dev/null; then
	say "skip: bisect --metric instructions needs valgrind and cc"
	test_done
fi

# prog TENTHS TAG: slow_path loops TENTHS/10 times n; TAG makes each commit
# differ
prog() {
	cat >prog.c <<EOF
#include <stdlib.h>
static volatile unsigned long sink;
__attribute__((noinline)) static void slow_path(long n)
{
	for (long i = 0; i < n * $1 / 10; i++)
		sink += (unsigned long)(i * i);
}
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	slow_path(n);
	return 0; /* $2 */
}
EOF
}

# history BROKEN: commits c0..c15, c11 the step, cBROKEN does not compile
history() {
	cat >perfgate.json <<EOF &&
{
  "build": "cc -O1 -g -o prog prog.c",
  "instruction_runs": 1,
  "benchmarks": [
    {"name": "prog", "command": ["./prog", "20000"]},
    {"name": "other", "command": ["true"]}
  ]
}
EOF
	echo prog >.gitignore &&
	for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		if [ $i -ge 11 ]; then prog 12 $i; else prog 10 $i; fi
		if [ $i = "$1" ]; then echo "#error does not build" >>prog.c; fi
		git add . && git commit -qm "commit $i" && git tag c$i || return 1
	done
}

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
