#!/bin/sh
# test: serial
# Real load against examples/httpserver on 127.0.0.1, started by perfgate
# as the benchmark's service: a latency regression is caught, an identical
# build passes, a leaking build is caught by the soak's memory slope and a
# clean one is not.  Bounded request counts and a few seconds each.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

# row FILE METRIC KEY: a field of the report row of METRIC
row() {
	json_get "$1" "[r for r in d[\"rows\"] if r[\"metric\"] == \"$2\"][0][\"$3\"]"
}

# row_is FILE METRIC KEY VALUE: that field is VALUE, else show the row
row_is() {
	got=$(row "$1" "$2" "$3")
	if [ "$got" != "$4" ]; then
		echo "$2.$3 is '$got', expected '$4':" >&2
		json_get "$1" "[r for r in d[\"rows\"] if r[\"metric\"] == \"$2\"][0]" >&2
		return 1
	fi
}

# A stored baseline takes the between-run variance of a percentile from
# the history (docs/statistics.md): one run a commit, so the step must
# stand out of the run-to-run noise of a p95 on a busy machine.
test_expect_success 'a latency regression (+28 ms per request) is caught' '
	new_repo slow && cd slow &&
	cat >perfgate.json <<-EOF &&
	{"runs": 1, "warmup": 0, "timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": "exec \"$SERVER\" --port {port} --delay-us \$(cat delay)",
	               "ready": {"http": "http://127.0.0.1:{port}/health"}},
	   "command": "hey -n 200 -c 4 -o csv http://127.0.0.1:{port}/"}
	]}
	EOF
	echo 2000 >delay && git add . && git commit -q -m A &&
	perfgate gate 2>err &&
	echo 30000 >delay && git commit -q -am "B: 28 ms more per request" &&
	perfgate gate --no-store --json r1.json 2>err &&
	row_is r1.json latency_p95 verdict inconclusive &&
	test_grep "1 stored run of history" err &&
	git checkout -q HEAD~1 && for i in 1 2 3 4 5 6 7; do
		perfgate run >/dev/null 2>&1 || exit 1; done &&
	git checkout -q - &&
	test_expect_code 1 perfgate gate --json r.json --markdown r.md 2>err &&
	row_is r.json latency_p95 verdict regression &&
	row_is r.json latency_p95 test run-median-moderated &&
	test "$(json_get r.json "[r for r in d[\"rows\"] if r[\"metric\"] == \"latency_p95\"][0][\"estimate\"] > 0.5")" = True &&
	test_grep "latency\\\\_p95 .*\*\*regression\*\*" r.md
'

test_expect_success 'an identical build passes (one stored run: inconclusive)' '
	new_repo same && cd same &&
	cat >perfgate.json <<-EOF &&
	{"runs": 5, "warmup": 1, "timeout": 30,
	 "gate": ["latency_p95", "throughput", "error_rate"],
	 "threshold": {"latency_p95": "60%", "throughput": "60%"},
	 "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": ["$SERVER", "--port", "{port}", "--delay-us", "1000"]},
	   "command": "hey -n 200 -c 4 -o csv http://127.0.0.1:{port}/"}
	]}
	EOF
	git add . && git commit -q -m A &&
	perfgate gate 2>err &&
	git commit -q --allow-empty -m "B: no change" &&
	{ perfgate gate --json r.json 2>err || { cat err >&2; false; }; } &&
	row_is r.json latency_p95 test run-median-moderated &&
	row_is r.json latency_p95 n_cand 5 &&
	test "$(json_get r.json "d[\"exit_code\"]")" = 0 &&
	test "$(json_get r.json "len([r for r in d[\"rows\"] if r[\"gating\"] and r[\"verdict\"] == \"regression\"])")" = 0
'

# soak LEAK: a config that leaks LEAK bytes per request for a 4 s soak
soak_config() {
	cat >perfgate.json <<-EOF
	{"runs": 1, "warmup": 0, "timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": ["$SERVER", "--port", "{port}", "--leak-bytes", "$1"]},
	   "soak": {"duration": "4s", "sample_every": "100ms", "max_rss_slope": "1MiB/min"},
	   "command": "hey -z 1s -c 2 -q 200 -o csv http://127.0.0.1:{port}/"}
	]}
	EOF
}

test_expect_success 'soak: a leak (16 KiB a request) is caught by the RSS slope' '
	new_repo leak && cd leak &&
	soak_config 16384 && git add . && git commit -q -m A &&
	test_expect_code 1 perfgate gate --json r.json 2>err &&
	row_is r.json rss_slope over_budget True &&
	row_is r.json rss_slope bench api/service &&
	test_grep "rss_slope <= 1MiB/min \(17.48 kB/s\): Theil-Sen [0-9.]+ MB/s" err &&
	row_is r.json latency_p95 over_budget False &&
	perfgate show --format json >s.json &&
	b="[b for b in d[\"runs\"][0][\"benchmarks\"] if b[\"name\"] == \"api/service\"][0]" &&
	test "$(json_get s.json "int($b[\"params\"][\"soak_samples\"]) >= 30")" = True &&
	test "$(json_get s.json "$b[\"metrics\"][\"cpu_per_request\"][\"samples\"][0] > 0")" = True
'

test_expect_success 'soak: the same server without the leak passes' '
	new_repo clean && cd clean &&
	soak_config 0 && git add . && git commit -q -m A &&
	perfgate gate --json r.json 2>err &&
	row_is r.json rss_slope over_budget False
'

test_done
