#!/bin/sh
# Fault injection (hardening #18): run, gate and sync are killed with
# SIGKILL at named points (util/testpoint.h), and a remote rejects the
# push twice before accepting it.  After each, no stored result is lost or
# changed, locally or on the remote, the repositories are consistent, and
# the next command works (or, for a lock a kill left on the remote, says
# which file to remove).
. ./lib.sh

git init -q --bare remote.git
new_repo a
(cd a && git remote add origin ../remote.git &&
	perfgate run --store --runs 2 -- true >/dev/null 2>&1 &&
	git push -q origin HEAD:main && perfgate sync >/dev/null 2>&1)
git clone -q remote.git b 2>/dev/null
(cd b && git commit -q --allow-empty -m b1 && perfgate run --store --runs 2 -- true >/dev/null 2>&1)

# runs DIR [REF]: every stored run of DIR as one JSON text per line
runs() {
	(cd "$1" && git notes --ref "${2:-perfgate}" list 2>/dev/null |
	while read -r note obj; do
		git cat-file -p "$note" | python3 -c "
import json, sys
for r in json.load(sys.stdin)['runs']:
    print('$obj', json.dumps(r, sort_keys=True))"
	done) | sort
}

# kept BEFORE AFTER: every line of BEFORE is in AFTER
kept() {
	missing=$(comm -23 "$1" "$2")
	[ -z "$missing" ] || { echo "lost: $missing" >&2; return 1; }
}

# consistent DIR: git fsck finds nothing wrong
consistent() {
	(cd "$1" && git fsck --no-dangling >/dev/null 2>../fsck.err) ||
		{ cat fsck.err >&2; return 1; }
}

# gate has no ad-hoc command: give it a config
cat >b/perfgate.json <<'JSON'
{"runs": 2, "warmup": 0, "benchmarks": [{"name": "t", "command": ["true"]}]}
JSON

for point in run:measured append:before-ref append:after-ref; do
	for verb in run "gate --stored"; do
		test_expect_success "kill-at-$point: $verb" "
			runs b >before &&
			(cd b && test_expect_code 137 env PERFGATE_TEST_KILL_AT=$point \
				\"\$PERFGATE\" $verb --runs 2 -- true >/dev/null 2>&1 ||
			 test_expect_code 137 env PERFGATE_TEST_KILL_AT=$point \
				\"\$PERFGATE\" $verb --runs 2 >/dev/null 2>&1) &&
			runs b >after &&
			kept before after &&
			consistent b &&
			(cd b && perfgate run --store --runs 2 -- true >/dev/null 2>&1)
		"
	done
done

for point in sync:after-fetch sync:after-merge sync:before-push; do
	test_expect_success "kill-at-$point: sync" "
		runs b >before && runs remote.git >rbefore &&
		(cd b && test_expect_code 137 env PERFGATE_TEST_KILL_AT=$point \
			\"\$PERFGATE\" sync >/dev/null 2>&1) &&
		runs b >after && runs remote.git >rafter &&
		kept before after && kept rbefore rafter &&
		consistent b && consistent remote.git &&
		(cd b && perfgate sync >/dev/null 2>&1) &&
		runs b >after && runs remote.git >rafter &&
		kept before rafter && kept rbefore after
	"
done

test_expect_success 'kill-at-sync:remote-locked: the lock it leaves is named' '
	(cd b && perfgate run --store --runs 2 -- true >/dev/null 2>&1) &&
	runs b >before && runs remote.git >rbefore &&
	(cd b && test_expect_code 137 env PERFGATE_TEST_KILL_AT=sync:remote-locked \
		"$PERFGATE" sync >/dev/null 2>&1) &&
	runs remote.git >rafter && kept rbefore rafter &&
	(cd b && test_expect_code 3 perfgate sync --push-only 2>../err) &&
	test_grep "remote ref is locked; the lock file .*remote.git/refs/notes/perfgate.lock" err &&
	rm remote.git/refs/notes/perfgate.lock &&
	(cd b && perfgate sync >/dev/null 2>&1) &&
	runs remote.git >rafter && kept before rafter
'

test_expect_success 'remote-rejects-twice: the third push goes through' '
	(cd a && perfgate run --store --runs 2 -- true >/dev/null 2>&1) &&
	runs a >before && runs remote.git >rbefore &&
	(cd a && PERFGATE_TEST_REJECT=2 perfgate sync 2>../err) &&
	test_grep "\(3 push attempts\)" err &&
	runs remote.git >rafter &&
	kept before rafter && kept rbefore rafter &&
	(cd a && PERFGATE_TEST_REJECT=5 test_expect_code 3 perfgate sync --tries 3 2>../err ||
	 PERFGATE_TEST_REJECT=5 test_expect_code 3 "$PERFGATE" sync 2>../err) &&
	test_grep "still rejected after" err
'

test_done
