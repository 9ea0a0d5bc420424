#!/bin/sh
# make fuzz: run each libFuzzer target for SECONDS, starting from its seed
# corpus (tests/fuzz/corpus/<target>), and print the executions.  New
# inputs go to BUILD/corpus/<target>, so the committed seeds stay as they
# are; a crash leaves BUILD/crash-* and fails.
#
#   tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
build=$1
seconds=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
status=0
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for t in "$@"; do
	work="$build/corpus/$t"
	mkdir -p "$work"
	log="$build/fuzz_$t.log"
	"$build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 \
		-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$build/" \
		-print_final_stats=1 "$work" "$top/tests/fuzz/corpus/$t" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	printf 'fuzz_%-10s %s s, %s executions, exit %d\n' "$t" "$seconds" \
		"${execs:-?}" "$rc"
	if [ "$rc" -ne 0 ]; then
		grep -E "ERROR|SUMMARY|Test unit written" "$log" | head -5
		status=1
	fi
done
exit $status
