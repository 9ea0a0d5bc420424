# lib-bisect.sh - what t6210 and tests/slow/t6211 share: a skip without
# valgrind or cc, and a repository of 16 commits of a small C program.
# Source it after lib.sh: . "$TEST_DIR/lib-bisect.sh"

if ! command -v valgrind >/dev/null || ! command -v cc >/dev/null; then
	say "skip: bisect --metric instructions needs valgrind and cc"
	test_done
fi

# prog TENTHS TAG: slow_path loops TENTHS/10 times n; TAG makes each commit
# differ
prog() {
	cat >prog.c <<EOF
#include <stdlib.h>
static volatile unsigned long sink;
__attribute__((noinline)) static void slow_path(long n)
{
	for (long i = 0; i < n * $1 / 10; i++)
		sink += (unsigned long)(i * i);
}
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	slow_path(n);
	return 0; /* $2 */
}
EOF
}

# history BROKEN: commits c0..c15, c11 the step, cBROKEN does not compile
history() {
	cat >perfgate.json <<EOF &&
{
  "build": "cc -O1 -g -o prog prog.c",
  "instruction_runs": 1,
  "benchmarks": [
    {"name": "prog", "command": ["./prog", "20000"]},
    {"name": "other", "command": ["true"]}
  ]
}
EOF
	echo prog >.gitignore &&
	for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		if [ $i -ge 11 ]; then prog 12 $i; else prog 10 $i; fi
		if [ $i = "$1" ]; then echo "#error does not build" >>prog.c; fi
		git add . && git commit -qm "commit $i" && git tag c$i || return 1
	done
}
