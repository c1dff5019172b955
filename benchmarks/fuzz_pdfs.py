"""Fuzzing the pipeline with damaged PDFs: one batch of hundreds, and it must never crash.

    .venv/bin/python benchmarks/fuzz_pdfs.py [--cases 300] [--seed 1] [--workers 2]
        [--time-limit 10] [--memory-limit 512] [--out benchmarks/results]

Why it exists: ``tests/hostile_pdfs.py`` covers a dozen hand-made broken files, but
real damage is more varied than that. This script takes small real PDFs (table
fixtures from LibreOffice, pdflatex and Chromium, plus the reportlab text page of
``tests/hostile_pdfs.py``), damages each copy with 1-3 random mutations at the level
pdfminer reads (bytes flipped in and outside streams, truncation, lines deleted or
duplicated, number and name tokens swapped, unbalanced garbage tokens, content-stream
operators mutated and recompressed, the trailer broken, two files spliced; the xref
offsets are then often repaired so the damage reaches past the parser) and runs them
all, with the unmutated seeds as controls, as ONE batch through the real ``curate``
flow with per-paper time and memory limits.

It proves the batch never crashes (an exception out of the flow exits 1, as does a
published release that fails ``verify``) and lists every ``internal error:`` failure,
each a bug caught and reported, with its seed file, mutations and a traceback.

Cases are deterministic per ``--seed`` and case number, whatever ``--cases`` is, so one
case is rebuilt and rerun with ``--only 17`` (add ``--keep DIR`` to keep the files;
with ``--only`` results are written only if ``--out`` is given). The corpus lives in a
temporary folder. Results: ``results/fuzz.md`` (summary) and ``results/fuzz.json``, beside
the figures of ``fuzz_inputs.py`` (kept as they are).
"""

from __future__ import annotations

import argparse
import atexit
import base64
import bisect
import contextlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fuzz_results import write_section  # noqa: E402  (a script: its folder is on the path)

from litcurate.pipeline.environment import DEFAULT_HOME  # noqa: E402  (no Prefect import)

FIXTURES = ROOT / "tests" / "fixtures" / "tables"
SEED_FIXTURES = (
    "libreoffice/ruled_grid.pdf",
    "libreoffice/zebra.pdf",
    "libreoffice/repeated_header.pdf",
    "pdflatex/ruled_grid.pdf",
    "pdflatex/rotated.pdf",
    "pdflatex/twocol_booktabs.pdf",
    "chromium/borderless.pdf",
    "chromium/zebra_twocol.pdf",
)
TEXT_SEED = "reportlab/text_page.pdf"  # built by tests/hostile_pdfs.py at run time
EXAMPLES = 10
INFLATE_CAP = 64 * 1024 * 1024  # never inflate more than this while mutating


class NotApplicableError(Exception):
    """This mutation has nothing to work on in this file: another one is drawn."""


# -- PDF syntax helpers ------------------------------------------------------------------

@dataclass(frozen=True)
class Stream:
    """Where a stream's dictionary and data lie in the file."""

    header_start: int  # just after "N G obj"
    header_end: int  # the "stream" keyword
    start: int  # first data byte
    end: int  # after the last data byte (the EOL before "endstream" excluded)


_STREAM_KEYWORD = re.compile(rb"stream(?:\r\n|\n|\r)")
_OBJ_HEADER = re.compile(rb"(?:(?<=[\r\n])|\A)(\d+)\s+(\d+)\s+obj\b")
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_WHITESPACE = b" \t\r\n\f\x00"
_DELIMITERS = b"()<>[]{}/%"


def find_streams(data: bytes) -> list[Stream]:
    streams: list[Stream] = []
    position = 0
    while True:
        match = _STREAM_KEYWORD.search(data, position)
        if match is None:
            return streams
        if data[max(0, match.start() - 3):match.start()] == b"end":
            position = match.end()
            continue
        end = data.find(b"endstream", match.end())
        after = len(data) if end < 0 else end + len(b"endstream")
        if end < 0:
            end = len(data)
        elif data[end - 2:end] == b"\r\n":
            end -= 2
        elif data[end - 1:end] in {b"\n", b"\r"}:
            end -= 1
        obj = data.rfind(b"obj", 0, match.start())
        header_start = obj + 3 if obj >= 0 else max(0, match.start() - 200)
        streams.append(Stream(header_start, match.start(), match.end(), max(end, match.end())))
        position = after


class Layout:
    """Stream spans of one file, to tell syntax from stream data."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.streams = find_streams(data)
        self._starts = [s.start for s in self.streams]

    def in_stream(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self.streams[index].end

    def syntax_matches(self, pattern: re.Pattern[bytes]) -> list[re.Match[bytes]]:
        return [m for m in pattern.finditer(self.data)
                if not self.in_stream(m.start()) and not self.in_stream(max(m.end() - 1, 0))]

    def syntax_lines(self) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in self.syntax_matches(_LINE) if m.end() > m.start()]

    def syntax_offset(self, rng: random.Random) -> int:
        for _ in range(100):
            offset = rng.randrange(len(self.data) + 1)
            if not self.in_stream(offset):
                return offset
        raise NotApplicableError


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)")


def stream_filters(header: bytes) -> list[str] | None:
    """The filter chain if this script can decode and re-encode it, else None."""
    if b"/DecodeParms" in header or b"/DP" in header:
        return None
    match = re.search(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)", header)
    if match is None:
        return []
    names = [n.decode() for n in re.findall(rb"/([A-Za-z0-9]+)", match.group(1))]
    supported = {"FlateDecode": "flate", "Fl": "flate", "ASCII85Decode": "a85", "A85": "a85"}
    if not names or any(n not in supported for n in names):
        return None
    return [supported[n] for n in names]


def decode(raw: bytes, filters: list[str]) -> bytes:
    data = raw
    for name in filters:
        if name == "a85":
            body = data.strip()
            body = body.removeprefix(b"<~")
            body = body[:body.find(b"~>")] if b"~>" in body else body
            data = base64.a85decode(body)
        else:
            data = zlib.decompressobj().decompress(data, INFLATE_CAP)
    return data


def encode(data: bytes, filters: list[str]) -> bytes:
    for name in reversed(filters):
        data = zlib.compress(data, 6) if name == "flate" else base64.a85encode(data) + b"~>"
    return data


def set_stream_data(data: bytes, stream: Stream, new: bytes, fix_length: bool) -> bytes:
    """Replace a stream's bytes; with ``fix_length``, its /Length too (direct or indirect)."""
    header = data[stream.header_start:stream.header_end]
    result = data[:stream.start] + new + data[stream.end:]
    if not fix_length:
        return result
    match = re.search(rb"/Length\s+(\d+)(\s+(\d+)\s+R)?", header)
    if match is None:
        return result
    if match.group(2) is None:
        at = stream.header_start + match.start(1)
        return result[:at] + str(len(new)).encode() + result[at + len(match.group(1)):]
    target = re.compile(rb"(?:(?<=[\r\n])|\A)" + match.group(1)
                        + rb"\s+" + match.group(3) + rb"\s+obj\s*(\d+)")
    found = target.search(result)
    if found is None:
        return result
    return result[:found.start(1)] + str(len(new)).encode() + result[found.end(1):]


