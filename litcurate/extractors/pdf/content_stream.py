"""Run a page's content streams with one regular expression instead of pdfminer's tokenizer.

pdfminer reads a content stream a byte at a time through a state machine written in
Python (a method call and a debug log call per token): about half of reading a
journal page. Here each stream is split into tokens by one compiled pattern and the
tokens become the same objects pdfminer's parser makes (numbers, names, strings,
arrays, dicts, operators); the interpreter then runs them through pdfminer's own
operators, fonts and device, so the layout comes out the same.

What the pattern does not cover the way pdfminer does (inline images, procedures,
unbalanced arrays or dicts, a string or hex string left open at the end of a stream)
is handed back whole: the page's streams are then read by pdfminer's own parser, so
odd content costs time, never a different reading. ``tests/unit/test_content_stream.py``
holds the objects equal to pdfminer's on every stream of the fixtures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name

_DELIMS = rb"#/%\[\]()<>{}\s"
# One alternative per token kind, in pdfminer's order of precedence; the group that
# matched names the kind. Whitespace, NUL and comments before a token are skipped.
_TOKEN = re.compile(
    rb"(?:[\s\x00]|%[^\r\n]*)*(?:"  # what comes before a token: spaces and comments
    rb"(?P<number>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<operator>[A-Za-z][^" + _DELIMS + rb"]*)"
    rb"|/(?P<name>(?:[^" + _DELIMS + rb"]|\#[0-9A-Fa-f]{0,2})*)"
    rb"|\((?P<string>[^()\\]*)\)"
    rb"|(?P<open_string>\()"
    rb"|(?P<dict_begin><<)|(?P<dict_end>>>)"
    rb"|<(?P<hex>[0-9A-Fa-f\s]*)"
    rb"|(?P<close>>)"
    rb"|(?P<other>.)|\Z)",  # or the end of the stream
    re.DOTALL,
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{0,2})")
_SPACE = re.compile(rb"\s")
_STRING_STOP = re.compile(rb"[()\\]")
_OCTAL = frozenset(b"01234567")
_ESCAPES = {ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("f"): 12, ord("r"): 13,
            ord("("): 40, ord(")"): 41, ord("\\"): 92}
_TRUE, _FALSE = b"true", b"false"
ARRAY_BEGIN, ARRAY_END = KWD(b"["), KWD(b"]")
# Operators whose reading depends on the parser's position in the stream (inline
# images) or that content streams do not hold (procedures): left to pdfminer.
_LEFT_TO_PDFMINER = frozenset({KWD(b"BI"), KWD(b"ID"), KWD(b"{"), KWD(b"}")})


class UnsupportedContentError(Exception):
    """Content this reader leaves to pdfminer's own parser."""


def _number(token: bytes) -> float | int | None:
    """pdfminer's reading of a number token; None when it drops it (a lone sign or dot)."""
    try:
        return float(token) if b"." in token else int(token)
    except ValueError:
        return None


def _name(token: bytes) -> Any:
    """A name token (after the slash) as pdfminer's literal: '#xx' escapes decoded."""
    if b"#" in token:
        token = _NAME_ESCAPE.sub(lambda m: bytes.fromhex(m[1].decode()) if len(m[1]) == 2
                                 else (bytes((int(m[1], 16),)) if m[1] else b""), token)
    try:
        return LIT(token.decode("utf-8"))
    except UnicodeDecodeError:
        return LIT(token)


def _hex_string(token: bytes) -> bytes:
    """A hex string's bytes; an odd last digit is its own value, as pdfminer reads it."""
    digits = _SPACE.sub(b"", token)
    if len(digits) % 2:
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


