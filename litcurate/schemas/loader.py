"""Load a pinned release: the light reader a decision engine uses.

Needs only pandas/pyarrow and pydantic. ``load_release`` checks every resource's
sha256 against datapackage.json before handing anything out, so an app can be
sure it holds the release it asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from litcurate.schemas.declared_schema import declared_resources
from litcurate.schemas.manifest_shape import manifest_problem, printable
from litcurate.schemas.resources import RESOURCES_BY_NAME, Resource, row_to_record

MAX_VERSION = 64  # characters of a release version (a folder name) read from LATEST
LISTED_NAMES = 8  # column names quoted in a reason


class ReleaseError(Exception):
    """A release is missing, incomplete, or does not match its own manifest."""


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks so large files stay cheap."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Release:
    """An opened release directory: its manifest and lazy access to each resource.

    Resources are read through the schema the release declares (``declared_schema``),
    so an older release keeps its own columns (a field renamed since keeps its old name
    there).
    """

    path: Path
    manifest: dict[str, Any]
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @cached_property
    def resources(self) -> dict[str, Resource]:
        """Each resource as this release declares it (columns, types, primary key)."""
        return declared_resources(self.manifest)

    @property
    def schema_is_current(self) -> bool:
        """Whether every resource has exactly today's fields (records are today's models)."""
        return all(resource is RESOURCES_BY_NAME[name]
                   for name, resource in self.resources.items())

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def resource_names(self) -> list[str]:
        return list(self.resources)

    def frame(self, name: str) -> pd.DataFrame:
        """A resource as a DataFrame, read from Parquet with the published types."""
        if name not in self._frames:
            if name not in self.resource_names:
                raise ReleaseError(f"release {self.version} has no resource {name!r}")
            self._frames[name] = pd.read_parquet(self.path / f"{name}.parquet")
        return self._frames[name]

    def records(self, name: str) -> Iterator[BaseModel]:
        """A resource as validated, typed records (e.g. ``Outcome``), in its declared schema."""
        if name not in self.resources:
            raise ReleaseError(f"release {self.version} has no resource {name!r}")
        resource = self.resources[name]
        for row in self.frame(name).to_dict(orient="records"):
            yield row_to_record(resource, row)


def resolve_release_dir(root: Path, version: str | None = None) -> Path:
    """The directory of ``version`` under a releases root, or of LATEST when None (or
    "latest", "LATEST": the name apps and the command line give it)."""
    root = Path(root)
    if (root / "datapackage.json").is_file():
        return root
    if not root.is_dir():
        raise ReleaseError(f"{root} is not a folder" if root.exists()
                           else f"no folder {root}")
    releases = root / "releases" if (root / "releases").is_dir() else root
    if version is not None and version.lower() == "latest":
        version = None
    if version is None:
        latest = releases.parent / "LATEST"
        if not latest.is_file():
            raise ReleaseError(f"no LATEST file next to {releases}")
        version = latest.read_text(encoding="utf-8", errors="replace").strip()
    if (not version or len(version) > MAX_VERSION or Path(version).name != version
            or version.startswith(".") or not version.isprintable()):
        raise ReleaseError(f"{printable(version, 40)!r} is not a release version under "
                           f"{releases}")
    path = releases / version
    if not (path / "datapackage.json").is_file():
        raise ReleaseError(f"release {version} not found under {releases}")
    return path


def check_schema(manifest: dict[str, Any], path: Path) -> None:
    """Refuse a release whose Parquet files hold other fields than its manifest declares.

    Any declared schema is read (``declared_schema``); what cannot be trusted is a file
    that disagrees with its own declaration, named with the fields in question.
    """
    version = manifest.get("version", "?")
    for name, resource in declared_resources(manifest).items():
        target = path / f"{name}.parquet"
        if not target.is_file():
            continue
        try:
            found = pq.read_schema(target).names
        except (OSError, pa.ArrowException) as error:
            raise ReleaseError(f"{target.name}: not a readable Parquet file") from error
        if found != list(resource.columns):
            undeclared = [c for c in found if c not in resource.columns]
            absent = [c for c in resource.columns if c not in found]
            raise ReleaseError(
                f"release {printable(str(version))}: {name} has the fields of another dataset "
                f"schema than its datapackage.json declares (in {target.name} but not "
                f"declared: {_names(undeclared)}; declared but not in it: {_names(absent)}"
                f"{'' if undeclared or absent else '; the order differs'})")


def _names(columns: list[str]) -> str:
    """Column names for a reason: each printable and bounded, a few at most."""
    shown = [printable(column, 40) for column in columns[:LISTED_NAMES]]
    more = f" and {len(columns) - LISTED_NAMES} more" if len(columns) > LISTED_NAMES else ""
    return f"{', '.join(shown)}{more}" if shown else "none"


DATA_SUFFIXES = (".csv", ".parquet")
DECLARATION_PROBLEMS = ("columns differ from the fields declared in datapackage.json",)
# Declared Frictionless field type -> the Parquet (Arrow) type the release writes for it.
PARQUET_TYPES = {"string": "string", "integer": "int64", "number": "double", "boolean": "bool"}


def _listed_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file entry of a manifest: the resources, and the Parquet copies listed apart."""
    entries = [*manifest.get("resources", []), *manifest.get("litcurate", {}).get("parquet", [])]
    return [entry for entry in entries if isinstance(entry, dict)]