def object_offsets(data: bytes) -> dict[int, int]:
    """Where each ``N G obj`` begins (the last definition wins), outside stream data."""
    layout = Layout(data)
    return {int(m.group(1)): m.start() for m in layout.syntax_matches(_OBJ_HEADER)}


def fix_xref(data: bytes) -> bytes:
    """Point every xref entry and startxref at where the objects now are.

    Mutations that change sizes shift every later object; pdfminer then finds nothing
    where the xref says and gives up early. Repairing the offsets lets the damage
    itself reach the parsers and extractors. Handles xref tables and plain xref streams.
    """
    offsets = object_offsets(data)
    tables = list(re.finditer(rb"(?:(?<=[\r\n])|\A)xref\s*[\r\n]", data))
    if tables:
        out = bytearray(data)
        for table in tables:
            position = table.end()
            while True:
                section = re.compile(rb"\s*(\d+)\s+(\d+)[ \t]*[\r\n]+").match(data, position)
                if section is None:
                    break
                first, count = int(section.group(1)), int(section.group(2))
                position = section.end()
                for number in range(first, first + min(count, 1_000_000)):
                    entry = re.compile(rb"\s*(\d{10}) (\d{5}) ([nf])").match(data, position)
                    if entry is None:
                        break
                    if entry.group(3) == b"n" and number in offsets:
                        out[entry.start(1):entry.end(1)] = b"%010d" % offsets[number]
                    position = entry.end()
        data = bytes(out)
        return _set_startxref(data, tables[-1].start())
    return _fix_xref_stream(data, offsets)


def _set_startxref(data: bytes, offset: int) -> bytes:
    matches = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not matches:
        return data
    last = matches[-1]
    return data[:last.start(1)] + str(offset).encode() + data[last.end(1):]


def _fix_xref_stream(data: bytes, offsets: dict[int, int]) -> bytes:
    for stream in reversed(Layout(data).streams):
        header = data[stream.header_start:stream.header_end]
        if not re.search(rb"/Type\s*/XRef\b", header):
            continue
        filters = stream_filters(header)
        widths = re.search(rb"/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]", header)
        size = re.search(rb"/Size\s+(\d+)", header)
        if filters is None or widths is None or size is None:
            return data
        w = [int(x) for x in widths.groups()]
        index = re.search(rb"/Index\s*\[([\d\s]*)\]", header)
        pairs = [int(x) for x in index.group(1).split()] if index else [0, int(size.group(1))]
        try:
            rows = decode(data[stream.start:stream.end], filters)
        except (ValueError, zlib.error):
            return data
        numbers = [first + k for first, count in zip(pairs[::2], pairs[1::2], strict=False)
                   for k in range(count)]
        step, third_width = sum(w), max(w[2], 2)
        packed = bytearray()
        for number, at in zip(numbers, range(0, len(rows) - step + 1, step), strict=False):
            fields, cursor = [], at
            for width in w:
                fields.append(int.from_bytes(rows[cursor:cursor + width], "big") if width else 1)
                cursor += width
            kind, second, third = fields
            if kind == 1 and number in offsets:
                second = offsets[number]
            packed += min(kind, 255).to_bytes(1, "big") + min(second, 2**32 - 1).to_bytes(4, "big")
            packed += min(third, 2 ** (8 * third_width) - 1).to_bytes(third_width, "big")
        body = encode(bytes(packed), filters)
        new_header = header.replace(widths.group(0), b"/W [1 4 %d]" % third_width)
        new_header = re.sub(rb"/Length\s+\d+(?!\s+\d+\s+R)", b"/Length %d" % len(body),
                            new_header)
        data = (data[:stream.header_start] + new_header + data[stream.header_end:stream.start]
                + body + data[stream.end:])
        own = list(_OBJ_HEADER.finditer(data, 0, stream.header_start))
        return _set_startxref(data, own[-1].start()) if own else data
    return data


# -- content streams ---------------------------------------------------------------------

def _string_end(content: bytes, start: int) -> int:
    depth, i = 0, start
    while i < len(content):
        c = content[i]
        if c == 0x5C:  # backslash
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(content)


def split_operations(content: bytes) -> list[bytes]:
    """Each operator with its operands, as raw bytes (inline images kept whole)."""
    operations: list[bytes] = []
    start, i, n = 0, 0, len(content)
    while i < n:
        c = content[i]
        if c in _WHITESPACE:
            i += 1
        elif c == 0x25:  # % comment
            while i < n and content[i] not in b"\r\n":
                i += 1
        elif c == 0x28:
            i = _string_end(content, i)
        elif content.startswith((b"<<", b">>"), i):
            i += 2
        elif c == 0x3C:
            close = content.find(b">", i)
            i = n if close < 0 else close + 1
        elif c == 0x2F:
            i += 1
            while i < n and content[i] not in _WHITESPACE + _DELIMITERS:
                i += 1
        elif c in _DELIMITERS:
            i += 1
        else:
            j = i
            while j < n and content[j] not in _WHITESPACE + _DELIMITERS:
                j += 1
            token, i = content[i:j], j
            if _NUMBER.fullmatch(token) or token in {b"true", b"false", b"null"}:
                continue
            if token == b"ID":
                end = re.compile(rb"\sEI(?=\s|$)").search(content, i + 1)
                i = n if end is None else end.end()
            operations.append(content[start:i].strip())
            start = i
    if content[start:].strip():
        operations.append(content[start:].strip())
    return operations


