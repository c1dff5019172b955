"""Parse the plain-text seed of the review into typed blocks, and clean its inline markup.

The seed is a text conversion of the journal article: blank-line separated blocks, with
page-break debris (a sentence cut in two blocks), LaTeX-ish fragments (``^{177}Lu``,
``$p < 0.0001$``), Unicode superscripts for affiliation marks and isotopes, and Markdown in
the reference list.  Everything here is about turning that into reportlab paragraph markup
without retyping any prose; the table cells are NOT parsed here (see ``tables.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(_SUPERSCRIPTS, "0123456789")
_SENTENCE_END = re.compile(r"[.!?:]['\")\]]*$")
_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.\s+\S")
_BACK_MATTER = ("Author Contributions:", "Funding:", "Conflicts of Interest:")


@dataclass(frozen=True)
class Block:
    """One typeset unit.  ``kind`` selects the style; ``text`` is paragraph markup."""

    kind: str
    text: str = ""
    level: int = 0
    #: Figure/table label ("Table 1"); for prose, the raw seed text (re-cleaned on joins).
    label: str = ""


@dataclass
class Article:
    """Everything the typesetter needs, in reading order where order matters."""

    article_type: str = ""
    title: str = ""
    authors: str = ""
    affiliations: list[str] = field(default_factory=list)
    correspondence: str = ""
    dates: str = ""
    abstract: str = ""
    keywords: str = ""
    keyword_list: list[str] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    licence: str = ""
    #: Raw tab lines of each table in the seed, keyed by label (only for consistency checks).
    table_lines: dict[str, list[str]] = field(default_factory=dict)
    #: Legend paragraph that followed each table in the seed, keyed by label.
    table_legends: dict[str, str] = field(default_factory=dict)
    #: Paragraph joins performed (for the report / debugging).
    joins: list[tuple[str, str]] = field(default_factory=list)


def escape(text: str) -> str:
    """Escape the three characters reportlab's paragraph parser treats as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _math(span: str) -> str:
    r"""``$b = 1000 \text{ s/mm}^2$`` -> ``b = 1000 s/mm²``; ``$p < 0.0001$`` -> ``p < 0.0001``.

    Single-letter variables are set in italics as a journal would.
    """
    expr = re.sub(r"\\text\{\s*([^}]*)\}", r" \1", span.strip("$"))
    expr = expr.replace("^2", "²").replace("^3", "³")
    expr = re.sub(r"\s+", " ", expr).strip()
    expr = escape(expr)
    return re.sub(r"^([A-Za-z])(?= )", r"<i>\1</i>", expr)


def inline(text: str) -> str:
    """Prose markup: math spans, ``^{...}`` and Unicode isotope superscripts, spacing debris.

    Isotope superscripts (``⁶⁸Ga``, ``^{177}Lu``) become real raised, smaller digits; a
    Unicode superscript that is not followed by a letter (``mg/m²``, ``Tyr³``) is a unit or
    a locant and is left as the character itself.
    """
    out: list[str] = []
    for i, raw in enumerate(re.split(r"(\$[^$]+\$)", text)):
        if i % 2:  # a captured $...$ span
            out.append(_math(raw))
            continue
        part = re.sub(r"\^\{([^}]*)\}", r"<super>\1</super>", escape(raw))
        part = re.sub(
            f"([{_SUPERSCRIPTS}]+) ?(?=[A-Za-z])",
            lambda m: f"<super>{m.group(1).translate(_SUP_TO_DIGIT)}</super>",
            part,
        )
        # "^{177}Lu -DOTATATE" -> "177Lu-DOTATATE": the space is converter debris.
        part = re.sub(r"(</super>[A-Z][a-z]?) -(?=[A-Z])", r"\1-", part)
        # "30- μ m-sized", "β -emitter": spaces the converter put around Greek letters.
        part = re.sub(r"- μ m\b", "-μm", part)
        part = re.sub(r"\bβ -", "β-", part)
        # Keep "Table 1" / "Figure 2" on one line, as a journal's tie (~) would.
        part = re.sub(r"\b(Table|Figure) (\d+)", "\\1\u00a0\\2", part)
        out.append(part)
    return "".join(out)


def _marks(text: str) -> str:
    """Author line: ``Name ^{1,2,*} ,`` and ``Name ¹,`` -> ``Name<super>1,2,*</super>,``."""
    text = escape(text.strip())
    text = re.sub(r"\s*\^\{([^}]*)\}", r"<super>\1</super>", text)
    text = re.sub(
        f"\\s*([{_SUPERSCRIPTS}]+)",
        lambda m: f"<super>{m.group(1).translate(_SUP_TO_DIGIT)}</super>",
        text,
    )
    return re.sub(r"</super>\s+,", "</super>,", text).strip()


