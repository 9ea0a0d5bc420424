#!/bin/sh
# make demo: measure the example suite, then show perfgate catching a real
# regression between two commits of a scratch git repository, with the
# JUnit and Markdown reports written to demo-out/ ($DEMO_OUT: elsewhere).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PERFGATE="${PERFGATE:-$top/perfgate}"
CPU="$top/examples/bin/cpuwork"
out="${DEMO_OUT:-$top/demo-out}"

# DEMO_SKIP_SUITE=1 (tests/t/t5220): only the gates
if [ -z "${DEMO_SKIP_SUITE:-}" ]; then
	echo "== 1. perfgate run: the example suite (examples/perfgate.json)"
	"$PERFGATE" run --no-store -c "$top/examples/perfgate.json"
fi

echo
echo "== 2. a scratch repository: commit A on main, gated as a push to main"
echo "   (on the target branch itself the gate stores a plain run for history)"
rm -rf "$out"
mkdir -p "$out/repo"
cd "$out/repo"
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main .
cat >perfgate.json <<JSON
{"runs": 15, "warmup": 2, "benchmarks": [
  {"name": "parse", "command": "\"$CPU\" 8000000 \$(cat slowdown)"},
  {"name": "render", "command": ["$CPU", "4000000"]}
]}
JSON
echo 0 >slowdown
git add . && git commit -q -m "A: the baseline"
"$PERFGATE" gate

echo
echo "== 3. branch 'change': commit B makes 'parse' do 25% more work"
echo "   perfgate gate, no flags: the merge-base with main and the change are"
echo "   run in interleaved pairs in this job (paired mode, the default);"
echo "   'parse' must fail the gate and 'render' must not"
git checkout -q -b change
echo 25 >slowdown
git commit -q -am "B: a change that slows parse down by 25%"
status=0
"$PERFGATE" gate --junit "$out/perfgate-junit.xml" \
	--markdown "$out/perfgate.md" --json "$out/perfgate-report.json" ||
	status=$?

echo
if [ "$status" -eq 1 ]; then
	echo "perfgate caught the regression (exit 1).  Reports:"
	echo "  $out/perfgate-junit.xml"
	echo "  $out/perfgate.md"
	echo "  $out/perfgate-report.json"
	echo "Results live in git notes: (cd $out/repo && $PERFGATE log)"
	exit 0
fi
echo "demo: expected the gate to exit 1, got $status" >&2
exit 1
