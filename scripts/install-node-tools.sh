#!/bin/sh
# Installs the npm tools that validate and run the CI templates into a local
# node_modules (never globally): @action-validator/cli (GitHub Actions
# schema) and gitlab-ci-local (runs GitLab jobs with a shell executor).
# Versions are pinned: gitlab-ci-local after 4.70.1 needs Node 22.
#
#   sh scripts/install-node-tools.sh DIR
#
# Prints DIR/node_modules/.bin on success.  Exits 0 with nothing printed
# when node or npm is missing, so that callers skip those tests; a failed
# install is exit 1.  A no-op when the pinned versions are there already.
set -eu

dir=${1:?usage: install-node-tools.sh DIR}
TOOLS="@action-validator/cli@0.6.0 gitlab-ci-local@4.70.1"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || exit 0

stamp="$dir/installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$TOOLS" ] &&
	[ -x "$dir/node_modules/.bin/action-validator" ] &&
	[ -x "$dir/node_modules/.bin/gitlab-ci-local" ]; then
	echo "$dir/node_modules/.bin"
	exit 0
fi
mkdir -p "$dir"
echo "install-node-tools: installing $TOOLS into $dir" >&2
# shellcheck disable=SC2086
npm install --prefix "$dir" --no-save --no-package-lock --no-audit \
	--no-fund --loglevel=error $TOOLS >&2
echo "$TOOLS" >"$stamp"
echo "$dir/node_modules/.bin"
