#!/bin/sh
# test: serial
# Paired stress ramps at the default of 7 ramp pairs (make check-slow,
# about 60 s): halving the workers of examples/httpserver is a capacity
# regression by the exact signed-rank test alone (no budget: 7 pairs in
# one direction give p = 2^-7 = 1/128 < 0.01, scipy.stats.wilcoxon(
# [1]*7, alternative="greater", method="exact").pvalue = 0.0078125), and
# a candidate whose service does not start fails the entry, naming the
# side.  127.0.0.1 only.
. ./lib.sh

SERVER="$PERFGATE_TOP/examples/bin/httpserver"

row() {
	json_get "$1" "[r[\"$4\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

test_expect_success 'seven ramp pairs find halved workers without a budget' '
	new_repo p7 && cd p7 &&
	cat >perfgate.json <<-EOF &&
	{"timeout": 30, "benchmarks": [
	  {"name": "api", "format": "hey",
	   "service": {"command": "exec \"$SERVER\" --port {port} --delay-us 10000 \$(cat flags)",
	               "ready": {"http": "http://127.0.0.1:{port}/health"}},
	   "command": "hey -z 1s -c {concurrency} -o csv http://127.0.0.1:{port}/",
	   "stress": {"levels": [4, 8, 16],
	              "slo": {"p95": "25ms", "error_rate": "5%"}}}
	]}
	EOF
	echo "--workers 8" >flags && git add . && git commit -q -m A &&
	git checkout -q -b half && echo "--workers 4" >flags &&
	git commit -q -am "B: 4 workers" &&
	test_expect_code 1 perfgate gate --json r.json 2>err &&
	test_grep -v "can never fail" err &&
	test "$(row r.json api capacity n_base)" = 7 &&
	test "$(row r.json api capacity test)" = wilcoxon-signed-rank &&
	test "$(row r.json api capacity verdict)" = regression &&
	test "$(row r.json api capacity p_value)" = 0.0078125 &&
	test "$(row r.json api peak_throughput verdict)" = regression
'

test_expect_success 'a candidate service that does not start fails the entry on both sides' '
	cd p7 && git checkout -q -b broken half~1 &&
	echo "--no-such-flag" >flags && git commit -q -am "C: bad flag" &&
	test_expect_code 3 perfgate gate --json r2.json 2>err &&
	test_grep "candidate .*pair 1" err
'

test_done
