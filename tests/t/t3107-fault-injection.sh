#!/bin/sh
# Fault injection (hardening #18, "make it stay fixed"): writes to the
# object store and to the notes ref fail with ENOSPC or EIO at every
# point of an append (tests/fault/fault.c, LD_PRELOAD).  In every case
# the exit code and the message are right, the measured run is kept in
# the file the error names, and no stored result is lost or changed.
. ./lib.sh

build=${PERFGATE_BUILD:-build}
case $build in /*) ;; *) build="$PERFGATE_TOP/$build" ;; esac
SHIM="$build/tests/libfault.so"
# the shim beside an ASan binary (make asan)
export ASAN_OPTIONS="verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
KEEP="$TRASH/keep"
mkdir "$KEEP"

new_repo repo
cd repo
for i in 1 2 3; do
	perfgate run --store --runs 2 -- true >/dev/null 2>&1
	git commit -q --allow-empty -m "c$i"
done
perfgate run --store --runs 2 -- true >/dev/null 2>&1

# snapshot: every stored note, to compare with after each fault
snapshot() {
	git notes --ref perfgate list | while read -r note obj; do
		echo "$obj $(git cat-file -p "$note" | sha1sum)"
	done
}
snapshot >before

# kept ERR: the file the error names
kept() {
	sed -n "s/.*the run is kept in '\([^']*\)'.*/\1/p" "$1" | head -n 1
}

# faulty ENV...: run perfgate with the shim and the settings in ENV
faulty() {
	env LD_PRELOAD="$SHIM" TMPDIR="$KEEP" "$@"
}

# check_fault RC WHY: exit 3 with WHY and a kept run, or exit 0 and a
# stored one; the notes stored before are all there, unchanged
check_fault() {
	if [ "$1" -eq 0 ]; then
		test_grep "stored run" err || return 1
	else
		test "$1" -eq 3 || { echo "exit $1" >&2; cat err >&2; return 1; }
		test_grep "error: cannot store run .*: $2; the run is kept in" err &&
		test -s "$(kept err)" || return 1
	fi
	snapshot >after &&
	# every note of before is unchanged, or (stored) has one more run
	while read -r obj sum; do
		now=$(grep "^$obj " after) || { echo "note on $obj lost" >&2; return 1; }
		[ "$now" = "$obj $sum" ] || [ "$1" -eq 0 ] || {
			echo "note on $obj changed" >&2; return 1; }
	done <before &&
	git fsck --no-dangling >/dev/null 2>fsck.err || { cat fsck.err >&2; return 1; }
	snapshot >before
}

for where in objects/ refs/notes; do
	for errno in ENOSPC EIO; do
		case $errno in
		ENOSPC) why="No space left on device" ;;
		EIO) why="Input/output error" ;;
		esac
		test_expect_success "fault-$errno-$where: run at every write" "
			for after in 0 1 2 3 4; do
				faulty PERFGATE_FAULT_PATH=$where PERFGATE_FAULT_ERRNO=$errno \
					PERFGATE_FAULT_AFTER=\$after \
					\"\$PERFGATE\" run --store --runs 2 -- true >/dev/null 2>err
				check_fault \$? \"(.*: )?$why\" || return 1
			done
		"
	done
done

test_expect_success 'fault-ENOSPC: the kept run imports once there is room' '
	rm -f "$KEEP"/* &&
	faulty PERFGATE_FAULT_PATH=objects/ "$PERFGATE" run --store --runs 2 -- true \
		>/dev/null 2>err
	test $? -eq 3 &&
	f=$(kept err) &&
	sha=$(sed -n "s/.*--commit \([0-9a-f]*\) .*/\1/p" err) &&
	n=$(git notes --ref perfgate show "$sha" | python3 -c "import json,sys; print(len(json.load(sys.stdin)[\"runs\"]))") &&
	perfgate import --format perfgate --commit "$sha" "$f" >/dev/null 2>&1 &&
	m=$(git notes --ref perfgate show "$sha" | python3 -c "import json,sys; print(len(json.load(sys.stdin)[\"runs\"]))") &&
	test "$m" -eq $((n + 1))
'

test_expect_success 'fault-ENOSPC: gate writes its reports, then exit 3' '
	snapshot >before &&
	faulty PERFGATE_FAULT_PATH=objects/ "$PERFGATE" gate --stored --runs 3 \
		--json r.json -- true >/dev/null 2>err
	rc=$?
	test $rc -eq 3 || {
	cat >perfgate.json <<-\JSON
	{"runs": 3, "warmup": 0, "benchmarks": [{"name": "t", "command": ["true"]}]}
	JSON
	faulty PERFGATE_FAULT_PATH=objects/ "$PERFGATE" gate --stored \
		--json r.json >/dev/null 2>err; rc=$?; }
	test $rc -eq 3 &&
	test_grep "No space left on device|disk full" err &&
	json_get r.json "d[\"rows\"][0][\"bench\"]" >/dev/null &&
	check_fault 3 ".*(No space left on device|disk full or failing\?\))"
'

test_done
