#!/bin/sh
# Finding 8 of the hardening issue (signals): `log` exited 0 166 s after
# SIGTERM.  An interrupted verb never ends in a pass: SIGTERM during a
# long `log` is exit 3, within a second.
. ./lib.sh

new_repo repo
cd repo
python3 -c "
import json
print(json.dumps({'bench/%06d' % i: {'latency': {'value': 1.0}} for i in range(40000)}))" >../bmf.json
perfgate import --format bmf ../bmf.json >/dev/null 2>&1
# seven notes: `log -n 7` must still be reading when SIGTERM comes
for i in 1 2 3 4 5 6; do
	git commit -q --allow-empty -m "c$i"
	perfgate import --format bmf ../bmf.json >/dev/null 2>&1
done

# a sanitizer build is about twice as slow: allow it twice the time
limit=1000
if grep -q __asan_init "$PERFGATE" 2>/dev/null; then
	limit=2000
fi

# sigterm_exits_3 CMD...: SIGTERM 0.3 s into CMD; it must exit 3 within
# $limit ms, saying "interrupted"
sigterm_exits_3() {
	"$PERFGATE" "$@" >out 2>err &
	pid=$!
	sleep 0.3
	t0=$(date +%s%N)
	kill -TERM $pid
	wait $pid
	rc=$?
	t1=$(date +%s%N)
	echo "exit $rc after $(( (t1 - t0) / 1000000 )) ms"
	test $rc -eq 3 &&
	test $(( (t1 - t0) / 1000000 )) -lt $limit &&
	test_grep "interrupted" err
}

test_expect_success 'sigterm-long-log: exit 3 within a second' '
	sigterm_exits_3 log -n 7
'

# Inside one long parse: one import of one big file.  Without the poll
# inside the parse the import would run to its end and store the run.
python3 -c "
import json
print(json.dumps({'big/%07d' % i: {'latency': {'value': 1.0}} for i in range(250000)}))" >../big.json
git commit -q --allow-empty -m big

test_expect_success 'sigterm-long-import: exit 3 within a second, nothing stored' '
	sigterm_exits_3 import --format bmf ../big.json &&
	! git notes --ref=perfgate show HEAD 2>/dev/null
'

test_done
