#!/bin/sh
# Finding 10 of the hardening issue: a plain http.extraheader (the key
# actions/checkout writes, 16 characters) was never sent: a length check
# skipped it.  The fake server records the headers of sync's requests.
. ./lib.sh

# under `make asan`: full stacks, so that tests/lsan.supp can name the
# libgit2 function that leaks the copied headers
export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

SRV="$TRASH/srv"
start_httpd "$SRV" --lifetime 60
URL="http://127.0.0.1:$HTTPD_PORT/o/r.git"

new_repo repo

# sent HEADER-VALUE: some request carried it
sent() {
	python3 - "$SRV/requests.jsonl" "$1" <<-\EOF_PY
	import json, sys
	reqs = [json.loads(l) for l in open(sys.argv[1])]
	want = sys.argv[2]
	assert any(v == want for r in reqs for k, v in r["headers"]), reqs
	EOF_PY
}

test_expect_success 'extraheader-plain: http.extraheader is sent' '
	rm -f "$SRV/requests.jsonl" &&
	(cd repo && git config http.extraheader "X-Plain: plain-value" &&
	 test_expect_code 3 perfgate sync --fetch-only "$URL" 2>../err) &&
	sent plain-value
'

test_expect_success 'extraheader-url: http.<url>.extraheader applies to its URL only' '
	rm -f "$SRV/requests.jsonl" &&
	(cd repo && git config --unset http.extraheader &&
	 git config "http.$URL.extraheader" "X-Url: url-value" &&
	 git config "http.https://elsewhere.example/.extraheader" "X-Other: other-value" &&
	 test_expect_code 3 perfgate sync --fetch-only "$URL" 2>../err) &&
	sent url-value &&
	! sent other-value 2>/dev/null
'

test_done
