#!/bin/sh
# The action's fast path: download the release's Debian package for this
# runner's image and install it with apt-get.  The release recipe
# (.github/workflows/release.yml, docs/release.md) attaches one package per
# target image, named perfgate_VERSION_IDVERSION_ID_ARCH.deb after
# /etc/os-release (perfgate_1.2.3_debian12_amd64.deb,
# perfgate_1.2.3_ubuntu24.04_amd64.deb): a package built on one image
# depends on its library versions (libgit2-1.5 on bookworm, 1.7 on 24.04).
#
#   sh scripts/install-release-deb.sh
#
# Environment: PG_ACTION_REF (the ref the action was used at: only a
# release tag v* has a package; a branch or a SHA builds from source),
# PG_ACTION_REPO (owner/name), GITHUB_SERVER_URL, GITHUB_OUTPUT.
# Writes installed=true or installed=false to GITHUB_OUTPUT and always
# exits 0: any failure (no package for this image, no network, a bad
# download, a failed install) is the caller's fallback to the source build.
set -u

out=${GITHUB_OUTPUT:-/dev/null}
src=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^VERSION := //p' "$src/Makefile")

fallback() {
	echo "perfgate: $*; building from source instead"
	echo "installed=false" >>"$out"
	exit 0
}

case ${PG_ACTION_REF:-} in
v[0-9]*) ;;
*) fallback "the action is not used at a release tag (${PG_ACTION_REF:-no ref})" ;;
esac
command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 ||
	fallback "no apt-get on this runner"
command -v curl >/dev/null 2>&1 || fallback "no curl to download the package"
. /etc/os-release
arch=$(dpkg --print-architecture)
name="perfgate_${version}_${ID}${VERSION_ID}_${arch}.deb"
url="${GITHUB_SERVER_URL:-https://github.com}/${PG_ACTION_REPO:-perfgate/perfgate}/releases/download/v$version/$name"

dir=$(mktemp -d "${TMPDIR:-/tmp}/perfgate-deb.XXXXXX")
trap 'rm -rf "$dir"' EXIT
curl -fsSL --retry 2 --connect-timeout 10 -o "$dir/$name" "$url" ||
	fallback "no release package $name ($url)"
dpkg-deb -I "$dir/$name" >/dev/null 2>&1 ||
	fallback "$name is not a Debian package"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
# apt-get resolves the package's Depends from the image's archive, and
# its Recommends (libcurl4, for the pull request comment); the package
# lists are refreshed (slow) only when the image's are not enough
apt_install() {
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		"$dir/$name" >&2
}
apt_install || { $sudo apt-get update -qq >&2 && apt_install; } ||
	fallback "apt-get install $name failed"
perfgate --version >/dev/null 2>&1 || fallback "the installed perfgate does not run"
echo "perfgate: installed the release package $name"
echo "installed=true" >>"$out"
