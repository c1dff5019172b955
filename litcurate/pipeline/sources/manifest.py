"""The sources manifest (data/raw/sources.yaml): citation, licence and hash per paper.

A PDF present in data/raw/ but missing from the manifest still runs: its paper id
comes from the file. A manifest hash that no longer matches the file is reported
as an issue, because the release would otherwise claim provenance it does not have.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from litcurate.atomic import write_atomic
from litcurate.pipeline.bounded_yaml import load_bounded_yaml
from litcurate.pipeline.safe_names import check_name

MANIFEST_NAME = "sources.yaml"


class SourceEntry(BaseModel):
    """One paper in the manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1)
    paper_id: str = ""
    title: str = ""
    citation: str = ""
    doi: str = ""
    year: int | None = None
    licence: str = ""
    url: str = ""
    sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")
    added: str = ""
    pulled: str = ""
    note: str = ""

    @field_validator("file", "paper_id")
    @classmethod
    def _one_path_component(cls, name: str) -> str:
        """The file lands in data/raw and the id names the corrections file: neither may
        reach outside its folder."""
        return check_name(name) if name else name


class SourcesManifest(BaseModel):
    """The whole manifest file."""

    model_config = ConfigDict(extra="forbid")

    papers: list[SourceEntry] = []

    def entry_for(self, file_name: str) -> SourceEntry | None:
        return next((entry for entry in self.papers if entry.file == file_name), None)


class ManifestError(Exception):
    """The manifest exists but cannot be read; the run stops before touching any paper."""


def load_manifest(raw_dir: Path) -> SourcesManifest:
    """Read and validate the manifest; an absent manifest is an empty one."""
    path = raw_dir / MANIFEST_NAME
    if not path.is_file():
        return SourcesManifest()
    try:
        data = load_bounded_yaml(path) or {}
        return SourcesManifest.model_validate(data)
    except ValueError as error:  # a refused file (BoundedYamlError) or a validation error
        raise ManifestError(f"{path}: {error}") from error


def discover_pdfs(raw_dir: Path) -> list[Path]:
    """Every candidate input in the folder, by name, so the order never depends on the disk."""
    return sorted(
        (p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() == ".pdf"),
        key=lambda p: p.name,
    )


MANIFEST_HEADER = """\
# Input papers: citation, licence and sha256 of each PDF in this folder.
# A PDF not listed here still runs (its paper id comes from its DOI or file name).
# Entries with a url are pulled by `litcurate run`; `litcurate add` appends entries.
"""


def today() -> str:
    """The date recorded for additions and pulls (SOURCE_DATE_EPOCH when set)."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(tz=dt.UTC))
    return moment.date().isoformat()


def save_manifest(raw_dir: Path, manifest: SourcesManifest) -> None:
    """Write the manifest atomically, fields in model order, empty ones left out."""
    entries = [entry.model_dump(exclude_defaults=True) for entry in manifest.papers]
    text = MANIFEST_HEADER + yaml.safe_dump({"papers": entries}, sort_keys=False,
                                            allow_unicode=True, width=100)
    write_atomic(raw_dir / MANIFEST_NAME, text, prefix=".sources.", suffix=".tmp")
