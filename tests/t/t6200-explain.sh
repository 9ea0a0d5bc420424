#!/bin/sh
# perfgate explain: the per-function instruction diff between a baseline
# commit and the working tree, on a small C program built in each tree
# (the config's "build"), under valgrind's callgrind.
. ./lib.sh

if ! command -v valgrind >/dev/null || ! command -v cc >/dev/null; then
	say "skip: explain needs valgrind and cc"
	test_done
fi

# prog SLOW: a C program whose slow_path loops SLOW times per call
prog() {
	cat >prog.c <<EOF
#include <stdlib.h>
static volatile unsigned long sink;
__attribute__((noinline)) static void slow_path(long n)
{
	for (long i = 0; i < n * $1; i++)
		sink += (unsigned long)(i * i);
}
__attribute__((noinline)) static void fast_path(long n)
{
	for (long i = 0; i < n; i++)
		sink += (unsigned long)i;
}
int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	slow_path(n);
	fast_path(n);
	return 0;
}
EOF
}

test_expect_success 'setup: a repository whose working tree makes slow_path slower' '
	new_repo r && cd r &&
	prog 10 &&
	cat >perfgate.json <<EOF &&
{
  "build": "cc -O1 -g -o prog prog.c",
  "benchmarks": [
    {"name": "prog", "command": ["./prog", "200000"]},
    {"name": "nap", "command": ["sleep", "0.2"]}
  ]
}
EOF
	echo prog >.gitignore &&
	git add . && git commit -qm base &&
	prog 13
'

test_expect_success 'explain names slow_path first, with its share of the change; --flamegraph' '
	cd r &&
	perfgate explain prog --base HEAD --flamegraph fg.svg >out 2>err &&
	test_grep "^why: .slow_path. +" out &&
	xmllint --noout fg.svg &&
	test_grep "<title>slow_path: [0-9]* -> [0-9]* instructions [(][+]30[.]0%[)]</title><rect [^>]*fill=.rgb[(]255," fg.svg &&
	test_grep "Approximate: callgrind records caller-callee pairs" fg.svg &&
	first=$(sed -n "5p" out | cut -d" " -f1) &&
	test "$first" = slow_path &&
	test_grep "^instructions: .*[(][+]" out &&
	! test_grep "fast_path" out
'

test_expect_success 'explain --json: slow_path first, shares add up, paths relative' '
	cd r &&
	{ perfgate explain --filter "^pro" --base HEAD --json --top 3 >out.json 2>err || { cat err; false; }; } &&
	test "$(json_get out.json "d[\"functions\"][0][\"name\"]")" = slow_path &&
	test "$(json_get out.json "d[\"functions\"][0][\"file\"]")" = prog.c &&
	test "$(json_get out.json "d[\"functions\"][0][\"object\"]")" = prog &&
	test "$(json_get out.json "d[\"functions\"][0][\"status\"]")" = changed &&
	# the share may pass 100%: the dynamic loader does a few instructions
	# less or more when the two trees'"'"' paths differ in length
	test "$(json_get out.json "0.95 < d[\"functions\"][0][\"share\"] < 1.05")" = True &&
	test "$(json_get out.json "d[\"change\"] == d[\"cand_total\"] - d[\"base_total\"] > 0")" = True &&
	test "$(json_get out.json "d[\"functions\"][0][\"cand_self\"] - d[\"functions\"][0][\"base_self\"] > 100000")" = True &&
	test "$(json_get out.json "d[\"stripped\"]")" = None
'

test_expect_success 'a sleep-bound benchmark is refused with exit 3 and the reason' '
	cd r &&
	test_expect_code 3 perfgate explain nap --base HEAD >out 2>err &&
	test_grep "I/O- or sleep-bound" err &&
	test_grep "CPU time is [0-9]*% of its wall time" err
'

test_expect_success 'without valgrind on PATH: exit 3 naming the package' '
	cd r &&
	echo "{\"benchmarks\": [{\"name\": \"t\", \"command\": [\"true\"]}]}" >p3.json &&
	mkdir -p nobin &&
	test_expect_code 3 env PATH="$PWD/nobin" "$PERFGATE" explain -c p3.json t --base HEAD 2>err &&
	test_grep "apt-get install valgrind" err
'

test_expect_success 'a stripped binary is named' '
	cd r &&
	sed "s/-g -o prog/-s -o prog/" perfgate.json >p2.json &&
	perfgate explain -c p2.json prog --base HEAD >out 2>err &&
	test_grep "note: .prog. has no function names" out
'

test_expect_success 'ab --explain: the Markdown, JUnit and JSON reports say why' '
	cd r &&
	cat >p4.json <<EOF &&
{
  "build": "cc -O1 -g -o prog prog.c",
  "metrics": ["instructions"],
  "instruction_runs": 1,
  "benchmarks": [{"name": "prog", "command": ["./prog", "200000"]}]
}
EOF
	test_expect_code 1 perfgate ab HEAD -c p4.json --explain --no-store \
		--markdown r.md --junit r.xml --json r.json >out 2>err &&
	test_grep "<summary>prog: why: .slow_path. [+]" r.md &&
	test_grep "^slow_path  *[+][0-9]" r.md &&
	python3 "$TEST_DIR/check_markdown.py" r.md 1 "<pre><code class=\"language-text\">instructions: " &&
	test_grep "<system-out>why: .slow_path." r.xml &&
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" r.xml &&
	"$TEST_DIR/check_junit.py" r.xml "prog [instructions]=failure" &&
	test "$(json_get r.json "d[\"rows\"][0][\"explain\"].split()[1]")" = "\`slow_path\`" &&
	test_grep "explain: why: .slow_path." err
'

test_expect_success '"explain": true in the config; nothing to explain without a regression' '
	cd r &&
	sed "s/\"metrics\"/\"explain\": true, \"metrics\"/" p4.json >p5.json &&
	test_expect_code 1 perfgate ab HEAD -c p5.json --no-store --markdown r.md 2>err &&
	test_grep "<summary>prog: why:" r.md &&
	sed "s/\"metrics\"/\"threshold\": {\"instructions\": \"50%\"}, \"metrics\"/" p5.json >p6.json &&
	perfgate ab HEAD -c p6.json --no-store --markdown r.md 2>err &&
	! test_grep "why:" r.md &&
	! test_grep "callgrind" err
'

test_expect_success 'bad usage: no BENCH, a filter matching two, an unknown name' '
	cd r &&
	test_expect_code 2 perfgate explain 2>err &&
	test_expect_code 2 perfgate explain --filter . --base HEAD 2>err &&
	test_grep "exactly one" err &&
	test_expect_code 2 perfgate explain nosuch --base HEAD 2>err &&
	test_grep "no benchmark .nosuch." err
'

test_done
