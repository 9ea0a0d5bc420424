#!/usr/bin/python3
"""Render a perfgate Markdown report with cmark-gfm (GitHub's own
CommonMark fork, `-e table`) and check that it renders as intended.

usage: check_markdown.py FILE MIN_ROWS [TEXT]...

The first table must render as a <table> whose header has a Verdict column
and whose every body row has as many cells as the header (an unescaped `|`
in a name would shift them), a known metric in the Metric column and a
known verdict in the Verdict column, with at least MIN_ROWS body rows.
No name may turn into markup: no <em>, <strong> outside the Verdict column,
<a>, <code> or raw HTML other than <details>/<summary>, outside the
```mermaid blocks, each of which must follow the xychart-beta grammar
that perfgate writes (check_xychart).  Each TEXT must appear in the
rendered HTML.
"""
import html as htmllib
import re
import subprocess
import sys
from html.parser import HTMLParser

VERDICTS = {"regression", "over-budget", "error", "inconclusive", "accepted",
            "improvement", "unchanged", "added", "removed", "no-baseline"}


class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.tags = [], None, []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


MERMAID = re.compile(r'<pre><code class="language-mermaid">(.*?)</code></pre>',
                     re.S)
STRING = r'"[^"`\n]*"'
NUMBERS = r'\[(-?[0-9.e+-]+(?:, -?[0-9.e+-]+)*)\]'


def check_xychart(block):
    """Mermaid's xychart-beta grammar, the subset perfgate writes:
    xychart-beta, then title "..", x-axis ".." [cats] | x-axis ".." A --> B,
    y-axis "..", then bar/line [numbers], every series as long as the
    x-axis has categories."""
    lines = block.strip("\n").split("\n")
    assert lines[0] == "xychart-beta", lines[0]
    assert re.fullmatch(r"    title " + STRING, lines[1]), lines[1]
    m = re.fullmatch(r"    x-axis " + STRING + r" (?:\[([^]\n]*)\]|"
                     r"([0-9]+) --> ([0-9]+))", lines[2])
    assert m, lines[2]
    ncat = len(m.group(1).split(", ")) if m.group(1) is not None else None
    assert re.fullmatch(r"    y-axis " + STRING, lines[3]), lines[3]
    assert len(lines) >= 5, block
    for line in lines[4:]:
        s = re.fullmatch(r"    (bar|line) " + NUMBERS, line)
        assert s, line
        values = [float(v) for v in s.group(2).split(", ")]
        assert ncat is None or len(values) == ncat, (line, ncat)
    return len(lines) - 4


def main(path, min_rows, texts):
    # --unsafe keeps raw HTML as GitHub does for <details>; a name that
    # escaped into markup would then show up as a tag below.
    html = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", path],
                          check=True,
                          capture_output=True, text=True).stdout
    for block in MERMAID.findall(html):
        check_xychart(htmllib.unescape(block))
    charts = len(MERMAID.findall(html))
    html = MERMAID.sub("", html)
    p = Tables()
    p.feed(html)
    if min_rows > 0:
        assert p.tables, f"{path}: no <table> in\n{html[:2000]}"
        head, *body = p.tables[0]
        assert "Verdict" in head, f"{path}: header {head}"
        metric, verdict = head.index("Metric"), head.index("Verdict")
        for row in body:
            assert len(row) == len(head), f"{path}: {len(head)} vs {row}"
            assert re.match(r"^[a-z][a-z0-9_]*$", row[metric]), \
                f"{path}: {row}"
            v = row[verdict].split(",")[0].replace(" (not gating)", "")
            assert v in VERDICTS, f"{path}: verdict {row[verdict]!r}"
        assert len(body) >= min_rows, f"{path}: {len(body)} rows"
    unexpected = set(p.tags) - {"h3", "h4", "blockquote", "p", "strong", "table",
                                "thead", "tbody", "tr", "th", "td",
                                "details", "summary", "ul", "li"}
    assert not unexpected, f"{path}: unexpected markup {unexpected}"
    for tag in ("em", "a", "code", "script", "img"):
        assert tag not in p.tags, f"{path}: a name rendered as <{tag}>"
    for t in texts:
        assert t in html, f"{path}: {t!r} not in\n{html[:3000]}"
    print(f"{path}: {len(p.tables)} tables, {charts} charts rendered")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
