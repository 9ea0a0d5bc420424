#!/bin/sh
# perfgate report --html in a real browser (make check-slow): headless
# Chromium renders the index and a benchmark page; the rendered DOM holds
# one point per commit and the change point where the history put it, the
# console stays quiet, and the screenshot shows the chart's colours.
. ./lib.sh

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "ok 1 # skip chromium is not installed (apt-get install -y chromium)"
	echo "1..1"
	exit 0
fi

# a Python with html5lib (Debian's python3-html5lib), to parse the DOM
html5py=
for p in python3 /usr/bin/python3; do
	if "$p" -c "import html5lib" 2>/dev/null; then
		html5py=$p
		break
	fi
done
if [ -z "$html5py" ]; then
	echo "ok 1 # skip html5lib is not installed (apt-get install -y python3-html5lib)"
	echo "1..1"
	exit 0
fi

. "$TEST_DIR/report_history.sh" || exit 1
perfgate report --html ../site >/dev/null || exit 1
page=$(ls ../site/bench-parse-*.html)

# browse OUTFILE URL...: chromium's flags for a test: headless, no network
# chatter, a fresh profile; console messages go to stderr (OUTFILE.log)
browse() {
	out=$1
	shift
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --no-first-run \
		--disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$TRASH/profile.XXXXXX")" \
		--enable-logging=stderr --v=0 --window-size=1000,900 "$@" \
		>"$out" 2>"$out.log"
}

test_expect_success 'the rendered benchmark page: one point per commit, the step marked' '
	browse dom.html --dump-dom "file://$(cd ../site && pwd)/$(basename $page)" &&
	"$html5py" - dom.html "$step" <<-\PY
	import re, sys
	import html5lib
	doc = html5lib.parse(open(sys.argv[1]).read(), namespaceHTMLElements=False)
	def tags(root, name):  # SVG elements carry the SVG namespace
	    return [e for e in root.iter() if str(e.tag).split("}")[-1] == name]
	sec = [s for s in tags(doc, "section") if s.get("id") == "s0"][0]
	pts = [c for c in tags(sec, "circle") if c.get("class") == "pt"]
	assert len(pts) == 40, len(pts)
	marks = [g for g in tags(sec, "g") if g.get("class") == "cp-worse"]
	assert len(marks) == 1 and marks[0].get("data-x") == "25", marks
	rows = [r for r in tags(sec, "tr") if r.get("class") == "cp"]
	assert rows[0].get("data-sha") == sys.argv[2], rows[0].get("data-sha")
	# the mark is drawn at the x of the step commit point
	x = {float(c.get("cx")) for c in pts if c.get("id", "").endswith(sys.argv[2][:12])}
	line = tags(marks[0], "line")[0]
	assert x == {float(line.get("x1"))}, (x, line.get("x1"))
	PY
'

test_expect_success 'no console messages on either page' '
	browse index.html --dump-dom "file://$(cd ../site && pwd)/index.html" &&
	! grep -h "CONSOLE" dom.html.log index.html.log &&
	grep -q "<table id=\"index\">" index.html
'

test_expect_success 'the screenshot shows the chart: points and the change point' '
	browse shot.out --screenshot="$TRASH/shot.png" \
		"file://$(cd ../site && pwd)/$(basename $page)" &&
	python3 - "$TRASH/shot.png" <<-\PY
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n"
	pos, idat, w = 8, b"", 0
	while pos < len(data):
	    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
	    body = data[pos + 8:pos + 8 + n]
	    if kind == b"IHDR":
	        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
	        bpp = {2: 3, 6: 4}[ctype]
	    elif kind == b"IDAT":
	        idat += body
	    pos += 12 + n
	raw, stride, prev, colours = zlib.decompress(idat), w * bpp, None, set()
	for y in range(h):
	    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
	    for i in range(stride):
	        a = line[i - bpp] if i >= bpp else 0
	        b = prev[i] if prev else 0
	        c = prev[i - bpp] if prev and i >= bpp else 0
	        if f == 1: line[i] = (line[i] + a) & 255
	        elif f == 2: line[i] = (line[i] + b) & 255
	        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
	        elif f == 4:
	            p = a + b - c
	            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
	            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
	    colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
	    prev = line
	assert bytes.fromhex("3366aa") in colours, "no point drawn"
	assert bytes.fromhex("c0392b") in colours, "no change point drawn"
	PY
'

test_done
