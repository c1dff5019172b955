"""The mutations of ``fuzz_inputs.py``: seeded damage to YAML and JSON files.

Each mutation takes a random generator, the bytes and their kind ("yaml" or "json") and
returns the damaged bytes with a description; ``mutate`` draws one to three, the
structural ones (which parse, change and dump the document) before the textual ones
(truncation, random bytes, MB scalars, deep nesting, alias bombs), so no structural
step copies a huge value or meets a document it cannot parse.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable
from typing import Any

import yaml

MB = 1024 * 1024
TRAVERSALS = ("../../etc/passwd", "/etc/passwd", "..", ".", "a/b.pdf", "..\\..\\x.pdf",
              "C:\\Windows\\x.pdf", "x\x00.pdf", ".hidden.pdf", "x" * 300 + ".pdf",
              "~/x.pdf", "%2e%2e%2fx.pdf", "datapackage.json", "../1.0.0/papers.csv")
ODD_TEXT = ("\ufeff", "\x00", "\u202e", "\u2028", "\u2029", "\x85", "\u200b", "\ud800",
            "e\u0301" * 50, "\U0001f600", "\x1b[31m", "[/]", "[bold]", "\r", "\t", "\x7f")
WRONG_VALUES: tuple[Any, ...] = (None, True, 0, -1, 1.5e308, [], {}, [1, 2], {"a": 1}, "",
                                 "2019-02-30", 10**30, [[[]]], {"file": "x.pdf"})


class NotApplicableError(Exception):
    """This mutation has nothing to work on here: another one is drawn."""


# -- structure helpers ---------------------------------------------------------------------

def node_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indices) into nested dicts and lists, the root excluded."""
    paths: list[tuple[Any, ...]] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else []
    for key, value in items:
        paths.append((*prefix, key))
        paths += node_paths(value, (*prefix, key))
    return paths


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value


def get_at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def parse(data: bytes, kind: str) -> Any:
    """The seed's structure, or NotApplicable when the text no longer parses."""
    try:
        text = data.decode("utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parsed = json.loads(text) if kind == "json" else yaml.load(text, Loader=loader)
    except (ValueError, yaml.YAMLError, RecursionError) as error:
        raise NotApplicableError from error
    if not isinstance(parsed, dict | list):
        raise NotApplicableError
    return parsed


def dump(data: Any, kind: str) -> bytes:
    if kind == "json":
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8",
                                                                             "surrogatepass")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: MB scalars in ms
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
                     ).encode("utf-8", "surrogatepass")


