#!/bin/sh
# perfgate stat: comparing two sample files, verdicts, exit codes, and
# every kind of bad input (message with file and line, exit 2).
. ./lib.sh

# 12 baseline samples around 100 and a candidate 10% slower
seq_samples() { # base step count
	awk -v b="$1" -v s="$2" -v n="$3" 'BEGIN { for (i = 0; i < n; i++)
		printf "%.3f\n", b + s * ((i * 7) % 12) }'
}

test_expect_success 'a 10% slowdown is a regression (exit 1)' '
	seq_samples 100 0.1 12 >base.txt &&
	seq_samples 110 0.1 12 >slow.txt &&
	test_expect_code 1 perfgate stat base.txt slow.txt >out &&
	test_grep "^verdict +regression" out &&
	test_grep "mann-whitney-u \(asymptotic\)" out &&
	test_grep "change +\+9\.9[0-9]%" out
'

test_expect_success 'the same samples reshuffled are unchanged (exit 0)' '
	sort -r base.txt >same.txt &&
	test_expect_code 0 perfgate stat base.txt same.txt >out &&
	test_grep "^verdict +unchanged" out
'

test_expect_success '--json has the documented keys' '
	test_expect_code 1 perfgate stat --json base.txt slow.txt >out.json &&
	test "$(json_get out.json "d[\"test\"]")" = mann-whitney-u &&
	test "$(json_get out.json "d[\"method\"]")" = asymptotic &&
	test "$(json_get out.json "d[\"n_a\"], d[\"n_b\"]")" = "12 12" &&
	test "$(json_get out.json "d[\"verdict\"]")" = regression &&
	test "$(json_get out.json "d[\"confidence\"]")" = 0.99 &&
	json_get out.json "0 < d[\"p_value\"] < 0.001" | grep -q True &&
	json_get out.json "d[\"ci_low\"] < d[\"estimate\"] < d[\"ci_high\"]" |
		grep -q True &&
	json_get out.json "abs(d[\"estimate\"] - 0.1) < 0.01" | grep -q True
'

test_expect_success '--higher-is-better turns the slowdown into an improvement' '
	test_expect_code 0 perfgate stat --json --higher-is-better \
		base.txt slow.txt >out.json &&
	test "$(json_get out.json "d[\"verdict\"]")" = improvement
'

test_expect_success '--threshold 20%: the whole CI is inside, unchanged' '
	test_expect_code 0 perfgate stat --threshold 20% base.txt slow.txt >out &&
	test_grep "^verdict +unchanged" out
'

test_expect_success '--threshold 0.1: significant but below it, inconclusive' '
	test_expect_code 0 perfgate stat --threshold 0.1 base.txt slow.txt >out &&
	test_grep "^verdict +inconclusive" out &&
	test_grep "below the threshold 10.00%" out
'

test_expect_success '--paired uses the signed-rank test' '
	test_expect_code 1 perfgate stat --paired --json base.txt slow.txt \
		>out.json &&
	test "$(json_get out.json "d[\"test\"]")" = wilcoxon-signed-rank &&
	test "$(json_get out.json "d[\"threshold\"]")" = 0.02
'

test_expect_success 'too few pairs for alpha: inconclusive, and why' '
	head -n 5 base.txt >a5 && head -n 5 slow.txt >b5 &&
	test_expect_code 0 perfgate stat --paired --alpha 0.01 a5 b5 >out &&
	test_grep "^verdict +inconclusive" out &&
	test_grep "exact signed-rank needs n >= 7 for alpha=0.01" out
'

test_expect_success '--fail-on-inconclusive fails the inconclusive case' '
	test_expect_code 1 perfgate stat --paired --alpha 0.01 \
		--fail-on-inconclusive a5 b5
'

test_expect_success 'blank lines and comments are skipped' '
	{ echo "# header"; echo; cat base.txt; echo "  "; } >commented.txt &&
	test_expect_code 1 perfgate stat --json commented.txt slow.txt >out.json &&
	test "$(json_get out.json "d[\"n_a\"]")" = 12
'

# bad_input NAME FILE_CONTENT MESSAGE: exit 2 and the message on stderr
bad_input() {
	printf "$2" >"$1" &&
	test_expect_code 2 perfgate stat "$1" base.txt 2>err &&
	test_grep "^perfgate: error: $3" err
}

test_expect_success 'empty file' '
	bad_input empty.txt "" "'"'"'empty.txt'"'"': no samples \(empty file\)"
'

test_expect_success 'only comments is empty too' '
	bad_input comments.txt "# x\n\n" "'"'"'comments.txt'"'"': no samples"
'

test_expect_success 'a non-number names file and line' '
	bad_input word.txt "1.0\n2.0\nabc\n" \
		"'"'"'word.txt'"'"' line 3: '"'"'abc'"'"' is not a number"
'

test_expect_success 'trailing garbage is not a number' '
	bad_input garbage.txt "1.0\n2.0ms\n" \
		"'"'"'garbage.txt'"'"' line 2: '"'"'2.0ms'"'"' is not a number"
'

test_expect_success 'NaN is rejected' '
	bad_input nan.txt "1\nnan\n" \
		"'"'"'nan.txt'"'"' line 2: '"'"'nan'"'"' is not a finite number"
'

test_expect_success 'inf is rejected' '
	bad_input inf.txt "1\n2\n3\ninf\n" \
		"'"'"'inf.txt'"'"' line 4: '"'"'inf'"'"' is not a finite number"
'

test_expect_success 'a negative time is rejected' '
	bad_input neg.txt "1\n-2.5\n" \
		"'"'"'neg.txt'"'"' line 2: '"'"'-2.5'"'"' is negative"
'

test_expect_success 'zero is rejected (effects are ratios)' '
	bad_input zero.txt "1\n0\n" \
		"'"'"'zero.txt'"'"' line 2: '"'"'0'"'"' is not positive"
'

test_expect_success 'different lengths with --paired' '
	head -n 11 slow.txt >short.txt &&
	test_expect_code 2 perfgate stat --paired base.txt short.txt 2>err &&
	test_grep "'"'"'base.txt'"'"' line 12: sample 12 has no pair" err
'

test_expect_success 'a missing file' '
	test_expect_code 2 perfgate stat base.txt nosuch.txt 2>err &&
	test_grep "nosuch.txt" err
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 perfgate stat base.txt 2>err &&
	test_grep "expected two files" err &&
	test_expect_code 2 perfgate stat --bogus base.txt slow.txt 2>err &&
	test_grep "unknown option '"'"'--bogus'"'"'" err &&
	test_expect_code 2 perfgate stat --alpha 2 base.txt slow.txt 2>err &&
	test_grep "not between 0 and 1" err &&
	test_expect_code 2 perfgate stat --threshold x base.txt slow.txt 2>err
'

test_expect_success 'help stat documents every option' '
	perfgate help stat >help &&
	for o in paired threshold alpha confidence lower-is-better \
		higher-is-better welch fail-on-inconclusive json; do
		test_grep "\-\-$o" help || return 1
	done
'

test_done
