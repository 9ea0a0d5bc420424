#!/bin/sh
# The reporters' files, read by independent consumers: every JUnit file
# validates against tests/junit.xsd (xmllint) and reads back with
# python3-junitparser; every Markdown file renders with cmark-gfm with its
# table as a <table>; the JSON parses; the workflow commands stay commands.
# The files come from the unit-test program in its --write mode, which
# renders the hand-built reports of tests/unit/report_fixture.h.
. ./lib.sh

build=${PERFGATE_BUILD:-build}
case $build in /*) ;; *) build="$PERFGATE_TOP/$build" ;; esac
WRITER="$build/tests/test_reporters"
XSD="$PERFGATE_TOP/tests/junit.xsd"
PY=/usr/bin/python3
OUT="$TRASH/out"

need() {
	command -v "$1" >/dev/null ||
		{ echo "$1 is missing: run scripts/install-deps.sh" >&2; return 1; }
}

test_expect_success 'the tools are installed' '
	need xmllint && need cmark-gfm &&
	$PY -c "import junitparser"
'

test_expect_success 'the writer renders every fixture report' '
	"$WRITER" --write "$OUT" &&
	ls "$OUT" >list &&
	test_line_count list 11
'

test_expect_success 'every JUnit file validates against tests/junit.xsd' '
	for f in "$OUT"/*.xml; do
		xmllint --noout --schema "$XSD" "$f" || return 1
	done
'

# Each broken variant must be rejected, or the schema checks nothing.
reject() {
	sed "$1" "$OUT/full.xml" >broken.xml &&
	! xmllint --noout --schema "$XSD" broken.xml 2>err &&
	test_grep "fails to validate|not expected|not allowed|not accepted|missing" err
}

test_expect_success 'the schema rejects what Jenkins or GitLab would not read' '
	reject "s/time=\"0.013800\"/time=\"1.38e-02\"/" &&
	reject "s/time=\"0.013800\"/time=\"0.0138\"/" &&
	reject "s/ classname=\"core\"//" &&
	reject "s/<testsuites name=\"perfgate\"/<testsuites skipped=\"2\" name=\"perfgate\"/" &&
	reject "s/ failures=\"4\" errors=\"1\" skipped/ errors=\"1\" skipped/" &&
	reject "s/<failure type=\"regression\"/<failure type=\"slow\"/" &&
	reject "s|</testcase>|</testcase><failure type=\"regression\" message=\"x\"/>|"
'

test_expect_success 'junitparser reads the full report back' '
	$PY "$PERFGATE_TOP/tests/t/check_junit.py" "$OUT/full.xml" \
		"sort-1m [wall_time]=failure:+12.3% [+9.8%, +14.9%] p=0.0004" \
		"throughput [items_per_second]=failure:-20.0% [-25.0%, -15.0%] p=<0.0001" \
		"parse [max_rss]=failure:over budget: max_rss <= 512MiB, candidate 601.0 MiB" \
		"crash [wall_time]=error:exited with signal 11" \
		"new-bench [wall_time]=skipped:added: not in the baseline" \
		"old-bench [wall_time]=skipped" \
		"noisy [wall_time]=pass" \
		"unchanged-bench [wall_time]=pass"
'

test_expect_success 'junitparser reads the hostile name back, escaped and stripped' '
	$PY - "$OUT/full.xml" <<-\PYEOF
	import sys
	from junitparser import JUnitXml
	names = [c.name for s in JUnitXml.fromfile(sys.argv[1]) for c in s]
	evil = [n for n in names if n.startswith("evil")]
	assert evil == ["evil <&\"'"'"'|*_[x](y)`#> a\tb\nc[31m   caf\u00e9 % : , @team [wall_time]"], evil
	PYEOF
'

test_expect_success 'junitparser reads the other reports back' '
	$PY "$PERFGATE_TOP/tests/t/check_junit.py" "$OUT/no-baseline.xml" \
		"sort-1m [wall_time]=skipped:no baseline to compare against" \
		"parse [wall_time]=failure" &&
	$PY "$PERFGATE_TOP/tests/t/check_junit.py" "$OUT/huge.xml" \
		"benchmark-with-a-rather-long-name-000005|pipe [wall_time]=failure" &&
	$PY "$PERFGATE_TOP/tests/t/check_junit.py" "$OUT/empty.xml"
'

test_expect_success 'the Markdown tables render as tables with cmark-gfm' '
	$PY "$PERFGATE_TOP/tests/t/check_markdown.py" "$OUT/full.md" 11 \
		"<td>evil &lt;&amp;&quot;'"'"'|*_[x](y)\`#&gt; a b c  [31m" \
		"<td>sort-1m</td>" "<details>" "<td>mann-whitney-u (exact)</td>" &&
	$PY "$PERFGATE_TOP/tests/t/check_markdown.py" "$OUT/no-baseline.md" 2 \
		"<strong>Notice:</strong> no baseline found: " &&
	$PY "$PERFGATE_TOP/tests/t/check_markdown.py" "$OUT/empty.md" 0 \
		"No benchmarks were compared."
'

test_expect_success 'the truncated Markdown stays under its limit and says so' '
	size=$(wc -c <"$OUT/truncated.md") &&
	test "$size" -le 30000 &&
	test "$size" -gt 25000 &&
	$PY "$PERFGATE_TOP/tests/t/check_markdown.py" "$OUT/truncated.md" 100 \
		"<strong>Truncated:</strong>" "</details>"
'

test_expect_success 'the JSON report parses and is versioned' '
	test "$(json_get "$OUT/full.json" "d[\"schema\"]")" = 1 &&
	test "$(json_get "$OUT/full.json" "len(d[\"rows\"])")" = 11 &&
	test "$(json_get "$OUT/full.json" "d[\"rows\"][2][\"p_adjusted\"]")" = 0.0004 &&
	test "$(json_get "$OUT/full.json" "d[\"rows\"][5][\"estimate\"]")" = None &&
	! grep -E "NaN|Infinity" "$OUT/full.json"
'

test_expect_success 'the GitHub output is workflow commands only' '
	! grep -v "^::\(error\|warning\|notice\) title=[^:]*::" "$OUT/full.gh" &&
	test "$(grep -c "^::error " "$OUT/full.gh")" -eq 5 &&
	test "$(grep -c "^::warning " "$OUT/full.gh")" -eq 1
'

test_done
