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
from litcurate.schemas.resources import RESOURCES_BY_NAME, Resource, row_to_record


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
    """The directory of ``version`` under a releases root, or of LATEST when None."""
    root = Path(root)
    if (root / "datapackage.json").is_file():
        return root
    releases = root / "releases" if (root / "releases").is_dir() else root
    if version is None:
        latest = releases.parent / "LATEST"
        if not latest.is_file():
            raise ReleaseError(f"no LATEST file next to {releases}")
        version = latest.read_text(encoding="utf-8").strip()
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
                f"release {version}: {name} has the fields of another dataset schema than "
                f"its datapackage.json declares (in {target.name} but not declared: "
                f"{undeclared or 'none'}; declared but not in it: {absent or 'none'}"
                f"{'' if undeclared or absent else '; the order differs'})")


def load_release(root: str | Path, version: str | None = None, *, check: bool = True) -> Release:
    """Open a release by directory (or curated root + version) and verify its hashes.

    ``version`` may be "latest" (or None) for the one LATEST names.
    """
    if version == "latest":
        version = None
    path = resolve_release_dir(Path(root), version)
    manifest = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    if check:
        files = [*manifest.get("resources", []),
                 *manifest.get("litcurate", {}).get("parquet", [])]
        for resource in files:
            target = path / resource["path"]
            if not target.is_file():
                raise ReleaseError(f"{target.name}: listed in datapackage.json but missing")
            if file_sha256(target) != resource["hash"].removeprefix("sha256:"):
                raise ReleaseError(f"{target.name}: sha256 does not match datapackage.json")
    check_schema(manifest, path)
    return Release(path=path, manifest=manifest)
