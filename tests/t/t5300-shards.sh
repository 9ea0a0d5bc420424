#!/bin/sh
# Scale-out: one suite split over 3 shard jobs (3 clones of one bare
# remote, as 3 CI runners would be), each running `perfgate gate --shard
# I/3` and `perfgate sync`, then the final job's `perfgate sync
# --fetch-only && perfgate compare --require-shards 3`.  All on local disk.
# Timing-based (a 20x slowdown of a sleep), so it runs alone:
# test: serial
. ./lib.sh

export PERFGATE_RUNNER=shard-runner

# Six benchmarks; "slowme" sleeps for as long as the file delay says.  The
# regression is 20x at a 50% threshold: timing noise on a busy machine
# cannot produce it, nor hide it.
new_repo seed
cat >seed/perfgate.json <<'JSON'
{"runs": 8, "warmup": 0, "threshold": "50%", "benchmarks": [
  {"name": "alpha", "command": "sleep 0.01"},
  {"name": "beta", "command": "sleep 0.01"},
  {"name": "gamma", "command": "sleep 0.01"},
  {"name": "delta", "command": "sleep 0.01"},
  {"name": "epsilon", "command": "sleep 0.01"},
  {"name": "slowme", "command": "sleep $(cat delay)"}
]}
JSON
(cd seed && echo 0.01 >delay && git add perfgate.json delay &&
	git commit -q -m "A: the suite")
git init -q --bare remote.git
git -C seed push -q ../remote.git main
for i in 1 2 3; do git clone -q remote.git shard$i; done

# shard_jobs: every clone pulls main, gates its shard and syncs, all three
# at once like parallel CI jobs; exit statuses land in shardN.rc.
shard_jobs() {
	for i in 1 2 3; do
		(cd shard$i && git pull -q --ff-only &&
			perfgate gate --shard $i/3 --json r.json 2>gate.err
			echo $? >../shard$i.rc
			perfgate sync 2>sync.err || echo sync >>../shard$i.rc) &
	done
	wait
}

test_expect_success 'baseline: three shard jobs store and sync their subsets' '
	shard_jobs &&
	for i in 1 2 3; do
		test "$(cat shard$i.rc)" = 0 || { cat shard$i/*.err; return 1; }
	done &&
	sha=$(git -C seed rev-parse HEAD) &&
	git -C remote.git notes --ref=perfgate show "$sha" >note &&
	python3 - note <<-\EOF
	import json, sys
	runs = json.load(open(sys.argv[1]))["runs"]
	assert len(runs) == 3, len(runs)
	seen = {}
	for r in runs:
	    s = r["shard"]
	    assert s["count"] == 3 and 1 <= s["index"] <= 3, s
	    for b in r["benchmarks"]:
	        assert b["name"] not in seen, ("in two shards", b["name"])
	        seen[b["name"]] = s["index"]
	    assert sorted(r["shard"]["index"] for r in runs) == [1, 2, 3]
	assert sorted(seen) == sorted(["alpha", "beta", "gamma", "delta",
	                               "epsilon", "slowme"]), seen
	EOF
'

test_expect_success 'a shard gates only its subset and reports no removals' '
	# a stored baseline needs 5 runs of history (docs/statistics.md)
	for n in 1 2 3 4; do shard_jobs; done &&
	cd seed && echo 0.2 >delay && git commit -q -am "B: slowme 20x slower" &&
	git push -q ../remote.git main && cd .. &&
	shard_jobs &&
	slow=$(for i in 1 2 3; do
		json_get shard$i/r.json "any(r[\"bench\"] == \"slowme\" for r in d[\"rows\"])" |
			grep -q True && echo $i; done; true) &&
	test -n "$slow" &&
	test "$(cat shard$slow.rc)" = 1 &&
	for i in 1 2 3; do
		test_grep -v "removed" shard$i/gate.err || return 1
		test "$i" = "$slow" || test "$(cat shard$i.rc)" = 0 || return 1
	done
'

test_expect_success 'final job: compare --require-shards 3 judges the union' '
	git clone -q remote.git final && cd final &&
	perfgate sync --fetch-only 2>err &&
	test_expect_code 1 perfgate compare --require-shards 3 --json c.json \
		--junit j.xml 2>err &&
	test "$(json_get c.json "sorted(r[\"bench\"] for r in d[\"rows\"] if r[\"metric\"] == \"wall_time\") == [\"alpha\", \"beta\", \"delta\", \"epsilon\", \"gamma\", \"slowme\"]")" = True &&
	test "$(json_get c.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"slowme\" and r[\"metric\"] == \"wall_time\"][0]")" = regression &&
	test_grep "slowme" j.xml &&
	test_grep "across 6 gating comparisons" err ||
	{ cat err; false; }
'

test_expect_success 'a missing shard fails the final compare with exit 2' '
	cd seed && echo 0.01 >delay && git commit -q -am "C: fast again" &&
	git push -q ../remote.git main && cd .. &&
	for i in 1 3; do
		(cd shard$i && git pull -q --ff-only &&
			perfgate gate --shard $i/3 2>/dev/null; perfgate sync 2>/dev/null) ||
			return 1
	done &&
	cd final && git pull -q --ff-only && perfgate sync --fetch-only 2>err &&
	test_expect_code 2 perfgate compare --require-shards 3 2>err &&
	test_grep "shard 2/3 has no results" err
'

test_expect_success 'shards do not depend on the order of the suite' '
	cd shard1 &&
	python3 -c "
import json; c = json.load(open(\"perfgate.json\")); c[\"benchmarks\"].reverse()
json.dump(c, open(\"reversed.json\", \"w\"))" &&
	for i in 1 2 3; do
		perfgate run --shard $i/3 --runs 1 --no-store --json ../a$i.json 2>/dev/null &&
		perfgate run -c reversed.json --shard $i/3 --runs 1 --no-store \
			--json ../b$i.json 2>/dev/null &&
		test "$(json_get ../a$i.json "sorted(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"])")" = \
			"$(json_get ../b$i.json "sorted(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"])")" ||
		return 1
	done
'

test_expect_success 'bad --shard values are usage errors (exit 2)' '
	cd shard1 &&
	for v in 0/3 4/3 3 1/0 x/2 1/2x -1/3; do
		test_expect_code 2 perfgate run --shard "$v" --no-store 2>err &&
		test_grep "shard: .* is not I/N" err || return 1
	done &&
	test_expect_code 2 perfgate compare --require-shards 0 2>err
'

test_done
