#!/bin/sh
# perfgate report --html: the static site of the stored history, on a real
# repository whose history the test wrote: a step, two runner classes, an
# acceptance and a paired session.  The pages must parse as XML, load
# nothing from outside, and hold the points and marks put there.
. ./lib.sh

. "$TEST_DIR/report_history.sh" || exit 1

# site.py DIR: facts about the site as "key value" lines, from a real
# XML parser (the pages are XHTML-compatible HTML5)
cat >../site.py <<'PY'
import glob, os, re, sys
import xml.etree.ElementTree as ET
d = sys.argv[1]
for path in sorted(glob.glob(os.path.join(d, "*.html"))):
    name = os.path.basename(path)
    text = open(path, encoding="utf-8").read()
    root = ET.fromstring(text[text.index("<html"):])
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for e in root.iter():
        for attr in ("src", "href"):
            v = e.get(attr)
            if v is None:
                continue
            if v.startswith("#") and v[1:] not in ids:
                print("broken", name, v)
            if attr == "src" or (re.match(r"[a-z]+:|//", v) and not
                                 v.startswith("https://github.com/acme/")):
                print("external", name, v)
            m = re.match(r"([^#]+)#(.*)", v)
            if m and not os.path.exists(os.path.join(d, m.group(1))):
                print("broken", name, v)
    for tag in ("script", "link", "iframe", "img"):
        if root.iter(tag).__next__ if False else list(root.iter(tag)):
            print("external", name, tag)
    print("page", name, root.find("head/title").text)
    for sec in root.iter("section"):
        h2 = sec.find("h2")
        title = "".join(h2.itertext())
        pts = [c for c in sec.iter("circle") if c.get("class") == "pt"]
        print("points", name, title.replace(" ", "_"), len(pts))
        for g in sec.iter("g"):
            if g.get("class") in ("cp-worse", "cp-better", "accepted", "paired"):
                print("mark", name, title.replace(" ", "_"), g.get("class"),
                      g.get("data-x"))
        for tr in sec.iter("tr"):
            if tr.get("class") == "cp":
                print("cp", name, title.replace(" ", "_"), tr.get("data-sha"))
        for c in pts:
            t = c.find("title").text
            if "1.000 s" in t:
                print("paired-point", name, t)
    idx = root.find(".//table[@id='index']")
    if idx is not None:
        for tr in idx.iter("tr"):
            td = tr.findall("td")
            if td:
                ch = "".join(td[5].itertext())
                m = re.match(r"([+-][0-9.]+)%", ch)
                print("row", "".join(td[0].itertext()).replace(" ", "_"),
                      "".join(td[1].itertext()), m.group(1) if m else "nan")
PY
site() {
	python3 ../site.py "$1"
}

test_expect_success 'the site: index, a page per benchmark, the gate page' '
	perfgate report --html ../site >out &&
	test_grep "wrote 4 pages \(3 series, 40 commits with results of 41 walked" out &&
	test -f ../site/index.html && test -f ../site/gate.html &&
	test "$(ls ../site/bench-*.html | wc -l)" = 2 &&
	for f in ../site/*.html; do xmllint --noout "$f" || return 1; done &&
	for f in ../site/*.html; do xmllint --html --noout "$f" || return 1; done
'

test_expect_success 'nothing external, no script, every link resolves' '
	site ../site >facts &&
	test_grep -v "^(external|broken)" facts &&
	test_grep -v "<script|@import|url\(" ../site/index.html
'

test_expect_success 'one point per commit with results, per runner class' '
	test_grep "^points bench-parse-.* wall_time_on_label:ci-a 40$" facts &&
	test_grep "^points bench-parse-.* wall_time_on_label:laptop 11$" facts &&
	test_grep "^points bench-flat____-.* wall_time_on_label:ci-a 40$" facts &&
	test_grep -v "^paired-point" facts
'

test_expect_success 'the change point is where the step is, with shift and CI' '
	test "$(grep -c "^cp " facts)" = 1 &&
	test_grep "^cp bench-parse-.* wall_time_on_label:ci-a $step$" facts &&
	test_grep "^mark bench-parse-.* wall_time_on_label:ci-a cp-worse 25$" facts &&
	page=$(ls ../site/bench-parse-*.html) &&
	test_grep "\+(19|20|21)\.[0-9]% \[\+[0-9.]+%, \+[0-9.]+%\] \(95% CI\) worse" "$page"
'

test_expect_success 'acceptance and paired session are marked on their commits' '
	test_grep "^mark bench-parse-.* wall_time_on_label:ci-a accepted 32$" facts &&
	test_grep -v "^mark bench-flat.* accepted" facts &&
	test_grep "^mark bench-parse-.* wall_time_on_label:ci-a paired 34$" facts
'

test_expect_success 'index: ordered by the size of the newest change' '
	grep "^row " facts | awk "{print \$4}" >changes &&
	test_line_count changes 3 &&
	python3 -c "
import sys
v = [abs(float(x)) for x in open(\"changes\")]
sys.exit(v != sorted(v, reverse=True))
" &&
	test_grep "^row flat_<&> label:ci-a" facts &&
	test_grep "recomputed from stored results" ../site/index.html &&
	test "$(grep -o "<svg class=\"strip\"" ../site/gate.html | wc -l)" = 1 &&
	test "$(grep -o "<rect class=\"sc\"" ../site/gate.html | wc -l)" = 15
'

test_expect_success 'axes say the unit and which way is better' '
	page=$(ls ../site/bench-parse-*.html) &&
	test_grep "wall_time \(ms\), lower is better" "$page" &&
	test_grep "<desc>" "$page"
'

test_expect_success '--filter, -n and a revision as log takes them' '
	perfgate report --html ../only --filter "^par" -n 10 HEAD~5 >out &&
	site ../only >only &&
	test "$(ls ../only/bench-*.html | wc -l)" = 1 &&
	test_grep "^points bench-parse-.* wall_time_on_label:ci-a 10$" only &&
	test_grep -v "flat" ../only/index.html &&
	perfgate report --html ../only2 --filter "^par" -n 10 --rev HEAD~5 >out &&
	for f in ../only/*.html; do cmp "$f" ../only2/${f##*/} || return 1; done &&
	test_expect_code 2 perfgate report --html ../x --filter "(" 2>err &&
	test_grep "not a valid regular expression" err &&
	test_expect_code 2 perfgate report --html ../x nosuchrev 2>err &&
	test_expect_code 2 perfgate report 2>err &&
	test_grep "html DIR" err
