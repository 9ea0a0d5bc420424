#!/usr/bin/python3
"""Render a perfgate Markdown report with cmark-gfm (GitHub's own
CommonMark fork, `-e table`) and check that it renders as intended.

usage: check_markdown.py FILE MIN_ROWS [TEXT]...

The first table must render as a <table> whose header has a Verdict column
and whose every body row has as many cells as the header (an unescaped `|`
in a name would shift them), a known metric in the Metric column and a
known verdict in the Verdict column, with at least MIN_ROWS body rows.
No name may turn into markup: no <em>, <strong> outside the Verdict column,
<a>, <code> or raw HTML other than <details>/<summary>.  Each TEXT must
appear in the rendered HTML.
"""
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


def main(path, min_rows, texts):
    # --unsafe keeps raw HTML as GitHub does for <details>; a name that
    # escaped into markup would then show up as a tag below.
    html = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", path],
                          check=True,
                          capture_output=True, text=True).stdout
    p = Tables()
    # explain's function tables are fenced code blocks in <details>:
    # their <pre><code> is intended, a name in any other <code> is not
    p.feed(re.sub(r"<pre><code[^>]*>.*?</code></pre>", "", html,
                  flags=re.S))
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
    unexpected = set(p.tags) - {"h3", "blockquote", "p", "strong", "table",
                                "thead", "tbody", "tr", "th", "td",
                                "details", "summary", "ul", "li"}
    assert not unexpected, f"{path}: unexpected markup {unexpected}"
    for tag in ("em", "a", "code", "script", "img"):
        assert tag not in p.tags, f"{path}: a name rendered as <{tag}>"
    for t in texts:
        assert t in html, f"{path}: {t!r} not in\n{html[:3000]}"
    print(f"{path}: {len(p.tables)} tables rendered")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
