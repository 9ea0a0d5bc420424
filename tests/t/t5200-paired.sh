#!/bin/sh
# Paired mode end to end: a real C program built by the config's "build"
# in the candidate's work tree and in a scratch export of the baseline,
# interleaved pairs, sequential looks, stored sessions, clean-up.
# test: serial
. ./lib.sh

# The scratch trees go here, so that leftovers can be seen.
SCRATCH="$TRASH/scratch"
mkdir "$SCRATCH"

# no leftover baseline tree or build directory
no_leftovers() {
	if [ -n "$(ls -A "$SCRATCH")" ]; then
		echo "left behind in $SCRATCH:" >&2
		ls -la "$SCRATCH" >&2
		return 1
	fi
}

pg() {
	TMPDIR="$SCRATCH" perfgate "$@"
}

# verdict FILE BENCH METRIC: the verdict of one row of a JSON report
verdict() {
	json_get "$1" "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

# About 20 ms of xorshift rounds; iters.h sets the count, so a commit that
# changes it changes the program built from it.  cpu_user gates beside
# wall_time: on a busy machine wall time alone may stay inconclusive,
# while CPU time still shows a 20% slowdown.
new_repo repo
cat >repo/work.c <<'EOF_C'
#include <stdio.h>
#include "iters.h"
int main(void)
{
	unsigned long long i, x = 88172645463325252ULL;

	for (i = 0; i < ITERS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	if (x == 42)
		printf("%llu\n", x);
	return 0;
}
EOF_C
echo '#define ITERS 10000000ULL' >repo/iters.h
cat >repo/perfgate.json <<'JSON'
{"build": ["cc", "-O1", "-o", "work", "work.c"],
 "gate": ["wall_time", "cpu_user"],
 "benchmarks": [{"name": "work", "command": ["./work"]}]}
JSON
(cd repo && echo work >.gitignore && git add . && git commit -q -m "A: baseline" &&
	git checkout -q -b change)

test_expect_success 'an identical commit on a branch passes in paired mode (the default)' '
	cd repo &&
	git commit -q --allow-empty -m "B: nothing changed" &&
	pg gate --json r.json --markdown m.md 2>err &&
	test_grep "paired: interleaved pairs in coin-flip order" err &&
	test_grep "paired" m.md &&
	expect_eq "$(json_get r.json "d[\"mode\"].startswith(\"paired\")")" True &&
	expect_eq "$(json_get r.json "d[\"baseline\"][\"commit\"]")" "$(git rev-parse HEAD~1)" &&
	v=$(verdict r.json work wall_time) &&
	{ test "$v" != regression && test "$v" != error || { cat err; false; }; } &&
	no_leftovers
'

test_expect_success 'both sides are stored as one paired session on their commits' '
	cd repo &&
	git notes --ref perfgate show HEAD >cand.json &&
	git notes --ref perfgate show HEAD~1 >base.json &&
	expect_eq "$(json_get cand.json "d[\"runs\"][-1][\"mode\"] + d[\"runs\"][-1][\"side\"]")" pairedcand &&
	expect_eq "$(json_get base.json "d[\"runs\"][-1][\"mode\"] + d[\"runs\"][-1][\"side\"]")" pairedbase &&
	expect_eq "$(json_get cand.json "d[\"runs\"][-1][\"session\"]")" "$(json_get base.json "d[\"runs\"][-1][\"session\"]")" &&
	expect_eq "$(json_get cand.json "len(d[\"runs\"][-1][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")" \
	     "$(json_get base.json "len(d[\"runs\"][-1][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")"
'

test_expect_success 'paired runs are never stored baselines (--stored finds none)' '
	cd repo &&
	pg gate --stored --runs 3 --no-store --json s.json 2>err &&
	expect_eq "$(json_get s.json "d[\"mode\"]")" "stored baseline" &&
	test_grep "no baseline" err
'

test_expect_success 'a 20% slowdown fails the paired gate (exit 1)' '
	cd repo &&
	echo "#define ITERS 12000000ULL" >iters.h &&
	git commit -q -am "C: 20% more work" &&
	test_expect_code 1 pg gate --no-store --json r.json 2>err &&
	test_grep "regression +work" err &&
	expect_eq "$(json_get r.json "any(r[\"verdict\"] == \"regression\" for r in d[\"rows\"] if r[\"bench\"] == \"work\" and r[\"metric\"] in (\"wall_time\", \"cpu_user\"))")" True &&
	expect_eq "$(json_get r.json "[r[\"estimate\"] for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0] > 0.1")" True &&
	no_leftovers
'

test_expect_success 'a clear slowdown stops at the first look' '
	cd repo &&
	echo "#define ITERS 30000000ULL" >iters.h &&
	git commit -q -am "D: three times the work" &&
	test_expect_code 1 pg gate --no-store --pairs 10,20,30 --json r.json 2>err &&
	test_grep "look 1 of 3 at 10 pairs: 0 benchmarks undecided" err &&
	expect_eq "$(json_get r.json "[r[\"n_cand\"] for r in d[\"rows\"] if r[\"metric\"] == \"wall_time\"][0]")" 10
'

test_expect_success 'instruction counts in paired mode catch a 3% increase' '
	cd repo &&
	git checkout -q -b instr HEAD~1 &&
	echo "#define ITERS 1000000ULL" >iters.h &&
	git commit -q -am "small" &&
	echo "#define ITERS 1030000ULL" >iters.h &&
	git commit -q -am "3% more instructions" &&
	cat >instr.json <<-JSON &&
	{"build": ["cc", "-O1", "-o", "work", "work.c"], "metrics": ["instructions"],
	 "benchmarks": [{"name": "work", "command": ["./work"]}]}
	JSON
	{ test_expect_code 1 pg ab HEAD~1 -c instr.json --no-store --json i.json 2>err || { cat err; false; }; } &&
	expect_eq "$(verdict i.json work instructions)" regression &&
	expect_eq "$(json_get i.json "round([r[\"estimate\"] for r in d[\"rows\"] if r[\"metric\"] == \"instructions\"][0], 3)")" 0.03 &&
	test_expect_code 0 pg ab HEAD -c instr.json --no-store --json i0.json 2>err &&
	expect_eq "$(verdict i0.json work instructions)" unchanged &&
	git checkout -q change && no_leftovers
'

test_expect_success 'perfgate ab REV: the working tree against any revision' '
	cd repo &&
	test_expect_code 1 pg ab HEAD~2 --no-store --pairs 8 --json ab.json 2>err &&
	expect_eq "$(json_get ab.json "d[\"baseline\"][\"commit\"]")" "$(git rev-parse HEAD~2)" &&
	test_expect_code 0 pg ab HEAD --no-store --pairs 8 --json aa.json 2>err &&
	expect_eq "$(json_get aa.json "d[\"baseline\"][\"commit\"] == d[\"candidate\"][\"commit\"]")" True &&
	no_leftovers
'

test_expect_success 'ab usage errors are exit 2' '
	cd repo &&
	test_expect_code 2 pg ab 2>err && test_grep "missing BASE_REV" err &&
	test_expect_code 2 pg ab no-such-rev --no-store 2>err &&
	test_grep "no-such-rev" err &&
	test_expect_code 2 pg ab HEAD --base HEAD 2>err &&
	test_expect_code 2 pg ab HEAD extra 2>err &&
	test_expect_code 2 pg ab HEAD --pairs 3 2>err && test_grep "pairs" err &&
	test_expect_code 2 pg ab HEAD --pairs 20,10 2>err &&
	test_expect_code 2 pg gate --paired --stored 2>err &&
	no_leftovers
'

test_expect_success 'a failing build is exit 3 with its stderr, and nothing is left behind' '
	cd repo &&
	echo "this is not C" >>work.c &&
	git commit -q -am "E: broken" &&
	test_expect_code 3 pg gate --no-store 2>err &&
	test_grep "build in .* failed: exited with status 1" err &&
	test_grep "error" err &&
	no_leftovers &&
	git reset -q --hard HEAD~1
'

test_expect_success 'a bad "build" or "pairs" in the config is exit 2' '
	cd repo &&
	for bad in "\"build\": 42" "\"build\": []" "\"build\": [\"\"]" \
	           "\"build\": \"\"" "\"pairs\": [10, 5]" "\"pairs\": [2]" \
	           "\"pairs\": []" "\"pairs\": \"10\""; do
		echo "{$bad, \"benchmarks\": [{\"name\": \"w\", \"command\": [\"./work\"]}]}" >bad.json &&
		test_expect_code 2 pg gate -c bad.json --no-store 2>err &&
		test_grep "bad.json.*(build|pairs)" err || return 1
	done &&
	no_leftovers
'

test_expect_success 'SIGINT during the pairs: exit 3 and the scratch tree is removed' '
	cd repo &&
	cat >slow.json <<-JSON &&
	{"build": "true", "benchmarks": [{"name": "s", "command": ["sleep", "0.2"]}]}
	JSON
	{ PERFGATE_TREE_CACHE=0 TMPDIR="$SCRATCH" "$PERFGATE" gate -c slow.json --paired --no-store 2>int.err & } &&
	pid=$! &&
	sleep 1 &&
	test -n "$(ls -A "$SCRATCH")" &&
	kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test_grep "interrupted" int.err &&
	no_leftovers
'

test_expect_success 'perfgate noise: A/A figures and advice, as JSON too' '
	cd repo &&
	pg noise --pairs 8 --json noise.json >noise.out 2>err &&
	test_grep "^work +8 +[0-9.]+% " noise.out &&
	test_grep -v "^\|" noise.out &&
	test_grep "^  \"threshold\": \"[0-9.]+%\", \"pairs\": \[8\]$|too noisy here to gate below" noise.out &&
	pg noise --pairs 8 --format markdown >noise.md 2>err &&
	test_grep "^\| work \| 8 \|" noise.md &&
	expect_eq "$(json_get noise.json "d[\"benchmarks\"][0][\"pairs\"]")" 8 &&
	expect_eq "$(json_get noise.json "all(k in d[\"benchmarks\"][0] for k in (\"cv\", \"lag1\", \"outlier_rate\", \"aa_spread\", \"mde90\", \"recommended_threshold\", \"recommended_pairs\"))")" True &&
	expect_eq "$(json_get noise.json "d[\"benchmarks\"][0][\"mde90\"] >= d[\"benchmarks\"][0][\"threshold\"]")" True &&
	test_expect_code 2 pg noise --bogus 2>err
'

test_done