def _reference(text: str) -> str:
    """Markdown reference -> markup: ``*x*`` italic, ``**x**`` bold, links dropped."""
    text = re.sub(r"\s*\[\[(CrossRef|PubMed)\]\(#\)\]", "", text).strip()
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = inline(text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\*([^*]+)\*", r"<i>\1</i>", text)


def _labelled(text: str, label: str) -> str:
    """``"Funding: ..."`` -> bold label followed by the cleaned text."""
    return f"<b>{escape(label)}</b> {inline(text[len(label) :].strip())}"


def _is_heading(text: str) -> bool:
    """Numbered section headings, or a short capitalised line without final punctuation
    (the seed's unnumbered "Techniques" in Section 1.3)."""
    if "\n" in text or len(text) > 100 or _SENTENCE_END.search(text):
        return False
    if _NUMBERED_HEADING.match(text):
        return True
    words = text.split()
    return len(words) <= 4 and text[:1].isupper() and not re.search(r"\d", text)


def _blocks(raw: str) -> list[str]:
    """Blank-line separated blocks; whitespace-only blocks (image residue) are dropped."""
    chunks = re.split(r"\n[ \t]*\n", raw.replace("\r\n", "\n"))
    return [c.strip("\n") for c in chunks if c.strip()]


def parse(path: Path) -> Article:
    """Read the seed and classify every block."""
    art = Article()
    blocks = _blocks(path.read_text(encoding="utf-8"))
    it = iter(blocks)
    art.article_type = next(it).strip()
    art.title = escape(next(it).strip())
    art.authors = _marks(next(it))
    pending_table: str | None = None
    in_refs = False
    legend_next = False
    for block in it:
        text = block.strip()
        # The paragraph right after a table's tab lines is its legend, unless the table
        # has none and the seed goes straight on with a heading or the back matter.
        legend_slot, legend_next = legend_next, False
        if in_refs and re.match(r"^\d+\. ", text):
            for line in text.splitlines():
                num, ref = line.split(". ", 1)
                art.references.append((num, _reference(ref)))
            continue
        if text[0] in _SUPERSCRIPTS:
            num = re.match(f"[{_SUPERSCRIPTS}]+", text).group(0)  # type: ignore[union-attr]
            art.affiliations.append(
                f"<super>{num.translate(_SUP_TO_DIGIT)}</super> {inline(text[len(num) :].strip())}"
            )
        elif text.startswith("* Correspondence:"):
            art.correspondence = "<super>*</super> " + _labelled(text[2:], "Correspondence:")
        elif text.startswith("Received:"):
            art.dates = inline(text)
        elif text.startswith("Abstract:"):
            art.abstract = _labelled(text, "Abstract:")
        elif text.startswith("Keywords:"):
            art.keywords = _labelled(text, "Keywords:")
            art.keyword_list = [k.strip() for k in text[len("Keywords:") :].split(";")]
        elif text.startswith("©"):
            art.licence = inline(re.sub(r"<(https?://[^>]+)>", r"\1", text))
        elif text == "References":
            in_refs = True
            art.body.append(Block("heading", "References", level=1))
        elif m := re.match(r"^(Figure \d+)\.\s+(.*)$", text, re.S):
            art.body.append(Block("figure", inline(m.group(2)), label=m.group(1)))
        elif m := re.match(r"^(Table \d+)\.\s+(.*)$", text, re.S):
            pending_table = m.group(1)
            art.body.append(Block("table", escape(m.group(2)), label=pending_table))
        elif "\t" in text and pending_table:
            art.table_lines[pending_table] = text.split("\n")
            legend_next = True
        elif (
            legend_slot
            and pending_table
            and not (text.startswith(_BACK_MATTER) or _is_heading(text))
        ):
            art.table_legends[pending_table] = text
        elif text.startswith(_BACK_MATTER):
            label = next(b for b in _BACK_MATTER if text.startswith(b))
            art.body.append(Block("backmatter", _labelled(text, label)))
        elif _is_heading(text):
            numbered = _NUMBERED_HEADING.match(text)
            level = numbered.group(1).count(".") + 1 if numbered else 3
            art.body.append(Block("heading", escape(text), level=level))
        else:
            _add_paragraph(art, text)
    return art


def _add_paragraph(art: Article, text: str) -> None:
    """Append body prose, joining it to the previous paragraph when that one was cut by
    a page break of the source (it does not end in sentence punctuation)."""
    prev = art.body[-1] if art.body else None
    if prev is not None and prev.kind == "para" and not _SENTENCE_END.search(prev.label):
        art.joins.append((prev.label[-40:], text[:40]))
        joined = f"{prev.label} {text}"
        art.body[-1] = Block("para", inline(joined), label=joined)
        return
    # ``label`` keeps the raw text so a later join re-cleans the whole paragraph at once.
    art.body.append(Block("para", inline(text), label=text))
