#!/bin/sh
# No include circles between units (X.c with X.h) of the source tree:
# scripts/check-includes.sh over perfgate itself, and over small trees
# that show it flags a circle (direct, through a header or a .c), and
# allows a module's header-only private pair but not one across modules.
. ./lib.sh

check="$PERFGATE_TOP/scripts/check-includes.sh"

# unit FILE INCLUDE...: write FILE with one #include line per INCLUDE.
unit() {
	f=$1
	shift
	mkdir -p "$(dirname "$f")" && : >"$f"
	for i in "$@"; do
		printf '#include "%s"\n' "$i" >>"$f"
	done
}

test_expect_success 'the source tree has no include circles' '
	sh "$check" "$PERFGATE_TOP" >out 2>err &&
	test_grep "^no include circles \([0-9]+ units\)$" out &&
	test_grep -v "^circle:" out &&
	test ! -s err
'

test_expect_success 'a .c and a .h that include each other are flagged' '
	mkdir t1 && cd t1 &&
	unit a/x.h && unit a/x.c a/x.h b/y.h &&
	unit b/y.h && unit b/y.c b/y.h a/x.h &&
	unit a/z.c a/x.h &&
	test_expect_code 1 sh "$check" . >out &&
	test_grep "^circle: a/x <-> b/y$" out &&
	test_grep "^1 include circle" out &&
	test_line_count out 2
'

test_expect_success 'a circle through headers only, and a local include' '
	mkdir t2 && cd t2 &&
	unit m/p.h m/q.h && unit m/p.c m/p.h &&
	unit m/q.h && unit m/q.c m/q.h p.h &&
	test_expect_code 1 sh "$check" . >out &&
	test_grep "^circle: m/p <-> m/q$" out
'

test_expect_success 'a private header pair is allowed within a module only' '
	mkdir t3 && cd t3 &&
	unit s/internal.h s/repo.h && unit s/repo.h &&
	unit s/repo.c s/repo.h s/internal.h &&
	sh "$check" . >out &&
	test_grep "^allowed: s/internal <-> s/repo " out &&
	test_grep "^no include circles \(2 units\)$" out &&
	unit t/peek.h s/repo.h && unit s/repo.c s/repo.h t/peek.h &&
	test_expect_code 1 sh "$check" . >out &&
	test_grep "^circle: s/repo <-> t/peek$" out
'

test_done
