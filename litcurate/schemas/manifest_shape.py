"""The shape of a release's datapackage.json, checked before any of it is used.

``load`` and ``verify`` read a release that may have been damaged on disk or forged,
and the code that checks its files trusts the manifest's shape: resources a list of
objects, a schema's fields a list of objects with string names, the Parquet list in
the ``litcurate`` object. A manifest of another shape (a field that is a string, a
schema that is a list) is refused here with a one-line reason naming where it breaks,
so no later step meets a type it did not expect. Anything else (extra keys, missing
optional ones) is left to the checks that follow.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SHOWN = 80  # characters of a value quoted in a reason
LISTED = 3  # problems named in a reason; the rest are counted
OBJECT_ERRORS = {"model_type", "model_attributes_type", "dict_type"}
OBJECT = "Input should be an object"  # not pydantic's words, which name the class here


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


class _Field(_Shape):
    name: str
    type: Literal["string", "integer", "number", "boolean"] = "string"  # the types written


class _TableSchema(_Shape):
    fields: list[_Field] = []
    primary_key: str | list[str] = Field(default=[], alias="primaryKey")


class _Resource(_Shape):
    name: str = ""
    format: str = "csv"
    table_schema: _TableSchema = Field(default_factory=_TableSchema, alias="schema")


class _ParquetCopy(_Shape):
    name: str = ""


class _Litcurate(_Shape):
    parquet: list[_ParquetCopy] = []


class _Package(_Shape):
    version: str
    resources: list[_Resource] = []
    litcurate: _Litcurate = Field(default_factory=_Litcurate)


def printable(text: str, limit: int = SHOWN) -> str:
    """``text`` as one printable line of at most ``limit`` characters (control and other
    unprintable characters escaped), for quoting a value in a reason."""
    flat = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


def manifest_problem(manifest: Any) -> str:
    """Given a parsed datapackage.json, return why its shape cannot be used ('' if it can)."""
    if not isinstance(manifest, dict):
        return "not a JSON object"
    try:
        _Package.model_validate(manifest)
    except ValidationError as error:
        problems = [f"{'.'.join(printable(str(part), 40) for part in e['loc'])}: "
                    f"{OBJECT if e['type'] in OBJECT_ERRORS else e['msg']}"
                    for e in error.errors()]
        more = len(problems) - LISTED
        return "; ".join(problems[:LISTED]) + (f"; and {more} more" if more > 0 else "")
    return ""
