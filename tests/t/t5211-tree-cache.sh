#!/bin/sh
# The built baseline tree is kept for the next paired session of the same
# baseline, config and runner (runner/treecache.h): the baseline's build
# runs once; a failed build is never reused; PERFGATE_TREE_CACHE=0 turns it
# off; another config builds again.
. ./lib.sh

git init -q repo
cat >repo/perfgate.json <<EOF
{"build": "echo built >>\"$TRASH/builds\" && cp \"$EXAMPLES/cpuwork\" work",
 "pairs": [5], "benchmarks": [{"name": "w", "command": ["./work", "100000"]}]}
EOF
printf 'work\nerr\nbad.json\n' >repo/.gitignore
(cd repo && git add . && git commit -q -m A && git checkout -q -b pr &&
	git commit -q --allow-empty -m B)

# builds: how many builds ran (both sides count)
builds() {
	if [ -f "$TRASH/builds" ]; then
		wc -l <"$TRASH/builds" | tr -d ' '
	else
		echo 0
	fi
}

test_expect_success 'the second session reuses the built baseline tree' '
	cd repo &&
	perfgate gate --no-store 2>err &&
	test "$(builds)" = 2 &&
	test_grep "/perfgate/trees/[0-9a-f]+/tree" err &&
	perfgate gate --no-store 2>err &&
	test_grep "built by an earlier session" err &&
	test "$(builds)" = 3 &&
	test -f .git/perfgate/trees/*/ready
'

test_expect_success 'PERFGATE_TREE_CACHE=0 exports and builds in a scratch tree' '
	cd repo &&
	PERFGATE_TREE_CACHE=0 perfgate gate --no-store 2>err &&
	test_grep -v "built by an earlier session" err &&
	test_grep "perfgate-ab\." err &&
	test "$(builds)" = 5
'

test_expect_success 'another config is another entry; a failed build is not kept' '
	cd repo &&
	n=$(ls .git/perfgate/trees | wc -l) &&
	sed "s/echo built/echo built; exit 1;/" perfgate.json >bad.json &&
	test_expect_code 3 perfgate gate --no-store -c bad.json 2>err &&
	test "$(ls .git/perfgate/trees | wc -l)" = "$n"
'

test_done
