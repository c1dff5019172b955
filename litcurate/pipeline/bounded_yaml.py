"""YAML from curators and the web, read with bounds: no aliases, bounded size and depth.

sources.yaml and the corrections files are edited by hand and may arrive from
anywhere. A YAML alias (``*name``) repeats a node without repeating its text, so a
1 KB file of nested aliases ("billion laughs") expands to gigabytes while it is
validated. litcurate never writes aliases, so they are refused outright, as are
files over a size limit and nesting deep enough to exhaust the parser's stack, all
before anything is validated.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from litcurate.extractors.errors import one_line

MAX_YAML_BYTES = 4 * 1024 * 1024  # far above any real manifest or corrections file
REASON_LIMIT = 500  # characters of a refusal's reason
LISTED_PROBLEMS = 3  # validation problems named in a reason; the rest are counted
MAPPING_ERRORS = {"model_type", "model_attributes_type", "dict_type"}
MAPPING = "Input should be a mapping (key: value lines)"  # pydantic's words name a class


class BoundedYamlError(ValueError):
    """A YAML file refused before it was validated: too large, aliased, nested too deeply,
    or not YAML at all; the message says which (the caller names the file)."""


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing every alias as soon as the parser meets it, and a key
    repeated in one mapping (PyYAML would keep the last silently: a second ``papers:``
    would drop every entry of the first)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed here; write the values "
                "out", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[tuple[str, str]] = set()
        for key, _ in node.value if isinstance(node, yaml.MappingNode) else []:
            if isinstance(key, yaml.ScalarNode):
                if (key.tag, key.value) in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {one_line(key.value, 60)!r} is repeated",
                        key.start_mark)
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


def load_bounded_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Given a YAML file, return its data; raise ``BoundedYamlError`` saying why not."""
    size = path.stat().st_size
    if size > max_bytes:
        raise BoundedYamlError(f"{size} bytes is over the {max_bytes}-byte limit for "
                               "this file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)
    except yaml.YAMLError as error:
        raise BoundedYamlError(f"not valid YAML ({yaml_problem(error)})") from error
    except RecursionError as error:
        raise BoundedYamlError("nested too deeply to read") from error
    except UnicodeDecodeError as error:  # a ValueError too: said before the others
        raise BoundedYamlError(f"not UTF-8 text ({error.reason} at byte {error.start})"
                               ) from error
    except ValueError as error:  # a value no type takes: a 5,000-digit number, 2019-02-30
        raise BoundedYamlError(f"a value cannot be read ({value_problem(error)})") from error


def value_problem(error: ValueError) -> str:
    """Why a scalar could not be turned into its type, in a curator's words."""
    if "integer string conversion" in str(error):  # Python's guard against huge numbers
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return one_line(str(error), 200)


def yaml_problem(error: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (PyYAML's own message spans
    several lines and quotes the file)."""
    context, problem = getattr(error, "context", None), getattr(error, "problem", None)
    problem = f"{context}, {problem}" if context and problem else problem or str(error)
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return one_line(f"{problem}{where}", REASON_LIMIT)


def _said(message: str) -> str:
    """A validator's own words, without pydantic's "Value error, " in front of them."""
    return message.removeprefix("Value error, ")


def validation_problems(error: ValidationError) -> str:
    """A validation error on one line: the first few problems, each as where: what, and
    how many more (pydantic's own message spans lines and repeats the input)."""
    problems = [f"{'.'.join(map(str, e['loc'])) or 'entry'}: "
                f"{MAPPING if e['type'] in MAPPING_ERRORS else _said(e['msg'])}"
                for e in error.errors()]
    more = len(problems) - LISTED_PROBLEMS
    text = "; ".join(problems[:LISTED_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
    return one_line(text, REASON_LIMIT)
