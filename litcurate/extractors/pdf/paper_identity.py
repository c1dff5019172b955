"""Who a paper is: DOI, title and year from its metadata and first page.

The paper id is the DOI when the PDF states one (stable across renamed files and
re-downloads), else a slug of the file name, so ids never depend on the run.
"""

from __future__ import annotations

import re
from collections import Counter

from litcurate.extractors.knowledge import load_data_file
from litcurate.extractors.pdf.document import Document
from litcurate.schemas import record_ids

DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>;,]+[^\s\"<>;,.)\]])", re.IGNORECASE)
YEAR_PATTERN = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def find_doi(document: Document) -> str:
    """The paper's own DOI: metadata first, then the first page's text."""
    for key in ("doi", "DOI", "Subject", "Keywords", "Title"):
        match = DOI_PATTERN.search(document.metadata.get(key, ""))
        if match:
            return match.group(1).lower()
    if document.pages:
        first_page = " ".join(w.text for w in document.pages[0].words)
        match = DOI_PATTERN.search(first_page)
        if match:
            return match.group(1).lower()
    return ""


def paper_id_for(doi: str, file_name: str) -> str:
    """A stable paper id: the DOI with '/' made safe, else the file name's slug."""
    return record_ids.paper_id(doi, file_name)


PLACEHOLDER_TITLES = {"untitled", "unknown", "title", "none", "no title", "document"}
# One word ending in a file extension: the typesetter's source file ("8095138.dvi",
# "OPENMED-D-16-00049.indd", "draft.docx"), which many producers store as the title.
FILE_NAME_TITLE = re.compile(r"^\S+\.[A-Za-z][A-Za-z0-9]{0,4}$")


def find_title(document: Document) -> str:
    """The metadata title, else the largest-type line on the first page.

    Producers fill the metadata with placeholders ("untitled", the source file name,
    "Microsoft Word - draft.docx"); those are no title at all, nor is a title without
    a letter in it.
    """
    title = document.metadata.get("Title", "").strip()
    lowered = title.lower()
    placeholder = (lowered in PLACEHOLDER_TITLES or lowered.startswith("microsoft word - ")
                   or lowered.endswith((".pdf", ".doc", ".docx"))
                   or FILE_NAME_TITLE.match(title) is not None
                   or not any(c.isalpha() for c in title))
    if title and not placeholder:
        return " ".join(title.split())
    if not document.pages or not document.pages[0].words:
        return ""
    words = document.pages[0].words
    largest = max(w.size for w in words)
    picked = [w for w in words if w.size >= largest - 0.5]
    first_line = [w for w in picked if abs(w.top - picked[0].top) < largest / 2]
    label = " ".join(w.text for w in first_line).lower()
    if len(first_line) < len(picked) and label in load_data_file("sections.yaml")["article_types"]:
        picked = [w for w in picked if w not in first_line]
    return " ".join(w.text for w in picked)


def find_year(document: Document) -> int | None:
    """Publication year: the most frequent plausible year on the first page."""
    if not document.pages:
        return None
    text = " ".join(w.text for w in document.pages[0].words)
    years = Counter(int(y) for y in YEAR_PATTERN.findall(text))
    return years.most_common(1)[0][0] if years else None
