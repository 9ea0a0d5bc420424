#!/bin/sh
# test: serial
# Stress tests against examples/httpserver on 127.0.0.1, started by
# perfgate: a worker pool of 8 with a 10 ms service time has a known
# capacity of 800 req/s, which the ramp finds within 25%; an identical
# build passes; halving the workers fails a capacity budget; a build that
# crashes above 6 requests in flight fails with failure_mode crash; one
# that sheds load with 503 above 6 in flight fails gracefully.  Levels of
# 1 s (hey -z 1s), at most 4 levels a ramp (4, 8, 16, 32: the ramp stops
# at the first clearly broken one).
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

# row FILE BENCH METRIC KEY: a field of one row of a JSON report
row() {
	json_get "$1" "[r[\"$4\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

# stress_config: the server's flags come from the file "flags"
stress_config() {
	cat >perfgate.json <<-EOF
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": "exec \"$SERVER\" --port {port} --delay-us 10000 \$(cat flags)",
	               "ready": {"http": "http://127.0.0.1:{port}/health"}},
	   "command": "hey -z 1s -c {concurrency} -o csv http://127.0.0.1:{port}/",
	   "budget": {"capacity": ">= 600"},
	   "stress": {"levels": {"from": 4, "factor": 2, "max": 32},
	              "slo": {"p95": "25ms", "error_rate": "5%"}}}
	]}
	EOF
}

# show_bench FILE NAME EXPR: EXPR (Python on b) of benchmark NAME in a
# `perfgate show --format json` document
show_bench() {
	json_get "$1" "[b for b in d[\"runs\"][0][\"benchmarks\"] if b[\"name\"] == \"$2\"][0]$3"
}

test_expect_success 'the capacity of 8 workers x 10 ms (800 req/s) is found within 25%, an A/A ramp passes' '
	new_repo aa && cd aa && stress_config &&
	echo "--workers 8" >flags && git add . && git commit -q -m A &&
	perfgate gate --json r1.json 2>err1 &&
	perfgate show --format json >s.json &&
	cap=$(show_bench s.json api "[\"metrics\"][\"capacity\"][\"samples\"][0]") &&
	echo "capacity $cap" &&
	test "$(python3 -c "print(600 <= $cap <= 1000)")" = True &&
	test "$(show_bench s.json api "[\"params\"][\"failure_mode\"]")" = graceful &&
	bp=$(show_bench s.json api "[\"metrics\"][\"breaking_point\"][\"samples\"][0]") &&
	echo "breaking point $bp" &&
	test "$(python3 -c "print($bp in (16, 32))")" = True &&
	test "$(json_get s.json "sorted(int(b[\"name\"][6:]) for b in d[\"runs\"][0][\"benchmarks\"] if b[\"name\"].startswith(\"api/c=\"))[-1] == $bp")" = True &&
	test "$(show_bench s.json api "[\"params\"][\"levels_run\"]")" = "$(python3 -c "print({16: 3, 32: 4}[int($bp)])")" &&
	show_bench s.json api/c=8 "[\"metrics\"][\"service_rss\"][\"samples\"][0]" &&
	git commit -q --allow-empty -m "B: no change" &&
	perfgate gate --json r2.json 2>err2 &&
	test "$(row r2.json api failure_mode verdict)" = unchanged &&
	test "$(row r2.json api capacity over_budget)" = False
'

test_expect_success 'halving the workers fails the capacity budget' '
	cd aa && echo "--workers 4" >flags && git commit -q -am "C: 4 workers" &&
	test_expect_code 1 perfgate gate --json r3.json 2>err &&
	test "$(row r3.json api capacity over_budget)" = True &&
	test_grep "capacity >= 600 \(exceeded\)" err
'

test_expect_success 'a crash under stress fails the gate with failure_mode crash' '
	cd aa && echo "--workers 8 --crash-above 6" >flags &&
	git commit -q -am "D: crashes above 6 in flight" &&
	test_expect_code 1 perfgate gate --json r4.json --markdown r4.md 2>err &&
	test "$(row r4.json api failure_mode verdict)" = regression &&
	test_grep "failure mode graceful -> crash" err &&
	test_grep "killed by signal 6" err &&
	test_grep "failure mode graceful .*crash" r4.md &&
	test_grep "^stress api: capacity .* req/s -> .* req/s; failure mode graceful -> crash" err &&
	test_grep "^  4 .* ms -> .* ms" err &&
	test_grep "^xychart-beta" r4.md &&
	test "$(json_get r4.json "d[\"curves\"][0][\"failure_mode_cand\"]")" = crash &&
	test "$(json_get r4.json "[p[\"level\"] for p in d[\"curves\"][0][\"points\"]][:2]")" = "[4, 8]" &&
	test "$(json_get r4.json "d[\"curves\"][0][\"points\"][1][\"cand\"][\"latency_p95\"]")" = None &&
	perfgate report --html site 2>err &&
	test_grep "<h2>Stress test api: latency against load</h2>" site/gate.html &&
	test_grep "failure mode graceful .* crash" site/gate.html &&
	test_grep "<title>api: p50, p95, p99 latency against the level</title>" site/gate.html &&
	test_grep "stroke=\"#cc3333\"" site/gate.html
'

test_expect_success 'load shed with 503 is a graceful failure' '
	new_repo shed && cd shed && stress_config &&
	echo "--workers 8 --shed-above 6" >flags && git add . && git commit -q -m A &&
	perfgate run 2>err &&
	perfgate show --format json >s.json &&
	test "$(show_bench s.json api "[\"params\"][\"failure_mode\"]")" = graceful &&
	test "$(json_get s.json "sum(int(b.get(\"params\", {}).get(\"shed\", 0)) for b in d[\"runs\"][0][\"benchmarks\"])")" -gt 0
'

test_expect_success 'a stress test refuses --paired; the default gate on a branch runs it stored' '
	cd aa &&
	test_expect_code 2 perfgate gate --paired 2>err &&
	test_grep "stress test cannot run in paired mode" err &&
	git checkout -q -b change && git commit -q --allow-empty -m E &&
	{ perfgate gate --json r5.json 2>err; test $? -le 1; } &&
	test_grep "^mode: stored: .*a stress test ramps one service per side" err &&
	test "$(json_get r5.json "len(d[\"curves\"])")" = 1
'

test_done
