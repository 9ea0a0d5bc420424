#!/bin/sh
# perfgate bisect, the slower checks (make check-slow): SIGINT while
# measuring, and --change.  The same repository as t6210: 16 commits of a
# small C program whose commit 11 makes slow_path do 20% more work and
# whose commit 7 does not build; bisected on instruction counts.
. ./lib.sh

. "$TEST_DIR/lib-bisect.sh"

test_expect_success 'setup: 16 commits, commit 11 adds 20% to slow_path, 7 does not build' '
	new_repo r && cd r && history 7
'

test_expect_success 'SIGINT while measuring: exit 3, the scratch trees are removed' '
	cd r &&
	rm -rf itmp && mkdir itmp &&
	{ TMPDIR=$PWD/itmp "$PERFGATE" bisect c0 c15 --filter "^prog$" \
		--metric instructions --no-store >out 2>err & } &&
	pid=$! && i=0 &&
	until ls itmp | grep -q perfgate-icount; do
		i=$((i + 1)) && test $i -lt 200 && sleep 0.1 || break
	done &&
	ls itmp | grep perfgate-tree &&
	kill -INT $pid &&
	{ wait $pid; rc=$?; } ;
	test "$rc" = 3 &&
	test_grep "interrupted" err &&
	test "$(ls itmp | wc -l)" = 0
'

test_expect_success 'bisect --change: GOOD and BAD from the newest change point of log --changes' '
	new_repo w && cd w &&
	cat >perfgate.json <<EOF &&
{"build": "cc -O1 -g -o prog prog.c", "instruction_runs": 1,
 "benchmarks": [{"name": "prog", "command": ["./prog", "20000"]}]}
EOF
	echo prog >.gitignore &&
	for i in $(seq 0 23); do
		if [ $i -ge 15 ]; then prog 12 $i; else prog 10 $i; fi
		git add . && git commit -qm "commit $i" && git tag c$i || return 1
	done &&
	for i in $(seq 0 12) $(seq 17 23); do
		python3 -c "
import json, sys
ms = 12.0 if int(sys.argv[1]) >= 15 else 10.0
run = {\"id\": \"%032x\" % (int(sys.argv[1]) + 1), \"timestamp\": \"2026-12-01T00:00:00Z\",
       \"perfgate_version\": \"0.1.0\", \"source\": \"run\",
       \"benchmarks\": [{\"name\": \"prog\", \"metrics\": {\"wall_time\": {\"unit\": \"s\",
         \"direction\": \"lower\", \"samples\": [ms / 1000 * (1 + k / 1000) for k in range(5)]}}}]}
json.dump({\"schema\": 1, \"runs\": [run]}, open(\"r.json\", \"w\"))
" $i &&
		perfgate import --format perfgate --commit c$i r.json 2>/dev/null || return 1
	done &&
	perfgate log --changes -- prog >log 2>&1 &&
	test_grep "change" log &&
	perfgate bisect --change --filter prog --metric instructions --no-store \
		--json b.json >out 2>err &&
	test_grep "newest change point of .prog. lies after $(git rev-parse --short=12 c12), at or before $(git rev-parse --short=12 c17)" err &&
	test_grep "^culprit: $(git rev-parse --short=12 c15) commit 15" out &&
	test "$(json_get b.json "d[\"commits\"]")" = 5
'

test_expect_success 'bisect --change: GOOD and BAD from a history alert recorded on a commit' '
	new_repo a && cd a &&
	cp ../w/perfgate.json ../w/.gitignore . &&
	for i in $(seq 0 23); do
		if [ $i -ge 15 ]; then prog 12 $i; else prog 10 $i; fi
		git add . && git commit -qm "commit $i" && git tag c$i || return 1
	done &&
	for i in $(seq 0 12) $(seq 17 23); do
		python3 -c "
import json, sys
run = {\"id\": \"%032x\" % (int(sys.argv[1]) + 1), \"timestamp\": \"2026-12-01T00:00:00Z\",
       \"perfgate_version\": \"0.1.0\", \"source\": \"run\",
       \"benchmarks\": [{\"name\": \"prog\", \"metrics\": {\"wall_time\": {\"unit\": \"s\",
         \"direction\": \"lower\", \"samples\": [0.01 * (1 + k / 1000) for k in range(5)]}}}]}
json.dump({\"schema\": 1, \"runs\": [run]}, open(\"r.json\", \"w\"))
" $i &&
		perfgate import --format perfgate --commit c$i r.json 2>/dev/null || return 1
	done &&
	test_expect_code 2 perfgate bisect --change --filter prog --no-store 2>err &&
	test_grep "nor a history alert" err &&
	git notes --ref perfgate show c17 >note.json &&
	python3 -c "
import json
d = json.load(open(\"note.json\"))
d[\"alerts\"] = [{\"id\": \"prog/wall_time\", \"benchmark\": \"prog\", \"metric\": \"wall_time\",
                 \"shift\": 0.2, \"ci\": [0.18, 0.22], \"p_value\": 0.0001}]
json.dump(d, open(\"note.json\", \"w\"))
" &&
	git notes --ref perfgate add -f -F note.json c17 &&
	perfgate bisect --change --filter prog --metric instructions --no-store \
		--json b.json >out 2>err &&
	test_grep "lies after $(git rev-parse --short=12 c12), at or before $(git rev-parse --short=12 c17)" err &&
	test_grep "^culprit: $(git rev-parse --short=12 c15) commit 15" out
'

test_done
