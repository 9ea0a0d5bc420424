#!/bin/sh
# A load benchmark's "service": bad config (exit 2), a service that never
# gets ready or dies (exit 3 with its stderr tail), the service always
# stopped (also on SIGINT), and the error-rate budget and comparison on
# exact failure counts of examples/httpserver.  127.0.0.1 only.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

# gone PIDFILE: no live process is left in the process group of the pid
# in it (an orphaned grandchild may stay a zombie until init reaps it)
gone() {
	pgid=$(cat "$1") || return 1
	for p in $(pgrep -g "$pgid"); do
		state=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -c1)
		if [ -n "$state" ] && [ "$state" != Z ]; then
			echo "process group $pgid is still there:" >&2
			pgrep -a -g "$pgid" >&2
			return 1
		fi
	done
}

# bad_config JSON MESSAGE: perfgate run exits 2 naming the problem
bad_config() {
	printf '%s\n' "$1" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "$2" err && test_line_count err 1
}

test_expect_success 'bad service and soak config is exit 2 naming the key' '
	mkdir bad && cd bad &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"service\": {\"command\": \"true\", \"ready\": {\"htp\": \"x\"}}}]}" \
		"benchmarks\[0\]\.service: unknown key .htp." &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"service\": {\"command\": \"true\", \"ready\": {\"http\":
		\"http://10.0.0.1:{port}/\"}}}]}" \
		"only this machine" &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"service\": {\"command\": []}}]}" \
		"benchmarks\[0\]\.service\.command: must be a string" &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"service\": {\"command\": \"true\", \"port\": \"any\"}}]}" \
		"service\.port: must be \"auto\"" &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"soak\": {\"duration\": \"10s\"}}]}" \
		"soak: needs a \"service\"" &&
	bad_config "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\",
		\"service\": {\"command\": \"true\"},
		\"soak\": {\"duration\": \"10s\", \"every\": \"1s\"}}]}" \
		"benchmarks\[0\]\.soak: unknown key .every."
'

test_expect_success 'a service that never gets ready: exit 3, stderr tail, stopped' '
	cat >perfgate.json <<-EOF &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	  {"name": "api",
	   "service": {"command": "echo \$\$ >svc.pid; echo cannot bind: boom >&2; exec sleep 30",
	               "ready": {"http": "http://127.0.0.1:{port}/health",
	                         "timeout": 0.5}},
	   "command": "echo load ran >load.out"}
	]}
	EOF
	test_expect_code 3 perfgate run --no-store 2>err &&
	test_grep "service of .api. was not ready after 0.5s \(http://127.0.0.1:[0-9]+/health\)" err &&
	test_grep "stderr ends with:" err &&
	test_grep "cannot bind: boom" err &&
	test ! -e load.out &&
	gone svc.pid
'

test_expect_success 'a service that exits at once, or during the load: exit 3' '
	cat >perfgate.json <<-EOF &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	  {"name": "early",
	   "service": {"command": "echo fatal: no config >&2; exit 4"},
	   "command": "true"},
	  {"name": "late",
	   "service": {"command": "echo \$\$ >late.pid; exec timeout -s KILL 0.7 \"$SERVER\" --port {port}"},
	   "command": "sleep 1.5"}
	]}
	EOF
	test_expect_code 3 perfgate run --no-store 2>err &&
	test_grep "early +FAILED: service of .early. exited before it was ready \(exited with status 4\); stderr ends with:" err &&
	test_grep "fatal: no config" err &&
	test_grep "late +FAILED: measured run 1 service of .late. exited during the load \(killed by signal 9" err &&
	gone late.pid
'

test_expect_success 'the load sees {port} and PERFGATE_PORT; "port": "stdout"' '
	cat >perfgate.json <<-EOF &&
	{"runs": 2, "warmup": 1, "benchmarks": [
	  {"name": "auto",
	   "service": {"command": ["$SERVER", "--port", "{port}"],
	               "ready": {"http": "http://localhost:{port}/health"}},
	   "env": {"URL": "http://127.0.0.1:{port}/"},
	   "command": "curl -sf \"\$URL\" >>auto.out && test {port} = \$PERFGATE_PORT"},
	  {"name": "printed",
	   "service": {"command": "echo \$\$ >printed.pid; exec \"$SERVER\" --port 0",
	               "port": "stdout"},
	   "command": ["curl", "-sf", "-o", "printed.out", "http://127.0.0.1:{port}/health"]}
	]}
	EOF
	perfgate run --no-store --json r.json 2>err &&
	test "$(grep -c hello auto.out)" = 3 &&
	test "$(cat printed.out)" = ok &&
	test "$(json_get r.json "len(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")" = 2 &&
	gone printed.pid
'

test_expect_success 'SIGINT during the load stops the service (process group)' '
	cat >perfgate.json <<-EOF &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	  {"name": "api",
	   "service": {"command": "echo \$\$ >svc.pid; \"$SERVER\" --port {port} & wait"},
	   "command": "touch started; exec hey -z 20s -c 2 http://127.0.0.1:{port}/"}
	]}
	EOF
	rm -f svc.pid started &&
	{ "$PERFGATE" run --no-store 2>err & pg=$!; } &&
	i=0 && while ! test -e started; do
		i=$((i + 1)); test $i -lt 100 || return 1; sleep 0.05
	done &&
	sleep 0.3 && kill -INT $pg &&
	{ wait $pg; code=$?; } ;
	test "$code" = 3 &&
	test_grep "interrupted" err &&
	gone svc.pid
'

test_expect_success 'error rate: the budget holds only under the upper bound' '
	new_repo e && cd e &&
	cat >perfgate.json <<-EOF &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	  {"name": "api", "format": "hey", "gate": ["error_rate"],
	   "service": {"command": "exec \"$SERVER\" --port {port} --error-rate \$(cat rate)"},
	   "budget": {"error_rate": "20%"},
	   "command": "hey -n 400 -c 4 -o csv http://127.0.0.1:{port}/"}
	]}
	EOF
	echo 0 >rate && git add . && git commit -q -m A &&
	perfgate gate --json a.json 2>err &&
	echo 0.05 >rate && git commit -q -am B &&
	test_expect_code 1 perfgate gate --json b.json 2>err &&
	row="[r for r in d[\"rows\"] if r[\"metric\"] == \"error_rate\"][0]" &&
	test "$(json_get b.json "$row[\"verdict\"]")" = regression &&
	test "$(json_get b.json "$row[\"test\"]")" = fisher-exact &&
	test "$(json_get b.json "$row[\"over_budget\"]")" = False &&
	test_grep "0 of 400 requests failed -> 20 of 400" err &&
	test_grep "20 of 400 requests failed, 99% Wilson upper bound 8.189%" err &&
	sed -i "s/20%/0.1%/" perfgate.json && git commit -q -am C &&
	test_expect_code 1 perfgate gate --json c.json 2>err &&
	test "$(json_get c.json "$row[\"over_budget\"]")" = True &&
	test_grep "over-budget +api/hey error_rate" err
'

test_done
