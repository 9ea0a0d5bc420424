#!/bin/sh
# Finding 7 of the hardening issue: a stale refs/notes/perfgate.lock (left
# by a killed process) made sync fail for the wrong reasons ("still
# rejected", "the remote has results this clone lacks"), and made run
# throw the measured run away.  The messages name the lock file, its age
# and how to remove it; run keeps the run in a file for `perfgate import`.
. ./lib.sh

git init -q --bare remote.git
new_repo c
(cd c && perfgate run --store --runs 2 -- true >/dev/null 2>&1 &&
	git remote add origin ../remote.git)
mkdir -p remote.git/refs/notes
echo stale >remote.git/refs/notes/perfgate.lock

test_expect_success 'stale-remote-lock: sync names the lock file and its age' '
	(cd c && test_expect_code 3 perfgate sync 2>../err) &&
	test_grep "remote ref stayed locked .*lock file .*remote.git/refs/notes/perfgate.lock. was left [0-9]+ s ago" err &&
	test_grep "remove it with .rm .*perfgate.lock" err &&
	test_grep -v "still rejected" err
'

test_expect_success 'stale-remote-lock: sync --push-only says locked, not lacking' '
	(cd c && test_expect_code 3 perfgate sync --push-only 2>../err) &&
	test_grep "the remote ref is locked; the lock file" err &&
	test_grep -v "lacks" err
'

test_expect_success 'stale-remote-lock: after removing it, sync works' '
	rm remote.git/refs/notes/perfgate.lock &&
	(cd c && perfgate sync 2>../err) &&
	git --git-dir=remote.git rev-parse -q --verify refs/notes/perfgate
'

test_expect_success 'stale-local-lock: run keeps the run in the file it names' '
	echo stale >c/.git/refs/notes/perfgate.lock &&
	before=$(cd c && git rev-parse refs/notes/perfgate) &&
	(cd c && TMPDIR="$TRASH" test_expect_code 3 "$PERFGATE" run --store --runs 2 -- true 2>../err) &&
	test_grep "lock file .*c/.git/refs/notes/perfgate.lock. was left [0-9]+ s ago" err &&
	f=$(sed -n "s/.*the run is kept in .\([^'\'']*\).: store.*/\1/p" err) &&
	test -s "$f" &&
	test "$(cd c && git rev-parse refs/notes/perfgate)" = "$before" &&
	rm c/.git/refs/notes/perfgate.lock &&
	(cd c && perfgate import --format perfgate --commit HEAD "$f" 2>/dev/null) &&
	test "$(cd c && git notes --ref perfgate show HEAD | json_get /dev/stdin "len(d[\"runs\"])")" = 2
'

test_done
