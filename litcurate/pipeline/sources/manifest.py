"""The sources manifest (data/raw/sources.yaml): citation, licence and hash per paper.

A PDF present in data/raw/ but missing from the manifest still runs: its paper id
comes from the file. A manifest hash that no longer matches the file is reported
as an issue, because the release would otherwise claim provenance it does not have.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from litcurate.atomic import write_atomic
from litcurate.pipeline.bounded_yaml import (
    BoundedYamlError,
    load_bounded_yaml,
    validation_problems,
)
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

    @model_validator(mode="after")
    def _each_file_once(self) -> SourcesManifest:
        """Two entries for one file would leave which citation and licence apply to chance."""
        seen: set[str] = set()
        for entry in self.papers:
            if entry.file in seen:
                raise ValueError(f"{entry.file} is listed twice; keep one entry per file")
            seen.add(entry.file)
        return self

    def entry_for(self, file_name: str) -> SourceEntry | None:
        return next((entry for entry in self.papers if entry.file == file_name), None)


class ManifestError(Exception):
    """The manifest exists but cannot be read; the run stops before touching any paper."""


def load_manifest(raw_dir: Path) -> SourcesManifest:
    """Read and validate the manifest; an absent manifest is an empty one."""
    path = raw_dir / MANIFEST_NAME
    if not path.exists() and not path.is_symlink():
        return SourcesManifest()
    if not path.is_file():  # a folder, a broken link, a device: not a manifest to ignore
        raise ManifestError(f"{path}: not a regular file")
    try:
        data = load_bounded_yaml(path) or {}
    except BoundedYamlError as error:
        raise ManifestError(f"{path}: {error}") from error
    try:
        return SourcesManifest.model_validate(data)
    except ValidationError as error:
        raise ManifestError(f"{path}: {validation_problems(error)}") from error


LICENCE_EXAMPLES = "CC-BY-4.0, CC-BY-NC-4.0, CC-BY-NC-ND-4.0, CC0-1.0, or LicenseRef-NAME"


def spdx_licence(text: str) -> str:
    """The SPDX form of a licence ("cc-by-4.0" -> "CC-BY-4.0"); ValueError naming the
    accepted forms, and the likely id, when ``text`` is none. Empty stays empty."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    if not text.strip():
        return ""
    try:
        return str(canonicalize_license_expression(text.strip()))
    except InvalidLicenseExpression:
        pass
    guess = "-".join(text.replace("_", " ").split())
    for candidate in (guess, f"{guess}-4.0"):
        try:
            meant = canonicalize_license_expression(candidate)
        except InvalidLicenseExpression:
            continue
        raise ValueError(f"licence {text!r} is not an SPDX id; did you mean {meant}?")
    raise ValueError(f"licence {text!r} is not an SPDX id (e.g. {LICENCE_EXAMPLES})")


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
    """Write the manifest atomically, fields in model order, empty ones left out.

    An existing file is edited, not rewritten: it is read with a round-trip YAML
    parser, entries whose fields changed are updated in place and new ones appended,
    so the curator's comments, quoting, line lengths and indentation stay as they were.
    """
    path = raw_dir / MANIFEST_NAME
    entries = [entry.model_dump(exclude_defaults=True) for entry in manifest.papers]
    if path.is_file():
        text = _edited_manifest(path.read_text(encoding="utf-8"), entries)
    else:
        text = MANIFEST_HEADER + yaml.safe_dump({"papers": entries}, sort_keys=False,
                                                allow_unicode=True, width=100)
    write_atomic(path, text, prefix=".sources.", suffix=".tmp")


def _edited_manifest(text: str, entries: list[dict[str, Any]]) -> str:
    """``text`` with its entries made equal to ``entries``, everything else kept."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.util import load_yaml_guess_indent

    round_trip = YAML(typ="rt")
    round_trip.preserve_quotes = True
    round_trip.width = 4096  # never re-wrap a long citation
    # One parse: guessing the indentation loads the document with the parser given.
    document, indent, dash_offset = load_yaml_guess_indent(text, yaml=round_trip)
    round_trip.indent(mapping=indent or 2, sequence=indent or 2, offset=dash_offset or 0)
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    papers = document.get("papers")
    if not isinstance(papers, CommentedSeq):
        papers = document["papers"] = CommentedSeq()
    wanted = {fields["file"] for fields in entries}
    for index in reversed(range(len(papers))):  # entries the manifest no longer has
        if not isinstance(papers[index], CommentedMap) or papers[index].get("file") not in wanted:
            del papers[index]
    kept = {item.get("file"): item for item in papers}
    for fields in entries:
        item = kept.get(fields["file"])
        if item is None:
            papers.append(CommentedMap(fields))
        else:
            _update_entry(item, fields)
    buffer = io.StringIO()
    round_trip.dump(document, buffer)
    return buffer.getvalue()


def _update_entry(item: Any, fields: dict[str, Any]) -> None:
    """Make a round-trip mapping hold ``fields``: equal values untouched (their quoting
    kept), changed ones replaced in place, new ones inserted in model order."""
    for key in [k for k in item if k not in fields]:
        del item[key]
    order = list(SourceEntry.model_fields)
    for key, value in fields.items():
        if key in item:
            if item[key] != value:
                item[key] = value
            continue
        position = sum(1 for k in item if k in order and order.index(k) < order.index(key))
        item.insert(position, key, value)
