#!/bin/sh
# make deb: a Debian package built with dpkg-deb whose control file
# declares the libraries the binary links (dpkg-shlibdeps) and Recommends
# libcurl4 (dlopen()ed for comments only), with the binary, the man pages
# and the docs in their Debian places.  No system-wide install here
# (.ci/run does that): the package is listed, extracted, its binary run,
# and apt-get only simulates the install.
. ./lib.sh

if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
	echo "ok 1 # SKIP dpkg-dev is not installed"
	echo "1..1"
	exit 0
fi

VERSION=$(sed -n 's/^VERSION := //p' "$PERFGATE_TOP/Makefile")

test_expect_success 'make deb builds perfgate_VERSION_ARCH.deb' '
	make -s -C "$PERFGATE_TOP" -o "$PERFGATE" BIN="$PERFGATE" \
		PKG_DIR="$TRASH/pkg" deb >out 2>err &&
	test -n "$VERSION" &&
	deb=$(cat out) &&
	test "$deb" = "$TRASH/pkg/perfgate_${VERSION}_$(dpkg --print-architecture).deb" &&
	test -s "$deb" && ln -s "$deb" perfgate.deb
'

test_expect_success 'dpkg-deb -I: version and the dependencies of the linked libraries' '
	dpkg-deb -I perfgate.deb >info &&
	test_grep "^ Package: perfgate$" info &&
	test_grep "^ Version: $VERSION$" info &&
	test_grep "^ Depends: .*libgit2-1\.[0-9]+ \(>= " info &&
	test_grep "^ Depends: .*libcjson1 \(>= " info &&
	test_grep "^ Depends: .*libgsl27 \(>= " info &&
	test_grep "^ Depends: .*libc6 \(>= " info &&
	test_grep "^ Recommends: libcurl4$" info &&
	test_grep -v "^ Depends: .*curl" info
'

test_expect_success 'dpkg-deb -c: binary, man pages, README and docs' '
	dpkg-deb -c perfgate.deb >files &&
	test_grep "^-rwxr-xr-x root/root .* \./usr/bin/perfgate$" files &&
	test_grep " \./usr/share/man/man1/perfgate\.1\.gz$" files &&
	test_grep " \./usr/share/man/man5/perfgate\.json\.5\.gz$" files &&
	test_grep " \./usr/share/doc/perfgate/README\.md$" files &&
	test_grep " \./usr/share/doc/perfgate/copyright$" files &&
	for f in "$PERFGATE_TOP"/docs/*.md; do
		test_grep " \./usr/share/doc/perfgate/${f##*/}$" files || return 1
	done
'

test_expect_success 'the extracted binary runs: --version and an A/A ab HEAD' '
	dpkg-deb -x perfgate.deb root &&
	root/usr/bin/perfgate --version >v &&
	test_grep "$VERSION" v &&
	zcat root/usr/share/man/man1/perfgate.1.gz >man1 && test_grep "^\.TH PERFGATE" man1 &&
	new_repo repo && cd repo &&
	printf "{\"benchmarks\": [{\"name\": \"t\", \"command\": \"true\"}]}\n" >perfgate.json &&
	git add perfgate.json && git commit -qm config &&
	"$TRASH/root/usr/bin/perfgate" ab HEAD --pairs 6 >ab.out 2>ab.err
'

test_expect_success 'apt-get install -s ./perfgate_*.deb resolves cleanly' '
	if ! command -v apt-get >/dev/null; then return 0; fi &&
	cd "$TRASH/pkg" &&
	apt-get install -s ./perfgate_*.deb >apt.out 2>apt.err &&
	test_grep "^Inst perfgate \($VERSION " apt.out &&
	test_grep "^Conf perfgate \($VERSION " apt.out
'

test_done
