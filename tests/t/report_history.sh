# report_history.sh - the stored history that the report tests draw;
# source it from tests/t/ after lib.sh.  It leaves the working directory in
# the repository r and sets step, accept and paired to commits' SHAs.
#
# 40 commits c01..c40.  Runner "ci-a" on every commit: "parse" steps from
# 10 ms to 12 ms at c26, "flat <&>" stays at 5 ms.  Runner "laptop" on
# c30..c40: "parse" at 30 ms (imported after ci-a's run, so the gate
# recomputed for c40 compares laptop's runs).  c33's message accepts a
# parse regression; c35's note also holds a paired session whose samples
# (1 s) must stay out of the trend.
new_repo r
cd r
python3 - <<'PY' || exit 1
import json, random
rng = random.Random(4)
def samples(base):
    return [base * (1 + rng.gauss(0, 0.01)) for _ in range(15)]
for i in range(1, 41):
    doc = {"schema": 1, "runs": [{"benchmarks": [
        {"name": "parse", "metrics": {"wall_time": {
            "unit": "s", "samples": samples(0.010 if i < 26 else 0.012)}}},
        {"name": "flat <&>", "metrics": {"wall_time": {
            "unit": "s", "samples": samples(0.005)}}}]}]}
    json.dump(doc, open("../ci%02d.json" % i, "w"))
    doc = {"schema": 1, "runs": [{"benchmarks": [
        {"name": "parse", "metrics": {"wall_time": {
            "unit": "s", "samples": samples(0.030)}}}]}]}
    json.dump(doc, open("../laptop%02d.json" % i, "w"))
PY
i=1
while [ $i -le 40 ]; do
	n=$(printf %02d $i)
	msg="c$n"
	[ $n = 33 ] && msg="c33

Perfgate-Accept: parse wall_time +25% the new parser is worth it"
	git commit -q --allow-empty -m "$msg" &&
	perfgate import --label ci-a --format perfgate ../ci$n.json \
		>/dev/null 2>&1 || exit 1
	if [ $i -ge 30 ]; then
		perfgate import --label laptop --format perfgate \
			../laptop$n.json >/dev/null 2>&1 || exit 1
	fi
	i=$((i + 1))
done
step=$(git rev-parse HEAD~14)    # c26
accept=$(git rev-parse HEAD~7)   # c33
paired=$(git rev-parse HEAD~5)   # c35
git notes --ref perfgate show $paired >note.json
python3 - <<'PY' || exit 1
import json
d = json.load(open("note.json"))
run = {"label": "ci-a", "mode": "paired", "session": "ab" * 16,
       "side": "cand", "benchmarks": [{"name": "parse", "metrics": {
           "wall_time": {"unit": "s", "samples": [1.0] * 10}}}]}
d["runs"].append(run)
json.dump(d, open("note.json", "w"))
PY
git notes --ref perfgate add -f -F note.json $paired 2>/dev/null || exit 1

