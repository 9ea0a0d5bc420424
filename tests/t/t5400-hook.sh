#!/bin/sh
# perfgate hook: the pre-push check, through real `git push`es to a bare
# repository on local disk.
# Timing-based (a 10x slowdown of a sleep against a 50% threshold), so it
# runs alone:
# test: serial
. ./lib.sh

git init -q --bare remote.git
git clone -q remote.git dev 2>/dev/null
cd dev
cat >perfgate.json <<'JSON'
{"runs": 3, "warmup": 0, "threshold": "50%",
 "pre_push": {"filter": "^work$", "pairs": 6},
 "benchmarks": [
  {"name": "work", "command": "sleep $(cat delay)"},
  {"name": "not-in-pre-push", "command": "exit 1"}
]}
JSON
echo 0.01 >delay
git add perfgate.json delay && git commit -q -m "A: the suite"
git push -q origin main 2>/dev/null
git remote set-head origin main
cd ..

# remote_has BRANCH: the bare remote has refs/heads/BRANCH.
remote_has() {
	git -C "$TRASH/remote.git" rev-parse -q --verify "refs/heads/$1" >/dev/null
}

test_expect_success 'install writes an executable hook' '
	cd dev && perfgate hook install 2>err &&
	test -x .git/hooks/pre-push &&
	test_grep "installed" err &&
	perfgate hook install 2>err && test_grep "updated" err
'

test_expect_success 'a push without a regression goes through' '
	cd dev && git checkout -q -b fine &&
	echo note >>README && git add README && git commit -q -m "B: docs" &&
	git push origin fine 2>err &&
	remote_has fine &&
	test_grep "refs/heads/fine: gating [0-9a-f]{12} against [0-9a-f]{12} \(merge-base with origin/main\), 6 runs per side, benchmarks matching .\^work" err &&
	test_grep "PASS" err
'

test_expect_success 'a regression blocks the push (exit 1), nothing reaches the remote' '
	cd dev && git checkout -q -b slow main &&
	echo 0.1 >delay && git commit -q -am "C: 10x slower" &&
	test_expect_code 1 git push origin slow 2>err &&
	! remote_has slow &&
	test_grep "regression +work +wall_time" err &&
	test_grep "refs/heads/slow: performance regression: push blocked" err &&
	test_grep "PERFGATE_SKIP=1" err &&
	test_grep -v "not-in-pre-push" err
'

test_expect_success 'nothing is published or left behind' '
	cd dev &&
	test -z "$(git for-each-ref refs/notes)" &&
	test -z "$(git -C ../remote.git for-each-ref refs/notes)" &&
	test "$(git worktree list | wc -l)" -eq 1 &&
	test -z "$(ls "${TMPDIR:-/tmp}" | grep "perfgate-pre-push\.$$" || true)"
'

test_expect_success 'PERFGATE_SKIP=1 and --no-verify bypass it' '
	cd dev &&
	PERFGATE_SKIP=1 git push origin slow 2>err &&
	remote_has slow && test_grep "skipped" err &&
	git push -q origin :slow 2>/dev/null && ! remote_has slow &&
	git push --no-verify origin slow 2>err &&
	remote_has slow && test_grep -v "gating" err
'

test_expect_success 'deletions and tags are not gated' '
	cd dev &&
	git tag v-slow slow &&
	git push origin v-slow 2>err &&
	git -C ../remote.git rev-parse -q --verify refs/tags/v-slow &&
	test_grep -v "gating" err &&
	git push origin :slow 2>err &&
	! remote_has slow && test_grep -v "gating" err
'

test_expect_success 'a fix pushed on top of the regression goes through' '
	cd dev && git checkout -q slow &&
	echo 0.01 >delay && git commit -q -am "D: fast again" &&
	git push origin slow 2>err &&
	remote_has slow && test_grep "gating" err
'

test_expect_success 'install refuses a foreign hook; --chain runs it first' '
	new_repo other && cd other &&
	printf "#!/bin/sh\necho \"\$1\" >chained.args\ncat >chained.in\n" >.git/hooks/pre-push &&
	chmod +x .git/hooks/pre-push &&
	test_expect_code 2 perfgate hook install 2>err &&
	test_grep "perfgate did not write it: use .perfgate hook install --chain" err &&
	test_grep "chained.args" .git/hooks/pre-push &&
	perfgate hook install --chain 2>err &&
	test -x .git/hooks/pre-push.perfgate-chained &&
	git init -q --bare ../other.git &&
	git remote add origin ../other.git &&
	git push -q origin main 2>err &&
	test "$(cat chained.args)" = origin &&
	test_grep "^refs/heads/main [0-9a-f]{40} refs/heads/main 0{40}$" chained.in
'

test_expect_success 'a failing chained hook stops the push before perfgate' '
	cd other &&
	printf "#!/bin/sh\necho chained-fails >&2\nexit 7\n" >.git/hooks/pre-push.perfgate-chained &&
	git commit -q --allow-empty -m more &&
	test_expect_code 1 git push origin main 2>err &&
	test_grep "chained-fails" err
'

test_expect_success 'uninstall puts the chained hook back, and leaves foreign hooks' '
	cd other &&
	perfgate hook uninstall 2>err &&
	test_grep "chained-fails" .git/hooks/pre-push &&
	test ! -e .git/hooks/pre-push.perfgate-chained &&
	test_expect_code 2 perfgate hook uninstall 2>err &&
	test_grep "not written by perfgate" err &&
	test -e .git/hooks/pre-push &&
	rm .git/hooks/pre-push &&
	test_expect_code 2 perfgate hook uninstall 2>err &&
	test_grep "no pre-push hook" err
'

test_expect_success 'core.hooksPath is where the hook goes' '
	new_repo hp && cd hp &&
	git config core.hooksPath my-hooks &&
	perfgate hook install 2>err &&
	test -x my-hooks/pre-push && test ! -e .git/hooks/pre-push
'

test_expect_success 'settings: defaults, and a bad pre_push is exit 2' '
	echo "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >plain.json &&
	perfgate hook settings -c plain.json >out &&
	printf "10\n\n" >expect && cmp expect out &&
	echo "{\"pre_push\": {\"pairs\": 1}, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >bad.json &&
	test_expect_code 2 perfgate hook settings -c bad.json 2>err &&
	test_grep "pre_push.pairs: must be a whole number >= 2" err &&
	echo "{\"pre_push\": {\"filter\": \"(\"}, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >bad.json &&
	test_expect_code 2 perfgate hook settings -c bad.json 2>err &&
	test_grep "pre_push.filter: bad regular expression" err &&
	echo "{\"pre_push\": {\"fliter\": \"a\"}, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" >bad.json &&
	test_expect_code 2 perfgate hook settings -c bad.json 2>err &&
	test_grep "unknown key .fliter." err &&
	test_expect_code 2 perfgate hook frobnicate 2>err &&
	test_grep "unknown subcommand" err
'

test_done
