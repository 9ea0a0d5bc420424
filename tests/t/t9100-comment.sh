#!/bin/sh
# perfgate comment against a recording HTTP server on 127.0.0.1
# (tests/t/httpd.py): what goes over the wire (method, path, headers,
# body), create-then-update, pagination, errors, retries, time limits,
# GitLab, webhooks, proxies, and that the token never reaches the output.
# The reports are the reporters' own fixtures (test_reporters --write).
. ./lib.sh

build=${PERFGATE_BUILD:-build}
case $build in /*) ;; *) build="$PERFGATE_TOP/$build" ;; esac
# the test must not depend on the machine's proxy or CI settings
unset http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy NO_PROXY \
	no_proxy GITHUB_REPOSITORY GITHUB_EVENT_PATH GITHUB_EVENT_NAME \
	GITHUB_REF GITHUB_TOKEN GITHUB_API_URL PERFGATE_TOKEN CI_PROJECT_ID \
	CI_MERGE_REQUEST_IID CI_API_V4_URL CI_JOB_TOKEN \
	PERFGATE_GITLAB_TOKEN 2>/dev/null || true

TOKEN=ghp_T0kenThatMustNeverBePrinted
SRV="$TRASH/srv"
mkdir -p "$SRV"
python3 "$TEST_DIR/httpd.py" --dir "$SRV" --token "$TOKEN" --lifetime 120 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
i=0
while [ ! -s "$SRV/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
BASE="http://127.0.0.1:$(cat "$SRV/port")"

"$build/tests/test_reporters" --write "$TRASH/reports" >/dev/null
REPORT="$TRASH/reports/full.md"
printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}\n' \
	0123456789012345678901234567890123456789 >"$TRASH/pr-event.json"

# A clean slate: no requests, no canned responses, no comments.
reset_server() {
	rm -f "$SRV/requests.jsonl" "$SRV/script.json" "$SRV/script.used" \
		"$SRV/comments.json"
}

# script JSON: canned responses, used before the fake forge answers
script() {
	printf '%s\n' "$1" >"$SRV/script.json"
}

# check EXPR: a Python expression over r (the requests, in order), c (the
# comments on the fake forge), h(req, name) (a header) and b(req) (the
# JSON body); prints the requests when it is false.
check() {
	python3 - "$SRV" "$1" <<-\EOF
	import json, os, sys
	d, expr = sys.argv[1], sys.argv[2]
	p = os.path.join(d, "requests.jsonl")
	r = [json.loads(l) for l in open(p)] if os.path.exists(p) else []
	p = os.path.join(d, "comments.json")
	c = json.load(open(p)) if os.path.exists(p) else []
	def h(req, name):
	    for k, v in req["headers"]:
	        if k.lower() == name.lower():
	            return v
	    return None
	def b(req):
	    return json.loads(req["body"])
	if not eval(expr):
	    print("false: " + expr, file=sys.stderr)
	    for q in r:
	        q["body"] = q["body"][:300]
	        q["headers"] = dict(q["headers"])
	        print(json.dumps(q), file=sys.stderr)
	    sys.exit(1)
	EOF
}

# The environment of a pull_request job on GitHub Actions.
github_env() {
	export GITHUB_REPOSITORY=octo/app GITHUB_EVENT_NAME=pull_request \
		GITHUB_EVENT_PATH="$TRASH/pr-event.json" GITHUB_API_URL="$BASE" \
		GITHUB_TOKEN="$TOKEN"
}

# no_token FILE...: the token appears in none of the files
no_token() {
	for f in "$@"; do
		test_grep -v "$TOKEN" "$f" || return 1
	done
}

test_expect_success 'the server is up' '
	test -n "$(cat "$SRV/port")"
'

test_expect_success 'GitHub: the first run creates the comment' '
	reset_server && github_env &&
	perfgate comment --markdown "$REPORT" >out 2>err &&
	test_grep "^perfgate: comment created on github octo/app#7: https://github.example/pr#c1001$" out &&
	check "len(r) == 2" &&
	check "r[0][\"method\"] == \"GET\"" &&
	check "r[0][\"path\"] == \"/repos/octo/app/issues/7/comments?per_page=100\"" &&
	check "r[1][\"method\"] == \"POST\"" &&
	check "r[1][\"path\"] == \"/repos/octo/app/issues/7/comments\"" &&
	check "all(h(q, \"User-Agent\") == \"perfgate/\" + \"$($PERFGATE --version | cut -d" " -f2)\" for q in r)" &&
	check "all(h(q, \"Authorization\") == \"Bearer $TOKEN\" for q in r)" &&
	check "all(h(q, \"X-GitHub-Api-Version\") == \"2022-11-28\" for q in r)" &&
	check "h(r[1], \"Content-Type\") == \"application/json\"" &&
	check "b(r[1])[\"body\"] == \"<!-- perfgate -->\n\" + open(\"$REPORT\", encoding=\"utf-8\").read()" &&
	check "len(c) == 1" &&
	no_token out err
'

test_expect_success 'GitHub: a later run edits that comment, never adds one' '
	github_env &&
	rm -f "$SRV/requests.jsonl" &&
	sed "s/regression/REGRESSION/" "$REPORT" >changed.md &&
	perfgate comment --markdown changed.md >out &&
	test_grep "comment updated on github octo/app#7" out &&
	check "[q[\"method\"] for q in r] == [\"GET\", \"PATCH\"]" &&
	check "r[1][\"path\"] == \"/repos/octo/app/issues/comments/1001\"" &&
	check "h(r[1], \"Authorization\") == \"Bearer $TOKEN\"" &&
	check "len(c) == 1 and c[0][\"id\"] == 1001" &&
	check "c[0][\"body\"] == \"<!-- perfgate -->\n\" + open(\"changed.md\", encoding=\"utf-8\").read()"
'

test_expect_success 'GitHub: the same report again leaves the comment alone' '
	github_env &&
	rm -f "$SRV/requests.jsonl" &&
	perfgate comment --markdown changed.md >out &&
	test_grep "comment unchanged on github octo/app#7 \(id 1001\)" out &&
	check "[q[\"method\"] for q in r] == [\"GET\"]"
'

# 230 comments: others, a quote of the marker, another suite's marker,
# and ours as number 206 (page 3 of 100)
seed_many() {
	python3 - "$SRV/comments.json" <<-\EOF
	import json, sys
	c = [{"id": i, "body": "comment %d" % i} for i in range(1, 231)]
	c[10]["body"] = "> <!-- perfgate -->\n> quoted"
	c[20]["body"] = "<!-- perfgate:linux -->\nanother suite"
	c[205]["body"] = "<!-- perfgate -->\nold report"
	json.dump(c, open(sys.argv[1], "w"))
	EOF
}

test_expect_success 'GitHub: pagination follows Link rel=next to the marker' '
	reset_server && seed_many && github_env &&
	perfgate comment --markdown "$REPORT" >out &&
	test_grep "comment updated on github octo/app#7" out &&
	check "[q[\"method\"] for q in r] == [\"GET\"] * 3 + [\"PATCH\"]" &&
	check "r[1][\"path\"] == \"/repositories/1/issues/7/comments?per_page=100&page=2\"" &&
	check "r[2][\"path\"] == \"/repositories/1/issues/7/comments?per_page=100&page=3\"" &&
	check "r[3][\"path\"] == \"/repos/octo/app/issues/comments/206\"" &&
	check "len(c) == 230 and c[10][\"body\"].startswith(\"> \")" &&
	check "c[20][\"body\"] == \"<!-- perfgate:linux -->\nanother suite\"" &&
	check "c[205][\"body\"].startswith(\"<!-- perfgate -->\n### \")"
'

test_expect_success '--marker keeps one comment per suite' '
	github_env &&
	rm -f "$SRV/requests.jsonl" &&
	perfgate comment --marker macos --markdown "$REPORT" >out &&
	test_grep "comment created" out &&
	check "len(c) == 231 and c[230][\"body\"].startswith(\"<!-- perfgate:macos -->\n\")" &&
	perfgate comment --marker linux --markdown "$REPORT" >out &&
	test_grep "comment updated on github octo/app#7" out &&
	check "r[-1][\"method\"] == \"PATCH\" and r[-1][\"path\"].endswith(\"/comments/21\")" &&
	check "len(c) == 231"
'

test_expect_success 'a 403 shows the API message and fails with exit 3' '
	reset_server && github_env &&
	script "[{\"status\": 403, \"body\": {\"message\": \"Resource not accessible by integration\", \"documentation_url\": \"https://docs.github.com/rest\"}}]" &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" >out 2>err &&
	test_grep "^perfgate: error: github: GET .*/repos/octo/app/issues/7/comments.*HTTP 403: Resource not accessible by integration" err &&
	test_grep "pull-requests: write" err &&
	check "len(r) == 1" &&
	no_token out err
