#!/bin/sh
# perfgate gc (retention, store/gc.h): a dry run writes nothing; --apply
# summarises the runs of old commits in one notes commit, keeps the newest
# raw, never touches a note with history alerts or a commit an accepted
# regression names, and a sync with a clone that still has the raw runs
# does not bring them back.  log, show and gate still read the history.
. ./lib.sh

# $TRASH/res.N.json for each seed N: a perfgate results document of one
# run of "b" on runner "ci", 25 samples of 10 ms with 1% seeded noise
python3 - "$TRASH" 1 2 3 4 5 6 7 8 9 10 11 12 13 77 99 <<'PY'
import json, random, sys
for seed in map(int, sys.argv[2:]):
    r = random.Random(seed)
    x = [1e-2 * (1 + 0.01 * r.gauss(0, 1)) for _ in range(25)]
    with open("%s/res.%d.json" % (sys.argv[1], seed), "w") as f:
        json.dump({"schema": 1, "runs": [{"label": "ci", "benchmarks": [
            {"name": "b", "metrics": {"wall_time": {"unit": "s",
                                                    "samples": x}}}]}]}, f)
PY

# commit_with_results I [MESSAGE]: commit I (dated 2020), import res.I
commit_with_results() {
	echo "$1" >f && git add f &&
	GIT_COMMITTER_DATE="2020-01-01T00:00:$(printf %02d "$1")Z" \
		git commit -q -m "${2:-c$1}" &&
	perfgate import --label ci --format perfgate "$TRASH/res.$1.json" \
		>/dev/null 2>&1
}

notes_dump() {
	for c in $(git rev-list HEAD); do
		echo "== $c"
		git notes --ref=perfgate show "$c" 2>/dev/null || true
	done
}

git init -q --bare remote.git
new_repo a
cd a
i=1
while [ $i -le 12 ]; do
	case $i in
	5) msg="c5

Perfgate-Accept: b@$(git rev-parse --short=12 HEAD~2) the cost of a feature" ;;
	*) msg= ;;
	esac
	commit_with_results $i "$msg" || exit 1
	i=$((i + 1))
done
c1=$(git rev-parse HEAD~11) c2=$(git rev-parse HEAD~10)
c3=$(git rev-parse HEAD~9) c4=$(git rev-parse HEAD~8)
c5=$(git rev-parse HEAD~7) c6=$(git rev-parse HEAD~6)
c7=$(git rev-parse HEAD~5) c8=$(git rev-parse HEAD~4)
# c4 records a history alert, as `perfgate gate` on main would
git notes --ref=perfgate show "$c4" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d["alerts"] = [{"id": "b/wall_time", "benchmark": "b", "metric": "wall_time",
                "shift": 0.2, "raised_on": "'"$c4"'"}]
print(json.dumps(d))' >"$TRASH/alert.json" &&
git notes --ref=perfgate add -f -F "$TRASH/alert.json" "$c4" 2>/dev/null
# c1 is named by a perfgate.json acceptance
cat >perfgate.json <<JSON
{"benchmarks": [{"name": "b", "command": ["true"]}],
 "accept": [{"benchmark": "b", "metric": "wall_time", "max": "25%",
             "commit": "$(echo "$c1" | cut -c1-9)"}]}
JSON
git remote add origin ../remote.git
git push -q origin main refs/notes/perfgate
git clone -q ../remote.git ../b
git -C ../b fetch -q origin refs/notes/perfgate:refs/notes/perfgate

test_expect_success 'a dry run reports per branch and changes nothing' '
	notes_dump >"$TRASH/before" &&
	tip=$(git rev-parse refs/notes/perfgate) &&
	perfgate gc --keep-commits 4 --keep-days 0 >out 2>err &&
	test_grep "dry run" out &&
	test_grep "^  main: 12 commits with results: 8 kept raw \(4 in the window\), 4 summarised \(4 runs\)" out &&
	test_grep "runs to summarise: 4" out &&
	expect_eq "$(git rev-parse refs/notes/perfgate)" "$tip" &&
	notes_dump >"$TRASH/after" &&
	cmp "$TRASH/before" "$TRASH/after"
'

test_expect_success '--apply summarises old runs in one commit, keeps the rest byte for byte' '
	tip=$(git rev-parse refs/notes/perfgate) &&
	for c in $c1 $c2 $c4 $c5 HEAD~3 HEAD; do
		git notes --ref=perfgate show $c >"$TRASH/pre.$(git rev-parse $c)" ||
			return 1
	done &&
	perfgate gc --keep-commits 4 --keep-days 0 --apply >out &&
	test_grep "wrote one notes commit" out &&
	expect_eq "$(git rev-parse refs/notes/perfgate^)" "$tip" &&
	for c in $c3 $c6 $c7 $c8; do
		git notes --ref=perfgate show $c >n &&
		test_grep "\"summarised\":true" n &&
		test_grep "\"summary\":\\{\"n\":25," n || return 1
	done &&
	for c in $c1 $c2 $c4 $c5 HEAD~3 HEAD; do
		git notes --ref=perfgate show $c >n &&
		cmp n "$TRASH/pre.$(git rev-parse $c)" || return 1
	done
'

