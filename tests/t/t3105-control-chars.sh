#!/bin/sh
# Finding 9 of the hardening issue: names reached stderr and stdout raw.
# An ESC sequence rewrites the terminal; a newline can start a line with
# "::error::", "::add-mask::" or "::stop-commands::", which GitHub parses
# on stderr too.  Every human output escapes them (\xHH); names that are
# not UTF-8 are refused, and other strings are written as valid UTF-8.
. ./lib.sh

new_repo repo
cd repo
# a name with ESC, a newline starting a workflow command, a tab and DEL
cat >perfgate.json <<'JSON'
{"runs": 3, "warmup": 0, "benchmarks": [
 {"name": "evil\u001b[2J\n::stop-commands::tok\t\u007f", "command": ["true"]},
 {"name": "fails\n::error::boom", "command": ["sh", "-c", "echo '::error::x' >&2; exit 1"]}]}
JSON
git add perfgate.json && git commit -q -m config

# clean FILE: no ESC, no other control byte but newline, no line that
# starts with a workflow command
clean() {
	if LC_ALL=C grep -n "$(printf '[\001-\011\013-\037\177]')" "$1"; then
		echo "control characters in $1" >&2
		return 1
	fi
	test_grep -v "^::" "$1"
}

test_expect_success 'control-chars-escaped: the measurement table' '
	perfgate run >out 2>err
	clean err && clean out &&
	test_grep "evil\\\\x1b\[2J\\\\x0a::stop-commands::tok\\\\x09\\\\x7f" err &&
	test_grep "fails\\\\x0a::error::boom" err
'

test_expect_success 'control-chars-escaped: show' '
	perfgate show HEAD >out 2>err &&
	clean out && clean err &&
	test_grep "evil\\\\x1b" out
'

test_expect_success 'control-chars-escaped: log text and csv' '
	perfgate log >out 2>err &&
	clean out && clean err &&
	test_grep "evil\\\\x1b" out &&
	perfgate log --format csv >out 2>err &&
	clean out && clean err &&
	test_grep "evil\\\\x1b" out
'

test_expect_success 'control-chars-escaped: a commit subject' '
	git commit -q --allow-empty -m "$(printf "s\033[2J\n\n::add-mask::x")" &&
	perfgate run >/dev/null 2>&1
	perfgate log >out 2>err &&
	clean out &&
	test_grep "s\\\\x1b\[2J" out
'

test_expect_success 'control-chars-escaped: the JSON keeps the name exactly' '
	perfgate log --format json >out.json &&
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
names = {b[\"name\"] for c in d[\"commits\"] for b in c[\"benchmarks\"]}
assert \"evil\x1b[2J\n::stop-commands::tok\t\x7f\" in names, names" out.json
'

test_expect_success 'invalid-utf8-name: refused in the config' '
	printf "{\"benchmarks\": [{\"name\": \"bad\\377\", \"command\": [\"true\"]}]}" >bad.json &&
	test_expect_code 2 perfgate run -c bad.json --no-store 2>err &&
	test_grep "bad.json.*name: .bad\\\\xff. is not valid UTF-8" err &&
	clean err
'

test_expect_success 'invalid-utf8-name: refused at import' '
	printf "BenchmarkBad\\377-2 \t 100 \t 10.0 ns/op\nPASS\n" >go.txt &&
	test_expect_code 2 perfgate import --no-store --format go go.txt 2>err &&
	test_grep "not valid UTF-8" err &&
	printf "{\"schema\":1,\"runs\":[{\"benchmarks\":[{\"name\":\"x\\377\",\"metrics\":{\"wall_time\":{\"unit\":\"s\",\"samples\":[1,2,3]}}}]}]}" >p.json &&
	test_expect_code 2 perfgate import --no-store --format perfgate p.json 2>err &&
	test_grep "not valid UTF-8" err
'

test_expect_success 'invalid-utf8: other strings are stored as valid UTF-8' '
	cat >gb.py <<-\EOF_PY &&
	import json, sys
	d = json.load(open(sys.argv[1]))
	d["benchmarks"][0]["error_occurred"] = True
	d["benchmarks"][0]["error_message"] = "boom"
	open("gb.json", "wb").write(json.dumps(d).encode().replace(b"boom", b"bo\xffm"))
	EOF_PY
	python3 gb.py "$PERFGATE_TOP/tests/fixtures/google-benchmark.json" &&
	LC_ALL=C grep -c "$(printf "bo\377m")" gb.json &&
	git commit -q --allow-empty -m gb &&
	perfgate import --format google-benchmark gb.json >/dev/null 2>&1 &&
	git notes --ref perfgate show HEAD >note.json &&
	python3 -c "import json,sys; json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\", \"strict\"))" note.json &&
	perfgate import --no-store --format google-benchmark --json - gb.json >out.json 2>/dev/null &&
	python3 -c "import json,sys; json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\", \"strict\"))" out.json
'

test_done
