#!/bin/sh
# check-includes.sh: no include circles between units.
#
# A unit is X.c together with X.h (paths from the top of the tree, as the
# Makefile's -I. spells them).  Unit A uses unit B when A.c or A.h has
# `#include "B.h"`.  Two units that use each other are a circle: neither
# can be understood, tested or moved without the other, and a third,
# lower piece is missing (docs/hacking.md, "Layout").
#
# Allowed: a module's private header pair.  A header with no .c of its
# own (store/internal.h, formats/internal.h, runner/pairs_session.h) that
# the files of its directory share may include one of them while they
# include it: together they are one module's insides, not two units.
# The pair must sit in one directory; the allowance is printed, so that
# it stays visible.
#
# Usage: sh scripts/check-includes.sh [TOP]
# Prints one line per circle ("circle: A <-> B"), then a summary line;
# exits 1 if there is a circle, 0 otherwise.  `make check` runs it
# (tests/t/t0001-include-circles.sh), so that a new circle fails.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

find . \( -name .git -o -name 'build*' -o -path ./examples/bin \) -prune -o \
	-type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' |
	awk '
	function unit(p) { sub(/\.[ch]$/, "", p); return p }
	function dir(p) { if (sub(/\/[^\/]*$/, "", p)) return p; return "." }
	# the unit a quoted include names: "unit.h" next to the file if
	# it is there, else a path from the top
	function target(file, inc,    near, line) {
		near = dir(file) "/" inc
		if ((getline line < near) >= 0) {
			close(near)
			inc = near
		}
		sub(/^\.\//, "", inc)
		return unit(inc)
	}
	function add(line) {
		n_out++
		out[n_out] = line
	}
	{
		file = $0
		u = unit(file)
		units[u] = 1
		if (file ~ /\.c$/)
			hasc[u] = 1
		while ((getline line < file) > 0) {
			if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/)
				continue
			inc = line
			sub(/^[^"]*"/, "", inc)
			sub(/".*$/, "", inc)
			v = target(file, inc)
			if (v != u)
				uses[u SUBSEP v] = 1
		}
		close(file)
	}
	END {
		for (u in units)
			n_units++
		for (k in uses) {
			split(k, p, SUBSEP)
			a = p[1]
			b = p[2]
			if (a >= b || !((b SUBSEP a) in uses))
				continue
			if (dir(a) == dir(b) && (!(a in hasc) || !(b in hasc))) {
				add("allowed: " a " <-> " b \
					" (one module'"'"'s private header pair)")
				continue
			}
			add("circle: " a " <-> " b)
			bad++
		}
		# a few lines: an insertion sort keeps the output stable
		for (i = 2; i <= n_out; i++)
			for (j = i; j > 1 && out[j - 1] > out[j]; j--) {
				t = out[j]
				out[j] = out[j - 1]
				out[j - 1] = t
			}
		for (i = 1; i <= n_out; i++)
			print out[i]
		if (bad) {
			print bad " include circle(s) in " n_units " units: move" \
				" what both sides need into a third, lower unit"
			exit 1
		}
		print "no include circles (" n_units " units)"
	}'
