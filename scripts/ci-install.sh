#!/bin/sh
# Build perfgate from this source tree into PREFIX as a relocatable bundle
# that a CI cache can restore on a bare runner of the same image: the
# binary finds the libraries it was linked with in PREFIX/lib (an RPATH of
# $ORIGIN/../lib, searched for their own dependencies too), so a restored
# bundle needs neither apt-get nor a compiler.
#
#   sh scripts/ci-install.sh PREFIX
#
# Environment: PERFGATE_INSTALL_DEPS=true installs the Debian/Ubuntu build
# dependencies with apt-get first (with sudo when not root).  Prints
# PREFIX/bin; exit 1 when the build or the bundled binary fails.
set -eu

prefix=${1:?usage: ci-install.sh PREFIX}
src=$(cd "$(dirname "$0")/.." && pwd)

if [ "${PERFGATE_INSTALL_DEPS:-false}" = true ]; then
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends build-essential pkg-config libgit2-dev \
		libcurl4-openssl-dev libcjson-dev libgsl-dev >&2
fi

# objects in a scratch directory: a source tree's own build is not reused
# (it has no RPATH) and not touched
obj=$(mktemp -d "${TMPDIR:-/tmp}/perfgate-obj.XXXXXX")
trap 'rm -rf "$obj"' EXIT
# \$$ORIGIN: make turns $$ into $, the recipe's shell \$ into a literal $
make -C "$src" -j"$(nproc 2>/dev/null || echo 2)" install WERROR= \
	B="$obj" BIN="$obj/perfgate" PREFIX="$prefix" \
	LDFLAGS='-Wl,--disable-new-dtags,-rpath,\$$ORIGIN/../lib' >&2

# the shared libraries the binary loads, except the C runtime that every
# image has (and must not be replaced)
mkdir -p "$prefix/lib"
ldd "$prefix/bin/perfgate" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
	while read -r lib; do
		case $(basename "$lib") in
		libc.so* | libm.so* | libpthread.so* | libdl.so* | librt.so* | \
			ld-linux* | libgcc_s.so* | libresolv.so*) ;;
		*) cp -L "$lib" "$prefix/lib/" ;;
		esac
	done
"$prefix/bin/perfgate" --version >&2
echo "$prefix/bin"