def leaf_paths(data: Any, named: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to scalars, only those under one of the keys ``named`` when given."""
    paths = [p for p in node_paths(data) if not isinstance(get_at(data, p), dict | list)]
    if named:
        paths = [p for p in paths if p and p[-1] in named]
    return paths


# -- mutations: each (rng, data, kind) -> (data, description) ----------------------------

Mutation = Callable[[random.Random, bytes, str], tuple[bytes, str]]


def truncate(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"truncate at {at} of {len(data)}"


def random_bytes(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    out, count = bytearray(data), rng.choice([1, 3, 10, 50])
    for _ in range(count):
        at = rng.randrange(len(out))
        if rng.random() < 0.5:
            out[at] = rng.randrange(256)
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out), f"random bytes x{count}"


def unicode_oddity(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    odd = rng.choice(ODD_TEXT)
    encoded = odd.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8
    if rng.random() < 0.5 or "\ud800" in odd:
        at = 0 if rng.random() < 0.3 else rng.randrange(len(data))
        return data[:at] + encoded + data[at:], f"insert {odd!r} at byte {at}"
    structure = parse(data, kind)
    paths = leaf_paths(structure)
    if not paths:
        raise NotApplicableError
    path = rng.choice(paths)
    set_at(structure, path, f"{get_at(structure, path)}{odd}")
    return dump(structure, kind), f"append {odd!r} to {'.'.join(map(str, path))}"


SCALAR = re.compile(r"""(?:: |- )"?([^"\n,{}\[\]]{3,80})""")


def huge_scalar(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    """A value replaced in the text by MBs of characters or a 5,000-digit number (a text
    mutation, applied after the structural ones, so none copies it)."""
    text = data.decode("utf-8", "replace")
    values = SCALAR.findall(text)
    if not values:
        raise NotApplicableError
    value = rng.choice(values)
    choice = rng.choice(["string", "string", "number", "over"])
    payload = {"string": "x" * rng.choice([MB, 3 * MB]), "over": "x" * 5 * MB,
               "number": "9" * 5000}[choice]
    return text.replace(value, payload, 1).encode("utf-8", "surrogatepass"), (
        f"{value[:30]!r} -> {len(payload)} {'digits' if choice == 'number' else 'characters'}")


def deep_nesting(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    depth = rng.choice([100, 1000, 10_000, 100_000])
    nest = "[" * depth + "]" * depth if rng.random() < 0.5 or kind == "json" else (
        "{a: " * depth + "1" + "}" * depth)
    text = data.decode("utf-8", "replace")
    anchor = '"version": ' if kind == "json" else "papers:" if "papers:" in text else "- "
    if anchor not in text:
        raise NotApplicableError
    tail = "\n" if kind != "json" else ", "
    return text.replace(anchor, f"{anchor}{nest}{tail}" if kind == "json" else
                        f"deep: {nest}\n{anchor}", 1).encode("utf-8", "surrogatepass"), (
        f"nesting {depth} deep")


def alias_bomb(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    if kind == "json":
        raise NotApplicableError
    levels = rng.choice([3, 9, 12])
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    bomb = "\n".join(lines) + "\n"
    text = data.decode("utf-8", "replace")
    if rng.random() < 0.5 and "citation:" in text:  # the bomb inside a field
        return (bomb + text.replace("citation:", f"citation: *a{levels - 1}\n    x:", 1)
                ).encode("utf-8", "surrogatepass"), f"alias bomb of {levels} levels in a field"
    return (bomb + text).encode("utf-8", "surrogatepass"), f"alias bomb of {levels} levels"


def yaml_oddity(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    if kind == "json":
        raise NotApplicableError
    odd = rng.choice(["!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=",
                      "!!set {a, b}", "!!timestamp 2019-01-01", "&anchor x", "*nowhere",
                      "!custom x", "? [complex, key]", "|\n  block\n  text", "{a: 1, a: 2}",
                      "2019-01-01", "0x1F", "1_000", ".inf", "~", "yes", "---\nb: 2"])
    text = data.decode("utf-8", "replace")
    lines = text.splitlines()
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    if not candidates:
        raise NotApplicableError
    at = rng.choice(candidates)
    key = lines[at].split(": ", 1)[0]
    lines[at] = f"{key}: {odd}"
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), f"line {at}: {odd!r}"


def wrong_type(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    paths = node_paths(structure)
    if not paths:
        raise NotApplicableError
    path, value = rng.choice(paths), copy.deepcopy(rng.choice(WRONG_VALUES))
    set_at(structure, path, value)
    return dump(structure, kind), f"{'.'.join(map(str, path))} = {value!r}"[:120]


def traversal(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    names = ("file", "paper_id", "path", "id", "name", "resource", "field")
    paths = leaf_paths(structure, names)
    if not paths:
        raise NotApplicableError
    path, value = rng.choice(paths), rng.choice(TRAVERSALS)
    set_at(structure, path, value)
    return dump(structure, kind), f"{'.'.join(map(str, path))} = {value!r}"[:120]


def repeat_entries(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    lists = [p for p in node_paths(structure) if isinstance(get_at(structure, p), list)
             and get_at(structure, p)]
    if isinstance(structure, list) and structure:
        lists.append(())
    if not lists:
        raise NotApplicableError
    path, times = rng.choice(lists), rng.choice([2, 100, 2000])
    items = get_at(structure, path) if path else structure
    items.extend(copy.deepcopy(items[0]) for _ in range(times))
    return dump(structure, kind), f"{'.'.join(map(str, path)) or 'top'}: first item x{times}"


def drop_or_add_key(rng: random.Random, data: bytes, kind: str) -> tuple[bytes, str]:
    structure = parse(data, kind)
    maps = [p for p in node_paths(structure) if isinstance(get_at(structure, p), dict)]
    maps += [()] if isinstance(structure, dict) else []
    if not maps:
        raise NotApplicableError
    path = rng.choice(maps)
    holder = get_at(structure, path) if path else structure
    if holder and rng.random() < 0.6:
        key = rng.choice(list(holder))
        del holder[key]
        return dump(structure, kind), f"drop {'.'.join(map(str, (*path, key)))}"
    holder[rng.choice(["colour", "extra", "__proto__", "", "file"])] = "added"
    return dump(structure, kind), f"add a key under {'.'.join(map(str, path)) or 'top'}"


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate, "random_bytes": random_bytes, "unicode_oddity": unicode_oddity,
    "huge_scalar": huge_scalar, "deep_nesting": deep_nesting, "alias_bomb": alias_bomb,
    "yaml_oddity": yaml_oddity, "wrong_type": wrong_type, "traversal": traversal,
    "repeat_entries": repeat_entries, "drop_or_add_key": drop_or_add_key,
}
STRUCTURAL = ("wrong_type", "traversal", "repeat_entries", "drop_or_add_key", "unicode_oddity")


def mutate(seed: int, target: str, index: int, data: bytes, kind: str
           ) -> tuple[bytes, list[str]]:
    """1-3 mutations, a structural one (if any) first, so text damage comes last."""
    rng = random.Random(f"{seed}:{target}:{index}")
    names = [name for name in MUTATIONS if kind == "yaml" or name not in {"alias_bomb",
                                                                          "yaml_oddity"}]
    count = rng.choice([1, 1, 2, 3])
    chosen = sorted(rng.sample(names, count), key=lambda n: n not in STRUCTURAL)
    applied: list[str] = []
    for name in chosen:
        for _ in range(3):
            try:
                data, what = MUTATIONS[name](rng, data, kind)
            except (NotApplicableError, RecursionError):  # nothing to work on, or too deep
                continue
            applied.append(f"{name}: {what}")
            break
    if not applied:
        data, what = truncate(rng, data, kind)
        applied.append(f"truncate: {what}")
    return data, applied