'

test_expect_success '--optional turns the 403 into a warning and exit 0' '
	reset_server && github_env &&
	script "[{\"status\": 403, \"body\": {\"message\": \"Resource not accessible by integration\"}}]" &&
	perfgate comment --optional --markdown "$REPORT" >out 2>err &&
	test_grep "^perfgate: warning: .*HTTP 403: Resource not accessible by integration.*--optional" err &&
	test_grep -v "error" err &&
	check "len(r) == 1 and len(c) == 0"
'

test_expect_success 'a token the API echoes back is redacted' '
	reset_server && github_env &&
	script "[{\"status\": 401, \"body\": {\"message\": \"token $TOKEN is revoked\"}}]" &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" >out 2>err &&
	test_grep "HTTP 401: token \*\*\* is revoked" err &&
	no_token out err
'

test_expect_success '429 with Retry-After: waits as told, then succeeds' '
	reset_server && github_env &&
	script "[{\"status\": 429, \"headers\": {\"Retry-After\": \"1\"}, \"body\": {\"message\": \"slow down\"}}]" &&
	start=$(date +%s.%N) &&
	perfgate comment --markdown "$REPORT" --retry-delay 0.05 >out 2>err &&
	end=$(date +%s.%N) &&
	test_grep "comment created" out &&
	check "[q[\"method\"] for q in r] == [\"GET\", \"GET\", \"POST\"]" &&
	check "r[0][\"path\"] == r[1][\"path\"]" &&
	python3 -c "import sys; sys.exit(not 1.0 <= $end - $start < 5)"
