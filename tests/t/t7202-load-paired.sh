#!/bin/sh
# test: serial
# Load tests in paired mode: each side's service starts from its own tree
# on its own port, the two sides' load runs alternate in coin-flip order,
# and the paired gate catches a latency regression while an A/A session
# passes.  Harness entries ("format") run in pairs too.  Real load against
# examples/httpserver on 127.0.0.1, bounded request counts.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"
SCRATCH="$TRASH/scratch"
mkdir "$SCRATCH"

pg() {
	TMPDIR="$SCRATCH" perfgate "$@"
}

# field FILE BENCH METRIC KEY: a field of one row of a JSON report
field() {
	json_get "$1" "[r[\"$4\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

# The service logs its port, the load command the side it runs in (the
# file "side" differs between the commits), both outside the trees.
new_repo svc
cat >svc/perfgate.json <<EOF
{"timeout": 30, "pairs": [8],
 "gate": ["latency_p95", "throughput", "error_rate"],
 "benchmarks": [
  {"name": "api", "format": "hey",
   "service": {"command": "echo {port} >>\"$TRASH/ports\"; exec \"$SERVER\" --port {port} --delay-us \$(cat delay)",
               "ready": {"http": "http://127.0.0.1:{port}/health"}},
   "command": "cat side >>\"$TRASH/order\" && hey -n 150 -c 4 -o csv http://127.0.0.1:{port}/"}
]}
EOF
(cd svc && echo 200 >delay && echo A >side && git add . &&
	git commit -q -m "A: 0.2 ms a request")

test_expect_success 'A/A: the same commit on both sides passes' '
	cd svc && rm -f "$TRASH/ports" "$TRASH/order" &&
	pg ab HEAD --json aa.json 2>err || { cat err >&2; false; } &&
	expect_eq "$(json_get aa.json "d[\"exit_code\"]")" 0 &&
	expect_eq "$(json_get aa.json "len([r for r in d[\"rows\"] if r[\"gating\"] and r[\"verdict\"] == \"regression\"])")" 0 &&
	expect_eq "$(field aa.json api/hey throughput n_cand)" 8
'

test_expect_success 'each side has its own service on its own port' '
	test_line_count = 2 "$TRASH/ports" &&
	test "$(sort -u "$TRASH/ports" | wc -l)" -eq 2
'

# Two looks: 5 pairs cannot reach alpha (the exact test'"'"'s smallest p is
# 1/32), so the session always goes on to 10, with new services.
# +10 ms a request: far above what a loaded machine adds to a 0.2 ms
# request, so every pair shows it and the exact test can reach alpha.
test_expect_success 'a latency regression (+10 ms a request) fails the paired gate' '
	cd svc && rm -f "$TRASH/ports" "$TRASH/order" &&
	echo 10000 >delay && echo B >side &&
	git commit -q -am "B: 10 ms a request" &&
	test_expect_code 1 pg gate --paired --base HEAD~1 --pairs 5,10 \
		--json r.json --markdown r.md 2>err &&
	expect_eq "$(field r.json api/hey latency_p95 verdict)" regression &&
	expect_eq "$(field r.json api/hey latency_p95 test)" wilcoxon-signed-rank &&
	expect_eq "$(field r.json api/hey latency_p95 n_cand)" 10 &&
	expect_eq "$(field r.json api/hey throughput verdict)" regression &&
	expect_eq "$(json_get r.json "d[\"mode\"].startswith(\"paired:\")")" True &&
	test_grep "latency\\\\_p95 .*\*\*regression\*\*" r.md &&
	test_grep "^perfgate: look 2 of 2 at 10 pairs" err &&
	test_grep "^api/hey +10 " err
'

test_expect_success 'each look starts a service per side, each on its own port' '
	test_line_count = 4 "$TRASH/ports" &&
	test "$(sed -n 1p "$TRASH/ports")" != "$(sed -n 2p "$TRASH/ports")" &&
	test "$(sed -n 3p "$TRASH/ports")" != "$(sed -n 4p "$TRASH/ports")"
'

test_expect_success 'the two sides alternate: every pair runs each side once' '
	test_line_count = 24 "$TRASH/order" &&
	paste -d" " - - <"$TRASH/order" | sort -u >pairs &&
	test "$(grep -c -v -e "^A B$" -e "^B A$" pairs)" = 0 &&
	test "$(cat pairs | wc -l)" = 2
'

test_expect_success 'perfgate noise measures a load test on its primary metric' '
	cd svc &&
	pg noise --pairs 5 --json n.json >n.txt 2>err &&
	b="d[\"benchmarks\"][0]" &&
	expect_eq "$(json_get n.json "$b[\"name\"], $b[\"metric\"], $b[\"pairs\"]")" "api/hey latency_p95 5" &&
	test_grep "^api/hey \(latency_p95\) +5 " n.txt
'

test_expect_success 'a service that does not start fails its side (exit 3)' '
	cd svc && git checkout -q HEAD~1 -- delay &&
	sed "s|exec |test \$(cat side) = A \&\& exit 7; exec |" perfgate.json >p2 &&
	mv p2 perfgate.json &&
	test_expect_code 3 pg ab HEAD~1 --json f.json 2>err &&
	test_grep "FAILED: baseline service of .api. exited" err &&
	test -z "$(ls -A "$SCRATCH")" &&
	git checkout -q HEAD -- perfgate.json delay
'

# refused SED PATTERN: the svc config edited by SED is exit 2 in paired
# mode with a message matching PATTERN; the config is restored
refused() {
	(cd svc && sed "$1" perfgate.json >p2 && mv p2 perfgate.json &&
		test_expect_code 2 pg ab HEAD 2>err &&
		test_grep "$2" err)
	status=$?
	(cd svc && git checkout -q HEAD -- perfgate.json)
	return $status
}

test_expect_success 'a fixed service port cannot serve both sides: exit 2' '
	refused "s|\"ready\"|\"port\": 18437, \"ready\"|" \
		"benchmark .api.: a fixed service port \(18437\) cannot serve both sides in paired mode"
'

test_expect_success 'a soak cannot run in paired mode: exit 2, use --stored' '
	refused "s|\"service\"|\"soak\": {\"duration\": \"10s\"}, \"service\"|" \
		"benchmark .api.: a soak cannot run in paired mode .*--stored"
'

test_expect_success 'SIGINT under load: exit 3, both services stopped, no scratch left' '
	cd svc && rm -f "$TRASH/ports" &&
	sed "s|-n 150|-z 20s|" perfgate.json >long.json &&
	{ TMPDIR="$SCRATCH" "$PERFGATE" ab HEAD -c long.json --no-store 2>int.err & } &&
	pid=$! &&
	n=0 && while [ $n -lt 100 ] && [ "$(cat "$TRASH/ports" 2>/dev/null | wc -l)" -lt 2 ]; do
		sleep 0.1; n=$((n + 1)); done &&
	test_line_count = 2 "$TRASH/ports" &&
	sleep 0.5 &&
	kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test_grep "interrupted" int.err &&
	for port in $(cat "$TRASH/ports"); do
		! pgrep -f "httpserver --port $port " >/dev/null || return 1
	done &&
	test -z "$(ls -A "$SCRATCH")"
'

test_expect_success 'an injected error rate trips the error_rate budget in pairs' '
	new_repo err && cd err &&
	cat >perfgate.json <<-EOF &&
	{"timeout": 30, "pairs": [8], "gate": ["latency_p95", "error_rate"],
	 "benchmarks": [
	  {"name": "api", "format": "hey", "budget": {"error_rate": "1%"},
	   "service": {"command": "exec \"$SERVER\" --port {port} --error-rate \$(cat rate)"},
	   "command": "hey -n 150 -c 4 -o csv http://127.0.0.1:{port}/"}
	]}
	EOF
	echo 0 >rate && git add . && git commit -q -m A &&
	echo 0.05 >rate &&
	test_expect_code 1 pg ab HEAD --json r.json 2>err &&
	expect_eq "$(field r.json api/hey error_rate over_budget)" True &&
	expect_eq "$(field r.json api/hey error_rate verdict)" regression &&
	test_grep "error_rate <= 1%: [0-9]+ of [0-9]+ requests failed, 99% Wilson upper bound [0-9.]+% \(exceeded\)" err
'

# A go-style harness whose ns/op comes from the tree: 100 on A, 300 on B,
# plus up to 9 ns of noise.
new_repo har
cat >har/fakego.sh <<'EOF'
#!/bin/sh
echo "goos: linux"
# a little noise, from the process id
printf 'BenchmarkParse-2 \t 1000 \t %d ns/op\n' $(($(cat ns) + $$ % 10))
echo PASS
EOF
chmod +x har/fakego.sh
cat >har/perfgate.json <<'EOF'
{"pairs": [8], "benchmarks": [
  {"name": "go", "command": ["./fakego.sh"], "format": "go"}
]}
EOF
(cd har && echo 100 >ns && git add . && git commit -q -m A &&
	echo 300 >ns && git commit -q -am B)

test_expect_success 'a harness entry runs in pairs: each side its own tree' '
	cd har &&
	test_expect_code 1 pg ab HEAD~1 --pairs 5,8 --json r.json 2>err &&
	test_grep "^perfgate: look 2 of 2 at 8 pairs" err &&
	expect_eq "$(field r.json go/BenchmarkParse sec/op verdict)" regression &&
	expect_eq "$(field r.json go/BenchmarkParse sec/op test)" wilcoxon-signed-rank &&
	pg show --format json >s.json &&
	b="d[\"runs\"][0][\"benchmarks\"][0]" &&
	expect_eq "$(json_get s.json "$b[\"name\"]")" go/BenchmarkParse &&
	expect_eq "$(json_get s.json "$b[\"params\"][\"pairs\"]")" 8 &&
	s="$b[\"metrics\"][\"sec/op\"][\"samples\"]" &&
	expect_eq "$(json_get s.json "len($s) == 8 and all(3e-07 <= x < 3.1e-07 for x in $s)")" True
'

test_expect_success 'a benchmark new in the candidate is added, measured on its side only' '
	cd har && mkdir sub && cp fakego.sh ns sub/ &&
	cat >perfgate.json <<-\EOF &&
	{"pairs": [8], "benchmarks": [
	  {"name": "go", "command": ["./fakego.sh"], "format": "go"},
	  {"name": "new", "command": ["./fakego.sh"], "format": "go", "cwd": "sub"}
	]}
	EOF
	pg ab HEAD --no-store --json r.json 2>err &&
	expect_eq "$(field r.json new/BenchmarkParse sec/op verdict)" added &&
	test_grep "new in this change" r.json &&
	expect_eq "$(field r.json new/BenchmarkParse sec/op n_cand)" 8 &&
	expect_eq "$(field r.json go/BenchmarkParse sec/op n_cand)" 8
'

test_done
