#!/bin/sh
# make demo shows the default path: plain `perfgate gate` on a branch is
# paired, catches the 25% slowdown of `parse` and leaves the unchanged
# `render` alone (the stored demo used to flag it).
# test: serial
. ./lib.sh

test_expect_success 'the demo catches parse and leaves render alone, in paired mode' '
	DEMO_OUT="$TRASH/demo" DEMO_SKIP_SUITE=1 \
		sh "$PERFGATE_TOP/examples/demo.sh" >out 2>err &&
	r="$TRASH/demo/perfgate-report.json" &&
	test "$(json_get "$r" "d[\"mode\"].startswith(\"paired\")")" = True &&
	test "$(json_get "$r" "[x[\"verdict\"] for x in d[\"rows\"] if x[\"bench\"] == \"parse\" and x[\"metric\"] == \"wall_time\"][0]")" = regression &&
	v=$(json_get "$r" "[x[\"verdict\"] for x in d[\"rows\"] if x[\"bench\"] == \"render\" and x[\"metric\"] == \"wall_time\"][0]") &&
	{ test "$v" = unchanged || test "$v" = inconclusive || { echo "render: $v" >&2; cat err >&2; false; }; } &&
	test_grep "perfgate caught the regression" out
'

test_done