'

test_expect_success 'a Retry-After beyond the cap fails at once' '
	reset_server && github_env &&
	script "[{\"status\": 429, \"headers\": {\"Retry-After\": \"3600\"}, \"body\": {\"message\": \"API rate limit exceeded\"}}]" &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" >out 2>err &&
	test_grep "HTTP 429: API rate limit exceeded" err &&
	check "len(r) == 1"
'

test_expect_success '5xx answers are retried with backoff' '
	reset_server && github_env &&
	script "[{\"status\": 502, \"body\": \"<html>Bad Gateway</html>\"}, {\"status\": 503, \"body\": \"\"}]" &&
	perfgate comment --markdown "$REPORT" --retry-delay 0.05 >out 2>err &&
	test_grep "comment created" out &&
	check "[q[\"method\"] for q in r] == [\"GET\"] * 3 + [\"POST\"]"
'

test_expect_success 'retries run out: the last error, exit 3' '
	reset_server && github_env &&
	script "[{\"status\": 500, \"body\": \"<html>oops</html>\"}, {\"status\": 500, \"body\": \"<html>oops</html>\"}, {\"status\": 500, \"body\": \"<html>oops</html>\"}]" &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" --retries 2 \
		--retry-delay 0.05 2>err &&
	test_grep "HTTP 500: <html>oops</html> \(after 3 attempts\)" err &&
	check "len(r) == 3"
'

test_expect_success 'a server slower than --timeout: exit 3, quickly' '
	reset_server && github_env &&
	script "[{\"status\": 200, \"body\": [], \"delay\": 4}]" &&
	start=$(date +%s.%N) &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" \
		--timeout 0.5 --retries 0 2>err &&
	end=$(date +%s.%N) &&
	test_grep "github: GET .*timed out" err &&
	python3 -c "import sys; sys.exit(not $end - $start < 3)"
'

test_expect_success 'a timed-out GET is retried' '
	reset_server && github_env &&
	script "[{\"status\": 200, \"body\": [], \"delay\": 4}]" &&
	perfgate comment --markdown "$REPORT" --timeout 0.5 --retries 1 \
		--retry-delay 0.05 >out &&
	test_grep "comment created" out &&
	check "[q[\"method\"] for q in r] == [\"GET\", \"GET\", \"POST\"]"
'

# The environment of a merge request pipeline on GitLab CI.
gitlab_env() {
	export CI_PROJECT_ID=42 CI_MERGE_REQUEST_IID=9 \
		CI_API_V4_URL="$BASE/api/v4" PERFGATE_GITLAB_TOKEN="$TOKEN" \
		CI_JOB_TOKEN=job-token-not-used
}

