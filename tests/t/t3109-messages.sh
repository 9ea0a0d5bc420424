#!/bin/sh
# Finding 11 of the hardening issue: messages that said too little or came
# too late.
. ./lib.sh

# test_must_fail_notes DIR: nothing was stored in DIR
test_must_fail_notes() {
	! (cd "$1" && git rev-parse -q --verify refs/notes/perfgate >/dev/null)
}

test_expect_success 'json-nesting-depth: the message says why' '
	python3 -c "print(\"{\\\"schema\\\":1,\\\"runs\\\":\" + \"[\" * 1100 + \"]\" * 1100 + \"}\")" >deep.json &&
	test_expect_code 2 perfgate import --no-store --format perfgate deep.json 2>err &&
	test_grep "deep.json.: invalid JSON at line 1, column [0-9]+: nested deeper than 1000" err
'

test_expect_success 'missing-cwd-checked-first: nothing runs before the error' '
	new_repo repo &&
	cat >repo/perfgate.json <<-\JSON &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	 {"name": "first", "command": ["sh", "-c", "echo ran >>../ran.txt"]},
	 {"name": "second", "command": ["true"], "cwd": "no/such/dir"}]}
	JSON
	(cd repo && test_expect_code 2 perfgate run 2>../err) &&
	test_grep "benchmark .second.: cwd .*no/such/dir" err &&
	test ! -e ran.txt &&
	test_must_fail_notes repo
'

test_expect_success 'non-json-200: the comment API answer is named' '
	SRV="$TRASH/srv" &&
	start_httpd "$SRV" --lifetime 30 &&
	printf "[{\"status\": 200, \"body\": \"<html>a login page</html>\"}]\n" >"$SRV/script.json" &&
	echo "# report" >m.md &&
	test_expect_code 3 env PERFGATE_TOKEN=t GITHUB_API_URL="http://127.0.0.1:$(cat "$SRV/port")" \
		"$PERFGATE" comment --github o/r#1 --markdown m.md 2>err &&
	test_grep "answered HTTP 200 with something that is not JSON" err &&
	test_grep -v "unknown error" err
'

test_expect_success 'option-without-value: every verb names the option that needs one' '
	new_repo repo &&
	for v in "log --format" "show --format" "sync --tries" "stat --alpha" \
		"report --html" "init --ci" "gate --junit" "run --runs"; do
		(cd repo && test_expect_code 2 perfgate $v 2>../err) &&
		test_grep "option .--[a-z]*. needs a value" err || return 1
	done
'

test_done
