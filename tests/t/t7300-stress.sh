#!/bin/sh
# test: serial
# Stress tests against examples/httpserver on 127.0.0.1, started by
# perfgate: a worker pool of 8 with a 10 ms service time has a known
# capacity of 800 req/s, which the ramp finds within 25%; an identical
# build passes; halving the workers fails a capacity budget; a build that
# crashes above 6 requests in flight fails with failure_mode crash; one
# that sheds load with 503 above 6 in flight fails gracefully.  Levels of
# 1 s (hey -z 1s), at most 4 levels a ramp (4, 8, 16, 32: the ramp stops
# at the first clearly broken one).  In paired mode (the default gate on
# a branch) two ramp pairs, a ramp of each side in coin-flip order.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

# row FILE BENCH METRIC KEY: a field of one row of a JSON report
row() {
	json_get "$1" "[r[\"$4\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

RAMP='{"levels": {"from": 4, "factor": 2, "max": 32}, "slo": {"p95": "25ms", "error_rate": "5%"}}'

# stress_config [STRESS]: the server's flags come from the file "flags";
# every service start is logged as "<its directory> <its port>" to
# $TRASH/svc.log; STRESS (default $RAMP: 4, 8, 16, 32, one ramp) is the
# entry's "stress" object
stress_config() {
	cat >perfgate.json <<-EOF
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": "echo \"\$(pwd) {port}\" >>\"$TRASH/svc.log\"; exec \"$SERVER\" --port {port} --port-file \"$TRASH/port\" --delay-us 10000 \$(cat flags)",
	               "ready": {"http": "http://127.0.0.1:{port}/health"}},
	   "command": "hey -z 1s -c {concurrency} -o csv http://127.0.0.1:{port}/",
	   "budget": {"capacity": ">= 600"},
	   "stress": ${1:-$RAMP}}
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

# paired: ramps of 4, 8, 16 (8 workers break at 16, 4 at 8), two ramp
# pairs (a budget gates; 7 pairs are t7351's)
PAIRED='{"levels": [4, 8, 16], "ramps": 2, "slo": {"p95": "25ms", "error_rate": "5%"}}'

# sides: the side of each service start in svc.log, "b" (the baseline's
# exported tree) or "c" (this work tree), in order
sides() {
	awk -v wt="$(pwd)" '{ print ($1 == wt ? "c" : "b") }' "$TRASH/svc.log" | tr -d "\n"
}

test_expect_success 'paired: the default gate on a branch ramps both sides in alternation and catches halved workers' '
	new_repo pr && cd pr && stress_config "$PAIRED" &&
	echo "--workers 8" >flags && git add . && git commit -q -m A &&
	git checkout -q -b half && echo "--workers 4" >flags &&
	git commit -q -am "B: 4 workers" && rm -f "$TRASH/svc.log" &&
	test_expect_code 1 perfgate gate --seed 6 --json r.json 2>err &&
	test_grep "^mode: paired" err &&
	test_grep "warning: paired: .api.: 2 ramp pairs can never fail at alpha 0.01 \(it needs 7" err &&
	test_grep -v "a stress test" err &&
	test "$(row r.json api capacity over_budget)" = True &&
	test "$(row r.json api capacity test)" = wilcoxon-signed-rank &&
	test "$(row r.json api capacity n_base)" = 2 &&
	test "$(row r.json api capacity n_cand)" = 2 &&
	test "$(row r.json api peak_throughput test)" = wilcoxon-signed-rank &&
	test "$(row r.json api/c=4 throughput test)" = wilcoxon-signed-rank &&
	cand=$(row r.json api capacity cand_value) && base=$(row r.json api capacity base_value) &&
	echo "capacity $base -> $cand" &&
	test "$(python3 -c "print(0.35 <= $cand / $base <= 0.65)")" = True &&
	cat "$TRASH/svc.log" &&
	test "$(awk "{ print \$2 }" "$TRASH/svc.log" | sort -u | wc -l)" -ge 2 &&
	test "$(awk "NR % 2 == 0 && \$2 == p { n++ } { p = \$2 } END { print n + 0 }" "$TRASH/svc.log")" = 0 &&
	# the first two coins of runner_pairs_rand() from seed 6 are 0, 1
	# (splitmix64 & 1 in python3: s += 0x9e3779b97f4a7c15; z = s;
	# z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9; z = (z ^ z >> 27) *
	# 0x94d049bb133111eb; (z ^ z >> 31) & 1, mod 2^64): the baseline
	# first, then the candidate first
	test "$(sides)" = bccb
'

test_expect_success 'paired: a candidate that only crashes is a failure_mode regression' '
	cd pr && git checkout -q -b crash half~1 &&
	echo "--workers 8 --crash-above 6" >flags &&
	sed "s/\"ramps\": 2/\"ramps\": 1/" perfgate.json >p.json && mv p.json perfgate.json &&
	git commit -q -am "C: crashes (one ramp pair: a category needs no test)" &&
	test_expect_code 1 perfgate gate --json r2.json 2>err &&
	test_grep "^mode: paired" err &&
	test "$(row r2.json api failure_mode verdict)" = regression &&
	test_grep "failure mode graceful -> crash" err
'

test_expect_success 'paired: SIGINT in the middle of a ramp stops both services and exits 3' '
	cd pr && rm -f "$TRASH/svc.log" "$TRASH/port" &&
	{ "$PERFGATE" gate 2>int.err & } &&
	pid=$! &&
	i=0 && while [ ! -s "$TRASH/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done &&
	sleep 0.5 && kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test_grep "interrupted" int.err &&
	for port in $(awk "{ print \$2 }" "$TRASH/svc.log"); do
		! python3 -c "import socket; socket.create_connection((\"127.0.0.1\", $port), 1)" 2>/dev/null || return 1
	done
'

test_done
