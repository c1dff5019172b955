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
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from litcurate import __version__
from litcurate.schemas.resources import RESOURCES_BY_NAME, row_to_record


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
    """An opened release directory: its manifest and lazy access to each resource."""

    path: Path
    manifest: dict[str, Any]
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def resource_names(self) -> list[str]:
        return [r["name"] for r in self.manifest["resources"] if r["name"] in RESOURCES_BY_NAME]

    def frame(self, name: str) -> pd.DataFrame:
        """A resource as a DataFrame, read from Parquet with the published types."""
        if name not in self._frames:
            if name not in self.resource_names:
                raise ReleaseError(f"release {self.version} has no resource {name!r}")
            self._frames[name] = pd.read_parquet(self.path / f"{name}.parquet")
        return self._frames[name]

    def records(self, name: str) -> Iterator[BaseModel]:
        """A resource as validated, typed records (e.g. ``Outcome``)."""
        resource = RESOURCES_BY_NAME[name]
        for row in self.frame(name).to_dict(orient="records"):
            yield row_to_record(resource, row)


def resolve_release_dir(root: Path, version: str | None = None) -> Path:
    """The directory of ``version`` under a releases root, or of LATEST when None."""
    root = Path(root)
    if (root / "datapackage.json").is_file():
        return root
    releases = root / "releases" if (root / "releases").is_dir() else root
    if version is None:
        latest = releases.parent / "LATEST"
        if not latest.is_file():
            raise ReleaseError(f"no LATEST file next to {releases}")
        version = latest.read_text(encoding="utf-8", errors="replace").strip()
    if not version or Path(version).name != version or version.startswith("."):
        raise ReleaseError(f"{version[:40]!r} is not a release version under {releases}")
    path = releases / version
    if not (path / "datapackage.json").is_file():
        raise ReleaseError(f"release {version} not found under {releases}")
    return path


def check_schema(manifest: dict[str, Any]) -> None:
    """Refuse a release whose resources were published with other fields than these models.

    A schema change is always a major release, so this is how a loader refuses a major
    version it does not support: by the fields themselves, named in the error.
    """
    version = manifest.get("version", "?")
    for entry in manifest.get("resources", []):
        resource = RESOURCES_BY_NAME.get(entry.get("name", ""))
        if resource is None:
            continue
        published = [f["name"] for f in entry.get("schema", {}).get("fields", [])]
        if published and published != list(resource.columns):
            missing = sorted(set(resource.columns) - set(published))
            extra = sorted(set(published) - set(resource.columns))
            made_by = manifest.get("litcurate", {}).get("package_version", "another version")
            raise ReleaseError(
                f"release {version}: {resource.name} has the fields of another dataset "
                f"schema (missing {missing or 'none'}, unknown {extra or 'none'}); this "
                f"loader reads litcurate {__version__}'s schema, the release was written by "
                f"litcurate {made_by}")


DATA_SUFFIXES = (".csv", ".parquet")
# Declared Frictionless field type -> the Parquet (Arrow) type the release writes for it.
PARQUET_TYPES = {"string": "string", "integer": "int64", "number": "double", "boolean": "bool"}


def _listed_files(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every file entry of a manifest: the resources, and the Parquet copies listed apart."""
    entries = [*manifest.get("resources", []), *manifest.get("litcurate", {}).get("parquet", [])]
    return [entry for entry in entries if isinstance(entry, dict)]


def _entry_problem(release: Path, entry: dict[str, Any]) -> str:
    """What is wrong with one listed file ('' when it is there, inside, and as hashed)."""
    name = entry.get("path")
    if not isinstance(name, str) or not name or Path(name).name != name or name in {".", ".."}:
        return "its path is outside the release folder"
    target = release / name
    if not target.resolve().is_relative_to(release.resolve()):
        return "its path is outside the release folder"
    if not target.is_file():
        return "listed in datapackage.json but missing"
    digest = entry.get("hash")
    if not isinstance(digest, str) or not digest.startswith("sha256:"):
        return "no sha256 in datapackage.json"
    if file_sha256(target) != digest.removeprefix("sha256:"):
        return "sha256 differs from datapackage.json"
    return ""


def _parquet_problem(path: Path, declared: list[dict[str, Any]]) -> str:
    """Parquet columns (names, order, types) against the resource's declared fields."""
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:
        return f"not a readable Parquet file ({error})"
    names = [str(column.get("name")) for column in declared]
    if schema.names != names:
        return "columns differ from the fields declared in datapackage.json"
    for column in declared:
        found = str(schema.field(str(column.get("name"))).type)
        expected = PARQUET_TYPES.get(str(column.get("type")), found)
        if found != expected:
            return f"column {column.get('name')} is {found}, declared {column.get('type')}"
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
            problems.append(f"{entry.get('path') or entry.get('name', '?')}: {problem}")
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


def load_release(root: str | Path, version: str | None = None, *, check: bool = True) -> Release:
    """Open a release by directory (or curated root + version) and verify its files.

    ``version`` may be "latest" (or None) for the one LATEST names.
    """
    if version == "latest":
        version = None
    path = resolve_release_dir(Path(root), version)
    try:
        manifest = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReleaseError(f"{path.name}/datapackage.json: cannot be read ({error})") from error
    if not isinstance(manifest, dict):
        raise ReleaseError(f"{path.name}/datapackage.json: not a JSON object")
    check_schema(manifest)
    if check:
        problems = release_file_problems(path, manifest)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ReleaseError(f"{problems[0]}{more}")
    return Release(path=path, manifest=manifest)