EXTREME_NUMBERS = (b"0", b"-0", b"-1", b"1e308", b"-1e308", b"nan", b"inf", b"3.4.5", b"--1",
                   b".", b"-", b"99999999999999999999999999999999999999",
                   b"-2147483649", b"0.0000000000000000000000000001",
                   b"340282366920938463463374607431768211457.5")


def content_inserts(font: bytes) -> list[bytes]:
    """Operator sequences that stress the interpreter and the layout code."""
    return [
        b"q " * 3000, b"Q Q Q Q Q", b"1e30 0 0 1e30 0 0 cm", b"0 0 0 0 0 0 cm",
        b"-1 0 0 -1 0 0 cm", b"/NoSuchFont 12 Tf", b"/NoSuchImage Do", b"BT", b"ET ET",
        b"BT " + font + b" 0 Tf 72 700 Td (zero size) Tj ET",
        b"BT " + font + b" 1000000 Tf 0 0 Td (huge) Tj ET",
        b"BT " + font + b" -12 Tf 100 100 Td (negative size) Tj ET",
        b"BT " + font + b" 12 Tf 0 1 -1 0 300 300 Tm (rotated) Tj ET",
        b"BT " + font + b" 12 Tf 0 0 0 0 0 0 Tm (singular) Tj ET",
        b"BT " + font + b" 12 Tf 1e9 1e9 Td (far away) Tj ET",
        b"BT " + font + b" 12 Tf 72 700 Td " + b"(Table 1 Outcome 0.64 [0.45, 0.91]) Tj 0 -1 Td "
        * 400 + b"ET",
        b"[(a) -99999999 (b)] TJ", b"0 Tz", b"-100 Tz", b"99999 TL T* T* T*",
        b"(unterminated Tj", b"<4142 Tj", b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI",
        b"0 0 m 1e9 1e9 l S", b"100000 100000 -100000 -100000 re f", b"/NoSuchState gs",
        b"9 9 9 9 re W n", b"%comment", b"<< /Unbalanced", b"[ 1 2 3", b"/NoShading sh",
        b"/P <</MCID 0>> BDC", b"EMC EMC", b"0 0 d0 0 0 0 0 0 0 d1", b"(\\\\) '",
        b"1 2 (x) \"", b"0.5 w [] 0 d 0 0 m 500 0 l S " * 200,
    ]


