#!/bin/sh
# History alerts (gate/alert.h): `perfgate gate` on a push to main runs
# change-point detection on main's stored series.  A +20% step merged to
# main is flagged once (exit 1, recorded on the step's note), the next
# push reports it as known (exit 0), and a Perfgate-Accept trailer naming
# BENCHMARK@COMMIT clears it.  The benchmark is a seeded noise program
# (1% noise per repetition) whose level is the file "factor" of the tree.
. ./lib.sh

# noise: a Google Benchmark JSON of 5 repetitions of "parse" at 1 ms x
# factor with 1% Gaussian noise, seeded by the commit's "seq" file and a
# call counter kept outside the tree (awk: a process start costs little)
cat >"$TRASH/noise" <<'SH'
#!/bin/sh
c=$(cat "$NOISE_STATE/calls" 2>/dev/null || echo 0)
echo $((c + 1)) >"$NOISE_STATE/calls"
exec awk -v seed="$(($(cat seq) * 7919 + c))" -v f="$(cat factor)" 'BEGIN {
	srand(seed); printf "{\"context\": {}, \"benchmarks\": ["
	for (i = 0; i < 5; i++) {
		# Box-Muller: a standard normal from two uniforms
		z = sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand())
		printf "%s{\"name\": \"parse\", \"run_type\": \"iteration\", ", \
			(i ? ", " : "")
		printf "\"iterations\": 100, \"real_time\": %.1f, ", 1e6 * f * (1 + 0.01 * z)
		printf "\"cpu_time\": %.1f, \"time_unit\": \"ns\"}", 1e6 * f
	}
	print "]}"
}'
SH
chmod +x "$TRASH/noise"
export NOISE_STATE="$TRASH"

# commit_on_main SEQ FACTOR [MESSAGE]: one commit on main
commit_on_main() {
	echo "$1" >seq && echo "$2" >factor && git add seq factor &&
	git commit -q -m "${3:-commit $1}"
}

# push SEQ FACTOR [MESSAGE]: commit and gate it as CI does on a push
push() {
	commit_on_main "$@" &&
	perfgate gate --base-branch main --json "$TRASH/r.json" \
		--markdown "$TRASH/m.md" --junit "$TRASH/j.xml" \
		2>"$TRASH/gate.err"
}

setup_repo() {
	new_repo "$1" && cd "$1" &&
	cat >perfgate.json <<JSON &&
{"runs": 1, "warmup": 0, "benchmarks": [
  {"name": "g", "command": ["$TRASH/noise"],
   "format": "google-benchmark"}]}
JSON
	git add perfgate.json && git commit -q -m config
}

# history: N commits at level 1.0 with their runs stored, as earlier
# pushes would have left them
history() {
	i=1
	while [ $i -le "$1" ]; do
		commit_on_main $i 1.0 && perfgate run >/dev/null 2>&1 ||
			return 1
		i=$((i + 1))
	done
}

test_expect_success 'a +20% step on main is flagged once, then known' '
	setup_repo step && history 20 &&
	seq=100 && code=0 && step= && pushes=0 && found= &&
	while [ $pushes -lt 8 ] && [ -z "$found" ]; do
		push $seq 1.2 "push $seq"
		code=$?
		[ -n "$step" ] || step=$(git rev-parse HEAD)
		grep -q "new .*shifted g/parse" "$TRASH/gate.err" && found=1
		pushes=$((pushes + 1)) && seq=$((seq + 1))
	done &&
	say "flagged on push $pushes after the step, exit $code" &&
	test -n "$found" && test $pushes -gt 1 &&
	test "$code" -eq 1 &&
	test_grep "history alerts:" "$TRASH/gate.err" &&
	test_grep "new +commit $(echo $step | cut -c1-7) shifted g/parse real_time by \+[12][0-9]\.[0-9]%" "$TRASH/gate.err" &&
	python3 -c "
