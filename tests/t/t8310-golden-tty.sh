#!/bin/sh
# Golden terminal captures: what `gate`, `noise` and `run` print on a real
# terminal (tmux, 100 columns), checked in as tests/golden/*.txt, so that
# a change of wording, layout or units is a deliberate diff.  The gate is
# driven from results fixtures (imported history and --results), so its
# numbers are exact and only commit SHAs are masked; noise and run really
# measure, so their numbers, signs and time units are masked and runs of
# spaces folded; the run's live progress line is caught while the second
# benchmark runs.  PERFGATE_GOLDEN_UPDATE=1 rewrites the golden files.
. ./lib.sh

GOLDEN="$PERFGATE_TOP/tests/golden"
if ! command -v tmux >/dev/null; then
	echo "ok 1 # SKIP tmux is not installed"
	echo "1..1"
	exit 0
fi

# tty NAME CMD...: run CMD in a 100x40 tmux pane in the current directory
# and write the screen, once CMD has exited, to NAME.raw (-J: lines the
# pane wrapped are joined, so only perfgate's own wrapping shows).  With
# UNTIL set (an extended regex), the screen as soon as a line matches it.
tty() {
	name=$1
	shift
	until=${UNTIL:-'^\[exit [0-9]+\]$'}
	sock="$TRASH/tmux-$name.sock"
	tmux -u -S "$sock" -f /dev/null new-session -d -x 100 -y 40 \
		"cd '$PWD' && env NO_COLOR=1 PERFGATE_RUNNER=golden $* ; echo \"[exit \$?]\"; sleep 60" ||
		return 1
	i=0
	while [ $i -lt 600 ]; do
		tmux -S "$sock" capture-pane -p -J >"$name.raw" 2>/dev/null &&
			grep -Eq "$until" "$name.raw" && break
		sleep 0.05
		i=$((i + 1))
	done
	tmux -S "$sock" kill-server 2>/dev/null
	# trailing blank lines are the pane's, not the output's
	sed -i -e :a -e "/^\n*\$/{\$d;N;ba" -e "}" "$name.raw"
	grep -Eq "$until" "$name.raw"
}

# mask_shas < RAW: commit SHAs and run ids.
mask_shas() {
	sed -E "s/\b[0-9a-f]{12,40}\b/<sha>/g"
}

# mask_measured < RAW: also numbers (with their sign, "> "; not those in
# names such as MDE90 or lag-1), time units,
# and runs of spaces (column widths follow the numbers).
mask_measured() {
	mask_shas | perl -CSD -Mutf8 -pe '
		s/(?<![A-Za-z]-)(?<![A-Za-z0-9.])(> )?[+-]?[0-9]+(\.[0-9]+)?/N/g;
		s/N (ns|µs|ms|s)\b/N <time>/g; s/  +/ /g; s/ +$//'
}

# golden NAME: compare NAME.out with tests/golden/NAME.txt.
golden() {
	if [ -n "${PERFGATE_GOLDEN_UPDATE:-}" ]; then
		cp "$1.out" "$GOLDEN/$1.txt"
	fi
	diff -u "$GOLDEN/$1.txt" "$1.out"
}

# results FILE SCALE: two benchmarks, 20 samples each; parse scaled.
results() {
	python3 - "$1" "$2" <<-\EOF
	import json, sys
	scale = float(sys.argv[2])
	bs = []
	for name, base in (("parse", 0.0120), ("render", 0.0450)):
	    f = scale if name == "parse" else 1.0
	    s = [round(base * (1 + 0.005 * ((i * 7) % 5 - 2)) * f, 6) for i in range(20)]
	    bs.append({"name": name, "metrics": {
	        "wall_time": {"unit": "s", "direction": "lower", "samples": s},
	        "max_rss": {"unit": "B", "samples": [10485760] * 20}}})
	json.dump({"schema": 1, "runs": [{"label": "golden", "benchmarks": bs}]},
	          open(sys.argv[1], "w"))
	EOF
}

new_repo repo
cd repo
printf '{"runs": 5, "warmup": 0, "benchmarks": [{"name": "parse", "command": ["sleep", "0.01"]}, {"name": "render", "command": ["sleep", "0.02"]}]}\n' >perfgate.json
git add perfgate.json && git commit -qm config
results "$TRASH/base.json" 1.0 && results "$TRASH/cur.json" 1.25
for i in 1 2 3 4 5; do
	git commit -q --allow-empty -m "A$i" &&
		perfgate import --label golden "$TRASH/base.json" >/dev/null 2>&1
done
git checkout -q -b topic && git commit -q --allow-empty -m B

test_expect_success 'gate (results fixtures): the golden capture' '
	tty gate "$PERFGATE" gate --stored --no-store --results "$TRASH/cur.json" \
		--base-branch main &&
	mask_shas <gate.raw >gate.out &&
	test_grep "^\[exit 1\]$" gate.out &&
	golden gate
'

test_expect_success 'noise: the golden capture (numbers masked)' '
	printf "{\"benchmarks\": [{\"name\": \"jitter\", \"command\": \"sleep 0.00\$((\$\$ %% 9 + 1))\"}]}\n" >noise.json &&
	tty noise "$PERFGATE" noise -c noise.json --no-build &&
	test_grep "^\[exit 0\]$" noise.raw &&
	mask_measured <noise.raw >noise.out &&
	golden noise
'

test_expect_success 'run: the golden capture (numbers masked)' '
	tty run "$PERFGATE" run --no-store &&
	test_grep "^\[exit 0\]$" run.raw &&
	mask_measured <run.raw >run.out &&
	golden run
'

test_expect_success 'run: the golden progress line (suite position, time left)' '
	printf "{\"runs\": 6, \"warmup\": 0, \"benchmarks\": [{\"name\": \"quick\", \"command\": [\"true\"]}, {\"name\": \"slow\", \"command\": [\"sleep\", \"0.4\"]}]}\n" >slow.json &&
	UNTIL="^  \[2/2\] slow run [2-5]/6, ~[0-9]+ s left" \
		tty progress "$PERFGATE" run --no-store -c slow.json &&
	mask_measured <progress.raw >progress.out &&
	golden progress
'

test_done
