#!/bin/sh
# perfgate gate on a Google Benchmark suite across two commits: the
# harness's own benchmarks are gated on their primary metric (real_time).
# test: serial
. ./lib.sh

if ! command -v c++ >/dev/null ||
	! printf '#include <benchmark/benchmark.h>\n' |
		c++ -x c++ -E - >/dev/null 2>&1; then
	echo "ok 1 # skip no C++ compiler or libbenchmark-dev"
	echo "1..1"
	exit 0
fi

new_repo gb
cat >gb/bench.cc <<'CC'
#include <benchmark/benchmark.h>
#include "work.h"

static unsigned long long spin(long n)
{
	unsigned long long x = 88172645463325252ULL;
	for (long i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

static void BM_work(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(spin(WORK));
}
BENCHMARK(BM_work);

static void BM_steady(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(spin(20000));
}
BENCHMARK(BM_steady);

BENCHMARK_MAIN();
CC
cat >gb/perfgate.json <<'JSON'
{"runs": 3, "warmup": 0, "benchmarks": [
  {"name": "gb", "command": ["./gbench", "--benchmark_format=json",
   "--benchmark_repetitions=5", "--benchmark_min_time=0.01"],
   "format": "google-benchmark"}
]}
JSON

# build N: compile the benchmark with WORK=N, commit it.
build() {
	echo "#define WORK $1" >work.h &&
	c++ -O2 -std=c++17 bench.cc -o gbench -lbenchmark -lpthread &&
	git add bench.cc work.h perfgate.json &&
	git commit -q -m "WORK=$1"
}

test_expect_success 'commit A: a baseline of the harness benchmarks' '
	cd gb && build 40000 &&
	perfgate gate --json r.json 2>err &&
	test_grep "no baseline" err &&
	# a stored baseline needs 5 runs of history (docs/statistics.md);
	# ten give its between-run variance enough df under make check load
	for i in 1 2 3 4 5 6 7 8 9; do
		perfgate run >/dev/null 2>&1 || exit 1; done &&
	test "$(json_get r.json "\",\".join(sorted(set(r[\"bench\"] for r in d[\"rows\"])))")" = "gb/BM_steady,gb/BM_work"
'

# three times the work: against a stored history a step must stand out of
# the between-run noise of wall time, which under make check's load
# reached 20% (+50% was then rightly inconclusive)
test_expect_success 'commit B: three times the work in BM_work fails the gate on real_time' '
	cd gb && build 120000 &&
	test_expect_code 1 perfgate gate --junit j.xml --json r.json 2>err &&
	test "$(json_get r.json "[r[\"verdict\"] for r in d[\"rows\"] if r[\"bench\"] == \"gb/BM_work\" and r[\"metric\"] == \"real_time\"][0]")" = regression &&
	test "$(json_get r.json "[r[\"gating\"] for r in d[\"rows\"] if r[\"bench\"] == \"gb/BM_work\" and r[\"metric\"] == \"cpu_time\"][0]")" = False &&
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" j.xml &&
	"$TEST_DIR/check_junit.py" j.xml "gb/BM_work [real_time]=failure" &&
	test "$(json_get r.json "[r[\"n_cand\"] for r in d[\"rows\"] if r[\"bench\"] == \"gb/BM_work\" and r[\"metric\"] == \"real_time\"][0]")" = 15
'

test_done
