#!/bin/sh
# Build the Debian package of perfgate with dpkg-deb: the binary, the man
# pages, README.md and docs/ (/usr/share/doc/perfgate) and a control file
# whose Depends come from dpkg-shlibdeps (the libraries the binary links:
# libgit2, cJSON, GSL, libc).  libcurl is dlopen()ed only to post comments
# (net/curl_lib.h), so libcurl4 is a Recommends, not a Depends.
#
#   sh scripts/build-deb.sh VERSION BINARY OUTDIR
#
# BINARY is an already built perfgate (make all); the package is written to
# OUTDIR/perfgate_VERSION_ARCH.deb and its path printed.  A package built on
# one image depends on that image's library versions (bookworm: libgit2-1.5;
# Ubuntu 24.04: libgit2-1.7): build one package per target image
# (docs/release.md).
set -eu

version=${1:?usage: build-deb.sh VERSION BINARY OUTDIR}
bin=${2:?usage: build-deb.sh VERSION BINARY OUTDIR}
out=${3:?usage: build-deb.sh VERSION BINARY OUTDIR}
src=$(cd "$(dirname "$0")/.." && pwd)
case $bin in /*) ;; *) bin="$PWD/$bin" ;; esac
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture; do
	command -v "$tool" >/dev/null || {
		echo "build-deb.sh: $tool not found (apt-get install dpkg-dev)" >&2
		exit 1
	}
done
[ -x "$bin" ] || { echo "build-deb.sh: $bin: no such binary (make all)" >&2; exit 1; }

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
work=$(mktemp -d "${TMPDIR:-/tmp}/perfgate-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/root"
doc="$root/usr/share/doc/perfgate"

# the Makefile's install target lays the files out; -o: never rebuild BIN
make -s -C "$src" -o "$bin" BIN="$bin" DESTDIR="$root" PREFIX=/usr install >&2
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$root/usr/bin/perfgate"
gzip -9n "$root"/usr/share/man/man*/*
cat >"$doc/copyright" <<-EOT
	Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
	Upstream-Name: perfgate
	Source: https://github.com/perfgate/perfgate
EOT

# dpkg-shlibdeps reads debian/control of the "source" it runs in
mkdir -p "$work/debian"
printf 'Source: perfgate\n\nPackage: perfgate\nArchitecture: any\n' \
	>"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O root/usr/bin/perfgate 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<-EOT
	Package: perfgate
	Version: $version
	Architecture: $arch
	Maintainer: perfgate developers <perfgate@users.noreply.github.com>
	Installed-Size: $size
	Depends: $depends, git
	Recommends: libcurl4
	Section: devel
	Priority: optional
	Homepage: https://github.com/perfgate/perfgate
	Description: performance regression gate for CI
	 perfgate runs a benchmark suite, stores the results in git notes and
	 compares them with a baseline with real statistics (paired A/B runs or
	 stored history); it fails a build only on a slowdown that is
	 statistically significant and large enough to matter.
	 .
	 libcurl4 is needed only to post pull request comments.
EOT

mkdir -p "$out"
deb="$out/perfgate_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2
echo "$deb"
