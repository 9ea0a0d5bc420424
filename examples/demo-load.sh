#!/bin/sh
# make demo-load: perfgate gates a load test.  A scratch git repository
# holds a perfgate.json whose benchmark starts examples/bin/httpserver as
# its service (on a free port of 127.0.0.1) and drives it with wrk and the
# bundled Lua script; commit A is the baseline, commit B adds 2 ms to
# every request, and the gate fails on p95 latency and throughput with
# the Markdown report printed.  About 20 seconds; 127.0.0.1 only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PERFGATE="$top/perfgate"
SERVER="$top/examples/bin/httpserver"
LUA="$top/examples/wrk/perfgate.lua"
out="$top/demo-out/load"

for tool in wrk git; do
	command -v "$tool" >/dev/null || {
		echo "demo-load: '$tool' is missing (scripts/install-deps.sh)" >&2
		exit 2
	}
done

rm -rf "$out"
mkdir -p "$out/repo"
cd "$out/repo"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main .
cat >perfgate.json <<JSON
{"runs": 5, "warmup": 1, "timeout": 30, "benchmarks": [
  {"name": "api", "format": "wrk",
   "gate": ["latency_p95", "throughput", "error_rate"],
   "service": {"command": "exec \"$SERVER\" --port {port} --delay-us \$(cat delay_us)",
               "ready": {"http": "http://127.0.0.1:{port}/health", "timeout": 5}},
   "command": ["wrk", "-t1", "-c4", "-d1s", "-s", "$LUA",
               "http://127.0.0.1:{port}/"]}
]}
JSON
echo "== perfgate.json"
cat perfgate.json

echo
echo "== commit A: the service answers after 1 ms; store the baseline"
echo 1000 >delay_us
git add . && git commit -q -m "A: the baseline"
"$PERFGATE" gate >/dev/null

echo
echo "== commit B: 2 ms more per request; the gate must fail"
echo 3000 >delay_us
git commit -q -am "B: a change that adds 2 ms to every request"
status=0
"$PERFGATE" gate --markdown "$out/perfgate.md" \
	--json "$out/perfgate-report.json" 2>"$out/gate.log" || status=$?

echo
echo "== the Markdown report ($out/perfgate.md)"
echo
cat "$out/perfgate.md"
echo
if [ "$status" -eq 1 ]; then
	echo "perfgate caught the latency regression (exit 1)."
	exit 0
fi
echo "demo-load: expected the gate to exit 1, got $status:" >&2
cat "$out/gate.log" >&2
exit 1
