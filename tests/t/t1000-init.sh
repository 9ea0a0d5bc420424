#!/bin/sh
# perfgate init on small real projects: a C program with a Makefile, a
# Google Benchmark binary, a hyperfine script, go and pytest-benchmark
# layouts; the starter config is valid, runs without edits (an A/A
# `perfgate ab HEAD` passes) and is never written over an existing one.
. ./lib.sh

# project DIR: a repository whose files the caller wrote, committed.
commit_all() {
	git add -A && git commit -qm "$1"
}

test_expect_success 'C with a Makefile: build and the bench target, A/A passes' '
	git init -q c && cd c &&
	printf "int main(void){volatile long s=0;for(long i=0;i<300000;i++)s+=i;return 0;}\n" >prog.c &&
	printf "prog: prog.c\n\tcc -O1 -o prog prog.c\nbench: prog\n\t./prog\n" >Makefile &&
	perfgate init >out 2>err &&
	test_grep "^Makefile: \"build\": \"make\"$" out &&
	test_grep "^Makefile target .bench.$" out &&
	test_grep "^    - uses: perfgate/perfgate@v1$" out &&
	test "$(json_get perfgate.json "d[\"build\"] + \" \" + \" \".join(d[\"benchmarks\"][0][\"command\"])")" = "make make -s bench" &&
	echo prog >.gitignore && commit_all c &&
	perfgate ab HEAD --pairs 6 >ab.out 2>ab.err &&
	test_grep "make-bench" ab.err
'

test_expect_success 'init --measure runs noise on the new config' '
	cd c && rm perfgate.json &&
	perfgate init --measure >m.out 2>m.err &&
	test_grep "^A/A paired noise, 30 pairs per benchmark" m.out &&
	test_grep "^make-bench +30 " m.out &&
	test -s perfgate.json
'

test_expect_success 'an existing config is never overwritten without --force' '
	cd c &&
	cp perfgate.json before.json &&
	echo "{\"benchmarks\": []}" >perfgate.json &&
	test_expect_code 2 perfgate init >out 2>err &&
	test_grep "perfgate.json. exists: perfgate init never overwrites it" err &&
	test "$(cat perfgate.json)" = "{\"benchmarks\": []}" &&
	perfgate init --stdout >new.json &&
	test "$(json_get new.json "d[\"benchmarks\"][0][\"name\"]")" = make-bench &&
	test "$(cat perfgate.json)" = "{\"benchmarks\": []}" &&
	perfgate init --force >out &&
	cmp perfgate.json before.json
'

test_expect_success 'Google Benchmark sources and a hyperfine script' '
	test -f /usr/include/benchmark/benchmark.h || { echo "# no libbenchmark-dev: SKIP"; exit 0; }
	git init -q gb && cd gb && mkdir bench scripts &&
	cat >bench/sortb.cc <<-\EOC &&
	#include <benchmark/benchmark.h>
	#include <algorithm>
	#include <vector>
	static void BM_sort(benchmark::State &s) {
		for (auto _ : s) {
			std::vector<int> v(2000);
			for (int i = 0; i < 2000; i++) v[i] = (i * 7919) % 2000;
			std::sort(v.begin(), v.end());
			benchmark::DoNotOptimize(v.data());
		}
	}
	BENCHMARK(BM_sort);
	BENCHMARK_MAIN();
	EOC
	printf "bench/sortb: bench/sortb.cc\n\tc++ -O2 -o \$@ \$< -lbenchmark -lpthread\n" >Makefile &&
	echo "hyperfine -N --runs 3 --export-json hf.json \"sleep 0.01\"" >scripts/hf.sh &&
	perfgate init >out &&
	test_grep "^Google Benchmark in bench/sortb.cc$" out &&
	test_grep "^sortb: the binary built from bench/sortb.cc is ./bench/sortb$" out &&
	test "$(json_get perfgate.json "\" \".join(b[\"name\"] for b in d[\"benchmarks\"])")" = "sortb hf" &&
	test "$(json_get perfgate.json "d[\"benchmarks\"][1][\"output\"]")" = hf.json &&
	printf "bench/sortb\nhf.json\n" >.gitignore && commit_all gb &&
	perfgate ab HEAD --pairs 6 >ab.out 2>ab.err &&
	test_grep "sortb/BM_sort" ab.err &&
	test_grep "hf/sleep 0.01" ab.err
'

test_expect_success 'go test -bench packages and pytest-benchmark tests are found' '
	mkdir gp && cd gp && git init -q && mkdir -p pkg/sorter tests &&
	echo "module example.com/m" >go.mod &&
	printf "package sorter\nimport \"testing\"\nfunc BenchmarkSort(b *testing.B) {}\n" >pkg/sorter/sort_test.go &&
	printf "def test_sum(benchmark):\n    benchmark(sum, range(100))\n" >tests/test_speed.py &&
	perfgate init --stdout >cfg.json &&
	test "$(json_get cfg.json "\" \".join(b[\"name\"] + \":\" + b[\"format\"] + \":\" + b[\"command\"][-1] for b in d[\"benchmarks\"])")" = "go-pkg/sorter:go:./pkg/sorter pytest-tests:pytest-benchmark:tests" &&
	test ! -e perfgate.json
'

test_expect_success 'nothing found: a placeholder that runs; // keys are comments' '
	new_repo empty && cd empty &&
	perfgate init >out &&
	test_grep "^Found no benchmarks" out &&
	perfgate run --no-store --runs 2 --warmup 0 >run.out 2>&1 &&
	test_grep "^replace-me " run.out &&
	echo "{\"//\": \"x\", \"benchmarks\": [{\"//\": 1, \"name\": \"t\", \"command\": [\"true\"], \"rusn\": 1}]}" >bad.json &&
	test_expect_code 2 perfgate run --no-store -c bad.json 2>err &&
	test_grep "unknown key .rusn." err
'

test_expect_success '--ci github and --ci gitlab write the CI file, never over one' '
	new_repo ci && cd ci &&
	perfgate init --ci github >out &&
	test_grep "wrote .*/.github/workflows/perfgate.yml" out &&
	python3 -c "import yaml,sys; w=yaml.safe_load(open(\".github/workflows/perfgate.yml\")); j=w[\"jobs\"]; assert j[\"gate\"][\"permissions\"]=={\"contents\":\"read\",\"pull-requests\":\"write\"}, j; assert j[\"baseline\"][\"permissions\"]=={\"contents\":\"write\"}; assert \"pull_request\" in w[\"concurrency\"][\"cancel-in-progress\"]" &&
	if [ -n "${PERFGATE_NODE_BIN:-}" ]; then "$PERFGATE_NODE_BIN/action-validator" .github/workflows/perfgate.yml; fi &&
	echo "stages: [test]" >.gitlab-ci.yml &&
	rm -f perfgate.json &&
	test_expect_code 2 perfgate init --ci gitlab 2>err &&
	test_grep "gitlab-ci.yml. exists" err &&
	test ! -e perfgate.json &&
	test "$(cat .gitlab-ci.yml)" = "stages: [test]" &&
	test_expect_code 2 perfgate init --ci jenkins 2>err &&
	test_grep "not github or gitlab" err
'

test_done
