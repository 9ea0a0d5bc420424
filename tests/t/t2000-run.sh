#!/bin/sh
# perfgate run: measuring real processes, failures, timeouts, filters, JSON.
. ./lib.sh

CPU="$EXAMPLES/cpuwork"

test_expect_success 'ad-hoc command outside a git repository' '
	mkdir adhoc && cd adhoc &&
	perfgate run --runs 4 --warmup 0 --json out.json -- "$CPU" 100000 2>err &&
	test_grep "cpuwork 100000 +4 " err &&
	test "$(json_get out.json "d[\"schema\"]")" = 1 &&
	test "$(json_get out.json "len(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")" = 4 &&
	test "$(json_get out.json "d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"max_rss\"][\"unit\"]")" = B
'

test_expect_success 'JSON carries samples, environment fingerprint and label' '
	PERFGATE_RUNNER=ci-box perfgate run --runs 3 --json fp.json -- true 2>/dev/null &&
	test "$(json_get fp.json "d[\"runs\"][0][\"label\"]")" = ci-box &&
	test "$(json_get fp.json "d[\"runs\"][0][\"environment\"][\"cores\"] > 0")" = True &&
	test "$(json_get fp.json "len(d[\"runs\"][0][\"environment\"][\"loadavg\"])")" = 3 &&
	test -n "$(json_get fp.json "d[\"runs\"][0][\"environment\"][\"hostname\"]")" &&
	test -n "$(json_get fp.json "d[\"runs\"][0][\"config_hash\"] if \"config_hash\" in d[\"runs\"][0] else \"adhoc\"")" &&
	perfgate --version >pv &&
	test_grep "$(json_get fp.json "d[\"runs\"][0][\"perfgate_version\"]")" pv &&
	test "$(json_get fp.json "all(s > 0 for s in d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")" = True &&
	perfgate run --runs 1 --label other --json fp2.json -- true 2>/dev/null &&
	test "$(json_get fp2.json "d[\"runs\"][0][\"label\"]")" = other
'

test_expect_success 'wall time tracks the real cost of the command' '
	perfgate run --runs 3 --warmup 0 --json sleep.json -- sleep 0.2 2>/dev/null &&
	v=$(json_get sleep.json "min(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])") &&
	python3 -c "import sys; v=float(sys.argv[1]); sys.exit(0 if 0.2 <= v < 0.5 else 1)" "$v"
'

test_expect_success 'CPU time and peak RSS reflect what the child did' '
	perfgate run --runs 2 --json rss.json -- "$EXAMPLES/sortbench" 2000000 2>/dev/null &&
	test "$(json_get rss.json "min(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"max_rss\"][\"samples\"]) > 8000000")" = True &&
	test "$(json_get rss.json "min(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"cpu_user\"][\"samples\"]) > 0.01")" = True
'

new_repo suite
cat >suite/perfgate.json <<JSON
{"runs": 3, "warmup": 1, "timeout": 20, "benchmarks": [
  {"name": "cpu-small", "command": ["$CPU", "200000"]},
  {"name": "crash", "command": "echo about to crash >&2; kill -SEGV \$\$"},
  {"name": "fails", "command": ["sh", "-c", "echo bad input line 7 >&2; exit 4"]},
  {"name": "hang", "command": "sleep 31 & sleep 31; wait", "timeout": 0.5},
  {"name": "cpu-env", "command": "test \"\$MODE\" = fast && test -f marker && \"$CPU\" 1000", "env": {"MODE": "fast"}, "cwd": "sub"},
  {"name": "no-shell", "command": ["sh", "-c", "test \"\$1\" = '\$HOME'", "x", "\$HOME"]}
]}
JSON
mkdir -p suite/sub && touch suite/sub/marker

test_expect_success 'failing benchmarks are reported and the rest still runs (exit 3)' '
	cd suite/sub &&
	test_expect_code 3 perfgate run --no-store --json ../all.json 2>../err &&
	cd .. &&
	test_grep "crash +FAILED: .*killed by signal 11" err &&
	test_grep "about to crash" err &&
	test_grep "fails +FAILED: .*exited with status 4" err &&
	test_grep "bad input line 7" err &&
	test_grep "hang +FAILED: .*timed out after 0.5s" err &&
	test_grep "^cpu-small +3 " err &&
	test_grep "^cpu-env +3 " err &&
	test_grep "^no-shell +3 " err &&
	test_grep "perfgate: error: some benchmarks failed" err &&
	test "$(json_get all.json "\",\".join(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"] if \"error\" in b)")" = "crash,fails,hang"