def mutate_content(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    operations = split_operations(content)
    if len(operations) < 2:
        raise NotApplicableError
    fonts = re.findall(rb"(/[^\s/\[\]()<>]+)\s+[\d.]+\s+Tf", content)
    font = rng.choice(fonts) if fonts else b"/F1"
    kind = rng.choice(["drop", "duplicate", "swap", "shuffle", "numbers", "insert", "unbalance"])
    count = len(operations)
    if kind == "drop":
        k = min(rng.randint(1, 5), count - 1)
        for index in sorted(rng.sample(range(count), k), reverse=True):
            del operations[index]
        return b"\n".join(operations), f"drop {k} of {count} ops"
    if kind == "duplicate":
        index, times = rng.randrange(count), rng.choice([1, 2, 10, 200])
        operations[index:index + 1] = [operations[index]] * (times + 1)
        return b"\n".join(operations), f"duplicate op {index} x{times}"
    if kind == "swap":
        a, b = rng.sample(range(count), 2)
        operations[a], operations[b] = operations[b], operations[a]
        return b"\n".join(operations), f"swap ops {a},{b}"
    if kind == "shuffle":
        start = rng.randrange(count)
        window = operations[start:start + rng.randint(2, 20)]
        rng.shuffle(window)
        operations[start:start + len(window)] = window
        return b"\n".join(operations), f"shuffle {len(window)} ops from {start}"
    if kind == "numbers":
        joined = b"\n".join(operations)
        numbers = list(re.finditer(rb"(?<![\w.#/])[+-]?(?:\d+\.?\d*|\.\d+)(?![\w.])",
                                   joined))
        if not numbers:
            raise NotApplicableError
        chosen = sorted(rng.sample(numbers, min(len(numbers), rng.randint(1, 6))),
                        key=lambda m: m.start(), reverse=True)
        values = []
        for match in chosen:
            value = rng.choice(EXTREME_NUMBERS)
            values.append(value.decode())
            joined = joined[:match.start()] + value + joined[match.end():]
        return joined, f"numbers -> {','.join(values)}"
    if kind == "insert":
        insert = rng.choice(content_inserts(font))
        index = rng.randrange(count + 1)
        operations.insert(index, insert)
        return b"\n".join(operations), f"insert {insert[:24]!r} at op {index}"
    target = rng.choice([b"ET", b"Q", b"BT", b"q", b"EMC"])
    kept = [op for op in operations if not op.endswith(target)]
    if len(kept) == count:
        raise NotApplicableError
    return b"\n".join(kept), f"remove every {target.decode()}"


# -- the mutations -----------------------------------------------------------------------

@dataclass
class Mutation:
    """A mutation's result: the new bytes, what was done, and whether the xref is the point."""

    data: bytes
    note: str
    structural: bool = False  # damages xref/trailer on purpose: no xref repair afterwards


Operator = Callable[[random.Random, bytes, list[bytes]], Mutation]


def flip_stream_bytes(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    streams = [s for s in Layout(data).streams if s.end > s.start]
    if not streams:
        raise NotApplicableError
    stream = rng.choice(streams)
    out = bytearray(data)
    k = rng.randint(1, 8)
    for _ in range(k):
        at = rng.randrange(stream.start, stream.end)
        out[at] ^= rng.randint(1, 255)
    return Mutation(bytes(out), f"flip {k} bytes in stream at {stream.start}")


def flip_syntax_bytes(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    layout = Layout(data)
    out = bytearray(data)
    k = rng.randint(1, 8)
    places = []
    for _ in range(k):
        at = min(layout.syntax_offset(rng), len(data) - 1)
        out[at] ^= rng.randint(1, 255)
        places.append(str(at))
    return Mutation(bytes(out), f"flip bytes outside streams at {','.join(places)}",
                    structural=True)


def truncate(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    where = rng.choice(["anywhere", "tail", "stream"])
    streams = Layout(data).streams
    if where == "tail":
        at = max(0, len(data) - rng.randint(1, 300))
    elif where == "stream" and streams:
        stream = rng.choice(streams)
        at = rng.randint(stream.start, max(stream.start, stream.end))
    else:
        at = rng.randrange(len(data))
    return Mutation(data[:at], f"truncate at {at} of {len(data)} ({where})", structural=True)


def delete_line(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    lines = Layout(data).syntax_lines()
    if not lines:
        raise NotApplicableError
    start, end = rng.choice(lines)
    return Mutation(data[:start] + data[end:], f"delete line {data[start:end][:40]!r}")


def duplicate_line(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    lines = Layout(data).syntax_lines()
    if not lines:
        raise NotApplicableError
    start, end = rng.choice(lines)
    times = rng.choice([1, 1, 2, 50])
    return Mutation(data[:end] + data[start:end] * times + data[end:],
                    f"duplicate line {data[start:end][:40]!r} x{times}")


NUMBER_TARGETS = {
    "length": (re.compile(rb"/Length\s+(\d+)"), False),
    "xref-offset": (re.compile(rb"(\d{10}) \d{5} n"), True),
    "object-number": (re.compile(rb"(?:(?<=[\r\n])|\A)(\d+)\s+\d+\s+obj\b"), True),
    "reference": (re.compile(rb"(?<![\d.])(\d+)\s+\d+\s+R\b"), False),
    "startxref": (re.compile(rb"startxref\s+(\d+)"), True),
    "count": (re.compile(rb"/Count\s+(-?\d+)"), False),
    "mediabox": (re.compile(rb"/MediaBox\s*\[\s*[-\d.\s]*?([-\d.]+)\s*\]"), False),
    "size": (re.compile(rb"/Size\s+(\d+)"), True),
    "any": (re.compile(rb"(?<![\w.#/])([+-]?(?:\d+\.?\d*|\.\d+))(?![\w.])"), False),
}


def swap_number(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    layout = Layout(data)
    targets = list(NUMBER_TARGETS)
    rng.shuffle(targets)
    for target in targets:
        pattern, structural = NUMBER_TARGETS[target]
        matches = layout.syntax_matches(pattern)
        if not matches:
            continue
        match = rng.choice(matches)
        old = match.group(1)
        try:
            n = int(float(old))
        except ValueError:
            n = 0
        if target == "xref-offset":
            new = b"%010d" % rng.choice([0, n + 1, n - 1 if n else 1, rng.randrange(len(data) * 2),
                                         9_999_999_999])
        else:
            new = rng.choice([b"0", b"-1", str(n + 1).encode(), str(max(n - 1, 0)).encode(),
                              str(n * 2).encode(), str(n // 2).encode(),
                              str(n * 1000 + 7).encode(), b"2147483648",
                              b"9223372036854775808", b"1" + b"0" * 30, b"1.5", b"-0",
                              b"nan", b"1e9"])
        out = data[:match.start(1)] + new + data[match.end(1):]
        return Mutation(out, f"number {target} {old.decode()}->{new.decode()}", structural)
    raise NotApplicableError


NAME_SWAPS: dict[bytes, tuple[bytes, ...]] = {
    b"/FlateDecode": (b"/LZWDecode", b"/ASCIIHexDecode", b"/RunLengthDecode", b"/DCTDecode",
                      b"/JBIG2Decode", b"/CCITTFaxDecode", b"/Crypt", b"/NoSuchDecode"),
    b"/ASCII85Decode": (b"/ASCIIHexDecode", b"/LZWDecode"),
    b"/Page": (b"/Pages", b"/Catalog", b"/XObject"),
    b"/Pages": (b"/Page", b"/Font"),
    b"/Font": (b"/XObject", b"/Pattern", b"/Page"),
    b"/Type": (b"/Tpye", b"/Subtype"),
    b"/Subtype": (b"/Type", b"/Form"),
    b"/Type1": (b"/Type3", b"/Type0", b"/TrueType", b"/CIDFontType0"),
    b"/TrueType": (b"/Type1", b"/Type3", b"/Type0"),
    b"/Type0": (b"/Type3", b"/Type1"),
    b"/Contents": (b"/Content", b"/Resources", b"/Parent"),
    b"/Resources": (b"/Contents", b"/Font"),
    b"/Kids": (b"/Kid", b"/Parent", b"/Contents"),
    b"/Parent": (b"/Kids",),
    b"/MediaBox": (b"/CropBox", b"/Rotate", b"/Kids"),
    b"/Root": (b"/Info", b"/Size"),
    b"/Length": (b"/Length1", b"/Filter"),
    b"/Encoding": (b"/ToUnicode", b"/Widths", b"/FontDescriptor"),
    b"/ToUnicode": (b"/Encoding", b"/FontFile2"),
    b"/WinAnsiEncoding": (b"/MacRomanEncoding", b"/Identity-H", b"/Symbol",
                          b"/StandardEncoding"),
    b"/Identity-H": (b"/Identity-V", b"/WinAnsiEncoding", b"/UniGB-UCS2-H"),
    b"/Widths": (b"/W", b"/Encoding"),
    b"/FirstChar": (b"/LastChar",),
    b"/Count": (b"/Kids",),
    b"/Filter": (b"/DecodeParms", b"/Length"),
    b"/ObjStm": (b"/XRef", b"/XObject"),
    b"/XRef": (b"/ObjStm",),
    b"/Differences": (b"/Widths",),
    b"/FontDescriptor": (b"/FontFile", b"/Encoding"),
    b"/DescendantFonts": (b"/Kids", b"/Widths"),
    b"/BaseFont": (b"/FontName", b"/Name"),
}
_NAME = re.compile(rb"/[A-Za-z0-9_.+-]+(?=[\s/\[\]<>()]|$)")


def swap_name(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    matches = [m for m in Layout(data).syntax_matches(_NAME) if m.group(0) in NAME_SWAPS]
    if not matches:
        raise NotApplicableError
    old = rng.choice(matches).group(0)
    new = rng.choice(NAME_SWAPS[old])
    chosen = [m for m in matches if m.group(0) == old]
    if rng.random() >= 0.3:
        chosen = [rng.choice(chosen)]
    out = data
    for match in sorted(chosen, key=lambda m: m.start(), reverse=True):
        out = out[:match.start()] + new + out[match.end():]
    return Mutation(out, f"name {old.decode()}->{new.decode()} x{len(chosen)}")


GARBAGE = (b"<<", b">>", b"[", b"]", b"(", b")", b"<", b">", b"{", b"}", b"/", b"%", b"R",
           b"0 R", b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer",
           b"startxref", b"%%EOF", b"\x00\x00\x00", b"\xff\xfe", b"<<" * 500, b"[" * 5000,
           b"(" * 300, b"<</Length -1>>", b"1 0 obj", b"99999999 0 R", b"/" + b"A" * 10000,
           b"(" + b"\\" * 101 + b")", b"<" + b"Z" * 40 + b">", b"<< /Type /Page >>")


def insert_garbage(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    layout = Layout(data)
    inserts = sorted(((layout.syntax_offset(rng), rng.choice(GARBAGE))
                      for _ in range(rng.randint(1, 4))), reverse=True)
    out = data
    for at, token in inserts:
        out = out[:at] + b" " + token + b" " + out[at:]
    notes = ",".join(f"{token[:12]!r}@{at}" for at, token in sorted(inserts))
    return Mutation(out, f"garbage {notes}")


def content_stream(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    """Inflate a stream, mutate its operators, recompress it (content streams mostly)."""
    candidates = []
    for stream in Layout(data).streams:
        filters = stream_filters(data[stream.header_start:stream.header_end])
        if filters is None:
            continue
        try:
            decoded = decode(data[stream.start:stream.end], filters)
        except (ValueError, zlib.error):
            continue
        is_content = bool(re.search(rb"\b(?:BT|re|Tf|cm)\b", decoded[:4000]))
        candidates.append((is_content, stream, filters, decoded))
    if not candidates:
        raise NotApplicableError
    content = [c for c in candidates if c[0]]
    _, stream, filters, decoded = rng.choice(content if content and rng.random() < 0.85
                                             else candidates)
    mutated, note = mutate_content(rng, decoded)
    fix_length = rng.random() < 0.85
    out = set_stream_data(data, stream, encode(mutated, filters), fix_length)
    return Mutation(out, f"content stream at {stream.start}: {note}"
                         + ("" if fix_length else " (stale /Length)"))


def break_trailer(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    startxref = list(re.finditer(rb"startxref\s+(\d+)", data))
    root = list(re.finditer(rb"/Root\s+\d+\s+\d+\s+R", data))
    variants: list[tuple[str, Callable[[], bytes]]] = []
    if startxref:
        last = startxref[-1]
        value = rng.choice([b"0", b"1", str(len(data) - 1).encode(), str(len(data) * 10).encode(),
                            b"-5", b"abc", str(int(last.group(1)) + rng.randint(-40, 40)).encode()])
        variants += [
            (f"startxref -> {value.decode()}",
             lambda: data[:last.start(1)] + value + data[last.end(1):]),
            ("startxref removed", lambda: data[:last.start()] + data[last.end():]),
            ("/Prev pointing at itself", lambda: re.sub(
                rb"(trailer\s*<<|/Type\s*/XRef)", rb"\1 /Prev " + last.group(1), data, count=1)),
        ]
    if b"%%EOF" in data:
        variants.append(("%%EOF removed", lambda: data.replace(b"%%EOF", b"")))
    if root:
        spot = root[-1]
        other = rng.choice([b"/Root 9999 0 R", b"", b"/Root 1 0 R", b"/Root (catalog)",
                            b"/Root null"])
        variants.append((f"/Root -> {other.decode() or 'removed'}",
                         lambda: data[:spot.start()] + other + data[spot.end():]))
        variants.append(("/Encrypt added", lambda: data[:spot.end()]
                         + b" /Encrypt << /Filter /Standard /V 9 /R 9 /O <00> /U <00> /P -1 >>"
                         + data[spot.end():]))
    if re.search(rb"/Size\s+\d+", data):
        size = rng.choice([b"0", b"1", b"2147483647"])
        variants.append((f"/Size -> {size.decode()}",
                         lambda: re.sub(rb"/Size\s+\d+", b"/Size " + size, data)))
    table = re.search(rb"(?:(?<=[\r\n]))xref\s*[\r\n].*?(?=trailer)", data, re.DOTALL)
    if table:
        variants.append(("xref table removed",
                         lambda: data[:table.start()] + data[table.end():]))
    if not variants:
        raise NotApplicableError
    note, make = rng.choice(variants)
    return Mutation(make(), f"trailer: {note}", structural=True)


def splice(rng: random.Random, data: bytes, others: list[bytes]) -> Mutation:
    other = rng.choice(others)
    how = rng.choice(["head+tail", "append", "insert"])
    if how == "append":
        return Mutation(data + b"\n" + other, f"splice: another seed appended ({len(other)} B)",
                        structural=True)
    cut_a, cut_b = rng.randrange(len(data)), rng.randrange(len(other))
    if how == "head+tail":
        return Mutation(data[:cut_a] + other[cut_b:],
                        f"splice: head to {cut_a} + another seed from {cut_b}", structural=True)
    end = min(len(other), cut_b + rng.randint(100, 20_000))
    return Mutation(data[:cut_a] + other[cut_b:end] + data[cut_a:],
                    f"splice: {end - cut_b} B of another seed inserted at {cut_a}",
                    structural=True)


OPERATORS: dict[str, tuple[Operator, int]] = {  # name -> (mutation, weight)
    "flip_stream_bytes": (flip_stream_bytes, 1),
    "flip_syntax_bytes": (flip_syntax_bytes, 1),
    "truncate": (truncate, 1),
    "delete_line": (delete_line, 1),
    "duplicate_line": (duplicate_line, 1),
    "swap_number": (swap_number, 2),
    "swap_name": (swap_name, 2),
    "insert_garbage": (insert_garbage, 1),
    "content_stream": (content_stream, 3),
    "break_trailer": (break_trailer, 1),
    "splice": (splice, 1),
}


# -- the corpus --------------------------------------------------------------------------

@dataclass
class Case:
    """One file of the batch: a mutated seed, or an unmutated seed as a control."""

    name: str
    seed_file: str
    index: int | None = None  # the case number; None for a control
    operators: list[str] = field(default_factory=list)  # "name: what it did"
    bytes: int = 0
    control: bool = False
    outcome: str = ""  # "extracted", "duplicate", or a failure slug
    reason: str = ""
    seconds: float | None = None
    peak_rss_mb: float | None = None


def load_seeds(scratch: Path) -> dict[str, bytes]:
    from tests.hostile_pdfs import build_text_pdf

    seeds = {name: (FIXTURES / name).read_bytes() for name in SEED_FIXTURES}
    text = build_text_pdf(scratch / "text_page.pdf", title="Tea gargling and influenza: a fuzz "
                          "seed", paragraphs=6)
    seeds[TEXT_SEED] = text.read_bytes()
    return seeds


def build_case(seed: int, index: int, seeds: dict[str, bytes]) -> tuple[Case, bytes]:
    """Case ``index`` of ``--seed``: the same whatever the number of cases asked for."""
    rng = random.Random(f"litcurate-fuzz:{seed}:{index}")
    seed_file = rng.choice(sorted(seeds))
    data = seeds[seed_file]
    others = [v for k, v in sorted(seeds.items()) if k != seed_file]
    names = list(OPERATORS)
    weights = [OPERATORS[n][1] for n in names]
    applied: list[str] = []
    structural = False
    wanted = rng.randint(1, 3)
    attempts = 0
    while len(applied) < wanted and attempts < 20:
        attempts += 1
        name = rng.choices(names, weights)[0]
        if not data and name != "splice":
            break
        try:
            mutation = OPERATORS[name][0](rng, data, others)
        except NotApplicableError:
            continue
        data = mutation.data
        structural = structural or mutation.structural
        applied.append(f"{name}: {mutation.note}")
    if applied and not structural and rng.random() < 0.85:
        data = fix_xref(data)
        applied.append("fix_xref: offsets and startxref repaired")
    label = Path(seed_file).with_suffix("").as_posix().replace("/", "-")
    case = Case(name=f"case-{index:04d}-{label}.pdf", seed_file=seed_file, index=index,
                operators=applied, bytes=len(data))
    return case, data


def build_corpus(seed: int, indices: list[int], raw: Path, seeds: dict[str, bytes],
                 controls: bool) -> list[Case]:
    cases = []
    if controls:
        for seed_file, data in sorted(seeds.items()):
            label = Path(seed_file).with_suffix("").as_posix().replace("/", "-")
            case = Case(name=f"control-{label}.pdf", seed_file=seed_file, bytes=len(data),
                        control=True)
            (raw / case.name).write_bytes(data)
            cases.append(case)
    for index in indices:
        case, data = build_case(seed, index, seeds)
        (raw / case.name).write_bytes(data)
        cases.append(case)
    return cases


# -- running -----------------------------------------------------------------------------

def prepare_home(home: Path) -> None:
    """A fresh litcurate home, with any measured metrics card copied in (saves ~30 s)."""
    sources = [DEFAULT_HOME / "metrics"]
    if os.environ.get("LITCURATE_HOME"):
        sources.insert(0, Path(os.environ["LITCURATE_HOME"]) / "metrics")
    target = home / "metrics"
    target.mkdir(parents=True, exist_ok=True)
    for folder in sources:
        if folder.is_dir():
            for card in folder.glob("metrics-*.json"):
                if not (target / card.name).exists():
                    shutil.copy2(card, target / card.name)


def worker_children() -> list[str]:
    """Worker processes still running under this one."""
    import psutil

    found = []
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = " ".join(child.cmdline())
            if "litcurate.pipeline.execution.workers" in command:
                found.append(f"{child.pid} {command}")
    return found


TRACEBACK_SCRIPT = r"""
import json, logging, resource, sys, traceback
from pathlib import Path
logging.getLogger("pdfminer").setLevel(logging.ERROR)
from litcurate.extractors.statements.nlp import build_nlp
from litcurate.extractors.stage_chain import PaperSource
from litcurate.pipeline.execution.paper_job import PaperJob, run_paper_job
from litcurate.pipeline.execution.workers import _address_space_bytes
from litcurate.schemas.loader import file_sha256
build_nlp()
cap = _address_space_bytes() + int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
result = {}
for name in sys.argv[2:]:
    path = Path(name)
    try:
        run_paper_job(PaperJob(PaperSource(path=path, sha256=file_sha256(path))))
        result[path.name] = "no error when rerun alone"
    except BaseException as error:
        frames = traceback.extract_tb(error.__traceback__)
        shown = [f for f in frames[:-1] if "/litcurate/" in f.filename] + frames[-1:]
        lines = []
        for frame in shown:
            at = frame.filename.rfind("/litcurate/")
            where = frame.filename[at + 1:] if at >= 0 else "/".join(
                frame.filename.split("/")[-2:])
            lines.append(f"{where}:{frame.lineno} in {frame.name}: {frame.line}")
        message = "".join(traceback.format_exception_only(error)).strip()
        result[path.name] = "\n".join([*lines, message])
print(json.dumps(result))
"""


def tracebacks(paths: list[Path], memory_mb: int, seconds: float) -> dict[str, str]:
    """Rerun the papers that failed with an internal error in-process, for a traceback."""
    if not paths:
        return {}
    try:
        done = subprocess.run(
            [sys.executable, "-c", TRACEBACK_SCRIPT, str(memory_mb), *map(str, paths)],
            capture_output=True, text=True, cwd=ROOT, check=False,
            timeout=120 + 3 * seconds * len(paths))
        result: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError) as error:
        return {p.name: f"(no traceback: rerun failed: {type(error).__name__})" for p in paths}
    return result


def run_batch(raw: Path, curated: Path, args: argparse.Namespace) -> dict[str, Any]:
    from litcurate.pipeline.execution.runners import thread_runner
    from litcurate.pipeline.flow import curate

    outcome: dict[str, Any] = {"summary": None, "crash": None}
    started = time.perf_counter()
    try:
        outcome["summary"] = curate.with_options(task_runner=thread_runner(args.workers))(
            raw_dir=raw, curated_dir=curated, publish=True, time_limit=args.time_limit,
            memory_limit_mb=args.memory_limit, metrics_corpus=ROOT / "tests" / "fixtures",
            metrics_pdfs=[ROOT / "data" / "raw"])
    except Exception as error:  # the one thing this script exists to catch
        outcome["crash"] = "".join(traceback.format_exception(error))
    outcome["seconds"] = time.perf_counter() - started
    outcome["stray_workers"] = worker_children()
    return outcome


def analyse(cases: list[Case], outcome: dict[str, Any], curated: Path, raw: Path,
            args: argparse.Namespace) -> dict[str, Any]:
    from litcurate.pipeline.release.verify import verify_release

    summary = outcome["summary"]
    by_name = {c.name: c for c in cases}
    report: dict[str, Any] = {"batch_crashes": 1 if outcome["crash"] else 0,
                              "crash": outcome["crash"],
                              "batch_seconds": round(outcome["seconds"], 1),
                              "stray_workers": outcome["stray_workers"]}
    if summary is None:
        return report
    for extraction in summary.extractions:
        case = by_name.get(extraction.paper.file_name)
        if case is not None:
            case.outcome = "extracted"
    for failure in summary.failures:
        case = by_name.get(failure.file_name)
        if case is not None:
            case.outcome, case.reason = failure.slug, failure.reason
    for copy in summary.duplicates:
        if copy in by_name:
            by_name[copy].outcome = "duplicate"
            by_name[copy].reason = f"same bytes as {summary.duplicates[copy]}"
    for name, stats in summary.stats.items():
        if name in by_name:
            by_name[name].seconds = round(stats.seconds, 2)
            by_name[name].peak_rss_mb = round(stats.peak_rss_mb, 1)
    mutated = [c for c in cases if not c.control]
    controls = [c for c in cases if c.control]
    internal = [c for c in cases if c.reason.startswith("internal error")]
    examples = internal[:EXAMPLES]
    traces = tracebacks([raw / c.name for c in examples], args.memory_limit, args.time_limit)
    timed = [c for c in cases if c.seconds is not None]
    report.update({
        "extracted": sum(c.outcome == "extracted" for c in mutated),
        "failed": sum(c.outcome not in {"extracted", "duplicate", ""} for c in mutated),
        "duplicates": len(summary.duplicates),
        "unaccounted": [c.name for c in cases if not c.outcome],
        "failures_by_slug": dict(Counter(c.outcome for c in mutated
                                         if c.outcome not in {"extracted", "duplicate", ""})
                                 .most_common()),
        "internal_errors": len(internal),
        "internal_error_examples": [
            {"file": c.name, "seed_file": c.seed_file, "operators": c.operators,
             "reason": c.reason, "traceback": traces.get(c.name, ""),
             "reproduce": reproduce(args.seed, c)} for c in examples],
        "limit_stops": [{"file": c.name, "slug": c.outcome, "reason": c.reason,
                         "seed_file": c.seed_file, "operators": c.operators}
                        for c in cases if c.outcome in {"time-limit", "memory-limit"}],
        "worker_deaths": [{"file": c.name, "reason": c.reason, "operators": c.operators}
                          for c in cases if c.outcome == "worker-died"],
        "controls": {"total": len(controls),
                     "extracted": sum(c.outcome == "extracted" for c in controls),
                     "not_extracted": {c.name: c.reason for c in controls
                                       if c.outcome != "extracted"}},
        "slowest": [{"file": c.name, "seconds": c.seconds}
                    for c in sorted(timed, key=lambda c: -(c.seconds or 0))[:5]],
        "max_peak_rss_mb": max((c.peak_rss_mb or 0 for c in timed), default=None),
        "by_operator": by_operator(mutated),
    })
    publish = summary.publish
    version = getattr(publish, "version", None) if publish is not None else None
    report["published"] = str(version) if version else None
    if version:
        problems, path = verify_release(curated, None)
        report["verified"] = not problems
        report["verify_problems"] = problems[:20]
        report["release_path"] = str(path.name) if path else None
    else:
        report["verified"] = None
    return report


def reproduce(seed: int, case: Case) -> str:
    """The command that rebuilds this one case and runs it alone."""
    if case.index is None:
        return f"the unmutated seed {case.seed_file}"
    return (f".venv/bin/python benchmarks/fuzz_pdfs.py --seed {seed} --only {case.index} "
            f"--keep /tmp/fuzz-case-{case.index} --out /tmp/fuzz-case-{case.index}")


def by_operator(cases: list[Case]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for case in cases:
        for name in {op.split(":", 1)[0] for op in case.operators}:
            row = table.setdefault(name, {"cases": 0, "extracted": 0, "failed": 0,
                                          "internal_errors": 0})
            row["cases"] += 1
            if case.outcome == "extracted":
                row["extracted"] += 1
            elif case.outcome not in {"duplicate", ""}:
                row["failed"] += 1
            if case.reason.startswith("internal error"):
                row["internal_errors"] += 1
    return dict(sorted(table.items()))


# -- the report --------------------------------------------------------------------------

def markdown(result: dict[str, Any]) -> str:
    report = result["report"]
    lines = [
        "# Fuzz run: mutated PDFs through one `curate` batch", "",
        f"`{result['command']}` on {result['machine']}, {result['date']}", "",
        "| | |", "|---|---:|",
        f"| mutated cases (+ unmutated seeds as controls) | {result['cases']} "
        f"(+{report.get('controls', {}).get('total', 0)}) |",
        f"| **batch crashes** | **{report['batch_crashes']}** |",
        f"| wall time, corpus + batch + report (s) | {result['wall_seconds']} |",
        f"| batch time (s) | {report['batch_seconds']} |",
    ]
    if "extracted" in report:
        controls = report["controls"]
        published = report["published"] or "nothing published"
        verified = {True: "verified, no problems", False: "VERIFY FAILED", None: "-"}[
            report["verified"]]
        lines += [
            f"| extracted | {report['extracted']} |",
            f"| failed (reported, batch went on) | {report['failed']} |",
            f"| duplicates (same bytes as another file) | {report['duplicates']} |",
            f"| **internal errors** (bugs caught and reported) | **{report['internal_errors']}** |",
            f"| time-limit / memory-limit stops | {len(report['limit_stops'])} |",
            f"| worker deaths | {len(report['worker_deaths'])} |",
            f"| cases without an outcome | {len(report['unaccounted'])} |",
            f"| controls extracted | {controls['extracted']}/{controls['total']} |",
            f"| release | {published}, {verified} |",
            f"| worker processes left after the batch | {len(report['stray_workers'])} |",
            f"| slowest paper (s) / max worker peak RSS (MB) | "
            f"{report['slowest'][0]['seconds'] if report['slowest'] else '-'} / "
            f"{report['max_peak_rss_mb']} |",
            "", "## Failures by slug", "", "| slug | cases |", "|---|---:|",
            *(f"| {slug} | {n} |" for slug, n in report["failures_by_slug"].items()),
            "", "## By mutation operator (a case counts once per operator it used)", "",
            "| operator | cases | extracted | failed | internal errors |",
            "|---|---:|---:|---:|---:|",
            *(f"| {name} | {row['cases']} | {row['extracted']} | {row['failed']} | "
              f"{row['internal_errors']} |" for name, row in report["by_operator"].items()),
        ]
        if report["internal_error_examples"]:
            lines += ["", f"## Internal errors (first {EXAMPLES})", ""]
            for example in report["internal_error_examples"]:
                lines += [f"### {example['file']}", "", f"- rerun: `{example['reproduce']}`",
                          f"- seed: `{example['seed_file']}`",
                          *(f"- `{op}`" for op in example["operators"]),
                          "- reason:", "", "```", example["reason"].rstrip(), "```", ""]
                if example["traceback"]:
                    lines += ["Rerun alone in-process (litcurate frames, then the last one):",
                              "", "```", example["traceback"].rstrip(), "```", ""]
        if report["limit_stops"]:
            lines += ["", "## Time and memory limit stops", ""]
            lines += [f"- {s['file']} ({s['slug']}): {'; '.join(s['operators'])}"
                      for s in report["limit_stops"]]
        if report["worker_deaths"]:
            lines += ["", "## Worker deaths", ""]
            lines += [f"- {d['file']}: {d['reason']}" for d in report["worker_deaths"]]
    if report["crash"]:
        lines += ["", "## Batch crash", "", "```", report["crash"].rstrip(), "```"]
    return "\n".join(lines) + "\n"


def parse_only(text: str | None) -> list[int] | None:
    if not text:
        return None
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=300, help="mutated PDFs in the batch")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the mutations")
    parser.add_argument("--workers", type=int, default=2, help="papers processed at once")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per paper")
    parser.add_argument("--memory-limit", type=int, default=512, help="MB per paper")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default benchmarks/results; none with --only)")
    parser.add_argument("--only", default=None, help="comma-separated case numbers to rerun")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the corpus here instead of a temporary folder")
    args = parser.parse_args(argv)
    only = parse_only(args.only)
    if args.keep is not None and args.keep.is_dir() and any(args.keep.glob("*.pdf")):
        parser.error(f"--keep {args.keep}: the folder already holds PDFs")
    out = args.out if args.out is not None or only else ROOT / "benchmarks" / "results"
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="litcurate-fuzz-"))
    # Registered before Prefect is imported, so it runs after Prefect's own exit handlers.
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    home = scratch / "home"
    prepare_home(home)
    os.environ["LITCURATE_HOME"] = str(home)
    os.environ.pop("PREFECT_HOME", None)
    from litcurate.pipeline.environment import configure_prefect

    configure_prefect()
    raw = args.keep if args.keep is not None else scratch / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    curated = scratch / "curated"
    seeds = load_seeds(scratch)
    indices = only if only is not None else list(range(args.cases))
    cases = build_corpus(args.seed, indices, raw, seeds, controls=only is None)
    print(f"fuzz: {len(indices)} mutated cases + {len(cases) - len(indices)} controls in {raw}",
          flush=True)
    outcome = run_batch(raw, curated, args)
    report = analyse(cases, outcome, curated, raw, args)
    command = " ".join([".venv/bin/python benchmarks/fuzz_pdfs.py", *sys.argv[1:]])
    result = {
        "command": command, "seed": args.seed, "cases": len(indices), "workers": args.workers,
        "time_limit": args.time_limit, "memory_limit_mb": args.memory_limit,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                   f"{platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "report": report,
        "case_list": [asdict(c) for c in cases],
    }
    text = markdown(result)
    print(text)
    if out is not None:  # the inputs fuzzer's figures in the same files are kept
        write_section(out, None, result, text)
    failed = report["batch_crashes"] or report.get("verified") is False
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
