#!/bin/sh
# The default path: plain `perfgate gate` is paired whenever a baseline
# commit is found (with or without "build"), stores a plain run on a push
# to the target branch, falls back with the reason in a shallow clone, and
# stops before measuring (exit 2, nothing stored) when the baseline side
# cannot run.  Every report's first line says the mode and why.
# test: serial
. ./lib.sh

SCRATCH="$TRASH/scratch"
mkdir "$SCRATCH"
pg() {
	TMPDIR="$SCRATCH" perfgate "$@"
}

field() {
	json_get "$1" "[r[\"$4\"] for r in d[\"rows\"] if r[\"bench\"] == \"$2\" and r[\"metric\"] == \"$3\"][0]"
}

notes() {
	git notes --ref perfgate list 2>/dev/null | wc -l | tr -d ' '
}

# A script in the tree, no "build": each side must run its own copy, which
# reads its own tree's work count.
git init -q repo
cat >repo/work.sh <<EOF
#!/bin/sh
exec "$EXAMPLES/cpuwork" "\$(cat n)"
EOF
chmod +x repo/work.sh
echo 2000000 >repo/n
cat >repo/perfgate.json <<'JSON'
{"runs": 5, "pairs": [8, 16], "benchmarks": [
  {"name": "work", "command": ["./work.sh"]}]}
JSON
printf 'err\nout\nh\n*.json\n*.md\n!perfgate.json\n' >repo/.gitignore
(cd repo && git add . && git commit -q -m "A: baseline")

test_expect_success 'a push to the target branch stores a plain run for history' '
	cd repo &&
	pg gate --json r.json 2>err &&
	git commit -q --allow-empty -m "A2: on main" &&
	{ pg gate --json r.json 2>err; test $? -le 1; } &&
	expect_eq "$(json_get r.json "d[\"mode\"]")" "stored baseline" &&
	test_grep "^mode: stored: a push to the target branch .main." err &&
	expect_eq "$(json_get r.json "d[\"mode_reason\"].startswith(\"stored: a push\")")" True &&
	! git notes --ref perfgate show HEAD | grep -q "\"mode\": *\"paired\""
'

test_expect_success 'on a branch the default gate is paired without "build", each side its own tree' '
	cd repo && git checkout -q -b change &&
	echo 6000000 >n && git commit -q -am "B: three times the work" &&
	test_expect_code 1 pg gate --json r.json --markdown m.md 2>err &&
	head -n 2 err >h && test_grep "^perfgate: paired: baseline" h &&
	test_grep "^mode: paired \(the default\): baseline [0-9a-f]{12}, the merge-base with .main." err &&
	test_grep "^\*\*Mode:\*\* paired" m.md &&
	expect_eq "$(json_get r.json "d[\"mode\"].startswith(\"paired\")")" True &&
	expect_eq "$(field r.json work wall_time verdict)" regression
'

test_expect_success '--stored forces the stored baseline and says so' '
	cd repo &&
	pg gate --stored --no-store --json s.json 2>err;
	expect_eq "$(json_get s.json "d[\"mode\"]")" "stored baseline" &&
	test_grep "^mode: stored: --stored" err &&
	expect_eq "$(json_get s.json "d[\"mode_reason\"]")" "stored: --stored"
'

test_expect_success 'a benchmark the change adds is added, measured on its side only' '
	cd repo && git checkout -q -b added main &&
	cat >perfgate.json <<-\JSON &&
	{"runs": 5, "pairs": [8], "benchmarks": [
	  {"name": "work", "command": ["./work.sh"]},
	  {"name": "new", "command": ["./new.sh"]}]}
	JSON
	printf "#!/bin/sh\nexec ./work.sh\n" >new.sh && chmod +x new.sh &&
	git add . && git commit -q -m "C: a new benchmark" &&
	{ pg gate --no-store --json r.json 2>err; test $? -le 1; } &&
	expect_eq "$(field r.json new wall_time verdict)" added &&
	expect_eq "$(field r.json new wall_time n_cand)" 8 &&
	test_grep "new in this change" r.json &&
	git checkout -q change
'

test_expect_success 'preflight: the baseline side cannot run, exit 2 and nothing stored' '
	git init -q pre && cd pre &&
	mkdir bin && cp "$EXAMPLES/cpuwork" bin/ &&
	printf "bin/\nerr\n" >.gitignore &&
	cat >perfgate.json <<-\JSON &&
	{"runs": 3, "benchmarks": [{"name": "w", "command": ["bin/cpuwork", "100000"]}]}
	JSON
	git add . && git commit -q -m A && git checkout -q -b pr &&
	git commit -q --allow-empty -m B &&
	before=$(notes) &&
	test_expect_code 2 pg gate 2>err &&
	test_grep "benchmark .w.: the baseline side cannot run .bin/cpuwork 100000." err &&
	test_grep "add a \"build\" command to perfgate.json" err &&
	expect_eq "$(notes)" "$before" &&
	test -z "$(ls -A "$SCRATCH")"
