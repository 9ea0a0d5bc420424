#!/bin/sh
# perfgate import: other harnesses' output as a perfgate run, --no-store.
. ./lib.sh

FIX="$PERFGATE_TOP/tests/fixtures"

# bench_names FILE: the benchmark names of a result document, comma-joined.
bench_names() {
	json_get "$1" "\",\".join(b[\"name\"] for b in d[\"runs\"][0][\"benchmarks\"])"
}

test_expect_success 'every fixture imports with its format detected' '
	for f in google-benchmark.json google-benchmark-aggregates.json \
		hyperfine.json hyperfine-params.json go.txt go-cpu-fail.txt \
		pytest-benchmark.json pytest-benchmark-nodata.json criterion \
		jmh.json bmf.json perfgate.json; do
		perfgate import --no-store --json out.json "$FIX/$f" >msg ||
			return 1
		test_grep "^imported [0-9]+ benchmarks? from 1 file" msg &&
		test "$(json_get out.json "d[\"schema\"]")" = 1 || return 1
	done
'

test_expect_success 'google benchmark: repetitions are samples, in seconds' '
	perfgate import --no-store --format google-benchmark --json gb.json \
		"$FIX/google-benchmark.json" >/dev/null &&
	test "$(json_get gb.json "d[\"runs\"][0][\"source\"]")" = import:google-benchmark &&
	test "$(bench_names gb.json)" = "BM_memcpy/64,BM_memcpy/4096,BM_accumulate,BM_string_append/threads:2,BM_fails" &&
	b="d[\"runs\"][0][\"benchmarks\"]" &&
	test "$(json_get gb.json "len($b[0][\"metrics\"][\"real_time\"][\"samples\"])")" = 3 &&
	test "$(json_get gb.json "$b[0][\"metrics\"][\"real_time\"][\"unit\"]")" = s &&
	test "$(json_get gb.json "$b[0][\"metrics\"][\"bytes_per_second\"][\"direction\"]")" = higher &&
	test "$(json_get gb.json "max($b[2][\"metrics\"][\"real_time\"][\"samples\"]) < 1e-3")" = True &&
	test "$(json_get gb.json "$b[4][\"error\"]")" = "resource unavailable"
'

test_expect_success 'several files make one run; the source names each format' '
	perfgate import --no-store --json two.json "$FIX/go.txt" \
		"$FIX/criterion" "$FIX/bmf.json" >msg &&
	test_grep "imported 9 benchmarks from 3 files \(go,criterion,bmf\), not stored" msg &&
	test "$(json_get two.json "d[\"runs\"][0][\"source\"]")" = import:go,criterion,bmf &&
	test "$(json_get two.json "d[\"runs\"][0][\"benchmarks\"][5][\"metrics\"][\"throughput\"][\"unit\"]")" = items/s
'

test_expect_success 'aggregate-only input is flagged as such' '
	perfgate import --no-store --json agg.json "$FIX/pytest-benchmark-nodata.json" >/dev/null &&
	test "$(json_get agg.json "d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"][\"aggregate\"]")" = True &&
	perfgate import --no-store --json raw.json "$FIX/pytest-benchmark.json" >/dev/null &&
	test "$(json_get raw.json "\"aggregate\" in d[\"runs\"][0][\"benchmarks\"][0][\"metrics\"][\"wall_time\"]")" = False
'

