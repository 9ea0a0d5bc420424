#!/bin/sh
# perfgate gate --stored on a real repository whose main has one stored run
# per commit (as CI on push makes them) of a program with between-run
# drift: each run's work is scaled by $DRIFT percent, a fixed sequence
# here, as a machine's state shifts between CI jobs.  The between-run
# variance comes from that history (docs/statistics.md): an unchanged PR
# does not regress, a 2x slowdown is caught once five runs exist, with
# fewer the verdict is inconclusive with the reason, every row says what it
# could have seen, and an improvement shows the p-value that tested it.
# test: serial
. ./lib.sh

CPU="$EXAMPLES/cpuwork"
ITERS=4000000

# The suite gates on CPU time, which a busy machine disturbs far less than
# wall time; DRIFT is the between-run noise, not the machine.
new_repo repo
cat >repo/perfgate.json <<JSON
{"runs": 7, "warmup": 1, "gate": ["cpu_user"], "benchmarks": [
  {"name": "work", "command": "\"$CPU\" \$(( \$(cat iters) * \${DRIFT:-100} / 100 ))"}
]}
JSON
(cd repo && echo $ITERS >iters && git add . && git commit -q -m "the suite")

# push_main DRIFT...: one commit on main and one stored run per DRIFT
push_main() {
	for d in "$@"; do
		git commit -q --allow-empty -m "main at drift $d" &&
		DRIFT=$d perfgate run >"$TRASH/push.out" 2>&1 ||
			{ echo "push_main: perfgate run failed:" >&2
			  cat "$TRASH/push.out" >&2; return 1; }
	done
}

# verdict FILE: the verdict of work's cpu_user row
verdict() {
	json_get "$1" "[r[\"verdict\"] for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0]"
}

# field FILE KEY: a field of work's cpu_user row
field() {
	json_get "$1" "[r for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0][\"$2\"]"
}

test_expect_success 'two runs of history: a +50% slowdown is inconclusive, with the reason' '
	cd repo && push_main 104 97 &&
	git checkout -q -b early && echo $((ITERS * 3 / 2)) >iters &&
	git commit -q -am "50% more work" &&
	perfgate gate --stored --base-branch main --json r.json 2>err &&
	test "$(verdict r.json)" = inconclusive &&
	test_grep "2 stored runs of history" err &&
	test_grep "paired mode" err &&
	test "$(field r.json p_value)" = None &&
	test "$(field r.json detects_nothing)" = True &&
	test_grep "could detect nothing" err &&
	git checkout -q main
'

test_expect_success 'an unchanged PR does not regress on drift alone' '
	cd repo && push_main 102 96 105 99 103 95 101 98 104 100 &&
	git checkout -q -b docs && echo docs >README && git add README &&
	git commit -q -m docs &&
	# within the drift of the history, clear of theta (5%) both ways
	for d in 103 97 102 100; do
		DRIFT=$d perfgate gate --stored --base-branch main --no-store \
			--json r$d.json 2>err$d || { cat err$d; return 1; }
		v=$(verdict r$d.json)
		test "$v" != regression && test "$v" != improvement ||
			{ cat err$d; return 1; }
	done &&
	test_grep "from 1[0-9] runs of history" err103 &&
	test_grep "df from" err103 &&
	# what it could have seen: an MDE, or, when this run came out
	# noisier than the history, nothing at all (as in t5011)
	test_grep "could detect (≥ [0-9.]+%|nothing)" err103 &&
	test "$(json_get r100.json "[0 < (r[\"mde\"] or 0) or r.get(\"detects_nothing\") for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0]")" = True &&
	git checkout -q main
'

# twice the work: a busy runner's history (a between-run sd of 9% on 8 df
# was seen) can detect only about 55%, so +50% would be a coin flip there
test_expect_success 'a 2x slowdown is caught once the history exists' '
	cd repo && git checkout -q -b slow main &&
	echo $((ITERS * 2)) >iters && git commit -q -am "twice the work" &&
	test_expect_code 1 perfgate gate --stored --base-branch main --no-store \
		--json r.json --junit j.xml 2>err &&
	test "$(verdict r.json)" = regression &&
	test "$(json_get r.json "[r for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0][\"estimate\"] > 0.2")" = True &&
	test_grep "between-run sd [0-9.]+% on [0-9.]+ df" err &&
	test_grep "perfgate.mde.work \[cpu_user\]" j.xml &&
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" j.xml &&
	git checkout -q main
'

test_expect_success 'an improvement shows the p-value that tested it' '
	cd repo && git checkout -q -b fast main &&
	echo $((ITERS / 4)) >iters && git commit -q -am "a quarter of the work" &&
	perfgate gate --stored --base-branch main --no-store --json r.json 2>err &&
	test "$(verdict r.json)" = improvement &&
	test "$(json_get r.json "[r for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0][\"p_adjusted\"] < 0.01")" = True &&
	test "$(json_get r.json "[r for r in d[\"rows\"] if r[\"metric\"] == \"cpu_user\"][0][\"p_value\"] < 0.01")" = True &&
	git checkout -q main
'

test_expect_success '--history-window limits the history, and is checked' '
	cd repo && git checkout -q slow &&
	perfgate gate --stored --base-branch main --no-store --history-window 3 --baseline-window 1 \
		--json r.json 2>err &&
	test "$(verdict r.json)" = inconclusive &&
	test_grep "3 stored runs of history" err &&
	test_expect_code 2 perfgate gate --stored --history-window 0 2>err &&
	test_grep "history-window" err &&
	git checkout -q main
'

test_done
