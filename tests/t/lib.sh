# lib.sh - git-style end-to-end test library; source it from tests/t/tNNNN-*.sh.
#
#   . ./lib.sh
#   test_expect_success 'what it checks' '
#           perfgate run --no-store -- true
#   '
#   test_done
#
# Every script gets its own scratch directory ($TRASH, also the working
# directory and $HOME) with no global git config and a fixed git identity.
# Output is TAP: run-tests.sh counts the "ok" and "not ok" lines.

set -u
: "${PERFGATE:?PERFGATE must name the perfgate binary}"
: "${PERFGATE_TOP:=$(cd .. && cd .. && pwd)}"
TEST_DIR=$(pwd)
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/perfgate-t.XXXXXX")
export HOME="$TRASH"
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL="$TRASH/.gitconfig"
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL="committer@example.com"
export NO_COLOR=1
unset PERFGATE_RUNNER PERFGATE_NOTES_REF GITHUB_ACTIONS GITLAB_CI CI 2>/dev/null || true
EXAMPLES="$PERFGATE_TOP/examples/bin"
# libgit2 leaks inside pcre2 under `make asan`: see tests/lsan.supp
export LSAN_OPTIONS="suppressions=$PERFGATE_TOP/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
git config --global init.defaultBranch main
git config --global advice.detachedHead false
cd "$TRASH" || exit 1

test_count=0
test_failed=0

perfgate() {
	"$PERFGATE" "$@"
}

say() {
	echo "# $*"
}

test_expect_success() {
	test_count=$((test_count + 1))
	# TEST_VERBOSE=1 traces each command of a test into its output
	if (if [ -n "${TEST_VERBOSE:-}" ]; then set -x; fi; eval "$2") \
		>"$TRASH/.out.$test_count" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.out.$test_count"
		test_failed=$((test_failed + 1))
	fi
}

# test_expect_code CODE CMD...: run CMD and require exit status CODE.
test_expect_code() {
	want=$1
	shift
	"$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
	return 0
}

# test_grep [-v] PATTERN FILE: grep -E that shows the file when it fails.
test_grep() {
	if [ "$1" = "-v" ]; then
		shift
		if grep -E -- "$1" "$2" >/dev/null; then
			echo "'$2' unexpectedly matches '$1':" >&2
			cat "$2" >&2
			return 1
		fi
		return 0
	fi
	if ! grep -E -- "$1" "$2" >/dev/null; then
		echo "'$2' does not match '$1':" >&2
		cat "$2" >&2
		return 1
	fi
}

# expect_eq GOT WANT: like test GOT = WANT, but says what differed, with
# the last command's stderr (err, when there is one), so that a flaky run
# can be diagnosed
expect_eq() {
	if [ "$1" != "$2" ]; then
		echo "got '$1', expected '$2'" >&2
		[ -f err ] && sed 's/^/  stderr: /' err >&2
		return 1
	fi
}

# test_line_count FILE N: FILE has exactly N lines.
test_line_count() {
	n=$(wc -l <"$1")
	if [ "$n" -ne "$2" ]; then
		echo "'$1' has $n lines, expected $2:" >&2
		cat "$1" >&2
		return 1
	fi
}

# json_get FILE EXPR: print a value from a JSON file (EXPR is Python on d).
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# start_httpd DIR [ARGS...]: start tests/t/httpd.py serving DIR (killed
# when the script exits) and wait for it; sets HTTPD_PORT.
start_httpd() {
	_dir=$1
	shift
	mkdir -p "$_dir"
	python3 "$TEST_DIR/httpd.py" --dir "$_dir" "$@" &
	_httpd_pid=$!
	trap 'kill $_httpd_pid 2>/dev/null' EXIT
	_i=0
	while [ ! -s "$_dir/port" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	HTTPD_PORT=$(cat "$_dir/port")
}

# new_repo DIR: a git repository with one commit.
new_repo() {
	git init -q "$1" && (cd "$1" && git commit -q --allow-empty -m initial)
}

test_done() {
	echo "1..$test_count"
	cd / && rm -rf "$TRASH"
	[ "$test_failed" -eq 0 ]
}
