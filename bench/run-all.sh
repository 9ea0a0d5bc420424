#!/bin/sh
# make bench: run every executable bench/<name> (or only those in $BENCH).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
export PERFGATE="${PERFGATE:-$top/perfgate}" PERFGATE_TOP="$top"
status=0
for b in ${BENCH:-$(ls "$top/bench")}; do
	f="$top/bench/$b"
	[ -f "$f" ] && [ -x "$f" ] || continue
	echo "== bench/$b"
	"$f" || status=1
	echo
done
exit $status