test_expect_success '--label, $PERFGATE_RUNNER, --commit and --json -' '
	sha=0123456789abcdef0123456789abcdef01234567 &&
	perfgate import --no-store --label ci-1 --commit $sha --json l.json "$FIX/bmf.json" >/dev/null &&
	test "$(json_get l.json "d[\"runs\"][0][\"label\"]")" = ci-1 &&
	test "$(json_get l.json "d[\"runs\"][0][\"commit\"]")" = $sha &&
	test -n "$(json_get l.json "d[\"runs\"][0][\"environment\"][\"hostname\"]")" &&
	test "$(json_get l.json "len(d[\"runs\"][0][\"id\"])")" = 32 &&
	PERFGATE_RUNNER=box perfgate import --no-store --json - "$FIX/bmf.json" >s.json &&
	test "$(json_get s.json "d[\"runs\"][0][\"label\"]")" = box
'

# A rename onto a FIFO or a device would replace it with a regular file
# (as root, --json /dev/null would turn /dev/null into a file): such a path
# is written in place.  Tested on a FIFO here, never on /dev/null.
test_expect_success '--json to a FIFO writes into it and keeps it a FIFO' '
	mkfifo pipe &&
	{ cat pipe >from-pipe & reader=$!; } &&
	perfgate import --no-store --json pipe "$FIX/bmf.json" >/dev/null &&
	if ! test -p pipe; then kill $reader; wait $reader; false; fi &&
	wait $reader &&
	test "$(json_get from-pipe "len(d[\"runs\"][0][\"benchmarks\"])")" = 3
'

test_expect_success 'a truncated file is exit 2 naming file and place; nothing written' '
	head -c 700 "$FIX/hyperfine.json" >cut.json &&
	test_expect_code 2 perfgate import --no-store --json t.json \
		"$FIX/go.txt" cut.json 2>err &&
	test_grep "perfgate: error: .cut.json.: invalid JSON at line [0-9]+, column [0-9]+" err &&
	test_line_count err 1 &&
	test ! -e t.json &&
	head -c 300 "$FIX/go.txt" >cut.txt &&
	test_expect_code 2 perfgate import --no-store cut.txt 2>err2 &&
	test_grep "cut.txt.: line 7: incomplete line" err2
'

test_expect_success 'wrong --format, unknown format and undetectable input are exit 2' '
	test_expect_code 2 perfgate import --no-store --format hyperfine \
		"$FIX/google-benchmark.json" 2>err &&
	test_grep "not hyperfine output \(it looks like google-benchmark output\)" err &&
	test_expect_code 2 perfgate import --no-store --format csv "$FIX/bmf.json" 2>err2 &&
	test_grep "unknown format .csv." err2 &&
	echo "hello" >hello.txt &&
	test_expect_code 2 perfgate import --no-store hello.txt 2>err3 &&
	test_grep "hello.txt.: cannot detect the format" err3 &&
	echo "{\"schema\": 1, \"runs\": [], \"results\": []}" >amb.json &&
	test_expect_code 2 perfgate import --no-store amb.json 2>err4 &&
	test_grep "ambiguous format: the content matches both hyperfine and perfgate" err4
'

test_expect_success 'bad values are exit 2 with the JSON path or line' '
	printf "BenchmarkA-2 10 -3 ns/op\n" >neg.txt &&
	test_expect_code 2 perfgate import --no-store neg.txt 2>err &&
	test_grep "neg.txt.: line 1: .sec/op. value -3 is negative" err &&
	echo "{\"results\": [{\"command\": \"a\", \"times\": []}]}" >zero.json &&
	test_expect_code 2 perfgate import --no-store zero.json 2>err2 &&
	test_grep "benchmark .a.: metric .wall_time. has no samples" err2 &&
	echo "{\"a\": {\"latency\": {\"value\": 1e999}}}" >inf.json &&
	test_expect_code 2 perfgate import --no-store --format bmf inf.json 2>err3 &&
	test_grep "inf.json.: \\$\\[\"a\"\\].latency: .latency. value is not a finite number" err3 &&
	echo "[{\"benchmark\": \"a\", \"mode\": \"avgt\", \"primaryMetric\": {\"score\": 1, \"scoreUnit\": \"furlongs/op\"}}]" >unit.json &&
	test_expect_code 2 perfgate import --no-store unit.json 2>err4 &&
	test_grep "unknown scoreUnit .furlongs/op." err4
'

test_expect_success 'duplicate names across files are exit 2' '
	test_expect_code 2 perfgate import --no-store --json d.json \
		"$FIX/bmf.json" "$FIX/bmf.json" 2>err &&
	test_grep "duplicate benchmark .parse/small." err &&
	test ! -e d.json
'

test_expect_success 'a corrupt criterion directory is exit 2 naming the file' '
	cp -r "$FIX/criterion" crit &&
	printf "{\"iters\": [1, 2], \"times\": [5" >crit/fib/new/sample.json &&
	test_expect_code 2 perfgate import --no-store crit 2>err &&
	test_grep "crit/fib/new/sample.json.: invalid JSON" err &&
	test_expect_code 2 perfgate import --no-store --format go crit 2>err2 &&
	test_grep "only criterion and Locust output are read from a directory" err2
'

test_expect_success 'import stores one run as a git note, all or nothing' '
	new_repo st && cd st &&
	git commit -q --allow-empty -m second &&
	head -c 500 "$FIX/jmh.json" >cut.json &&
	test_expect_code 2 perfgate import "$FIX/bmf.json" cut.json 2>err &&
	test_grep "cut.json.: invalid JSON" err &&
	test_expect_code 1 git rev-parse -q --verify refs/notes/perfgate &&
	perfgate import --label imp "$FIX/bmf.json" "$FIX/go.txt" >msg 2>err2 &&
	test_grep "imported 7 benchmarks from 2 files \(bmf,go\)$" msg &&
	git rev-parse -q --verify refs/notes/perfgate >/dev/null &&
	perfgate show --format json HEAD >shown.json &&
	test "$(json_get shown.json "len(d[\"runs\"])")" = 1 &&
	test "$(json_get shown.json "d[\"runs\"][0][\"source\"]")" = import:bmf,go &&
	test "$(json_get shown.json "d[\"runs\"][0][\"label\"]")" = imp &&
	test "$(json_get shown.json "d[\"runs\"][0][\"commit\"]")" = "$(git rev-parse HEAD)" &&
	test "$(json_get shown.json "len(d[\"runs\"][0][\"benchmarks\"])")" = 7 &&
	perfgate import --commit HEAD~1 --json both.json "$FIX/hyperfine.json" >/dev/null 2>&1 &&
	perfgate show --format json HEAD~1 >old.json &&
	test "$(json_get old.json "d[\"runs\"][0][\"benchmarks\"][0][\"name\"]")" = "sleep 0.01" &&
	test "$(json_get both.json "d[\"runs\"][0][\"commit\"]")" = "$(git rev-parse HEAD~1)" &&
	test_expect_code 2 perfgate import --commit nosuchrev "$FIX/bmf.json" 2>err3 &&
	test_grep "nosuchrev" err3
'

test_expect_success 'outside a repository import needs --no-store; --commit a SHA' '
	mkdir norepo && cd norepo &&
	GIT_CEILING_DIRECTORIES="$TRASH" &&
	export GIT_CEILING_DIRECTORIES &&
	test_expect_code 2 perfgate import --json n.json "$FIX/bmf.json" 2>err &&
	test_grep "not in a git repository" err &&
	test ! -e n.json &&
	test_expect_code 2 perfgate import --no-store --commit HEAD "$FIX/bmf.json" 2>err2 &&
	test_grep "full 40-digit SHA" err2
'

test_expect_success 'usage errors and help' '
	test_expect_code 2 perfgate import --no-store 2>err &&
	test_grep "no FILE given" err &&
	test_expect_code 2 perfgate import --frob x 2>err2 &&
	test_grep "unknown option .--frob." err2 &&
	test_expect_code 2 perfgate import --no-store missing.json 2>err3 &&
	test_grep "missing.json" err3 &&
	perfgate help import >h &&
	test_grep "--format F" h && test_grep "--no-store" h &&
	test_grep "--commit REV" h && test_grep "--label LABEL" h &&
	test_grep "--json OUT" h && test_grep "--notes-ref REF" h &&
	perfgate --help >h2 && test_grep "^  import " h2
'

test_done
