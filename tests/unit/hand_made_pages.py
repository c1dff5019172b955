"""Pages built by hand for the table-detection tests: words of a size at a place."""

from __future__ import annotations

from litcurate.extractors.pdf.document import Page, Rule, Word


def words(text: str, x: float, top: float, size: float = 10.0, bold: bool = False) -> list[Word]:
    """The text's words set on one line from ``x``, each as wide as its letters."""
    out: list[Word] = []
    for token in text.split():
        width = 0.5 * size * len(token)
        out.append(Word(token, x, top, x + width, top + size, size, bold))
        x += width + 0.3 * size
    return out


def page(*groups: list[Word], rules: tuple[Rule, ...] = ()) -> Page:
    """A 600 x 800 pt page of 10 pt body type holding the words and rules."""
    return Page(1, 600.0, 800.0, tuple(w for g in groups for w in g), rules, body_size=10.0)