'

test_expect_success 'a timeout kills the whole process group' '
	cd suite &&
	start=$(date +%s) &&
	test_expect_code 3 perfgate run --no-store --filter "^hang$" 2>err &&
	end=$(date +%s) &&
	test $((end - start)) -lt 10 &&
	sleep 0.2 &&
	! pgrep -f "sleep 31" >/dev/null
'

test_expect_success '--filter selects benchmarks by regular expression' '
	cd suite &&
	perfgate run --no-store --filter "^cpu-" --runs 2 --json f.json 2>err &&
	test "$(json_get f.json "\",\".join(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"])")" = "cpu-small,cpu-env" &&
	test_grep -v crash err
'

test_expect_success '--filter that matches nothing, or is not a regex, is exit 2' '
	cd suite &&
	test_expect_code 2 perfgate run --no-store --filter "^nothing" 2>err &&
	test_grep "matches no benchmark" err &&
	test_expect_code 2 perfgate run --no-store --filter "(" 2>err2 &&
	test_grep "bad regular expression" err2
'

test_expect_success '--runs and --warmup override the config' '
	cd suite &&
	perfgate run --no-store --filter cpu-small --runs 5 --warmup 0 --json r.json 2>/dev/null &&
	test "$(json_get r.json "len(d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"])")" = 5
'

test_expect_success 'the config is found at the repository root' '
	mkdir -p suite/deep/er && cd suite/deep/er &&
	perfgate run --no-store --filter no-shell --runs 1 2>err &&
	test_grep "^no-shell +1 " err
'

test_expect_success 'a command that does not exist fails that benchmark (exit 3)' '
	test_expect_code 3 perfgate run --runs 1 -- ./no-such-program 2>err &&
	test_grep "cannot run .\./no-such-program." err
'

test_expect_success 'a cwd that does not exist is bad input (exit 2)' '
	mkdir badcwd && cd badcwd &&
	echo "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"cwd\": \"nope\"}]}" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "benchmark .a.: cwd .*nope. is not a directory" err
'

test_expect_success 'unknown verb and unknown option are exit 2 and named' '
	test_expect_code 2 perfgate frobnicate 2>err &&
	test_grep "unknown verb .frobnicate." err &&
	test_line_count err 1 &&
	test_expect_code 2 perfgate run --frob 2>err2 &&
	test_grep "unknown option .--frob." err2 &&
	test_expect_code 2 perfgate run --runs 2>err3 &&
	test_grep "option .--runs. needs a value" err3 &&
	test_expect_code 2 perfgate run --runs 0 -- true 2>err4 &&
	test_grep "runs: .0. is not a whole number >= 1" err4 &&
	test_expect_code 2 perfgate run stray 2>err5 &&
	test_grep "unexpected argument .stray." err5 &&
	test_expect_code 2 perfgate --frob 2>err6 &&
	test_grep "unknown option .--frob." err6
'

test_expect_success 'help, --help and --version' '
	perfgate --help >h && test_grep "^  run " h && test_grep "3  runtime failure" h &&
	perfgate help run >hr && test_grep "filter REGEX" hr && test_grep "Exit status" hr &&
	perfgate run --help >hr2 && test_grep "no-store" hr2 &&
	perfgate --version | grep -E "^perfgate [0-9]+\.[0-9]+\.[0-9]+$" &&
	test_expect_code 2 perfgate help nope 2>e && test_grep "unknown verb .nope." e
'

test_done