def _escaped_string(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string with escapes or nested parentheses, from just after its '(';
    returns its bytes and the position after its ')'."""
    out = bytearray()
    depth, i, end = 1, start, len(data)
    while True:
        stop = _STRING_STOP.search(data, i)
        if stop is None:
            raise UnsupportedContentError("string left open")
        j = stop.start()
        out += data[i:j]
        char = data[j]
        i = j + 1
        if char == 0x5C:  # backslash: up to three octal digits, a known escape, or dropped
            k = i
            while k < end and k - i < 3 and data[k] in _OCTAL:
                k += 1
            if k > i:
                code = int(data[i:k], 8)
                if code > 255:
                    raise UnsupportedContentError("octal escape past a byte")
                out.append(code)
                i = k
                continue
            if i >= end:
                raise UnsupportedContentError("string left open")
            escaped = data[i]
            if escaped in _ESCAPES:
                out.append(_ESCAPES[escaped])
            elif escaped == 0x0D and data[i + 1:i + 2] == b"\n":
                i += 1
            i += 1
        elif char == 0x28:
            depth += 1
            out.append(char)
        else:
            depth -= 1
            if not depth:
                return bytes(out), i
            out.append(char)


def _cut_at_end(kind: str, text: bytes) -> bool:
    """Whether pdfminer reads this token differently when a stream ends right after it:
    it carries a '>', an empty name or a name escape over into the next stream, and
    loses a name ending in an escape at the very end."""
    return kind == "close" or (kind == "name" and (not text or b"#" in text))


def stream_tokens(data: bytes) -> list[Any]:
    """Given a content stream's bytes, return its tokens as pdfminer's tokenizer makes
    them (numbers, booleans, literals, strings, keywords, the bracket keywords)."""
    tokens: list[Any] = []
    append, match_at, end, position = tokens.append, _TOKEN.match, len(data), 0
    while position < end:
        match = match_at(data, position)
        if match is None:  # the last alternative takes any byte
            raise UnsupportedContentError("unreadable byte")
        position = match.end()
        kind = match.lastgroup
        if kind is None:
            continue
        text = match[kind]
        if position >= end and _cut_at_end(kind, text):
            raise UnsupportedContentError("token cut at the end of a stream")
        if kind == "number":
            number = _number(text)
            if number is not None:
                append(number)
        elif kind == "operator":
            append(True if text == _TRUE else False if text == _FALSE else KWD(text))
        elif kind == "name":
            append(_name(text))
        elif kind == "string":
            append(text)
        elif kind == "open_string":
            string, position = _escaped_string(data, position)
            append(string)
        elif kind == "hex":
            if position >= end:
                raise UnsupportedContentError("hex string left open")
            append(_hex_string(text))
        elif kind != "close":  # '<<', '>>' and any other byte: a keyword of its own
            append(KWD(text))
    return tokens


def content_objects(streams: Sequence[bytes]) -> list[Any]:
    """Given a page's content streams, return the objects pdfminer's content parser hands
    its interpreter, in order: operands, arrays, dicts and operators.

    Raises ``UnsupportedContentError`` for what is left to pdfminer's parser.
    """
    objects: list[Any] = []
    current: list[Any] = objects
    open_types: list[tuple[bytes, list[Any]]] = []
    for data in streams:
        for token in stream_tokens(data):
            if type(token) is not PSKeyword:
                current.append(token)
            elif token is ARRAY_BEGIN or token.name == b"<<":
                open_types.append((token.name, current))
                current = []
            elif token is ARRAY_END or token.name == b">>":
                current = _close(token.name, open_types, current)
            elif token in _LEFT_TO_PDFMINER:
                raise UnsupportedContentError(f"operator {token.name!r}")
            else:
                current.append(token)
    return objects  # an array or dict still open at the end is dropped, as pdfminer does


def _close(kind: bytes, open_types: list[tuple[bytes, list[Any]]],
           items: list[Any]) -> list[Any]:
    """Close the innermost array or dict; returns the list that receives it."""
    if not open_types or open_types[-1][0] != (b"[" if kind == b"]" else b"<<"):
        raise UnsupportedContentError("unbalanced array or dict")
    _, outer = open_types.pop()
    if kind == b"]":
        outer.append(items)
    elif len(items) % 2:
        raise UnsupportedContentError("dict with an odd number of items")
    else:
        outer.append({literal_name(k): v for k, v in zip(items[::2], items[1::2], strict=True)})
    return outer


class ContentInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, its content streams tokenized by ``content_objects``.

    Forms drawn on the page get the same interpreter (pdfminer makes sub-interpreters
    of the running class)."""

    def execute(self, streams: Sequence[object]) -> None:
        runnable: list[PDFStream] = []
        self.stream_ids.clear()
        for item in streams:
            stream = stream_value(item)
            # As pdfminer: streams without an id (inline) cannot be tracked and are not
            # run, nor is one already running further up (a form drawing itself).
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                continue
            runnable.append(stream)
            self.stream_ids.add(stream.objid)
        try:
            objects = content_objects([stream.get_data() for stream in runnable])
        except Exception:  # odd or damaged content: pdfminer reads it its own way
            super().execute(streams)
            return
        self._run(objects)

    def _run(self, objects: list[Any]) -> None:
        operators: dict[PSKeyword, tuple[Callable[..., None] | None, int]] = {}
        push, pop = self.push, self.pop
        for item in objects:
            if type(item) is not PSKeyword:
                push(item)
                continue
            found = operators.get(item)
            if found is None:
                found = operators[item] = self._operator(item)
            method, count = found
            if method is None:
                continue
            if count:
                args = pop(count)
                if len(args) == count:
                    method(*args)
            else:
                method()

    def _operator(self, keyword: PSKeyword) -> tuple[Callable[..., None] | None, int]:
        """The method pdfminer runs for an operator and how many operands it takes."""
        name = keyword_name(keyword)
        method = getattr(self, "do_" + name.replace("*", "_a").replace('"', "_w")
                         .replace("'", "_q"), None)
        if method is None:
            return None, 0
        return method, method.__code__.co_argcount - 1
