#!/bin/sh
# perfgate run -- CMD measures an ad-hoc command and stores nothing unless
# --store: ad-hoc measurements are not suite results, and a stored one
# showed up in every later gate as a removed benchmark.
. ./lib.sh

new_repo r
cd r
printf '{"runs": 3, "warmup": 0, "benchmarks": [{"name": "suite", "command": ["true"]}]}\n' >perfgate.json
git add perfgate.json && git commit -qm suite

test_expect_success 'run -- CMD in a repository stores nothing' '
	perfgate run --runs 2 --warmup 0 -- true >out 2>err &&
	test_grep "^true +2 " err &&
	test_grep -v "stored run" err &&
	test_expect_code 1 git notes --ref=perfgate list HEAD 2>/dev/null
'

test_expect_success 'a later gate reports no removed ad-hoc benchmark' '
	perfgate run 2>/dev/null &&
	perfgate run --runs 2 --warmup 0 -- sleep 0.01 2>/dev/null &&
	git commit -q --allow-empty -m next &&
	perfgate gate --stored -v 2>gate.err &&
	test_grep "suite" gate.err &&
	test_grep -v "removed|sleep" gate.err
'

test_expect_success '--store keeps an ad-hoc run; --store without a command is an error' '
	perfgate run --store --runs 2 --warmup 0 -- true 2>err &&
	test_grep "stored run [0-9a-f]{32} on" err &&
	git notes --ref=perfgate show HEAD >note &&
	test "$(json_get note "d[\"runs\"][-1][\"benchmarks\"][0][\"name\"]")" = true &&
	test_expect_code 2 perfgate run --store 2>err &&
	test_grep "--store is for an ad-hoc command" err &&
	test_expect_code 2 perfgate run --store --no-store -- true 2>err &&
	test_grep "contradict" err &&
	perfgate help run >h && test_grep "^  --store " h && test_grep -v "^  1  " h
'

test_done
