"""A release's resources as its own datapackage.json declares them.

Releases are immutable and the record models move on: 6.0.0 renamed a statement
field, earlier releases lack fields added since. An app pinned to an older release
must keep reading it after upgrading this package, so a release is read through the
schema it was published with. Where a declared field matches today's model (same name,
same Table Schema type) it keeps today's type and constraints; any other field gets
the plain type its declaration names (so does a closed vocabulary, see ``_is_enum``).
A release in today's schema gets today's resources themselves, so its records are the
usual models (``Outcome``, ...).
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, create_model

from litcurate.schemas.records import Record
from litcurate.schemas.resources import RESOURCES_BY_NAME, Resource, base_type, field_type

# Table Schema type -> (python type, default), for declared fields today's models lack.
PLAIN_TYPES: dict[str, tuple[Any, Any]] = {
    "string": (str, ""),
    "integer": (int | None, None),
    "number": (float | None, None),
    "boolean": (bool, False),
}

Declared = tuple[tuple[str, str], ...]  # (field name, Table Schema type), in column order


def declared_fields(entry: dict[str, Any]) -> Declared:
    """A datapackage resource entry's fields as (name, type) pairs."""
    fields = entry.get("schema", {}).get("fields", [])
    return tuple((str(f["name"]), str(f.get("type", "string"))) for f in fields)


def declared_key(entry: dict[str, Any]) -> tuple[str, ...]:
    """The entry's primary key (Table Schema allows one name or a list)."""
    key = entry.get("schema", {}).get("primaryKey", [])
    return (key,) if isinstance(key, str) else tuple(key)


def current_fields(resource: Resource) -> Declared:
    """Today's fields of ``resource``, declared the way a release declares them."""
    return tuple((column, field_type(resource.model, column)) for column in resource.columns)


def entry_to_resource(entry: dict[str, Any]) -> Resource | None:
    """The resource a datapackage entry declares; None for files that are no resource of
    today's (the Parquet copies early releases listed among the resources, say)."""
    current = RESOURCES_BY_NAME.get(entry.get("name", ""))
    if current is None or entry.get("format", "csv") != "csv":
        return None
    fields, key = declared_fields(entry), declared_key(entry)
    if not fields or (fields == current_fields(current) and key == current.primary_key):
        return current
    return Resource(current.name, declared_model(current.name, fields), key,
                    tuple(name for name, _ in fields), entry.get("description", ""))


def _is_enum(annotation: Any) -> bool:
    """Closed vocabularies grow and change between schemas (7.0.0's statistics are not
    8.0.0's), so an older release reads them as the plain strings it published."""
    python_type, _ = base_type(annotation)
    return isinstance(python_type, type) and issubclass(python_type, Enum)


@lru_cache(maxsize=64)
def declared_model(name: str, fields: Declared) -> type[BaseModel]:
    """A record model with exactly ``fields``: today's definition where it still fits."""
    current = RESOURCES_BY_NAME[name]
    definitions: dict[str, Any] = {}
    for field, kind in fields:
        known = current.model.model_fields.get(field)
        if known is not None and field_type(current.model, field) == kind \
                and not _is_enum(known.annotation):
            definitions[field] = (known.annotation, known)
        else:
            definitions[field] = PLAIN_TYPES.get(kind, PLAIN_TYPES["string"])
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        current.model.__name__, __base__=Record, __module__=__name__, **definitions)
    return model


def declared_resources(manifest: dict[str, Any]) -> dict[str, Resource]:
    """Every resource of a release's manifest, by name, as that release declares it."""
    found: dict[str, Resource] = {}
    for entry in manifest.get("resources", []):
        resource = entry_to_resource(entry)
        if resource is not None:
            found[resource.name] = resource
    return found
