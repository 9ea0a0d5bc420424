#!/bin/sh
# perfgate run: every kind of bad config is one clear line and exit 2.
. ./lib.sh

# expect_bad_config NAME JSON PATTERN: the config is refused with exit 2 and
# a single line matching PATTERN that names the file.
expect_bad_config() {
	mkdir "$1" && cd "$1" &&
	printf '%s' "$2" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store -c perfgate.json 2>err &&
	test_line_count err 1 &&
	test_grep "^perfgate: error: .*'perfgate.json'" err &&
	test_grep "$3" err
}

test_expect_success 'missing config file' '
	test_expect_code 2 perfgate run --no-store -c nope.json 2>err &&
	test_line_count err 1 &&
	test_grep "cannot read config: .nope.json.: no such file" err
'

test_expect_success 'missing default config names where it looked' '
	new_repo r && cd r &&
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "/r/perfgate.json.: no such file" err
'

test_expect_success 'config that is a directory' '
	mkdir d.json &&
	test_expect_code 2 perfgate run --no-store -c d.json 2>err &&
	test_grep "is a directory" err
'

test_expect_success 'invalid JSON gives line and column' '
	expect_bad_config syntax "{
  \"benchmarks\": [
    {\"name\": \"a\" \"command\": \"true\"}
  ]
}" "invalid JSON at line 3, column 18"
'

test_expect_success 'truncated JSON' '
	expect_bad_config trunc "{\"benchmarks\": [{\"name\": \"a\"," \
		"invalid JSON at line 1, column 30: unexpected end of input"
'

test_expect_success 'trailing garbage after the document' '
	expect_bad_config trailing "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]} }" \
		"unexpected data after the document"
'

test_expect_success 'unknown top-level key' '
	expect_bad_config topkey "{\"benchmark\": []}" "unknown key .benchmark."
'

test_expect_success 'unknown benchmark key' '
	expect_bad_config benchkey "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"rusn\": 3}]}" \
		"benchmarks\[0\]: unknown key .rusn."
'

test_expect_success 'wrong types' '
	expect_bad_config types1 "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"runs\": \"5\"}]}" \
		"benchmarks\[0\]\.runs: must be a whole number >= 1" &&
	cd .. && expect_bad_config types2 "{\"benchmarks\": [{\"name\": \"a\", \"command\": [\"x\", 3]}]}" \
		"benchmarks\[0\]\.command\[1\]: must be a string" &&
	cd .. && expect_bad_config types3 "{\"benchmarks\": {\"name\": \"a\"}}" \
		"\"benchmarks\" must be an array" &&
	cd .. && expect_bad_config types4 "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"env\": {\"X\": 1}}]}" \
		"benchmarks\[0\]\.env\.X: must be a string" &&
	cd .. && expect_bad_config types5 "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"timeout\": 0}]}" \
		"benchmarks\[0\]\.timeout: must be a number of seconds > 0" &&
	cd .. && expect_bad_config types6 "{\"benchmarks\": [{\"name\": \"a\", \"command\": []}]}" \
		"benchmarks\[0\]\.command: must be a string" &&
	cd .. && expect_bad_config types7 "{\"runs\": 2.5, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" \
		"\\\$\.runs: must be a whole number"
'

test_expect_success 'empty suite' '
	expect_bad_config empty "{\"benchmarks\": []}" "the suite is empty"
'

test_expect_success 'duplicate names' '
	expect_bad_config dup "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}, {\"name\": \"a\", \"command\": \"false\"}]}" \
		"benchmarks\[1\]: duplicate benchmark name .a."
'

test_expect_success 'runs < 1 and negative warmup' '
	expect_bad_config runs0 "{\"benchmarks\": [{\"name\": \"a\", \"command\": \"true\", \"runs\": 0}]}" \
		"benchmarks\[0\]\.runs: must be a whole number >= 1" &&
	cd .. && expect_bad_config warm "{\"warmup\": -1, \"benchmarks\": [{\"name\": \"a\", \"command\": \"true\"}]}" \
		"warmup: must be a whole number >= 0"
'

test_expect_success 'missing name or command' '
	expect_bad_config noname "{\"benchmarks\": [{\"command\": \"true\"}]}" "missing \"name\"" &&
	cd .. && expect_bad_config nocmd "{\"benchmarks\": [{\"name\": \"a\"}]}" "missing \"command\""
'

test_expect_success 'a NUL byte in the config' '
	mkdir nul && cd nul &&
	printf "{\"benchmarks\": []}\000" >perfgate.json &&
	test_expect_code 2 perfgate run --no-store -c perfgate.json 2>err &&
	test_grep "NUL byte" err
'

test_done
