#!/bin/sh
# Bad "stress" entries are config errors (exit 2) that name the file and
# the key at fault, before anything runs.
. ./lib.sh

# bad NAME JSON-OF-THE-ENTRY-TAIL PATTERN: perfgate run exits 2, the
# message matches PATTERN
bad() {
	mkdir "$1" && cd "$1" &&
	cat >perfgate.json <<-EOF &&
	{"benchmarks": [{"name": "api", $2}]}
	EOF
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "perfgate.json': benchmarks\[0\]" err &&
	test_grep "$3" err
}

SVC='"format": "hey", "service": {"command": ["true"]}'
HEY='"command": "hey -z 1s -c {concurrency} -o csv http://127.0.0.1:{port}/"'
SLO='"slo": {"p99": "200ms"}'

test_expect_success 'no placeholder for the level' '
	bad noplace "$SVC, \"command\": \"hey -c 4 http://127.0.0.1:{port}/\", \"stress\": {\"levels\": [1, 2], $SLO}" \
		"exactly one of \"\{concurrency\}\""
'

test_expect_success 'both placeholders' '
	bad both "$SVC, \"command\": \"hey -c {concurrency} -q {rate} http://127.0.0.1:{port}/\", \"stress\": {\"levels\": [1, 2], $SLO}" \
		"exactly one of"
'

test_expect_success 'a load command that does not target {port}' '
	bad noport "$SVC, \"command\": \"hey -c {concurrency} http://example.com/\", \"stress\": {\"levels\": [1, 2], $SLO}" \
		"must target \"\{port\}\""
'

test_expect_success 'levels that do not increase' '
	bad order "$SVC, $HEY, \"stress\": {\"levels\": [4, 8, 8], $SLO}" \
		"stress.levels: each level must be a whole number, greater than the one before"
'

test_expect_success 'a fractional concurrency' '
	bad frac "$SVC, $HEY, \"stress\": {\"levels\": [1.5, 3], $SLO}" \
		"stress.levels: each level must be a whole number"
'

test_expect_success 'a geometric ramp that does not grow' '
	bad flat "$SVC, $HEY, \"stress\": {\"levels\": {\"from\": 4, \"factor\": 1, \"max\": 64}, $SLO}" \
		"\"factor\" > 1"
'

test_expect_success 'no SLO' '
	bad noslo "$SVC, $HEY, \"stress\": {\"levels\": [1, 2]}" \
		"stress.slo: missing"
'

test_expect_success 'an unknown SLO objective, a bad limit' '
	bad obj "$SVC, $HEY, \"stress\": {\"levels\": [1, 2], \"slo\": {\"median\": \"2ms\"}}" \
		"unknown objective .median." &&
	cd .. &&
	bad lim "$SVC, $HEY, \"stress\": {\"levels\": [1, 2], \"slo\": {\"error_rate\": \"0%\"}}" \
		"slo.error_rate: must be a rate"
'

test_expect_success 'no service, no format, a soak too, zero ramps' '
	bad nosvc "\"format\": \"hey\", $HEY, \"stress\": {\"levels\": [1, 2], $SLO}" \
		"needs a \"service\" to stress" &&
	cd .. &&
	bad nofmt "\"service\": {\"command\": [\"true\"]}, $HEY, \"stress\": {\"levels\": [1, 2], $SLO}" \
		"needs the \"format\"" &&
	cd .. &&
	bad soak "$SVC, $HEY, \"soak\": {\"duration\": \"4s\"}, \"stress\": {\"levels\": [1, 2], $SLO}" \
		"a soak or a stress test, not both" &&
	cd .. &&
	bad ramps "$SVC, $HEY, \"stress\": {\"levels\": [1, 2], $SLO, \"ramps\": 0}" \
		"stress.ramps: must be a whole number"
'

test_expect_success 'a floor budget on a lower-is-better metric' '
	new_repo floor && cd floor &&
	cat >perfgate.json <<-EOF &&
	{"runs": 2, "benchmarks": [{"name": "t", "command": ["true"],
	  "budget": {"wall_time": ">= 1s"}}]}
	EOF
	git add . && git commit -q -m A &&
	test_expect_code 2 perfgate gate 2>err &&
	test_grep "budget .wall_time >= 1s. is a floor, but wall_time is lower is better" err
'

test_done
