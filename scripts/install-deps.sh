#!/bin/sh
# Installs everything perfgate needs to build and test on Debian (bookworm).
# Safe to re-run; does nothing when every package is already there.
set -eu

PKGS="build-essential pkg-config git libgit2-dev libcurl4-openssl-dev libcjson-dev rsync clang
libgsl-dev libcmocka-dev hyperfine valgrind clang-format python3 libxml2-utils
python3-junitparser python3-yaml cmark-gfm libbenchmark-dev wrk hey python3-locust curl
python3-scipy python3-prometheus-client tmux"
# `install-deps.sh --slow`: also what `make check-slow` needs (a browser)
if [ "${1:-}" = "--slow" ]; then
	PKGS="$PKGS chromium python3-html5lib"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	# not Debian: fine as long as the libraries are there
	if pkg-config --exists libgit2 libcurl libcjson gsl cmocka 2>/dev/null; then
		exit 0
	fi
	echo "install-deps: not a Debian system; install libgit2, libcurl," \
		"cJSON, GSL, cmocka and pkg-config by hand" >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
