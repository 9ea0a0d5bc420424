#!/bin/sh
# Finding 11 of the hardening issue: a benchmark's stderr was captured
# whole in memory (1 GB of stderr, 1 GB of RAM).  Only the tail is kept:
# while the benchmark still runs, the capture's allocated size stays
# small, and the failure message still ends with the last lines.
. ./lib.sh

new_repo repo
cd repo
cat >perfgate.json <<'JSON'
{"runs": 1, "warmup": 0, "timeout": 60, "benchmarks": [{"name": "noisy",
 "command": ["sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' x >&2; echo; echo the-last-line >&2; sleep 3; exit 1"]}]}
JSON

# allocated KiB of perfgate's stderr capture (a memfd), or nothing
capture_kib() {
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in
		*perfgate-stderr*) echo $(( $(stat -L -c %b "$fd") / 2 )) ;;
		esac
	done
}

test_expect_success 'stderr-tail-only: 100 MB of stderr is not kept in memory' '
	"$PERFGATE" run --no-store >out 2>err &
	pid=$! &&
	i=0 &&
	# the writer is done within a second or two; then 3 s of sleep
	while [ $i -lt 20 ]; do
		sleep 0.5
		i=$((i + 1))
		kib=$(capture_kib $pid)
		echo "look $i: capture ${kib:-gone} KiB"
		[ -n "$kib" ] && [ "$kib" -lt 1024 ] && [ $i -ge 4 ] && break
	done

	test -n "$kib" && test "$kib" -lt 1024 &&
	wait $pid
	test $? -eq 3 &&
	test_grep "the-last-line" err
'

test_done
