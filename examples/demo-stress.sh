#!/bin/sh
# make demo-stress: perfgate ramps a service to its breaking point.  A
# scratch git repository holds a perfgate.json whose stress entry starts
# examples/bin/httpserver (a pool of workers, 20 ms a request, so the
# capacity is workers / 20 ms) and ramps hey's concurrency 4, 8, 16, 32
# (2 s a level) until the p95 SLO of 50 ms clearly breaks (room above the
# 20 ms service time for a busy machine).
#   A: 8 workers, 400 req/s: the baseline;
#   B: 4 workers: the capacity is about halved, the gate fails on the
#      ">= 300" capacity budget (one ramp a side is one number each: the
#      comparison with the baseline alone is inconclusive; "ramps": 5
#      makes it a rank test);
#   C: 8 workers that crash above 12 requests in flight: the gate fails
#      with failure_mode crash.
# About 25 seconds; 127.0.0.1 only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PERFGATE="$top/perfgate"
SERVER="$top/examples/bin/httpserver"
out="$top/demo-out/stress"

for tool in hey git; do
	command -v "$tool" >/dev/null || {
		echo "demo-stress: '$tool' is missing (scripts/install-deps.sh)" >&2
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
{"timeout": 30, "benchmarks": [
  {"name": "api", "format": "hey",
   "service": {"command": "exec \"$SERVER\" --port {port} --delay-us 20000 \$(cat flags)",
               "ready": {"http": "http://127.0.0.1:{port}/health", "timeout": 5}},
   "command": "hey -z 2s -c {concurrency} -o csv http://127.0.0.1:{port}/",
   "budget": {"capacity": ">= 300"},
   "stress": {"levels": {"from": 4, "factor": 2, "max": 32},
              "slo": {"p95": "50ms", "error_rate": "5%"}}}
]}
JSON
echo "== perfgate.json"
cat perfgate.json

# gate NAME: the gate on the current commit, its Markdown report printed;
# the exit status in $status
gate() {
	status=0
	"$PERFGATE" gate --markdown "$out/$1.md" --json "$out/$1.json" \
		2>"$out/$1.log" || status=$?
	sed -n '/^stress api:/,/^baseline /p' "$out/$1.log"
	echo "(exit $status; Markdown report in $out/$1.md)"
}

echo
echo "== commit A: 8 workers x 20 ms = 400 req/s; store the baseline"
echo "--workers 8" >flags
git add . && git commit -q -m "A: 8 workers"
gate A
[ "$status" -eq 0 ] || { cat "$out/A.log" >&2; exit 1; }

echo
echo "== commit B: 4 workers; the capacity halves and the gate must fail"
echo "--workers 4" >flags
git commit -q -am "B: 4 workers"
gate B
[ "$status" -eq 1 ] || { cat "$out/B.log" >&2; exit 1; }
git reset -q --hard HEAD~1 # B is not the baseline of C

echo
echo "== commit C: 8 workers that crash above 12 requests in flight"
echo "--workers 8 --crash-above 12" >flags
git commit -q -am "C: crashes under stress"
gate C
grep "note: failure mode" "$out/C.log" | head -1
[ "$status" -eq 1 ] && grep -q "failure mode graceful -> crash" "$out/C.log" ||
	{ cat "$out/C.log" >&2; exit 1; }
echo
echo "perfgate caught the halved capacity and the crash (exit 1 both)."
