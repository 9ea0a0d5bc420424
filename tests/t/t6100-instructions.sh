#!/bin/sh
# The instructions metric: counting, selecting it, and gating on it.
# Counts come from valgrind on VMs without hardware counters (this one), so
# the iteration counts stay small: each counting run takes about 0.3 s.
. ./lib.sh

CPUWORK="$EXAMPLES/cpuwork"
Q="'"

# suite ITERATIONS SLOWDOWN: a perfgate.json counting cpuwork's instructions
suite() {
	cat >perfgate.json <<EOF
{
  "metrics": ["instructions"],
  "benchmarks": [
    {"name": "cpu", "command": ["$CPUWORK", "$1", "$2"]}
  ]
}
EOF
}

test_expect_success 'metrics: ["instructions"] records identical counts' '
	new_repo r && cd r &&
	suite 200000 0 &&
	perfgate run --json out.json 2>err &&
	test_grep "^cpu +3 " err &&
	test "$(json_get out.json "sorted(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"])")" = "[${Q}instructions${Q}]" &&
	m="d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"instructions\"]" &&
	test "$(json_get out.json "$m[\"unit\"]")" = count &&
	test "$(json_get out.json "$m[\"direction\"]")" = lower &&
	test "$(json_get out.json "len($m[\"samples\"])")" = 3 &&
	test "$(json_get out.json "len(set($m[\"samples\"]))")" = 1 &&
	test "$(json_get out.json "$m[\"samples\"][0] > 2000000")" = True &&
	src=$(json_get out.json "d[\"runs\"][0][\"benchmarks\"][0][\"params\"][\"instructions_source\"]") &&
	case $src in perf|valgrind) ;; *) false ;; esac
'

test_expect_success 'a 3% instruction increase fails compare with exit 1' '
	cd r &&
	git add perfgate.json && git commit -qm "count cpuwork" &&
	perfgate run 2>/dev/null &&
	suite 200000 3 && git commit -qam "3% more work" &&
	perfgate run 2>/dev/null &&
	test_expect_code 1 perfgate compare HEAD~1 HEAD --json rep.json 2>err &&
	test_grep "regression +cpu instructions" err &&
	test_grep "miss memory-bound and I/O slowdowns" err &&
	row="d[\"rows\"][0]" &&
	test "$(json_get rep.json "$row[\"metric\"]")" = instructions &&
	test "$(json_get rep.json "$row[\"verdict\"]")" = regression &&
	test "$(json_get rep.json "$row[\"threshold\"]")" = 0.005 &&
	test "$(json_get rep.json "$row[\"test\"]")" = range &&
	test "$(json_get rep.json "0.02 < $row[\"estimate\"] < 0.031")" = True
'

test_expect_success 'an identical commit passes with exit 0' '
	cd r &&
	echo unrelated >README && git add README && git commit -qm docs &&
	perfgate run 2>/dev/null &&
	perfgate compare HEAD~1 HEAD --json rep.json 2>err &&
	test "$(json_get rep.json "d[\"rows\"][0][\"verdict\"]")" = unchanged &&
	test "$(json_get rep.json "d[\"rows\"][0][\"estimate\"] == 0")" = True
'

test_expect_success 'a 0.1% increase stays under theta 0.5%; a named threshold wins' '
	cd r &&
	suite 200000 3.1 && git commit -qam "0.1% more" &&
	perfgate run 2>/dev/null &&
	perfgate compare HEAD~1 HEAD --threshold 0.01% 2>err &&
	test_grep "unchanged +cpu instructions" err &&
	cat >perfgate.json <<EOF &&
{"metrics": ["instructions"], "threshold": {"instructions": "0.05%"},
 "benchmarks": [{"name": "cpu", "command": ["$CPUWORK", "200000", "3.1"]}]}
EOF
	test_expect_code 1 perfgate compare HEAD~1 HEAD 2>err &&
	test_grep "regression +cpu instructions" err
'

test_expect_success '--metric selects metrics, as a list or repeated' '
	cd r &&
	perfgate run --no-store --metric wall_time --runs 2 --json a.json 2>/dev/null &&
	test "$(json_get a.json "sorted(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"])")" = \
		"[${Q}cpu_sys${Q}, ${Q}cpu_user${Q}, ${Q}max_rss${Q}, ${Q}wall_time${Q}]" &&
	perfgate run --no-store --metric wall_time,instructions --runs 2 --json b.json 2>err &&
	test_grep "^  instructions +3 " err &&
	test "$(json_get b.json "len(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"])")" = 5 &&
	perfgate run --no-store --metric instructions --metric wall_time --runs 2 --json c.json 2>/dev/null &&
	test "$(json_get c.json "len(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"])")" = 5 &&
	perfgate run --no-store --metric instructions --json d.json -- "$CPUWORK" 1000 2>/dev/null &&
	test "$(json_get d.json "list(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"])")" = "[${Q}instructions${Q}]"
'

test_expect_success 'per-benchmark metrics and instruction_runs override the suite' '
	mkdir per && cd per &&
	cat >perfgate.json <<EOF &&
{"metrics": ["instructions"], "instruction_runs": 2, "runs": 2,
 "benchmarks": [
   {"name": "counted", "command": "$CPUWORK 1000"},
   {"name": "timed", "command": ["$CPUWORK", "1000"], "metrics": ["wall_time"]},
   {"name": "both", "command": ["$CPUWORK", "1000"], "instruction_runs": 1,
    "metrics": ["wall_time", "instructions"]}]}
EOF
	perfgate run --no-store --json o.json 2>/dev/null &&
	b="d[\"runs\"][0][\"benchmarks\"]" &&
	test "$(json_get o.json "len($b[0][\"metrics\"][\"instructions\"][\"samples\"])")" = 2 &&
	test "$(json_get o.json "list($b[0][\"metrics\"])")" = "[${Q}instructions${Q}]" &&
	test "$(json_get o.json "${Q}instructions${Q} in $b[1][\"metrics\"]")" = False &&
	test "$(json_get o.json "len($b[1][\"metrics\"][\"wall_time\"][\"samples\"])")" = 2 &&
	test "$(json_get o.json "len($b[2][\"metrics\"][\"instructions\"][\"samples\"])")" = 1 &&
	test "$(json_get o.json "len($b[2][\"metrics\"][\"wall_time\"][\"samples\"])")" = 2
'

test_expect_success 'a failing command under counting is exit 3 with its stderr' '
	test_expect_code 3 perfgate run --no-store --metric instructions -- sh -c "echo nope >&2; exit 4" 2>err &&
	test_grep "instruction-count run 1 exited with status 4" err &&
	test_grep "nope" err
'

test_expect_success 'bad metric names and counters are exit 2' '
	test_expect_code 2 perfgate run --no-store --metric bogus -- true 2>err &&
	test_grep "run: --metric: unknown metric .bogus." err &&
	test_expect_code 2 perfgate run --no-store --metric wall_time,max_rss -- true 2>err &&
	test_grep "unknown metric .max_rss." err &&
	test_expect_code 2 perfgate run --no-store --metric , -- true 2>err &&
	test_expect_code 2 perfgate run --no-store --counter papi -- true 2>err &&
	test_grep "unknown instruction counter .papi." err &&
	test_expect_code 2 env PERFGATE_COUNTER=nope "$PERFGATE" run --no-store -- true 2>err &&
	test_grep "PERFGATE_COUNTER: unknown instruction counter .nope." err &&
	mkdir bad && cd bad &&
	echo "{\"metrics\": [\"wall_time\", \"instrs\"], \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "perfgate.json.: \\\$.metrics\[1\]: unknown metric .instrs." err &&
	echo "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"metrics\": []}]}" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "benchmarks\[0\].metrics: must be a non-empty array" err &&
	echo "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"format\": \"go\", \"metrics\": [\"instructions\"]}]}" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "benchmarks\[0\].metrics: not for a .format. entry" err &&
	echo "{\"instruction_runs\": 0, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "instruction_runs: must be a whole number >= 1" err
'

test_expect_success 'valgrind forced; perf only where the hardware counts' '
	env PERFGATE_COUNTER=valgrind "$PERFGATE" run --no-store --metric instructions --json v.json -- "$CPUWORK" 1000 2>/dev/null &&
	test "$(json_get v.json "d[\"runs\"][0][\"benchmarks\"][0][\"params\"][\"instructions_source\"]")" = valgrind &&
	if perfgate run --no-store --counter perf --metric instructions --json p.json -- "$CPUWORK" 1000 2>err
	then
		test "$(json_get p.json "d[\"runs\"][0][\"benchmarks\"][0][\"params\"][\"instructions_source\"]")" = perf
	else
		test_grep "instruction counts: cannot open a hardware instruction counter" err
	fi
'

test_done
