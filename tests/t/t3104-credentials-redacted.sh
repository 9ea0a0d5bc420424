#!/bin/sh
# Finding 5 of the hardening issue: `comment --webhook` printed the URL's
# userinfo and the server's echo of "Authorization: Basic ..."; `sync`
# printed the full remote URL in every error.  Every failure path is run
# here and all of its output (stdout and stderr) is searched for the
# secrets: the password, a query token, and their base64 form.
. ./lib.sh

SECRET=Pa55wordThatMustNeverShow
QTOKEN=QueryT0kenThatMustNeverShow
B64=$(printf 'user:%s' "$SECRET" | base64)
SRV="$TRASH/srv"
start_httpd "$SRV" --lifetime 120
PORT=$HTTPD_PORT
HOOK="http://user:$SECRET@127.0.0.1:$PORT/hook?token=$QTOKEN"
DEAD="http://user:$SECRET@127.0.0.1:1/hook?token=$QTOKEN"
echo '{"rows": []}' >report.json

# script JSON: canned responses for the next requests
script() {
	rm -f "$SRV/script.used"
	printf '%s\n' "$1" >"$SRV/script.json"
}

# no_secret FILE: none of the secrets appear in FILE
no_secret() {
	test_grep -v "$SECRET|$QTOKEN|$B64" "$1"
}

ECHO="Authorization: Basic $B64"
for answer in \
	"{\"status\": 500, \"body\": \"server echoed $ECHO\"}" \
	"{\"status\": 401, \"body\": {\"message\": \"bad credentials\", \"headers\": {\"Authorization\": \"Basic $B64\"}}}" \
	"{\"status\": 400, \"body\": \"proxy-authorization: Bearer $QTOKEN\"}" \
	"{\"status\": 302, \"headers\": {\"Location\": \"http://user:$SECRET@127.0.0.1:1/x?access_token=$QTOKEN\"}, \"body\": \"\"}"; do
	test_expect_success "credentials-redacted: webhook answer $(echo "$answer" | cut -c1-40)" "
		script '[$answer, $answer]' &&
		test_expect_code 3 perfgate comment --retries 0 --webhook \"\$HOOK\" \
			--json report.json >out 2>&1 &&
		test_grep 'perfgate: error: webhook' out &&
		no_secret out &&
		script '[$answer, $answer]' &&
		perfgate comment --optional --retries 0 --webhook \"\$HOOK\" \
			--json report.json >out 2>&1 &&
		test_grep 'perfgate: warning: webhook' out &&
		no_secret out
	"
done

test_expect_success 'credentials-redacted: webhook that cannot connect' '
	test_expect_code 3 perfgate comment --retries 0 --webhook "$DEAD" \
		--json report.json >out 2>&1 &&
	test_grep "error: webhook" out &&
	no_secret out
'

test_expect_success 'credentials-redacted: webhook with a bad URL' '
	test_expect_code 2 perfgate comment --webhook "ftp://user:$SECRET@h/x?token=$QTOKEN" \
		--json report.json >out 2>&1 ||
	test_expect_code 3 perfgate comment --webhook "ftp://user:$SECRET@h/x?token=$QTOKEN" \
		--json report.json >out 2>&1 &&
	no_secret out
'

new_repo repo
(cd repo && perfgate run --store --runs 2 -- true >/dev/null 2>&1)

for url in "https://user:$SECRET@127.0.0.1:1/repo.git" \
	"http://user:$SECRET@127.0.0.1:$PORT/repo.git?access_token=$QTOKEN" \
	"https://user:$SECRET@nonexistent.invalid/repo.git" \
	"file://user:$SECRET@/nonexistent/repo.git"; do
	for how in "" "--push-only" "--fetch-only"; do
		test_expect_success "credentials-redacted: sync $how $(echo "$url" | cut -d@ -f2 | cut -c1-30)" "
			(cd repo && test_expect_code 3 perfgate sync $how \"$url\" >../out 2>&1 ||
			 test_expect_code 2 perfgate sync $how \"$url\" >../out 2>&1) &&
			test_grep 'perfgate: error' out &&
			no_secret out
		"
	done
done

test_expect_success 'credentials-redacted: a remote configured with a password' '
	(cd repo && git remote add origin "https://user:$SECRET@127.0.0.1:1/r.git?token=$QTOKEN" &&
	 test_expect_code 3 perfgate sync >../out 2>&1) &&
	test_grep "perfgate: error" out &&
	no_secret out
'

test_done
