#!/bin/sh
# Finding 3 of the hardening issue: the wrk text parser read wild memory
# when the "Socket errors:" line stopped before "timeout" (%n never set),
# and a count of 1e300 in wrk's JSON was converted to long long
# (undefined).  Both are exit 2 naming the file and line; run this under
# `make asan` for the memory errors.
. ./lib.sh

FIX="$PERFGATE_TOP/tests/fixtures/load"

test_expect_success 'wrk-socket-errors-cut: exit 2 naming the line' '
	sed "s/, timeout 0//" "$FIX/wrk-socket-errors.txt" >w.txt &&
	test_expect_code 2 perfgate import --no-store --format wrk w.txt 2>err &&
	test_grep "^perfgate: error: .w.txt.: line [0-9]+: cannot read the socket errors$" err &&
	for cut in " 0" "timeout 0" ", timeout 0" "write 40811, timeout 0"; do
		sed "/Socket errors/s/$cut\$//" "$FIX/wrk-socket-errors.txt" >w.txt &&
		! cmp -s w.txt "$FIX/wrk-socket-errors.txt" &&
		test_expect_code 2 perfgate import --no-store --format wrk \
			w.txt 2>err || return 1
	done
'

test_expect_success 'wrk-socket-errors: the whole line still counts' '
	perfgate import --no-store --format wrk --json r.json \
		"$FIX/wrk-socket-errors.txt" >/dev/null 2>&1 &&
	json_get r.json "len(d[\"runs\"][0][\"benchmarks\"])" >n &&
	test_grep "^1$" n
'

test_expect_success 'wrk-json-count-overflow: 1e300 requests is exit 2' '
	for v in 1e300 9.3e18 -1 1.5; do
		sed "s/\"requests\":3228/\"requests\":$v/" "$FIX/wrk.json" >w.json &&
		test_expect_code 2 perfgate import --no-store --format wrk \
			w.json 2>err || return 1
		test_grep "requests. must be a whole number" err || return 1
	done
'

test_done