test_expect_success 'GitLab: PRIVATE-TOKEN, create then update, system notes skipped' '
	reset_server && gitlab_env &&
	printf "%s" "[{\"id\": 1, \"body\": \"<!-- perfgate -->\\nby the system\", \"system\": true}]" >"$SRV/comments.json" &&
	perfgate comment --markdown "$REPORT" >out 2>err &&
	test_grep "^perfgate: comment created on gitlab 42!9 \(id 1001\)$" out &&
	check "r[0][\"path\"] == \"/api/v4/projects/42/merge_requests/9/notes?per_page=100&sort=asc&order_by=created_at\"" &&
	check "r[1][\"method\"] == \"POST\" and r[1][\"path\"] == \"/api/v4/projects/42/merge_requests/9/notes\"" &&
	check "all(h(q, \"PRIVATE-TOKEN\") == \"$TOKEN\" and h(q, \"Authorization\") is None for q in r)" &&
	check "all(h(q, \"User-Agent\").startswith(\"perfgate/\") for q in r)" &&
	perfgate comment --markdown changed.md >out &&
	test_grep "comment updated on gitlab 42!9" out &&
	check "r[-1][\"method\"] == \"PUT\" and r[-1][\"path\"] == \"/api/v4/projects/42/merge_requests/9/notes/1001\"" &&
	check "len(c) == 2 and c[0][\"body\"].endswith(\"by the system\")" &&
	check "c[1][\"body\"] == \"<!-- perfgate -->\n\" + open(\"changed.md\", encoding=\"utf-8\").read()" &&
	no_token out err
'

test_expect_success 'GitLab: --gitlab with a project path encodes it' '
	reset_server && gitlab_env &&
	perfgate comment --gitlab group/sub/app!5 --markdown "$REPORT" >out &&
	test_grep "comment created on gitlab group/sub/app!5" out &&
	check "r[1][\"path\"] == \"/api/v4/projects/group%2Fsub%2Fapp/merge_requests/5/notes\""
'

test_expect_success 'GitLab: CI_JOB_TOKEN alone is refused with the reason' '
	reset_server && gitlab_env && unset PERFGATE_GITLAB_TOKEN &&
	test_expect_code 2 perfgate comment --markdown "$REPORT" 2>err &&
	test_grep "CI_JOB_TOKEN cannot post merge request notes" err &&
	test_grep "PERFGATE_GITLAB_TOKEN" err &&
	check "len(r) == 0" &&
	perfgate comment --optional --markdown "$REPORT" 2>err &&
	test_grep "^perfgate: warning: .*CI_JOB_TOKEN" err
'

test_expect_success '--github names the pull request; GITHUB_REF as fallback' '
	reset_server && github_env && unset GITHUB_EVENT_PATH &&
	perfgate comment --github other/lib#3 --markdown "$REPORT" >out &&
	check "r[1][\"path\"] == \"/repos/other/lib/issues/3/comments\"" &&
	GITHUB_REF=refs/pull/12/merge perfgate comment --markdown "$REPORT" >out &&
	check "r[-1][\"path\"] == \"/repos/octo/app/issues/12/comments\""
'

test_expect_success 'a push event is not a pull request: exit 2, or 0 with --optional' '
	reset_server && github_env &&
	echo "{\"ref\": \"refs/heads/main\"}" >push.json &&
	GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=push.json &&
	export GITHUB_EVENT_NAME GITHUB_EVENT_PATH &&
	test_expect_code 2 perfgate comment --markdown "$REPORT" 2>err &&
	test_grep "not a pull request: the .push. event names none" err &&
	perfgate comment --optional --markdown "$REPORT" 2>err &&
	test_grep "^perfgate: warning: not a pull request" err &&
	check "len(r) == 0"
'

test_expect_success 'a report over GitHub'"'"'s limit is cut at a line, with a note' '
	reset_server && github_env &&
	python3 -c "print(\"\n\".join(\"| row %05d | \" % i + \"x\" * 60 + \" |\" for i in range(1200)))" >big.md &&
	perfgate comment --markdown big.md >out 2>err &&
	test_grep "cut to fit" err &&
	check "len(b(r[1])[\"body\"].encode()) <= 65536" &&
	check "b(r[1])[\"body\"].endswith(\"artifacts have all of it.**\n\")" &&
	check "\"|\n\n**The report was cut\" in b(r[1])[\"body\"]" &&
	check "len(b(r[1])[\"body\"].encode()) + 77 > 65536" &&
	check "b(r[1])[\"body\"].count(\"| row \") == 1 + int(b(r[1])[\"body\"].split(\"| row \")[-1][:5])"
'

test_expect_success '--webhook POSTs the JSON report as it is' '
	reset_server &&
	script "[{\"status\": 204, \"body\": \"\"}]" &&
	perfgate comment --webhook "$BASE/hooks/T0PS3CRET" \
		--json "$TRASH/reports/full.json" >out &&
	test_grep "^perfgate: webhook answered HTTP 204$" out &&
	check "len(r) == 1 and r[0][\"method\"] == \"POST\"" &&
	check "r[0][\"path\"] == \"/hooks/T0PS3CRET\"" &&
	check "h(r[0], \"Content-Type\") == \"application/json\"" &&
	check "h(r[0], \"User-Agent\").startswith(\"perfgate/\")" &&
	check "h(r[0], \"Authorization\") is None" &&
	check "r[0][\"body\"] == open(\"$TRASH/reports/full.json\", encoding=\"utf-8\").read()"
