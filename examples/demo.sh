#!/bin/sh
# make demo: measure the example suite, then show perfgate catching a real
# regression between two commits of a scratch repository.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PERFGATE="$top/perfgate"

echo "== perfgate run: the example suite (examples/perfgate.json)"
"$PERFGATE" run --no-store -c "$top/examples/perfgate.json"
