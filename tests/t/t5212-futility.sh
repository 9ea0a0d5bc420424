#!/bin/sh
# Paired mode's futility stop (gate/paired.h): a benchmark too noisy for
# more pairs to show a slowdown of theta stops at the first look, and its
# row says so instead of "more pairs would decide".  The noise is made,
# not measured: each side counts its own runs (the baseline runs in its
# exported tree, the candidate in repo/) and sleeps by a fixed cycle, so
# the per-pair ratios are -0.69, +0.69, -0.36, +0.41 and 0 in log: no
# slowdown to speak of, and a spread far too wide for 30 pairs to show 2%.
# test: serial
. ./lib.sh

git init -q repo
cat >repo/noisy.sh <<EOF
case \$PWD in
"$TRASH/repo") f="$TRASH/cand"; set -- 0.05 0.2 0.07 0.15 0.1 ;;
*) f="$TRASH/base"; set -- 0.1 0.1 0.1 0.1 0.1 ;;
esac
n=\$(cat "\$f" 2>/dev/null || echo 0)
echo \$((n + 1)) >"\$f"
shift \$((n % 5))
sleep \$1
EOF
cat >repo/perfgate.json <<EOF
{"benchmarks": [{"name": "noisy", "command": ["sh", "noisy.sh"]}]}
EOF
printf 'err\nout\n' >repo/.gitignore
(cd repo && git add . && git commit -q -m A && git checkout -q -b pr &&
	git commit -q --allow-empty -m B)

test_expect_success 'a benchmark too noisy to decide stops at the first look' '
	cd repo &&
	rm -f "$TRASH/base" "$TRASH/cand" &&
	perfgate gate --no-store >out 2>&1 &&
	test_grep "look 1 of 3 at 10 pairs: 0 benchmarks undecided" out &&
	test_grep "inconclusive noisy" out &&
	test_grep "stopped at 10 of 30 pairs \\(futility\\)" out &&
	test_grep -v "more pairs would decide" out
'

test_expect_success 'the JSON report has the 10 pairs it stopped at' '
	cd repo &&
	rm -f "$TRASH/base" "$TRASH/cand" &&
	perfgate gate --no-store --json out 2>err &&
	python3 -c "
import json
rows = {r[\"bench\"]: r for r in json.load(open(\"out\"))[\"rows\"]
        if r[\"metric\"] == \"wall_time\"}
assert rows[\"noisy\"][\"n_base\"] == 10, rows[\"noisy\"]
assert \"futility\" in rows[\"noisy\"][\"note\"], rows[\"noisy\"]
"
'

test_done
