#!/bin/sh
# perfgate log --changes: change points in each benchmark's series of
# per-commit medians, on a history stored with `perfgate import`; and log
# reading notes from any fanout layout of the notes tree.
. ./lib.sh

# 40 commits c01..c40, each with one imported run of two benchmarks, 15
# samples of 1 % noise (seeded): "parse" steps from 10 ms to 12 ms at c26,
# "flat" stays at 5 ms.
new_repo r
cd r
python3 - <<'EOF' || exit 1
import json, random
rng = random.Random(4)
for i in range(1, 41):
    def samples(base):
        return [base * (1 + rng.gauss(0, 0.01)) for _ in range(15)]
    doc = {"schema": 1, "runs": [{"benchmarks": [
        {"name": "parse", "metrics": {"wall_time": {
            "unit": "s", "samples": samples(0.010 if i < 26 else 0.012)}}},
        {"name": "flat", "metrics": {"wall_time": {
            "unit": "s", "samples": samples(0.005)}}}]}]}
    with open("../run%02d.json" % i, "w") as f:
        json.dump(doc, f)
EOF
i=1
while [ $i -le 40 ]; do
	n=$(printf %02d $i)
	git commit -q --allow-empty -m "c$n" &&
	perfgate import --format perfgate ../run$n.json >/dev/null 2>&1 || exit 1
	i=$((i + 1))
done
step=$(git rev-parse HEAD~14) # c26

test_expect_success 'text: the step is marked once, on its first commit' '
	perfgate log -n 100 --changes >log &&
	test "$(grep -c "<- shift" log)" = 1 &&
	grep -B3 "<- shift" log >mark &&
	test_grep "^$(git rev-parse --short=12 $step) .* c26$" mark &&
	test_grep "^    parse .* <- shift \+(19|20|21)\.[0-9]% \((9\.|10\.)[0-9]+ ms -> (11|12)\.[0-9]+ ms, p=0\.001\)$" log &&
	test_grep "^1 change point \(E-divisive means, p <= 0.001, window 50, 999 permutations, seed [0-9]+\)$" log
'

test_expect_success 'json: a change object on the row and in the changes list' '
	perfgate log -n 100 --changes --format json >log.json &&
	test "$(json_get log.json "len(d[\"changes\"])")" = 1 &&
	test "$(json_get log.json "d[\"changes\"][0][\"sha\"]")" = "$step" &&
	test "$(json_get log.json "d[\"changes\"][0][\"benchmark\"]")" = parse &&
	test "$(json_get log.json "abs(d[\"changes\"][0][\"shift\"] - 0.2) < 0.02")" = True &&
	test "$(json_get log.json "d[\"changes\"][0][\"p_value\"] <= 0.001")" = True &&
	test "$(json_get log.json "\" \".join(c[\"sha\"] + \"/\" + b[\"name\"] for c in d[\"commits\"] for b in c[\"benchmarks\"] if \"change\" in b)")" = "$step/parse" &&
	test "$(json_get log.json "d[\"change_points\"][\"window\"]")" = 50 &&
	test "$(json_get log.json "len(d[\"commits\"])")" = 40
'

test_expect_success 'csv: shift columns, filled on the marked row only' '
	perfgate log -n 100 --changes --format csv >log.csv &&
	test_grep "^sha,date,benchmark,metric,unit,median,samples,runs,shift,before,after,p_value$" log.csv &&
	test_line_count log.csv 81 &&
	test "$(grep -c ",,,,$" log.csv)" = 79 &&
	test_grep "^$step,[0-9-]+,\"parse\",wall_time,s,0\.01[12][0-9]*,15,1,0\.(19|20|21)[0-9]*,0\.0(09|10)[0-9]*,0\.01[12][0-9]*,0\.001$" log.csv
'

test_expect_success 'no shift, no marks: history before the step, flat alone' '
	perfgate log -n 100 --changes --rev HEAD~15 >before &&
	test_grep -v "<- shift" before &&
	test_grep "^0 change points" before &&
	test "$(grep -c " c[0-9][0-9]$" before)" = 25 &&
	perfgate log -n 100 --changes --format json -- flat >flat.json &&
	test "$(json_get flat.json "len(d[\"changes\"])")" = 0 &&
	test "$(json_get flat.json "d[\"changes\"]")" = "[]"
'

test_expect_success 'without --changes the output has no change fields' '
	perfgate log -n 100 --format csv >plain.csv &&
	test_grep "^sha,date,benchmark,metric,unit,median,samples,runs$" plain.csv &&
	perfgate log -n 100 --format json >plain.json &&
	test "$(json_get plain.json "\"changes\" in d")" = False &&
	perfgate log -n 100 >plain &&
	test_grep -v "change point" plain &&
	cut -d, -f1-8 log.csv | sed 1d >marked.csv &&
	sed 1d plain.csv >plain-rows.csv && cmp marked.csv plain-rows.csv
'

# Rewrite the notes tree with two-digit fanout directories (as git does
# for many notes), one level for some notes and two for others: log must
# read every note as before.
test_expect_success 'notes in fanout directories read the same' '
	perfgate log -n 100 --format json >flat-layout.json &&
	git ls-tree refs/notes/perfgate >entries &&
	test_line_count entries 40 &&
	python3 - <<-EOF &&
	import subprocess
	def mktree(lines):
	    return subprocess.run(["git", "mktree"], input="".join(lines),
	                          capture_output=True, text=True,
	                          check=True).stdout.strip()
	groups = {}
	for line in open("entries"):
	    meta, name = line.rstrip("\n").split("\t")
	    groups.setdefault(name[:2], []).append((meta, name[2:]))
	top = []
	for i, (d, items) in enumerate(sorted(groups.items())):
	    if i % 2:
	        inner = {}
	        for meta, rest in items:
	            inner.setdefault(rest[:2], []).append((meta, rest[2:]))
	        sub = [("040000 tree %s\t%s\n" % (mktree(
	                ["%s\t%s\n" % m for m in v]), k))
	               for k, v in sorted(inner.items())]
	    else:
	        sub = ["%s\t%s\n" % m for m in items]
	    top.append("040000 tree %s\t%s\n" % (mktree(sub), d))
	tree = mktree(top)
	commit = subprocess.run(["git", "commit-tree", tree, "-p",
	                         "refs/notes/perfgate", "-m", "fanout"],
	                        capture_output=True, text=True,
	                        check=True).stdout.strip()
	subprocess.run(["git", "update-ref", "refs/notes/perfgate", commit],
	               check=True)
	EOF
	git ls-tree refs/notes/perfgate >top &&
	test_grep -v "blob" top &&
	git log --notes=perfgate --format=%N >git-notes &&
	test "$(grep -c "\"schema\"" git-notes)" = 40 &&
	perfgate log -n 100 --format json >fanout-layout.json &&
	cmp flat-layout.json fanout-layout.json &&
	perfgate show --format json $step >show.json &&
	test "$(json_get show.json "len(d[\"runs\"])")" = 1
'

test_done
