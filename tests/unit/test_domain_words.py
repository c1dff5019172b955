"""The field-neutral rule: no disease, organ, treatment or body is named in litcurate's code.

litcurate reads reviews from any clinical field, so the words of one field live in data
files (``litcurate/schemas/vocabularies``). This test parses every module with ``ast``
and looks at what the interpreter keeps: string constants (docstrings included) and
identifiers (names, attributes, function, class and argument names, keywords, import
aliases). Comments are not parsed; keep them neutral by hand. The words come from
``data/domain_words.yaml``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

PACKAGE = Path(__file__).resolve().parents[2] / "litcurate"
WORDS_FILE = Path(__file__).resolve().parent / "data" / "domain_words.yaml"
SEPARATORS = re.compile(r"[_\-\u2010\u2011\u2013\s]+")


@dataclass(frozen=True)
class Hit:
    """A domain word found in the code: where, in what, and which word."""

    path: str
    line: int
    word: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.word!r} in {self.text[:80]!r}"


@cache
def domain_pattern() -> re.Pattern[str]:
    """One case-insensitive pattern over the three kinds of listed words."""
    words = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))

    def alternation(key: str) -> str:
        return "|".join(re.escape(w.lower()) for w in sorted(words[key], key=len, reverse=True))

    return re.compile(
        rf"(?P<anywhere>{alternation('anywhere')})"
        rf"|(?<![a-z0-9])(?P<start>{alternation('word_start')})"
        rf"|(?<![a-z0-9])(?P<whole>{alternation('whole_word')})(?![a-z0-9])"
    )


def find_domain_words(text: str) -> list[str]:
    """Given a string or identifier, return the listed words it contains (separators as spaces)."""
    folded = SEPARATORS.sub(" ", text.lower())
    return [match.group(0) for match in domain_pattern().finditer(folded)]


def _texts(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) for every string constant and identifier the module keeps."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield line, node.value
        elif isinstance(node, ast.Name):
            yield line, node.id
        elif isinstance(node, ast.Attribute):
            yield line, node.attr
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield line, node.name
        elif isinstance(node, ast.arg | ast.keyword) and node.arg:
            yield line, node.arg
        elif isinstance(node, ast.alias):
            yield line, node.asname or node.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield line, node.module


def scan_source(source: str, path: str = "<source>") -> list[Hit]:
    """Given a module's source, return every domain word in its strings and identifiers."""
    return [Hit(path, line, word, text)
            for line, text in _texts(ast.parse(source))
            for word in find_domain_words(text)]


def test_no_domain_words_in_the_code() -> None:
    hits = [hit for path in sorted(PACKAGE.rglob("*.py"))
            for hit in scan_source(path.read_text(encoding="utf-8"),
                                   str(path.relative_to(PACKAGE.parent)))]
    assert not hits, "domain words belong in data files:\n" + "\n".join(map(str, hits))


@pytest.mark.parametrize(
    "source",
    [
        'RULE = "tumour burden"\n',
        'def f():\n    """Treat the LIVER first."""\n',
        "extrahepatic_disease = 1\n",
        "def g(ki67_pct): ...\n",
        "x = obj.TACE\n",
        "f(stable_disease=1)\n",
        "import yaml as NETs\n",
        'NOTE = "heart-failure trials"\n',
    ],
)
def test_the_scanner_flags_a_domain_word(source: str) -> None:
    assert scan_source(source)


@pytest.mark.parametrize("text", ["deliver the network", "internet", "tablet", "setting",
                                  "flows.heartbeat_frequency"])
def test_ordinary_words_pass(text: str) -> None:
    assert find_domain_words(text) == []
