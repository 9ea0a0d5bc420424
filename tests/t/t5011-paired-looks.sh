#!/bin/sh
# Paired mode's looks and what a row could have seen: "pairs" extends the
# looks (up to PG_MAX_LOOKS = 10, e.g. [10, 20, 30, 60]), every row carries
# its MDE, and an inconclusive paired row says that more pairs would
# decide, or why the session stopped it early (futility, a pass).  The benchmark's work is random per process (0 to 13 M rounds of
# examples/bin/cpuwork), so no number of pairs here can decide.
# test: serial
. ./lib.sh

CPU="$EXAMPLES/cpuwork"

pg() {
	perfgate "$@"
}

new_repo repo
cat >repo/perfgate.json <<JSON
{"build": ["true"], "warmup": 0, "benchmarks": [
  {"name": "noisy", "command": "\"$CPU\" \$(( \$(od -An -N2 -tu2 /dev/urandom) * 200 ))"}
]}
JSON
(cd repo && git add . && git commit -q -m "the suite")

# row FILE KEY: a field of the wall_time row
row() {
	json_get "$1" "[r for r in d[\"rows\"] if r[\"metric\"] == \"wall_time\"][0][\"$2\"]"
}

test_expect_success 'pairs [10, 20, 30, 60]: four looks; inconclusive says more pairs would decide, or why it stopped' '
	cd repo &&
	{ pg ab HEAD --no-store --pairs 10,20,30,60 --json r.json 2>err
		test $? -le 1; } &&
	test_grep "looks at 10, 20, 30, 60 pairs" err &&
	# an A/A of this noise ends inconclusive: after the fourth look,
	# or earlier for futility (the usual end: no number of pairs can
	# show 2% here) or a pass (its 90% upper bound fell below theta by
	# chance), which the row says; a chance verdict at alpha 0.01 is
	# rarer
	if test "$(row r.json verdict)" = inconclusive; then
		if test "$(row r.json n_cand)" = 60; then
			test_grep "look 4 of 4 at 60 pairs" err &&
			test_grep "more pairs would decide" err
		else
			test_grep "stopped at $(row r.json n_cand) of 60 pairs" err
		fi
	fi &&
	# what the row could have seen: an MDE above theta, or, this noisy,
	# nothing at all ("could detect nothing", JSON detects_nothing)
	test "$(json_get r.json "[(r[\"mde\"] or 0) > 0.02 or r.get(\"detects_nothing\") for r in d[\"rows\"] if r[\"metric\"] == \"wall_time\"][0]")" = True &&
	test_grep "could detect (≥ [0-9.]+%|nothing)" err
'

test_expect_success 'up to 10 looks; an eleventh is exit 2' '
	cd repo &&
	{ pg ab HEAD --no-store --pairs 5,6,7,8,9,10,11,12,13,14 \
		--json r.json 2>err; test $? -le 1; } &&
	test_grep "looks at 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 pairs" err &&
	test_expect_code 2 pg ab HEAD --no-store \
		--pairs 5,6,7,8,9,10,11,12,13,14,15 2>err &&
	test_grep "pairs" err
'

test_done
