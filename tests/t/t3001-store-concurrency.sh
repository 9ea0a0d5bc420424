#!/bin/sh
# The notes store never loses a run: concurrent writers, writers killed
# with SIGKILL mid-way.  Uses the store API through the test_store helper.
. ./lib.sh

HELPER="$PERFGATE_TOP/${PERFGATE_BUILD:-build}/tests/test_store"

new_repo r
sha=$(git -C r rev-parse HEAD)

test_expect_success 'appending keeps earlier runs' '
	"$HELPER" append r "$sha" 1 first >ids1 &&
	"$HELPER" append r "$sha" 2 second >ids2 &&
	git -C r notes --ref=perfgate show "$sha" >note &&
	for id in $(cat ids1 ids2); do test_grep "\"id\":\"$id\"" note || return 1; done &&
	test $(grep -c "\"id\":" note) -eq 3
'

test_expect_success '8 concurrent writers x 5 runs: all 40 runs stored' '
	git -C r commit -q --allow-empty -m second &&
	c2=$(git -C r rev-parse HEAD) &&
	for w in 1 2 3 4 5 6 7 8; do
		# half on one commit, half on another
		if [ $((w % 2)) -eq 0 ]; then t=$sha; else t=$c2; fi
		"$HELPER" append r "$t" 5 "w$w" >"w$w.ids" 2>"w$w.err" &
	done &&
	wait &&
	cat w*.ids >all.ids &&
	test_line_count all.ids 40 &&
	{ git -C r notes --ref=perfgate show "$sha"; git -C r notes --ref=perfgate show "$c2"; } >notes &&
	for id in $(cat all.ids); do grep -q "\"id\":\"$id\"" notes || { echo "lost $id"; return 1; }; done &&
	test $(grep -c "\"id\":" notes) -eq 43
'

test_expect_success 'writers killed with SIGKILL leave a valid ref and note' '
	new_repo k &&
	k=$(git -C k rev-parse HEAD) &&
	for round in 1 2 3 4 5; do
		pids=
		for w in 1 2 3 4; do
			"$HELPER" append k "$k" 50 "kill$w" >>"k$w.ids" 2>/dev/null &
			pids="$pids $!"
		done
		sleep 0.0$((round * 3))
		kill -9 $pids 2>/dev/null
		wait
		# the ref points to a commit whose note parses and holds
		# every run a writer reported as stored
		if ! git -C k rev-parse -q --verify refs/notes/perfgate >/dev/null; then
			# killed before the first write: the old value
			! cat k*.ids | grep -q . || return 1
			continue
		fi
		git -C k notes --ref=perfgate show "$k" >knote &&
		python3 -c "import json,sys; d=json.load(open(\"knote\")); assert d[\"schema\"]==1" || return 1
		for id in $(cat k*.ids); do grep -q "\"id\":\"$id\"" knote || { echo "lost $id"; return 1; }; done
		# a killed writer may leave a lock behind, as git does
		rm -f k/.git/refs/notes/perfgate.lock
	done &&
	git -C k fsck --no-dangling >fsck 2>&1 || { cat fsck; return 1; }
'

test_done
