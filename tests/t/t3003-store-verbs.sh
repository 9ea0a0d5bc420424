#!/bin/sh
# Storing from perfgate run; log and show; bad repositories and notes;
# shallow clones; GitHub pull_request events.
. ./lib.sh

new_repo r
cd r
git commit -q --allow-empty -m second

test_expect_success 'run stores on HEAD; log and show read it back' '
	perfgate run --store --runs 3 --warmup 0 -- true 2>err &&
	test_grep "stored run [0-9a-f]{32} on $(git rev-parse --short=12 HEAD)" err &&
	git notes --ref=perfgate show HEAD >note &&
	test "$(json_get note "d[\"runs\"][0][\"commit\"]")" = "$(git rev-parse HEAD)" &&
	test "$(json_get note "d[\"runs\"][0][\"dirty\"]")" = False &&
	perfgate log >log &&
	test_grep "^$(git rev-parse --short=12 HEAD) [0-9-]{10} second$" log &&
	test_grep "^    true +.* n=3$" log &&
	perfgate log --format json >log.json &&
	test "$(json_get log.json "d[\"commits\"][0][\"benchmarks\"][0][\"samples\"]")" = 3 &&
	perfgate log --format csv >log.csv &&
	test_line_count log.csv 2 &&
	perfgate show >show &&
	test_grep "^run [0-9a-f]{32}$" show &&
	perfgate show --format json >show.json &&
	test "$(json_get show.json "len(d[\"runs\"])")" = 1
'

test_expect_success 'a second run appends; --no-store and --commit' '
	perfgate run --store --runs 2 --warmup 0 -- true 2>/dev/null &&
	perfgate run --no-store --runs 2 --warmup 0 -- true 2>err &&
	test_grep -v "stored run" err &&
	perfgate run --store --commit HEAD~1 --runs 2 --warmup 0 -- true 2>/dev/null &&
	git notes --ref=perfgate show HEAD >note &&
	test "$(json_get note "len(d[\"runs\"])")" = 2 &&
	git notes --ref=perfgate show HEAD~1 >note1 &&
	test "$(json_get note1 "len(d[\"runs\"])")" = 1 &&
	test_expect_code 2 perfgate run --store --commit nosuch --runs 1 -- true 2>err &&
	test_grep "unknown revision .nosuch." err
'

test_expect_success 'dirty tree is recorded; --notes-ref and PERFGATE_NOTES_REF' '
	echo x >tracked && git add tracked && git commit -qm tracked &&
	echo y >tracked &&
	perfgate run --store --notes-ref other --runs 1 --warmup 0 -- true 2>err &&
	test_grep "dirty working tree" err &&
	git notes --ref=other show HEAD >note &&
	test "$(json_get note "d[\"runs\"][0][\"dirty\"]")" = True &&
	PERFGATE_NOTES_REF=other perfgate show --format json >o.json &&
	test "$(json_get o.json "len(d[\"runs\"])")" = 1 &&
	git checkout -q tracked
'

test_expect_success 'corrupt note: skipped with its SHA on read, append refused with exit 2' '
	git notes --ref=perfgate add -f -m "{broken" HEAD~1 &&
	perfgate log >log 2>err &&
	test_grep "warning: skipping unreadable results: .note for $(git rev-parse HEAD~1)" err &&
	test_grep "git notes --ref=perfgate show $(git rev-parse HEAD~1)" err &&
	test_grep "initial" log &&
	test_expect_code 2 perfgate run --store --commit HEAD~1 --runs 1 -- true 2>err &&
	test_grep "will not overwrite" err &&
	git notes --ref=perfgate show HEAD~1 >still && test_grep "^\{broken$" still
'

test_expect_success 'no identity needed: notes commits use a fixed signature' '
	(
		unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL &&
		export GIT_CONFIG_GLOBAL=/dev/null EMAIL= &&
		perfgate run --store --runs 1 --warmup 0 -- true
	) 2>err &&
	test_grep "stored run" err &&
	git log -1 --format=%an refs/notes/perfgate >who &&
	test_grep "^perfgate$" who
'

test_expect_success 'not a repository, unborn HEAD, bare repository: exit 2' '
	cd "$TRASH" && mkdir plain && cd plain &&
	perfgate run --store --runs 1 --warmup 0 -- true 2>err &&
	test_grep "not in a git repository: results are not stored" err &&
	test_expect_code 2 perfgate log 2>err &&
	test_grep "^perfgate: error: not a git repository" err &&
	test_expect_code 2 perfgate run --store --commit HEAD --runs 1 -- true 2>err &&
	test_grep "not a git repository" err &&
	cd "$TRASH" && git init -q unborn && cd unborn &&
	test_expect_code 2 perfgate run --store --runs 1 -- true 2>err &&
	test_grep "has no commit yet" err && test_line_count err 1 &&
	cd "$TRASH" && git clone -q --mirror r bare.git && cd bare.git &&
	test_expect_code 2 perfgate run --store --runs 1 -- true 2>err &&
	test_grep "is a bare repository" err &&
	perfgate log >log 2>err && test_grep "initial" log
'

test_expect_success 'shallow clone: log says exactly what to fetch' '
	cd "$TRASH" && git clone -q --depth 1 "file://$TRASH/r" shallow && cd shallow &&
	perfgate log 2>err >log &&
	test_grep "does not exist in this clone" err &&
	test_grep "\+refs/notes/perfgate:refs/notes/perfgate" err &&
	test_grep "fetch-depth: 0" err &&
	git fetch -q origin "+refs/notes/perfgate:refs/notes/perfgate" &&
	perfgate log 2>err >log &&
	test_grep "history stops at [0-9a-f]{12} after 1 commits: this is a shallow clone" err &&
	test_grep "tracked" log
'

test_expect_success 'pull_request event: stored on the PR head, not the merge commit' '
	cd "$TRASH/r" &&
	head=$(git rev-parse HEAD~2) &&
	printf "{\"pull_request\":{\"head\":{\"sha\":\"%s\"}}}" "$head" >"$TRASH/event.json" &&
	before=$(git notes --ref=perfgate show HEAD | grep -c "\"id\"") &&
	GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$TRASH/event.json" \
		perfgate run --store --runs 1 --warmup 0 -- true 2>err &&
	test_grep "storing on the PR head $(git rev-parse --short=12 HEAD~2)" err &&
	git notes --ref=perfgate show HEAD~2 >n &&
	test "$(json_get n "d[\"runs\"][-1][\"commit\"]")" = "$head" &&
	test "$(git notes --ref=perfgate show HEAD | grep -c "\"id\"")" = "$before"
'


test_done
