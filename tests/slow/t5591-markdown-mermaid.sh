#!/bin/sh
# The Mermaid blocks of the Markdown report, parsed by Mermaid itself
# (make check-slow): the npm package `mermaid` under jsdom, no browser.
# Pinned versions go into build/node-mermaid; without node or npm, or
# without the registry, the test says so and skips.
. ./lib.sh

MERMAID_TOOLS="mermaid@11.12.0 jsdom@24.1.3"
dir="$PERFGATE_TOP/build/node-mermaid"
skip() {
	echo "ok 1 # skip $*"
	echo "1..1"
	exit 0
}
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	skip "node and npm are not installed"
if [ "$(cat "$dir/installed" 2>/dev/null)" != "$MERMAID_TOOLS" ]; then
	mkdir -p "$dir" &&
	# shellcheck disable=SC2086
	npm install --prefix "$dir" --no-save --no-package-lock --no-audit \
		--no-fund --loglevel=error $MERMAID_TOOLS >&2 ||
		skip "npm could not install $MERMAID_TOOLS"
	echo "$MERMAID_TOOLS" >"$dir/installed"
fi
cp "$TEST_DIR/../slow/mermaid_parse.mjs" "$dir/parse.mjs"
build=${PERFGATE_BUILD:-build}
case $build in /*) ;; *) build="$PERFGATE_TOP/$build" ;; esac

test_expect_success 'the blocks of a stored and a paired report parse' '
	mkdir md &&
	PERFGATE_TEST_MARKDOWN_DIR="$TRASH/md" \
		"$build/tests/test_html" >/dev/null 2>&1 &&
	node "$dir/parse.mjs" md/stored.md >out &&
	test_grep "^5 mermaid blocks parsed$" out &&
	node "$dir/parse.mjs" md/paired.md >out &&
	test_grep "^5 mermaid blocks parsed$" out
'

test_expect_success 'the parser is real: a broken block fails' '
	printf "\`\`\`mermaid\nxychart-beta\n    bar [1, 2\n\`\`\`\n" >bad.md &&
	! node "$dir/parse.mjs" bad.md >/dev/null 2>&1
'

test_done
