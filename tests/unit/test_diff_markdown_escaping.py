"""The Markdown diff shows hostile values as text: no broken table, no live markup.

A value comes from a PDF's cell or a release's CSV, so it may hold anything. The
Markdown is rendered here by a CommonMark renderer with GFM tables and raw HTML on,
as a pull request would render it, and the HTML is checked: every row keeps its four
cells, no tag but the table's and code's appears, and each value reads as it was.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from litcurate.pipeline.release.diffing import ReleaseDiff, code_span, flat_text, to_markdown
from litcurate.pipeline.release.versioning import ResourceDiff

HOSTILE = [
    "`", "a`b``c", "```", "` starts with a backtick", "ends with a backtick `",
    "x | y", "\\|", "ends with a backslash \\", "line one\nline two", "a\r\nb",
    "<img src=https://evil.example/x.png>", "![logo](https://evil.example/x.png)",
    "<script>alert(1)</script>", "[click](https://evil.example)", "https://evil.example",
    "**bold** _it_ ~~gone~~", "&lt;b&gt;", "\u202eright-to-left", "tab\there", "NUL\x00",
    "| --- | --- |", "  two spaces  ", "<!-- comment", "$x^2$",
]
ALLOWED_TAGS = {"h2", "h3", "p", "strong", "em", "table", "thead", "tbody", "tr", "th",
                "td", "code", "ul", "li",
                "details", "summary", "b"}  # each resource folded under its (fixed) name


class Tags(HTMLParser):
    """The tags of rendered HTML, and each table row's cells and each code's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.rows: list[int] = []
        self.codes: list[str] = []
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.rows.append(0)
        elif tag in {"td", "th"}:
            self.rows[-1] += 1
        elif tag == "code":
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._code is not None:
            self.codes.append("".join(self._code))
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.add("!--")


def rendered(markdown: str) -> Tags:
    parser = Tags()
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser


def hostile_diff() -> ReleaseDiff:
    changed = {f"id-{n}": {value: (value, value + "!")} for n, value in enumerate(HOSTILE)}
    listed = {value: {"message": value} for value in HOSTILE}
    outcomes = ResourceDiff("outcomes", changed=changed, added=listed, removed=listed,
                            schema_changes=[f"field added: {v}" for v in HOSTILE])
    return ReleaseDiff("<img src=https://evil.example/old.png>", "new`|`", None, (outcomes,))


def test_hostile_values_neither_break_the_table_nor_become_markup() -> None:
    markdown = to_markdown(hostile_diff())
    page = rendered(markdown)
    assert page.tags <= ALLOWED_TAGS, page.tags - ALLOWED_TAGS
    assert page.rows and set(page.rows[:2]) == {4}  # the summary table: 4 columns
    changes = page.rows[2:]
    assert len(changes) == 1 + len(HOSTILE) and set(changes) == {4}
    for value in HOSTILE:
        assert flat_text(value) in page.codes, value


@pytest.mark.parametrize("value", HOSTILE)
def test_a_table_cell_reads_back_as_its_value(value: str) -> None:
    page = rendered(f"| a | b |\n|---|---|\n| {code_span(value, in_table=True)} | x |\n")
    assert page.rows == [2, 2] and page.tags <= ALLOWED_TAGS
    assert page.codes == [flat_text(value)]


def test_an_empty_value_is_said_to_be_empty() -> None:
    assert code_span("") == "*(empty)*"
    assert code_span("x\ny") == "`x y`" and code_span("a`b") == "``a`b``"
