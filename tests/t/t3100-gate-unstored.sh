#!/bin/sh
# Finding 1 of the hardening issue: a gate that could not store its run
# passed (exit 0).  A run that could not be stored is exit 3 with the
# reason, after the reports are written, and is kept in a file the error
# names so that `perfgate import` can store it later.  The repository is
# made read-only with a read-only bind mount in a user namespace (root
# ignores chmod).
. ./lib.sh

KEEP="$TRASH/keep"
mkdir "$KEEP"

# readonly_in DIR CMD...: run CMD in DIR, mounted read-only, with
# TMPDIR=$KEEP
readonly_in() {
	TMPDIR="$KEEP" unshare -rm sh -c 'd=$1; shift; mount --bind "$d" "$d" &&
		mount -o remount,bind,ro "$d" && cd "$d" && exec "$@"' \
		sh "$@"
}

if ! readonly_in "$TRASH" true 2>/dev/null; then
	echo "1..0 # SKIP no user namespaces (unshare -rm) here"
	cd / && rm -rf "$TRASH"
	exit 0
fi

new_repo repo
cat >repo/perfgate.json <<'JSON'
{"runs": 3, "warmup": 0, "benchmarks": [{"name": "t", "command": ["true"]}]}
JSON
(cd repo && git add . && git commit -q -m config &&
	TMPDIR="$KEEP" perfgate run 2>/dev/null &&
	git commit -q --allow-empty -m next)
notes_before=$(cd repo && git rev-parse refs/notes/perfgate)

# the stored notes are still the same
notes_unchanged() {
	test "$(cd "$TRASH/repo" && git rev-parse refs/notes/perfgate)" = "$notes_before"
}

# kept_file ERR: the file the error names
kept_file() {
	sed -n "s/.*the run is kept in '\([^']*\)'.*/\1/p" "$1" | head -n 1
}

test_expect_success 'gate-readonly-repository: gate is exit 3 after writing its reports' '
	rm -f "$KEEP"/* &&
	test_expect_code 3 readonly_in "$TRASH/repo" \
		"$PERFGATE" gate --stored --json "$TRASH/r.json" \
		--junit "$TRASH/j.xml" 2>err &&
	test_grep "error: cannot store run [0-9a-f]{32} on [0-9a-f]{12}: .*Read-only file system" err &&
	test_grep "PASS|FAIL" err &&
	json_get "$TRASH/r.json" "d[\"rows\"][0][\"bench\"]" >bench &&
	test_grep "^t$" bench &&
	python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])" "$TRASH/j.xml" &&
	notes_unchanged
'

test_expect_success 'gate-readonly-repository: the kept run imports later' '
	f=$(kept_file err) &&
	test -f "$f" &&
	case $f in "$KEEP"/perfgate-unstored-*.json) ;; *) false ;; esac &&
	(cd repo && perfgate import --format perfgate --commit HEAD "$f" 2>/dev/null) &&
	(cd repo && git notes --ref perfgate show HEAD) >note.json &&
	json_get note.json "len(d[\"runs\"])" >n && test_grep "^1$" n &&
	(cd repo && git update-ref refs/notes/perfgate "$notes_before")
'

test_expect_success 'gate-results-readonly-repository: --results is exit 3 after its reports' '
	rm -f "$KEEP"/* &&
	(cd repo && perfgate run --no-store --json "$TRASH/res.json" 2>/dev/null) &&
	test_expect_code 3 readonly_in "$TRASH/repo" \
		"$PERFGATE" gate --results "$TRASH/res.json" \
		--json "$TRASH/r2.json" 2>err &&
	test_grep "cannot store run .*kept in" err &&
	test -f "$TRASH/r2.json" &&
	test -f "$(kept_file err)" &&
	notes_unchanged
'

test_expect_success 'run-readonly-repository: run is exit 3 and keeps the run' '
	rm -f "$KEEP"/* &&
	test_expect_code 3 readonly_in "$TRASH/repo" \
		"$PERFGATE" run 2>err &&
	test_grep "cannot store run .*kept in" err &&
	test -f "$(kept_file err)" &&
	notes_unchanged
'

test_expect_success 'gate-paired-readonly-repository: paired gate is exit 3 after its reports' '
	new_repo pr &&
	cat >pr/perfgate.json <<-JSON &&
	{"build": "true", "pairs": [5, 10],
	 "benchmarks": [{"name": "t", "command": ["true"]}]}
	JSON
	(cd pr && git add . && git commit -q -m config &&
		git checkout -q -b topic &&
		git commit -q --allow-empty -m next) &&
	before=$(cd pr && git for-each-ref refs/notes) &&
	rm -f "$KEEP"/* &&
	test_expect_code 3 readonly_in "$TRASH/pr" \
		"$PERFGATE" gate --json "$TRASH/p.json" 2>err &&
	test_grep "cannot store run .*kept in" err &&
	json_get "$TRASH/p.json" "d[\"mode\"]" >mode &&
	test_grep "^paired" mode &&
	test "$(ls "$KEEP" | wc -l)" -eq 2 &&
	test "$(cd pr && git for-each-ref refs/notes)" = "$before"
'

test_done
