"""The sources manifest (data/raw/sources.yaml): citation, licence and hash per paper.

A PDF present in data/raw/ but missing from the manifest still runs: its paper id
comes from the file. A manifest hash that no longer matches the file is reported
as an issue, because the release would otherwise claim provenance it does not have.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

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
    note: str = ""


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
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return SourcesManifest.model_validate(data)
    except (yaml.YAMLError, ValueError) as error:
        raise ManifestError(f"{path}: {error}") from error


def discover_pdfs(raw_dir: Path) -> list[Path]:
    """Every candidate input in the folder, by name, so the order never depends on the disk."""
    return sorted(
        (p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() == ".pdf"),
        key=lambda p: p.name,
    )
