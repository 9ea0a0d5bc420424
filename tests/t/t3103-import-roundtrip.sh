#!/bin/sh
# Finding 4 of the hardening issue: an empty benchmark name imported with
# exit 0 and made the whole commit's note unreadable (show exit 2, log
# skipped the commit, the next gate found no baseline).  Everything
# written must be readable by every reader: every format's fixture goes
# import -> show -> log -> gate, and empty names are refused at import.
. ./lib.sh

FIX="$PERFGATE_TOP/tests/fixtures"

new_repo repo
cd repo

# roundtrip FORMAT FILE: import on a new commit, then every reader
roundtrip() {
	git commit -q --allow-empty -m "$1" &&
	perfgate import --format "$1" "$2" >/dev/null 2>err &&
	perfgate import --no-store --format "$1" --json want.json "$2" \
		>/dev/null 2>>err &&
	perfgate show HEAD >show.out 2>>err &&
	perfgate log -n 1 --format json >log.json 2>>err &&
	test_grep -v "warning|skipp|unreadable" err &&
	python3 - want.json show.out log.json <<-\EOF_PY
	import json, sys
	want = json.load(open(sys.argv[1]))["runs"][0]["benchmarks"]
	show = open(sys.argv[2]).read()
	log = json.dumps(json.load(open(sys.argv[3])))
	for b in want:
	    if b.get("error"):  # a failed benchmark: shown, not in the log
	        assert "    %s: failed" % b["name"] in show, ("show lacks", b["name"])
	        continue
	    assert "    " + b["name"] + "\n" in show, ("show lacks", b["name"])
	    assert json.dumps(b["name"]) in log, ("log lacks", b["name"])
	EOF_PY
}

for pair in google-benchmark:google-benchmark.json \
	google-benchmark:google-benchmark-aggregates.json \
	hyperfine:hyperfine.json hyperfine:hyperfine-params.json \
	go:go.txt go:go-cpu-fail.txt pytest-benchmark:pytest-benchmark.json \
	criterion:criterion jmh:jmh.json bmf:bmf.json perfgate:perfgate.json \
	wrk:load/wrk.json wrk:load/wrk.txt wrk:load/wrk-lua.txt \
	wrk:load/wrk-socket-errors.txt autocannon:load/autocannon.json \
	k6:load/k6-summary.json k6:load/k6-handle-summary.json hey:load/hey.csv \
	locust:load/locust_stats.csv; do
	fmt=${pair%%:*}
	file=${pair#*:}
	test_expect_success "import-show-log-roundtrip: $fmt $file" "
		roundtrip $fmt \"$FIX/$file\"
	"
done

test_expect_success 'empty-benchmark-name: google-benchmark run_name "" is exit 2' '
	notes=$(git rev-parse refs/notes/perfgate) &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
d[\"benchmarks\"][0][\"name\"] = d[\"benchmarks\"][0][\"run_name\"] = \"\"
json.dump(d, open(\"g.json\", \"w\"))" "$FIX/google-benchmark.json" &&
	test_expect_code 2 perfgate import --format google-benchmark g.json 2>err &&
	test_grep "g.json.*empty benchmark name" err &&
	test "$(git rev-parse refs/notes/perfgate)" = "$notes"
'

test_expect_success 'empty-benchmark-name: jmh benchmark "" is exit 2' '
	notes=$(git rev-parse refs/notes/perfgate) &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
d[0][\"benchmark\"] = \"\"
json.dump(d, open(\"j.json\", \"w\"))" "$FIX/jmh.json" &&
	test_expect_code 2 perfgate import --format jmh j.json 2>err &&
	test_grep "j.json.*empty benchmark name" err &&
	test "$(git rev-parse refs/notes/perfgate)" = "$notes"
'

test_expect_success 'empty-benchmark-name: the commit stays readable' '
	perfgate show HEAD >/dev/null &&
	perfgate log -n 1 >out 2>err &&
	test_grep -v "skipp|unreadable" err
'

test_done
