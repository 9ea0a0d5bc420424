#!/bin/sh
# Output that reads well: show with units, the gate's non-gating rows
# folded (kept in JSON), notes wrapped at the terminal's width, and the
# live progress line with the suite position and the time left (in a
# real terminal, under tmux).
. ./lib.sh

new_repo r
cd r
printf '{"runs": 4, "warmup": 0, "benchmarks": [{"name": "a", "command": ["sleep", "0.01"]}, {"name": "b", "command": ["true"]}]}\n' >perfgate.json
git add perfgate.json && git commit -qm one && perfgate run 2>/dev/null
git commit -q --allow-empty -m two

test_expect_success 'show prints values with units, no raw exponents' '
	perfgate show HEAD~1 >show &&
	test_grep "^      wall_time +n=4 +median [0-9.]+ ms +min [0-9.]+ ms +max [0-9.]+ ms +\(lower is better\)$" show &&
	test_grep "^      max_rss .* [0-9.]+ (KiB|MiB) " show &&
	test_grep -v "e\+0|e-0" show
'

test_expect_success 'non-gating rows fold into one line; -v and JSON keep them' '
	perfgate gate --stored --json rep.json 2>gate.err &&
	test_grep "^  (reported, not gating: |  and )[0-9]+ rows? unchanged, inconclusive or zero \(.*cpu_sys.*; -v shows them\)$" gate.err &&
	test_grep -v "^  [a-z-]+ +[ab] +cpu_sys " gate.err &&
	test "$(json_get rep.json "sum(1 for r in d[\"rows\"] if r[\"metric\"] == \"cpu_sys\")")" = 2 &&
	perfgate gate --stored --no-store -v 2>v.err &&
	test_grep "^  [a-z-]+ +b +cpu_sys " v.err &&
	test_grep -v "rows unchanged, inconclusive or zero" v.err
'

test_expect_success '--metrics writes OpenMetrics that the reference parser reads' '
	perfgate gate --stored --no-store --metrics m.txt 2>/dev/null &&
	test_grep "^perfgate_median\{benchmark=\"a\",metric=\"wall_time\",unit=\"s\"\} [0-9.e-]+$" m.txt &&
	test "$(tail -n 1 m.txt)" = "# EOF" &&
	if /usr/bin/python3 -c "import prometheus_client" 2>/dev/null; then
		/usr/bin/python3 - m.txt <<-\EOF
		import sys
		from prometheus_client.openmetrics import parser
		fams = {f.name: f for f in parser.text_string_to_metric_families(open(sys.argv[1]).read())}
		assert fams["perfgate_median"].type == "gauge"
		assert len(fams["perfgate_median"].samples) == 8, fams["perfgate_median"].samples
		rows = {s.labels["verdict"]: s.value for s in fams["perfgate_rows"].samples}
		assert sum(rows.values()) == 8, rows
		EOF
	fi
'

test_expect_success 'notes wrap at $COLUMNS' '
	COLUMNS=50 perfgate gate --stored --no-store 2>w.err &&
	grep -E "^      note: |^        " w.err >notes &&
	test -s notes &&
	awk "length > 50 { print; bad = 1 } END { exit bad }" notes
'

# tmux_shows SOCK CMD REGEX: run CMD in a tmux pane and poll its screen
# until a line matches REGEX (up to 200 polls: a loaded machine polls
# slowly); the screen is printed when it never does
tmux_shows() {
	tmux -S "$1" new-session -d -x 120 -y 20 "$2; sleep 30" || return 1
	found= && i=0
	while [ $i -lt 200 ] && [ -z "$found" ]; do
		tmux -S "$1" capture-pane -p >pane 2>/dev/null || true
		if grep -E "$3" pane >/dev/null; then found=1; fi
		sleep 0.1; i=$((i + 1))
	done
	tmux -S "$1" kill-server 2>/dev/null
	test -n "$found" || { cat pane; false; }
}

test_expect_success 'the progress line shows [i/n] and the time left (tmux)' '
	command -v tmux >/dev/null || { echo "# no tmux: SKIP"; exit 0; }
	printf "{\"runs\": 6, \"warmup\": 0, \"benchmarks\": [{\"name\": \"s1\", \"command\": [\"sleep\", \"0.25\"]}, {\"name\": \"s2\", \"command\": [\"sleep\", \"0.6\"]}]}\n" >slow.json &&
	# s2 shows its line for 3.6 s
	tmux_shows "$TRASH/tmux.sock" "$PERFGATE run --no-store -c slow.json" \
		"^  \[2/2\] s2 run [0-9]+/6, ~[0-9]+ s left"
'

test_expect_success 'the paired progress line shows [i/n], the pair and the time left (tmux)' '
	command -v tmux >/dev/null || { echo "# no tmux: SKIP"; exit 0; }
	git init -q pp && cd pp &&
	printf "{\"pairs\": [10], \"benchmarks\": [{\"name\": \"s1\", \"command\": [\"sleep\", \"0.05\"]}, {\"name\": \"s2\", \"command\": [\"sleep\", \"0.2\"]}]}\n" >perfgate.json &&
	git add . && git commit -q -m A && git checkout -q -b b &&
	git commit -q --allow-empty -m B &&
	tmux_shows "$TRASH/tmux2.sock" "$PERFGATE gate --no-store" \
		"^  \[2/2\] s2 pair [0-9]+/10, ~[0-9]+ s left"
'

test_done
