#!/bin/sh
# Load generators: import their output (real runs of wrk, hey, Locust and
# autocannon; hand-written k6), corrupted copies (exit 2), and live runs of
# hey and wrk against examples/httpserver on 127.0.0.1 (a few seconds).
. ./lib.sh

FIX="$PERFGATE_TOP/tests/fixtures/load"
SERVER="$PERFGATE_TOP/examples/bin/httpserver"

# metric FILE BENCH METRIC: the first sample of a metric.
metric() {
	json_get "$1" "[b for b in d[\"runs\"][0][\"benchmarks\"] if b[\"name\"] == \"$2\"][0][\"metrics\"][\"$3\"][\"samples\"][0]"
}

test_expect_success 'every load fixture imports with its format detected' '
	for f in wrk.txt wrk-socket-errors.txt wrk-lua.txt wrk.json hey.csv \
		locust_stats.csv autocannon.json k6-summary.json \
		k6-handle-summary.json; do
		perfgate import --no-store --json out.json "$FIX/$f" >msg ||
			return 1
		test_grep "^imported [0-9]+ benchmarks? from 1 file \((wrk|hey|locust|autocannon|k6)\)" msg || return 1
	done
'

test_expect_success 'one run from several tools; aggregates flagged, counts kept' '
	perfgate import --no-store --json all.json "$FIX/wrk.txt" "$FIX/hey.csv" \
		"$FIX/locust" "$FIX/autocannon.json" "$FIX/k6-summary.json" >msg &&
	test_grep "imported 7 benchmarks from 5 files \(wrk,hey,locust,autocannon,k6\)" msg &&
	test "$(metric all.json wrk failures)" = 382 &&
	test "$(metric all.json "GET /" requests)" = 4508 &&
	b="d[\"runs\"][0][\"benchmarks\"]" &&
	test "$(json_get all.json "$b[0][\"metrics\"][\"latency_p99\"][\"aggregate\"]")" = True &&
	test "$(json_get all.json "$b[0][\"metrics\"][\"throughput\"][\"direction\"]")" = higher &&
	test "$(json_get all.json "$b[0][\"metrics\"][\"error_rate\"][\"unit\"]")" = ratio &&
	test "$(json_get all.json "len($b[1][\"metrics\"][\"latency\"][\"samples\"])")" = 400 &&
	test "$(json_get all.json "\"aggregate\" in $b[1][\"metrics\"][\"latency\"]")" = False
'