MAX_FILE_NAME = 255  # characters: no file system takes a longer name


def plain_file_name(name: Any) -> bool:
    """Whether a manifest's ``path`` names a file directly in the release folder."""
    return (isinstance(name, str) and 0 < len(name) <= MAX_FILE_NAME
            and Path(name).name == name and name not in {".", ".."} and "\0" not in name)


def _entry_problem(release: Path, entry: dict[str, Any]) -> str:
    """What is wrong with one listed file ('' when it is there, inside, and as hashed)."""
    name = entry.get("path")
    if not plain_file_name(name):
        return "its path is outside the release folder"
    target = release / str(name)
    if not target.resolve().is_relative_to(release.resolve()):
        return "its path is outside the release folder"
    if not target.is_file():
        return "listed in datapackage.json but missing"
    digest = entry.get("hash")
    if not isinstance(digest, str) or not digest.startswith("sha256:"):
        return "no sha256 in datapackage.json"
    if file_sha256(target) != digest.removeprefix("sha256:"):
        return "sha256 differs from datapackage.json"
    if entry.get("bytes") is not None and entry.get("bytes") != target.stat().st_size:
        return "size differs from datapackage.json"
    return ""


def _parquet_problem(path: Path, declared: list[dict[str, Any]]) -> str:
    """Parquet columns (names, order, types) against the resource's declared fields."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:
        return f"not a readable Parquet file ({printable(str(error), 200)})"
    names = [str(column.get("name")) for column in declared]
    if schema.names != names:
        return "columns differ from the fields declared in datapackage.json"
    for column in declared:
        found = str(schema.field(str(column.get("name"))).type)
        expected = PARQUET_TYPES.get(str(column.get("type") or "string"), found)
        if found != expected:
            return (f"column {printable(str(column.get('name')))} is {found}, declared "
                    f"{column.get('type') or 'string'}")
    return ""


def release_file_problems(release: Path, manifest: dict[str, Any]) -> list[str]:
    """Given a release folder and its manifest, what is wrong with its files (file name
    first in each): every data file listed with a matching sha256 and inside the folder,
    a hashed Parquet copy of every resource, its columns those declared."""
    problems: list[str] = []
    good: set[str] = set()
    for entry in _listed_files(manifest):
        problem = _entry_problem(release, entry)
        if problem:
            problems.append(f"{printable(str(entry.get('path') or entry.get('name', '?')))}: "
                            f"{problem}")
        else:
            good.add(str(entry["path"]))
    listed = {str(entry.get("path")) for entry in _listed_files(manifest)}
    problems += [f"{file.name}: not listed with a sha256 in datapackage.json"
                 for file in sorted(release.iterdir())
                 if file.suffix in DATA_SUFFIXES and file.name not in listed]
    for entry in manifest.get("resources", []):
        if entry.get("name") not in RESOURCES_BY_NAME or entry.get("format") != "csv":
            continue
        parquet = f"{entry['name']}.parquet"
        if parquet not in listed:
            problems.append(f"{parquet}: not listed with a sha256 in datapackage.json")
        elif parquet in good:
            problem = _parquet_problem(release / parquet, entry.get("schema", {}).get("fields", []))
            problems += [f"{parquet}: {problem}"] if problem else []
    return problems


def read_manifest(release: Path) -> dict[str, Any]:
    """A release folder's datapackage.json, parsed and of a usable shape; else a
    ``ReleaseError`` saying why in one line (unreadable, not JSON, nested too deeply to
    parse, or a part of the wrong type)."""
    try:
        manifest = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReleaseError(f"datapackage.json: cannot be read ({printable(str(error), 300)})"
                           ) from error
    except RecursionError as error:
        raise ReleaseError("datapackage.json: cannot be read (nested too deeply)") from error
    problem = manifest_problem(manifest)
    if problem:
        raise ReleaseError(f"datapackage.json: {problem}")
    return dict(manifest)


def load_release(root: str | Path, version: str | None = None, *, check: bool = True) -> Release:
    """Open a release by directory (or curated root + version) and verify its files.

    ``version`` may be "latest" (or None) for the one LATEST names.
    """
    if version == "latest":
        version = None
    path = resolve_release_dir(Path(root), version)
    try:
        manifest = read_manifest(path)
    except ReleaseError as error:
        raise ReleaseError(f"{path.name}/{error}") from error
    problems = release_file_problems(path, manifest) if check else []
    tampered = [p for p in problems if not p.endswith(DECLARATION_PROBLEMS)]
    if tampered:  # a file that is not what the manifest hashed: say so first
        more = f" (and {len(tampered) - 1} more)" if len(tampered) > 1 else ""
        raise ReleaseError(f"{tampered[0]}{more}")
    check_schema(manifest, path)  # names the fields a file and its declaration disagree on
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ReleaseError(f"{problems[0]}{more}")
    return Release(path=path, manifest=manifest)
