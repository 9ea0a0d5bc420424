#!/bin/sh
# perfgate run with "format": a harness's own benchmarks, merged across runs.
. ./lib.sh

GBENCH_SRC="$PERFGATE_TOP/tests/fixtures/src/gbench/gbench.cc"

# bench_names FILE: the benchmark names of a result document, comma-joined.
bench_names() {
	json_get "$1" "\",\".join(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"])"
}

new_repo h
cd h || exit 1

# A harness written in shell: go-style output with a different value on
# each invocation (the invocation count is kept in a file).
cat >fakego.sh <<'EOF'
#!/bin/sh
n=$(cat count 2>/dev/null || echo 0)
n=$((n + 1))
echo $n >count
echo "goos: linux"
echo "pkg: example.com/x"
printf 'BenchmarkParse-2 \t 1000 \t %d ns/op \t 16 B/op\n' $((100 * n))
printf 'BenchmarkEncode/size=10-2 \t 500 \t 7 ns/op \t 9.5 MB/s\n'
echo PASS
EOF
chmod +x fakego.sh

test_expect_success 'a go harness: ENTRY/inner benchmarks, samples merged' '
	rm -f count &&
	cat >perfgate.json <<-\EOF &&
	{"runs": 3, "warmup": 1, "benchmarks": [
	  {"name": "go", "command": ["./fakego.sh"], "format": "go"},
	  {"name": "plain", "command": ["true"]}
	]}
	EOF
	perfgate run --no-store --json r.json 2>err &&
	test "$(bench_names r.json)" = "go/BenchmarkParse,go/BenchmarkEncode/size=10,plain" &&
	b="d[\"runs\"][0][\"benchmarks\"]" &&
	test "$(json_get r.json "$b[0][\"metrics\"][\"sec/op\"][\"samples\"]")" = "[2e-07, 3e-07, 4e-07]" &&
	test "$(json_get r.json "$b[1][\"metrics\"][\"B/s\"][\"direction\"]")" = higher &&
	test "$(json_get r.json "$b[1][\"params\"][\"size\"]")" = 10 &&
	test "$(cat count)" = 4 &&
	test_grep "^go/BenchmarkParse +3 " err &&
	test_grep "^plain +3 " err
'

test_expect_success '"output" names the file the harness writes' '
	cat >perfgate.json <<-\EOF &&
	{"runs": 2, "warmup": 0, "benchmarks": [
	  {"name": "hf", "command": "printf \"{\\\"results\\\": [{\\\"command\\\": \\\"x\\\", \\\"times\\\": [0.5, 0.25]}]}\" >sub/hf.json", "format": "auto", "output": "sub/hf.json"}
	]}
	EOF
	mkdir -p sub &&
	perfgate run --no-store --json o.json 2>err &&
	test "$(bench_names o.json)" = "hf/x" &&
	test "$(json_get o.json "d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"samples\"]")" = "[0.5, 0.25, 0.5, 0.25]"
'

test_expect_success 'an output file the harness did not write is exit 2' '
	echo old >stale.json &&
	cat >perfgate.json <<-\EOF &&
	{"runs": 2, "benchmarks": [
	  {"name": "nofile", "command": "true", "format": "bmf", "output": "stale.json"}
	]}
	EOF
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "benchmark .nofile.: run 1: .*stale.json.: no such file" err &&
	test ! -e stale.json
'

test_expect_success 'output that does not parse is exit 2 naming the run' '
	cat >perfgate.json <<-\EOF &&
	{"runs": 2, "warmup": 0, "benchmarks": [
	  {"name": "junk", "command": "echo not json", "format": "google-benchmark"}
	]}
	EOF
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "benchmark .junk.: .junk: stdout of run 1.: invalid JSON" err
'

test_expect_success 'a failing harness fails the entry (exit 3), others still run' '
	cat >perfgate.json <<-\EOF &&
	{"runs": 2, "warmup": 0, "benchmarks": [
	  {"name": "broken", "command": "echo oops >&2; exit 5", "format": "go"},
	  {"name": "plain", "command": ["true"]}
	]}
	EOF
	test_expect_code 3 perfgate run --no-store --json f.json 2>err &&
	test_grep "broken +FAILED: .*exited with status 5" err &&
	test_grep "^plain +2 " err &&
	test "$(json_get f.json "d[\"runs\"][0][\"benchmarks\"][0][\"name\"]")" = broken
'

test_expect_success 'an unknown format is exit 2 before anything runs' '
	cat >perfgate.json <<-\EOF &&
	{"benchmarks": [
	  {"name": "first", "command": "touch ran"},
	  {"name": "bad", "command": "true", "format": "junit"}
	]}
	EOF
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "perfgate.json.: benchmarks\[1\].format: unknown format .junit." err &&
	test ! -e ran
'

test_expect_success 'an inner name that collides with another entry is exit 2' '
	cat >perfgate.json <<-\EOF &&
	{"runs": 1, "warmup": 0, "benchmarks": [
	  {"name": "go/BenchmarkParse", "command": ["true"]},
	  {"name": "go", "command": ["./fakego.sh"], "format": "go"}
	]}
	EOF
	test_expect_code 2 perfgate run --no-store 2>err &&
	test_grep "inner benchmark .go/BenchmarkParse. has the name of another" err
'

# Google Benchmark, built here with -lbenchmark when libbenchmark-dev is
# installed (scripts/install-deps.sh installs it).
if command -v c++ >/dev/null 2>&1 &&
	c++ -O2 -std=c++17 "$GBENCH_SRC" -o gbench -lbenchmark -lpthread 2>/dev/null; then
	test_expect_success 'a Google Benchmark binary via "format": "google-benchmark"' '
		cat >perfgate.json <<-\EOF &&
		{"runs": 3, "warmup": 0, "benchmarks": [
		  {"name": "gb", "command": ["./gbench", "--benchmark_format=json",
		   "--benchmark_min_time=0.001", "--benchmark_filter=BM_memcpy|BM_accumulate"],
		   "format": "google-benchmark"},
		  {"name": "gbout", "command": ["./gbench", "--benchmark_out=gb.json",
		   "--benchmark_min_time=0.001", "--benchmark_filter=BM_string|BM_fails"],
		   "format": "auto", "output": "gb.json"}
		]}
		EOF
		test_expect_code 3 perfgate run --no-store --json g.json 2>err &&
		test "$(bench_names g.json)" = "gb/BM_memcpy/64,gb/BM_memcpy/4096,gb/BM_accumulate,gbout/BM_string_append/threads:2,gbout/BM_fails" &&
		b="d[\"runs\"][0][\"benchmarks\"]" &&
		test "$(json_get g.json "len($b[0][\"metrics\"][\"real_time\"][\"samples\"])")" = 3 &&
		test "$(json_get g.json "len($b[2][\"metrics\"][\"items_per_second\"][\"samples\"])")" = 3 &&
		test "$(json_get g.json "$b[2][\"metrics\"][\"items_per_second\"][\"direction\"]")" = higher &&
		test "$(json_get g.json "$b[4][\"error\"]")" = "resource unavailable" &&
		test_grep "gbout/BM_fails +FAILED: resource unavailable" err
	'
else
	test_count=$((test_count + 1))
	echo "ok $test_count # skip Google Benchmark: c++ or libbenchmark-dev missing"
fi

test_done
