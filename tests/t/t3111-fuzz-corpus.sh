#!/bin/sh
# Every fuzz target (tests/fuzz/fuzz_*.c) replays its seed corpus once
# (tests/fuzz/corpus/<target>/), linked with the replay driver by `make
# unit`, so that a reintroduced crash fails `make check` (and `make asan`)
# without libFuzzer.  `make fuzz FUZZ_SECONDS=N` does the timed runs.
. ./lib.sh

build=${PERFGATE_BUILD:-build}
case $build in /*) ;; *) build="$PERFGATE_TOP/$build" ;; esac
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

for t in config notes formats reporters union; do
	test_expect_success "fuzz-corpus-replay: $t" "
		ls \"$PERFGATE_TOP/tests/fuzz/corpus/$t\" >list &&
		test -s list &&
		\"$build/tests/fuzz_$t\" \"$PERFGATE_TOP/tests/fuzz/corpus/$t\"/* >out &&
		test_grep \"^replayed [0-9]+ inputs?\$\" out
	"
done

test_done
