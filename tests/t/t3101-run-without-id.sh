#!/bin/sh
# Finding 2 of the hardening issue: a run without "id" (the minimal
# document docs/formats.md allows a custom harness to write) crashed the
# stored gate in the baseline search (strcmp with NULL).  Such a run gets
# an id when it is stored, and is compared without one otherwise.
. ./lib.sh

new_repo repo
cat >repo/perfgate.json <<'JSON'
{"runs": 5, "warmup": 0, "benchmarks": [{"name": "/bin/true", "command": ["/bin/true"]}]}
JSON
cat >noid.json <<'JSON'
{"schema":1,"runs":[{"benchmarks":[{"name":"/bin/true","metrics":{"wall_time":{"unit":"s","samples":[0.001,0.001,0.001]}}}]}]}
JSON
(cd repo && git add . && git commit -q -m config &&
	perfgate run 2>/dev/null && git commit -q --allow-empty -m next)

test_expect_success 'run-without-id: gate --results --no-store compares it' '
	(cd repo && perfgate gate --stored --no-store --results ../noid.json \
		--base HEAD~1 --json ../r.json 2>../err); rc=$? &&
	test "$rc" -le 1 &&
	json_get r.json "d[\"rows\"][0][\"bench\"]" >b &&
	test_grep "^/bin/true$" b
'

test_expect_success 'run-without-id: gate --results stores it with a fresh id' '
	(cd repo && perfgate gate --stored --results ../noid.json \
		--base HEAD~1 2>../err); rc=$? &&
	test "$rc" -le 1 &&
	test_grep -v "\(null\)" err &&
	test_grep "stored run [0-9a-f]{32} on" err &&
	(cd repo && git notes --ref perfgate show HEAD) >note.json &&
	json_get note.json "d[\"runs\"][0][\"id\"]" >id &&
	test_grep "^[0-9a-f]{32}$" id
'

test_expect_success 'run-without-id: a baseline note without ids is still read' '
	(cd repo && git notes --ref perfgate add -f -F ../noid.json HEAD~1 &&
	 git notes --ref perfgate remove HEAD 2>/dev/null;
	 perfgate gate --stored --no-store --results ../noid.json \
		--base HEAD~1 --json ../r2.json 2>../err); rc=$? &&
	test "$rc" -le 1 &&
	json_get r2.json "d[\"baseline\"][\"commit\"]" >c &&
	test_grep "^[0-9a-f]{40}$" c
'

test_done