'

test_expect_success 'preflight: an absolute path into the work tree is refused (a silent A/A)' '
	cd pre &&
	cat >perfgate.json <<-EOF &&
	{"runs": 3, "benchmarks": [{"name": "w", "command": ["$PWD/bin/cpuwork", "100000"]}]}
	EOF
	before=$(notes) &&
	test_expect_code 2 pg gate 2>err &&
	test_grep "names a path in the work tree .* by its absolute path" err &&
	test_grep "use a path relative" err &&
	expect_eq "$(notes)" "$before" &&
	git checkout -q perfgate.json
'

test_expect_success 'a failing build stores nothing (exit 3)' '
	cd pre &&
	cat >perfgate.json <<-\JSON &&
	{"build": "echo broken >&2; exit 1", "runs": 3,
	 "benchmarks": [{"name": "w", "command": ["bin/cpuwork", "100000"]}]}
	JSON
	before=$(notes) &&
	test_expect_code 3 pg gate 2>err &&
	test_grep "broken" err &&
	expect_eq "$(notes)" "$before" &&
	git checkout -q perfgate.json
'

test_expect_success 'an interrupted session stores nothing (exit 3)' '
	cd repo &&
	cat >slow.json <<-\JSON &&
	{"benchmarks": [{"name": "s", "command": ["sleep", "0.2"]}]}
	JSON
	before=$(notes) &&
	{ TMPDIR="$SCRATCH" "$PERFGATE" gate -c slow.json 2>int.err & } &&
	pid=$! &&
	sleep 1.5 &&
	kill -INT $pid &&
	test_expect_code 3 wait $pid &&
	test_grep "interrupted" int.err &&
	expect_eq "$(notes)" "$before" &&
	rm slow.json int.err
'

test_expect_success 'an entry that cannot run in pairs runs stored, with the reason on its row' '
	cd repo && git checkout -q -b outside change &&
	cat >perfgate.json <<-EOF &&
	{"runs": 3, "pairs": [8], "benchmarks": [
	  {"name": "work", "command": ["./work.sh"]},
	  {"name": "out", "command": ["$EXAMPLES/cpuwork", "100000"], "cwd": "$TRASH"}]}
	EOF
	git commit -q -am "D: an entry outside the tree" &&
	pg gate --no-store --json r.json 2>err;
	test_grep "runs stored, not paired: its cwd" r.json &&
	expect_eq "$(json_get r.json "d[\"mode\"].startswith(\"paired\")")" True &&
	expect_eq "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"work\"][0] != \"removed\"")" True &&
	expect_eq "$(json_get r.json "len([r for r in d[\"rows\"] if r[\"verdict\"] == \"removed\"])")" 0 &&
	git checkout -q change
'

test_expect_success 'a shallow clone: stored, the reason and the fetch advice, a GitHub warning' '
	git clone -q --depth 1 --no-single-branch --branch change \
		"file://$TRASH/repo" shallow &&
	cd shallow &&
	export GITHUB_BASE_REF=main &&
	GITHUB_ACTIONS=true pg gate --no-store --json r.json >out 2>err &&
	test_grep "^mode: stored: no merge-base .*shallow clone \(fetch with fetch-depth: 0\)" err &&
	test_grep "^::warning" out &&
	! test_grep "^::notice" out 2>/dev/null &&
	test_expect_code 2 pg gate --no-store --require-baseline 2>err &&
	test_grep "require-baseline" err &&
	unset GITHUB_BASE_REF
'

test_expect_success 'a one-branch shallow clone (actions/checkout): the target is missing, fetch it' '
	git clone -q --depth 1 --branch change "file://$TRASH/repo" one &&
	cd one &&
	GITHUB_BASE_REF=main GITHUB_ACTIONS=true pg gate --no-store >out 2>err &&
	test_grep "^mode: stored: the target branch .main. named by the CI is not in this shallow clone: fetch it" err &&
	test_grep "^::warning.*fetch-depth: 0" out
'

test_expect_success 'looks: up to 10 extend the session, an 11th is refused' '
	cd repo &&
	pg ab HEAD --no-store --pairs 5,6,7,8,9,10,11,12,13,14 --json r.json 2>err &&
	test_expect_code 2 pg ab HEAD --no-store --pairs 5,6,7,8,9,10,11,12,13,14,15 2>err &&
	test_grep "pairs" err
'

test_done
