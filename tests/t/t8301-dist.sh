#!/bin/sh
# make dist: perfgate-VERSION.tar.gz, a git archive of HEAD under a
# perfgate-VERSION/ prefix, holds every tracked file and builds on its own
# (outside any git repository; -O0 keeps the build to ~15 s on 2 cores,
# -Werror still on).  The build forgets the make that runs the tests:
# under `make asan` its MAKEFLAGS would build into build-asan/.
. ./lib.sh

VERSION=$(sed -n 's/^VERSION := //p' "$PERFGATE_TOP/Makefile")

test_expect_success 'make dist writes perfgate-VERSION.tar.gz' '
	make -s -C "$PERFGATE_TOP" PKG_DIR="$TRASH/pkg" dist >out 2>err &&
	test -n "$VERSION" &&
	test -s "pkg/perfgate-$VERSION.tar.gz"
'

test_expect_success 'the tarball is HEAD under perfgate-VERSION/' '
	tar tzf "pkg/perfgate-$VERSION.tar.gz" | grep -v "/$" | sort >listed &&
	git -C "$PERFGATE_TOP" ls-tree -r --name-only HEAD |
		sed "s|^|perfgate-$VERSION/|" | sort >expected &&
	diff -u expected listed
'

test_expect_success 'it unpacks and builds outside git: make all, --version' '
	mkdir src && tar xzf "pkg/perfgate-$VERSION.tar.gz" -C src &&
	test ! -e "src/perfgate-$VERSION/.git" &&
	GIT_CEILING_DIRECTORIES="$TRASH" env -u MAKEFLAGS -u MFLAGS \
		-u MAKELEVEL -u LDFLAGS \
		make -s -C "src/perfgate-$VERSION" -j2 CFLAGS=-O0 all >build.out 2>&1 &&
	"src/perfgate-$VERSION/perfgate" --version >v &&
	test_grep "$VERSION" v
'

test_done
