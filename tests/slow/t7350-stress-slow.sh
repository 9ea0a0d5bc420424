#!/bin/sh
# test: serial
# Longer stress ramps (make check-slow, about 40 s): an open-loop ramp on
# "{rate}" (hey -q is per worker: the total is q x c), three ramps whose
# capacities agree, and SIGINT in the middle of a ramp, which stops the
# service and exits 3.  examples/httpserver on 127.0.0.1 only.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

show_bench() {
	json_get "$1" "[b for b in d[\"runs\"][0][\"benchmarks\"] if b[\"name\"] == \"$2\"][0]$3"
}

test_expect_success 'an open-loop ramp on {rate}' '
	new_repo rate && cd rate &&
	cat >perfgate.json <<-EOF &&
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": ["$SERVER", "--port", "{port}", "--delay-us", "10000", "--workers", "4"]},
	   "command": "hey -z 2s -c 8 -q {rate} -o csv http://127.0.0.1:{port}/",
	   "stress": {"levels": [12.5, 25, 100], "slo": {"p95": "50ms", "error_rate": "5%"}}}
	]}
	EOF
	git add . && git commit -q -m A &&
	perfgate run --json out.json 2>err &&
	show_bench out.json api/rate=12.5 "[\"metrics\"][\"throughput\"]" &&
	cap=$(show_bench out.json api "[\"metrics\"][\"capacity\"][\"samples\"][0]") &&
	echo "capacity $cap" &&
	test "$(python3 -c "print(150 <= $cap <= 500)")" = True &&
	test "$(show_bench out.json api "[\"metrics\"][\"capacity_level\"][\"unit\"]")" = req/s
'

test_expect_success 'three ramps of 2 s levels agree on the capacity (800 req/s)' '
	new_repo three && cd three &&
	cat >perfgate.json <<-EOF &&
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": ["$SERVER", "--port", "{port}", "--delay-us", "10000", "--workers", "8"]},
	   "command": "hey -z 2s -c {concurrency} -o csv http://127.0.0.1:{port}/",
	   "stress": {"levels": [4, 8, 16], "ramps": 3, "slo": {"p95": "17ms"}}}
	]}
	EOF
	git add . && git commit -q -m A &&
	perfgate run --json out.json 2>err &&
	caps=$(show_bench out.json api "[\"metrics\"][\"capacity\"][\"samples\"]") &&
	echo "capacities $caps" &&
	test "$(python3 -c "import statistics as s; c=$caps; print(len(c) == 3 and all(600 <= x <= 1000 for x in c) and s.stdev(c) / s.mean(c) < 0.1)")" = True &&
	test "$(show_bench out.json api/c=8 "[\"metrics\"][\"requests\"][\"samples\"].__len__()")" = 3
'

test_expect_success 'SIGINT during a ramp stops the service and exits 3' '
	new_repo int && cd int &&
	cat >perfgate.json <<-EOF &&
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": ["$SERVER", "--port", "{port}", "--port-file", "$TRASH/int/port", "--delay-us", "1000"]},
	   "command": "hey -z 3s -c {concurrency} -o csv http://127.0.0.1:{port}/",
	   "stress": {"levels": [1, 2, 4, 8], "slo": {"p95": "1s"}}}
	]}
	EOF
	git add . && git commit -q -m A &&
	{ "$PERFGATE" run --no-store 2>err & } &&
	pid=$! &&
	i=0 && while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done &&
	sleep 1 && kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test_grep "interrupted" err &&
	! python3 -c "import socket,sys; socket.create_connection((\"127.0.0.1\", int(open(\"port\").read())), 1)" 2>/dev/null
'

test_done