'

test_expect_success 'long histories: fixed buckets, and the page says so' '
	perfgate report --html ../buckets --chart-points 8 >out &&
	site ../buckets >b &&
	test_grep "^points bench-parse-.* wall_time_on_label:ci-a 8$" b &&
	test_grep "^points bench-parse-.* wall_time_on_label:laptop 6$" b &&
	test_grep "drawn as 8 fixed buckets of 5 consecutive commits" ../buckets/bench-parse-*.html
'

test_expect_success 'the gate page from a gate report file' '
	test_expect_code 0 perfgate compare --json ../g.json HEAD~1 HEAD \
		>/dev/null 2>&1 &&
	perfgate report --html ../gsite --report ../g.json >out &&
	test_grep "Verdicts from the gate report ../g.json" ../gsite/gate.html &&
	test_grep "<table id=\"gate\">" ../gsite/gate.html &&
	xmllint --noout ../gsite/gate.html &&
	echo "{\"schema\": 1}" >../bad.json &&
	test_expect_code 2 perfgate report --html ../gsite --report ../bad.json 2>err &&
	test_grep "bad.json" err
'

test_expect_success 'commit links when the remote is on GitHub' '
	git remote add origin git@github.com:acme/widgets.git &&
	perfgate report --html ../linked >out &&
	page=$(ls ../linked/bench-parse-*.html) &&
	test_grep "<a href=\"https://github.com/acme/widgets/commit/$step\">" "$page" &&
	site ../linked >l && test_grep -v "^(external|broken)" l
'

test_expect_success 'Markdown: a Trend sparkline per row and a Mermaid chart per regression' '
	test_expect_code 1 perfgate compare --label ci-a --markdown ../m.md \
		HEAD~15 HEAD~14 >/dev/null 2>&1 &&
	"$TEST_DIR/check_markdown.py" ../m.md 2 "Trend" >checked &&
	test_grep "2 tables, 1 charts rendered" checked &&
	test_grep "^\| parse \| .*\*\*regression\*\* \| [▁▂▃▄▅▆▇█]{25} \|$" ../m.md &&
	test_grep "^    line \[1[12]\.[0-9]+, " ../m.md
'

test_expect_success 'no results yet: an index that says so, and what to fetch' '
	new_repo ../empty &&
	(cd ../empty && perfgate report --html ../esite) >out 2>err &&
	test_grep "wrote 1 page \(0 series" out &&
	test_grep "refs/notes/perfgate. does not exist in this clone; fetch it" err &&
	xmllint --noout ../esite/index.html
'

test_expect_success 'log --plot: a sparkline per benchmark' '
	perfgate log --plot -n 100 >plot &&
	test_grep "^parse +[▁▂▃▄▅▆▇█]{40}  .*\(40 commits, [0-9]+ change points?\)" plot &&
	test_expect_code 2 perfgate log --plot --format json 2>err
'

test_done
