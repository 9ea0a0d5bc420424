#!/bin/sh
# perfgate sync against real bare remotes on local disk.
. ./lib.sh

HELPER="$PERFGATE_TOP/${PERFGATE_BUILD:-build}/tests/test_store"

new_repo seed
git init -q --bare remote.git
git -C seed push -q ../remote.git main
sha=$(git -C seed rev-parse HEAD)

test_expect_success 'sync pushes local results to an empty remote' '
	git clone -q remote.git a &&
	"$HELPER" append a "$sha" 2 a >a.ids &&
	(cd a && perfgate sync) 2>err &&
	test_grep "remote had no results" err &&
	git -C remote.git notes --ref=perfgate show "$sha" >note &&
	for id in $(cat a.ids); do test_grep "$id" note || return 1; done
'

test_expect_success 'sync merges diverged notes as a union of runs' '
	git clone -q remote.git b &&
	"$HELPER" append b "$sha" 1 b >b.ids &&
	"$HELPER" append a "$sha" 1 a2 >>a.ids &&
	(cd a && perfgate sync) &&
	(cd b && perfgate sync) &&
	(cd a && perfgate sync --fetch-only) &&
	git -C remote.git notes --ref=perfgate show "$sha" >note &&
	for id in $(cat a.ids b.ids); do test_grep "$id" note || return 1; done &&
	test $(grep -c "\"id\":" note) -eq 4 &&
	git -C a notes --ref=perfgate show "$sha" >anote &&
	test $(grep -c "\"id\":" anote) -eq 4
'

test_expect_success '--push-only refuses to overwrite results it has not merged' '
	"$HELPER" append b "$sha" 1 b2 >>b.ids &&
	(cd b && perfgate sync) &&
	"$HELPER" append a "$sha" 1 a3 >>a.ids &&
	(cd a && test_expect_code 2 perfgate sync --push-only) 2>err &&
	test_grep "without --push-only" err &&
	(cd a && perfgate sync) &&
	git -C remote.git notes --ref=perfgate show "$sha" >note &&
	for id in $(cat a.ids b.ids); do test_grep "$id" note || return 1; done
'

test_expect_success '4 concurrent syncs, each with new runs: the remote has every run' '
	for i in 1 2 3 4; do
		git clone -q remote.git "c$i" &&
		"$HELPER" append "c$i" "$sha" 3 "c$i" >"c$i.ids" || return 1
	done &&
	for i in 1 2 3 4; do
		(cd "c$i" && perfgate sync --tries 20) >"c$i.out" 2>&1 &
	done &&
	wait &&
	git -C remote.git notes --ref=perfgate show "$sha" >note &&
	for id in $(cat c?.ids a.ids b.ids); do grep -q "$id" note || { echo "lost $id"; cat c?.out; return 1; }; done &&
	git -C remote.git fsck --no-dangling
'

# libgit2 1.5 checks that a ref to be created does not exist before it
# locks it: two syncs creating the notes ref at once both succeeded and one
# lost its runs (seen in 3 of 25 rounds before the fix).
test_expect_success 'concurrent syncs to a remote without notes lose no run' '
	for round in $(seq 1 15); do
		rm -rf fresh.git f1 f2 f3 &&
		git init -q --bare fresh.git &&
		git -C seed push -q ../fresh.git main &&
		for i in 1 2 3; do
			git clone -q fresh.git "f$i" 2>/dev/null &&
			"$HELPER" append "f$i" "$sha" 1 "f$i" >"f$i.ids" || return 1
		done &&
		for i in 1 2 3; do
			(cd "f$i" && perfgate sync --tries 20) >"f$i.out" 2>&1 &
		done &&
		wait &&
		git -C fresh.git notes --ref=perfgate show "$sha" >note &&
		for id in $(cat f?.ids); do grep -q "$id" note ||
			{ echo "round $round: lost $id"; cat f?.out; return 1; }; done ||
		return 1
	done
'

test_expect_success 'sync of an unknown remote fails with exit 2' '
	(cd a && test_expect_code 2 perfgate sync nosuch) 2>err &&
	test_grep "no remote named .nosuch." err
'

test_done