'

test_expect_success 'a failing webhook: exit 3, its secret path not shown' '
	reset_server &&
	script "[{\"status\": 400, \"body\": \"invalid_payload\"}]" &&
	test_expect_code 3 perfgate comment --webhook "$BASE/hooks/T0PS3CRET" \
		--json "$TRASH/reports/full.json" 2>err &&
	test_grep "webhook: POST .http://127.0.0.1:[0-9]+\*\*\*.: HTTP 400: invalid_payload" err &&
	test_grep -v "T0PS3CRET" err &&
	perfgate comment --optional --webhook "$BASE/hooks/T0PS3CRET" \
		--json "$TRASH/reports/full.json" 2>err &&
	test_grep "^perfgate: warning: webhook" err
'

test_expect_success 'comment and webhook in one call' '
	reset_server && github_env &&
	script "[{\"status\": 200, \"body\": []}, {\"status\": 201, \"body\": {\"id\": 5}}, {\"status\": 200, \"body\": \"ok\"}]" &&
	perfgate comment --markdown "$REPORT" --webhook "$BASE/hook" \
		--json "$TRASH/reports/full.json" >out &&
	check "[q[\"method\"] for q in r] == [\"GET\", \"POST\", \"POST\"]" &&
	check "r[2][\"path\"] == \"/hook\" and h(r[2], \"Authorization\") is None"
'

# libcurl takes proxies from the environment (http_proxy for http URLs);
# the server then sees absolute URLs.  api.example.invalid cannot
# resolve, so only the proxy can have delivered the requests.
test_expect_success 'http_proxy from the environment is used' '
	reset_server && github_env &&
	GITHUB_API_URL=http://api.example.invalid http_proxy="$BASE" \
		perfgate comment --markdown "$REPORT" >out &&
	test_grep "comment created" out &&
	check "r[0][\"path\"] == \"http://api.example.invalid/repos/octo/app/issues/7/comments?per_page=100\"" &&
	check "r[1][\"method\"] == \"POST\" and r[1][\"path\"] == \"http://api.example.invalid/repos/octo/app/issues/7/comments\"" &&
	check "h(r[1], \"Authorization\") == \"Bearer $TOKEN\""
'

test_expect_success 'a next page on another host is not followed' '
	reset_server && github_env &&
	script "[{\"status\": 200, \"body\": [], \"headers\": {\"Link\": \"<http://evil.example/steal?page=2>; rel=\\\"next\\\"\"}}]" &&
	test_expect_code 3 perfgate comment --markdown "$REPORT" 2>err &&
	test_grep "not following it" err &&
	check "len(r) == 1"
'

test_expect_success 'bad usage is exit 2, even with --optional' '
	test_expect_code 2 perfgate comment 2>err &&
	test_grep "nothing to post" err &&
	test_expect_code 2 perfgate comment --optional --github octo --markdown "$REPORT" 2>err &&
	test_grep "expected OWNER/REPO#N" err &&
	test_expect_code 2 perfgate comment --gitlab "app#3" --markdown "$REPORT" 2>err &&
	test_grep "expected PROJECT!IID" err &&
	test_expect_code 2 perfgate comment --marker "a-->b" --markdown "$REPORT" 2>err &&
	test_grep "marker" err &&
	test_expect_code 2 perfgate comment --webhook http://x/ 2>err &&
	test_grep "go together" err &&
	test_expect_code 2 perfgate comment --optional --markdown missing.md 2>err &&
	test_grep "missing.md" err &&
	echo "{oops" >bad.json &&
	test_expect_code 2 perfgate comment --webhook http://x/ --json bad.json 2>err &&
	test_grep "bad.json" err &&
	test_expect_code 2 perfgate comment --webhook ftp://x/y --json "$TRASH/reports/full.json" 2>err &&
	test_grep "not an http or https URL" err &&
	test_expect_code 2 perfgate comment --timeout 0 --markdown "$REPORT" 2>err &&
	test_expect_code 2 perfgate comment --bogus 2>err &&
	test_grep "unknown option .--bogus." err
'

test_expect_success 'perfgate help comment documents every option' '
	perfgate help comment >help &&
	for o in markdown github gitlab marker webhook json optional timeout \
		connect-timeout retries retry-delay; do
		test_grep "^  --$o " help || return 1
	done &&
	test_grep "GITHUB_TOKEN" help && test_grep "PERFGATE_GITLAB_TOKEN" help
'

kill $server_pid 2>/dev/null
test_done
