#!/bin/sh
# perfgate log REV: revisions before --, benchmarks after it (git's rule);
# an argument that is not a revision is an error that says how to name a
# benchmark.  Values print with units.
. ./lib.sh

new_repo r
cd r
cat >perfgate.json <<\EOF2
{"runs": 3, "warmup": 0, "benchmarks": [
  {"name": "main", "command": ["true"]},
  {"name": "other", "command": ["sleep", "0.01"]}]}
EOF2
git add perfgate.json && git commit -qm one && perfgate run 2>/dev/null
git commit -q --allow-empty -m two && perfgate run 2>/dev/null
git branch -q side HEAD~1

test_expect_success 'log REV starts the walk at REV' '
	perfgate log side >log &&
	test_grep "^$(git rev-parse --short=12 side) [0-9-]{10} one$" log &&
	test_grep -v " two$" log &&
	perfgate log >all && test_grep " two$" all && test_grep " one$" all &&
	perfgate log --rev side >byopt && cmp log byopt
'

test_expect_success 'benchmarks go after -- or in --bench; main is then a benchmark' '
	perfgate log -- main >m &&
	test_grep "^    main +[0-9.]+ (ns|µs|ms) +n=3$" m &&
	test_grep -v "other" m &&
	test "$(grep -c "^    main" m)" = 2 &&
	perfgate log side -- other >o &&
	test_grep "^    other +[0-9.]+ ms +n=3$" o && test_line_count o 2 &&
	perfgate log --bench other side >o2 && cmp o o2
'

test_expect_success 'a name that is no revision is an error naming the fix' '
	test_expect_code 2 perfgate log other >out 2>err &&
	test_grep "^perfgate: error: log: .other. is not a revision; to select the benchmark .other., use .perfgate log -- other.$" err &&
	test ! -s out &&
	test_expect_code 2 perfgate log HEAD side 2>err &&
	test_grep "more than one revision" err &&
	test_expect_code 2 perfgate log --rev HEAD side 2>err &&
	test_grep "two revisions" err
'

test_expect_success 'main, a revision and a benchmark: an error without --, as in git' '
	test_expect_code 2 perfgate log main >out 2>err &&
	test_grep "^perfgate: error: log: .main. is both a revision and a benchmark: .perfgate log main --. for the revision, .perfgate log -- main. for the benchmark$" err &&
	test ! -s out &&
	perfgate log main -- >m &&
	test_grep " two$" m && test_grep "^    other" m &&
	perfgate log side >s && test_grep " one$" s
'

test_expect_success 'help log shows the git-style synopsis and no exit 1' '
	perfgate help log >h &&
	test_grep "^usage: perfgate log \[REV\]" h &&
	test_grep -v "^  1  " h &&
	perfgate help gate >g && test_grep "^  1  significant regression found$" g
'

test_done