import json; r = json.load(open(\"$TRASH/r.json\"))
a = r[\"history\"][\"alerts\"]
assert len(a) == 1 and a[0][\"state\"] == \"new\" and a[0][\"fails\"], a
assert a[0][\"commit\"] == \"$step\", a[0][\"commit\"]
assert 0.15 < a[0][\"shift\"] < 0.25, a[0][\"shift\"]
assert r[\"exit_code\"] == 1
assert not any(x[\"verdict\"] == \"regression\" for x in r[\"rows\"]), r[\"rows\"]
" &&
	"$TEST_DIR/check_markdown.py" "$TRASH/m.md" 1 "History alerts" \
		"shifted g/parse real_time by" "new: fails the gate" &&
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" "$TRASH/j.xml" &&
	test_grep "classname=\"perfgate.history\"" "$TRASH/j.xml" &&
	test_grep "<failure type=\"history-alert\"" "$TRASH/j.xml" &&
	git notes --ref=perfgate show $step >note &&
	test_grep "\"alerts\":" note && test_grep "\"runs\":" note &&
	push $seq 1.2 "after the alert" &&
	test_grep "known +commit $(echo $step | cut -c1-7) shifted g/parse" "$TRASH/gate.err" &&
	git notes --ref=perfgate show $step >note2 &&
	python3 -c "
import json
a, b = json.load(open(\"note\")), json.load(open(\"note2\"))
assert a[\"runs\"] == b[\"runs\"] and len(b[\"alerts\"]) == 1
"
'

test_expect_success 'a Perfgate-Accept trailer naming g/parse@COMMIT clears it' '
	cd "$TRASH/step" && step=$(git log --format=%H --grep="^push 100\$") &&
	short=$(echo $step | cut -c1-7) &&
	push 200 1.2 "tokenizer

Perfgate-Accept: g/parse@$short the new tokenizer is worth it" &&
	test_grep "accepted +commit $short shifted g/parse" "$TRASH/gate.err" &&
	test_grep "the new tokenizer is worth it" "$TRASH/gate.err"
'

test_expect_success '"on_change": "warn" reports a new alert and passes' '
	setup_repo "$TRASH/warn" &&
	sed "s/\"runs\": 1,/\"runs\": 1, \"on_change\": \"warn\",/" \
		perfgate.json >p.json && mv p.json perfgate.json &&
	git commit -q -am "warn only" && history 20 &&
	seq=100 && code=0 && found= && pushes=0 &&
	while [ $pushes -lt 8 ] && [ -z "$found" ]; do
		commit_on_main $seq 1.2 &&
		perfgate gate --base-branch main 2>"$TRASH/gate.err"
		code=$?
		grep -q "new .*shifted g/parse" "$TRASH/gate.err" && found=1
		pushes=$((pushes + 1)) && seq=$((seq + 1))
	done &&
	test -n "$found" && test "$code" -eq 0 &&
	test_grep "new \(warn only\)" "$TRASH/gate.err"
'

test_expect_success 'an "accept" entry with the commit clears it too' '
	cd "$TRASH/warn" && step=$(git log --format=%H --grep="^commit 100\$") &&
	test -n "$step" &&
	python3 -c "
import json; c = json.load(open(\"perfgate.json\"))
c[\"accept\"] = [{\"benchmark\": \"g/parse\", \"metric\": \"real_time\",
                 \"max\": \"30%\", \"commit\": \"$step\"[:10],
                 \"reason\": \"bigger parse tables\"}]
json.dump(c, open(\"perfgate.json\", \"w\"))" &&
	git commit -q -am "accept the parse shift" &&
	perfgate gate --base-branch main 2>"$TRASH/gate.err" &&
	test_grep "accepted +commit $(echo $step | cut -c1-7) shifted g/parse.*accepted in perfgate.json: bigger parse tables" "$TRASH/gate.err"
'

test_expect_success 'a pure-noise main is not flagged' '
	setup_repo "$TRASH/flat" && history 15 &&
	seq=100 && pushes=0 &&
	while [ $pushes -lt 10 ]; do
		push $seq 1.0 || return 1
		test_grep -v "history alerts:" "$TRASH/gate.err" || return 1
		pushes=$((pushes + 1)) && seq=$((seq + 1))
	done &&
	test_grep "^history: [0-9]+ commits with results" "$TRASH/gate.err"
'

test_expect_success 'a gate on a branch off main raises no history alert' '
	cd "$TRASH/step" && git checkout -q -b feature &&
	echo 300 >seq && git commit -q -am feature &&
	perfgate gate --base-branch main 2>"$TRASH/gate.err"
	test_grep -v "^history:" "$TRASH/gate.err"
'

test_expect_success 'with --base (as the pre-push hook gates) no history alert runs' '
	cd "$TRASH/step" && git checkout -q main &&
	commit_on_main 400 1.2 &&
	perfgate gate --base HEAD~1 --base-branch main 2>"$TRASH/gate.err"
	test_grep -v "^history:" "$TRASH/gate.err" &&
	test_grep "g/parse" "$TRASH/gate.err"
'

test_expect_success 'on_change in perfgate.json: a bad value is exit 2' '
	cd "$TRASH/step" &&
	sed "s/\"runs\": 1,/\"runs\": 1, \"on_change\": \"never\",/" \
		perfgate.json >bad.json &&
	test_expect_code 2 perfgate gate -c bad.json 2>err &&
	test_grep "on_change: .never. must be" err &&
	test_expect_code 2 perfgate gate --on-change maybe 2>err &&
	test_grep "on-change: .maybe. must be fail or warn" err
'

test_done