test_expect_success 'Locust: a prefix, a directory or the stats file' '
	perfgate import --no-store --format locust --json p.json "$FIX/locust" >/dev/null &&
	test "$(json_get p.json "d[\"runs\"][0][\"benchmarks\"][2][\"params\"][\"users\"]")" = 4 &&
	perfgate import --no-store --json f.json "$FIX/locust_stats.csv" >/dev/null &&
	test "$(json_get f.json "d[\"runs\"][0][\"benchmarks\"][0][\"name\"]")" = "GET /" &&
	mkdir one && cp "$FIX"/locust_* one/ &&
	perfgate import --no-store --json d.json one >/dev/null &&
	test "$(json_get d.json "len(d[\"runs\"][0][\"benchmarks\"])")" = 3 &&
	cp one/locust_stats.csv one/other_stats.csv &&
	test_expect_code 2 perfgate import --no-store one 2>err &&
	test_grep "holds the output of 2 Locust runs" err
'

test_expect_success 'every corrupted copy is exit 2 naming the file' '
	for f in "$FIX"/corrupt/*; do
		test_expect_code 2 perfgate import --no-store --json x.json "$f" \
			2>err || return 1
		test_grep "^perfgate: error: .*$(basename "$f" | sed "s/_stats.*//")" err ||
			return 1
		test_line_count err 1 && test ! -e x.json || return 1
	done &&
	test_expect_code 2 perfgate import --no-store \
		"$FIX/corrupt/locust-bad-history" 2>err &&
	test_grep "locust-bad-history_stats_history.csv.: line 3: expected a timestamp" err
'

test_expect_success 'gate: one run per side of a reported p99 is inconclusive' '
	new_repo g && cd g &&
	perfgate import "$FIX/wrk.txt" >/dev/null 2>&1 &&
	git commit -q --allow-empty -m B &&
	sed "s/99%    3.35ms/99%    9.35ms/" "$FIX/wrk.txt" >worse.txt &&
	perfgate import --no-store --commit "$(git rev-parse HEAD)" \
		--json b.json worse.txt >/dev/null &&
	perfgate gate --results b.json --json r.json >out 2>err &&
	row="[r for r in d[\"rows\"] if r[\"metric\"] == \"latency_p99\"][0]" &&
	test "$(json_get r.json "$row[\"verdict\"]")" = inconclusive &&
	test "$(json_get r.json "$row[\"gating\"]")" = True &&
	test_grep "1 stored run of history" err
'

# start_server ARGS...: examples/bin/httpserver on a free port; sets $port.
start_server() {
	rm -f port
	"$SERVER" --port-file port "$@" >/dev/null 2>server.err &
	server=$!
	i=0
	while ! test -s port; do
		i=$((i + 1))
		test $i -lt 100 || return 1
		sleep 0.05
	done
	port=$(cat port)
}

stop_server() {
	kill -TERM $server && wait $server
}

test_expect_success 'live: hey against the server, failures counted exactly' '
	start_server --error-rate 0.05 &&
	curl -sf "http://127.0.0.1:$port/health" >health &&
	test "$(cat health)" = ok &&
	hey -n 200 -c 2 -o csv "http://127.0.0.1:$port/" >hey.csv &&
	stop_server &&
	test_grep "served 200 requests, 10 failed" server.err &&
	perfgate import --no-store --json h.json hey.csv >/dev/null &&
	test "$(metric h.json hey requests)" = 200 &&
	test "$(metric h.json hey failures)" = 10 &&
	test "$(metric h.json hey error_rate)" = 0.05
'

# rss PID: resident set size in kB
rss() {
	awk '/^VmRSS:/ {print $2}' /proc/$1/status
}

test_expect_success 'live: the server knobs (delay, leak) and a clean SIGTERM' '
	start_server --delay-us 2000 --leak-bytes 65536 &&
	before=$(rss $server) &&
	hey -n 300 -c 3 -o csv "http://127.0.0.1:$port/" >slow.csv &&
	after=$(rss $server) &&
	kill -TERM $server && wait $server &&
	test_grep "served 300 requests, 0 failed" server.err &&
	perfgate import --no-store --json s.json slow.csv >/dev/null &&
	test "$(json_get s.json "min(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"latency\"][\"samples\"]) >= 0.002")" = True &&
	# 300 requests x 64 KiB = 18.75 MiB leaked, all of it touched
	test $((after - before)) -gt 15000 &&
	start_server &&
	test_expect_code 3 "$SERVER" --port "$port" 2>busy.err &&
	test_grep "cannot listen" busy.err && stop_server &&
	test_expect_code 2 "$SERVER" --error-rate 2 2>/dev/null
'

test_expect_success 'live: a config entry runs wrk with the bundled script' '
	start_server --delay-us 300 &&
	cat >perfgate.json <<-EOF &&
	{"runs": 2, "warmup": 0, "timeout": 20, "benchmarks": [
	  {"name": "api", "format": "wrk",
	   "command": ["wrk", "-t1", "-c2", "-d1s", "-s",
	               "$PERFGATE_TOP/examples/wrk/perfgate.lua",
	               "http://127.0.0.1:$port/"]}
	]}
	EOF
	perfgate run --no-store --json r.json >out 2>err &&
	stop_server &&
	b="d[\"runs\"][0][\"benchmarks\"][0]" &&
	test "$(json_get r.json "$b[\"name\"]")" = api/wrk &&
	test "$(json_get r.json "len($b[\"metrics\"][\"latency_p95\"][\"samples\"])")" = 2 &&
	test "$(json_get r.json "$b[\"metrics\"][\"latency_p95\"][\"samples\"][0] > 300e-6")" = True &&
	test "$(json_get r.json "sum($b[\"metrics\"][\"failures\"][\"samples\"]) == 0")" = True &&
	test "$(json_get r.json "len($b[\"metrics\"][\"latency\"][\"samples\"])")" = 2000
'

test_done