test_expect_success 'every run keeps its id, fingerprint and median' '
	notes_dump >"$TRASH/gc" &&
	python3 - "$TRASH/before" "$TRASH/gc" <<-PY
	import json, statistics, sys
	def runs(path):
	    out = {}
	    for block in open(path).read().split("== ")[1:]:
	        sha, _, text = block.partition("\n")
	        if text.strip():
	            for r in json.loads(text)["runs"]:
	                out[r["id"]] = r
	    return out
	a, b = runs(sys.argv[1]), runs(sys.argv[2])
	assert a.keys() == b.keys(), "runs lost or added"
	n = 0
	for k in a:
	    for f in ("environment", "timestamp", "perfgate_version", "commit"):
	        assert a[k].get(f) == b[k].get(f), (k, f)
	    ma = a[k]["benchmarks"][0]["metrics"]["wall_time"]
	    mb = b[k]["benchmarks"][0]["metrics"]["wall_time"]
	    if "summary" in mb:
	        n += 1
	        assert mb["summary"]["n"] == len(ma["samples"]) == 25
	        # rounded to 9 significant digits
	        for got, want in ((mb["samples"][4], statistics.median(ma["samples"])),
	                          (mb["samples"][0], min(ma["samples"])),
	                          (mb["samples"][8], max(ma["samples"]))):
	            assert got == float("%.9g" % want), (got, want)
	assert n == 4, n
	PY
'

test_expect_success 'a second gc has nothing left to do' '
	tip=$(git rev-parse refs/notes/perfgate) &&
	perfgate gc --keep-commits 4 --keep-days 0 --apply >out &&
	test_grep "runs summarised: 0" out &&
	expect_eq "$(git rev-parse refs/notes/perfgate)" "$tip"
'

test_expect_success 'log, show and gate read the summarised history' '
	perfgate log -n 12 >log &&
	test $(grep -c "n=25" log) -eq 12 &&
	perfgate show $c3 >show &&
	test_grep "n=25 .*summarised by gc" show &&
	perfgate log --changes -n 12 >changes &&
	perfgate gate --stored --results "$TRASH/res.77.json" --base HEAD \
		>gate 2>&1 &&
	test_grep "PASS" gate && test_grep -v "no baseline" gate
'

test_expect_success 'sync with a clone that still has the raw runs does not bring them back' '
	perfgate sync >/dev/null 2>&1 &&
	cd ../b &&
	echo 13 >f && git add f && git commit -q -m c13 &&
	perfgate import --format perfgate "$TRASH/res.13.json" 2>/dev/null &&
	perfgate import --format perfgate --commit "$c3" "$TRASH/res.99.json" \
		2>/dev/null &&
	git notes --ref=perfgate show $c6 >n && test_grep -v summarised n &&
	perfgate sync >/dev/null 2>&1 &&
	for c in $c3 $c6 $c7 $c8; do
		git notes --ref=perfgate show $c >n &&
		test_grep "\"summarised\":true" n || return 1
	done &&
	test $(git notes --ref=perfgate show $c3 | grep -c "\"id\"") -eq 2 &&
	test $(git notes --ref=perfgate show $c3 | grep -c "\"summarised\":true") -eq 1 &&
	test $(git notes --ref=perfgate show $c6 | grep -c "\"id\"") -eq 1 &&
	cd ../a && perfgate sync >/dev/null 2>&1 &&
	for c in $c3 $c6 $c7 $c8; do
		git notes --ref=perfgate show $c >n &&
		test_grep "\"summarised\":true" n || return 1
	done &&
	test $(git notes --ref=perfgate show $c3 | grep -c "\"id\"") -eq 2 &&
	test $(git notes --ref=perfgate show $c6 | grep -c "\"id\"") -eq 1
'

test_expect_success 'a corrupt note is reported and left untouched' '
	echo "not json" >bad && git notes --ref=perfgate add -f -F bad $c6 &&
	perfgate gc --keep-commits 4 --keep-days 0 --apply >out 2>err &&
	test_grep "leaves the note on $c6 untouched" err &&
	git notes --ref=perfgate show $c6 >n && cmp n bad
'

test_expect_success 'a summarised run is never a stored baseline, and the gate says so' '
	new_repo "$TRASH/solo" && cd "$TRASH/solo" &&
	for i in 1 2 3; do
		echo $i >f && git add f &&
		GIT_COMMITTER_DATE="2020-01-01T00:00:0${i}Z" git commit -q -m s$i &&
		perfgate import --label ci --format perfgate "$TRASH/res.$i.json" \
			2>/dev/null || return 1
	done &&
	perfgate gate --stored --results "$TRASH/res.77.json" --base HEAD~1 \
		>before 2>&1 &&
	test_grep -v "no baseline" before &&
	perfgate gc --keep-commits 1 --keep-days 0 --apply >out &&
	test_grep "runs summarised: 2" out &&
	perfgate gate --stored --results "$TRASH/res.77.json" --base HEAD~1 \
		>after 2>&1 &&
	test_grep "no baseline: .*2 runs were summarised by .perfgate gc." after
'

test_expect_success 'bad options exit 2' '
	test_expect_code 2 perfgate gc --keep-commits -1 2>err &&
	test_expect_code 2 perfgate gc --keep-days x 2>err &&
	test_expect_code 2 perfgate gc extra 2>err
'

test_done
