"""sources.yaml and corrections files are read with bounds, before they are validated."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.bounded_yaml import BoundedYamlError, load_bounded_yaml
from litcurate.pipeline.cli.app import app
from litcurate.pipeline.corrections import CorrectionsError, load_corrections
from litcurate.pipeline.sources.manifest import ManifestError, load_manifest
from tests.conftest import SAMPLE_PDF


def laughs(top: str | None, levels: int = 9) -> str:
    """A billion-laughs file: each level nine aliases of the one below, the last under the
    key ``top`` (or, for None, every level an item of a top-level list)."""
    key = "- " if top is None else "{}: "
    lines = [key.format("l0") + '&l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [key.format(f"l{n}") + f"&l{n} [{', '.join([f'*l{n - 1}'] * 9)}]"
              for n in range(1, levels)]
    return "\n".join(lines) + "\n" + key.format(top) + f"*l{levels - 1}\n"


SMALL_ALIAS = "base: &who A. Curator\npapers:\n  - file: a.pdf\n    citation: *who\n"


def test_an_alias_is_refused_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(SMALL_ALIAS, encoding="utf-8")
    with pytest.raises(ManifestError, match=r"sources\.yaml: .*aliases \(\*name\) are not"):
        load_manifest(tmp_path)


def test_a_billion_laughs_sources_file_is_refused_quickly(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_text(laughs("papers"), encoding="utf-8")
    start = time.monotonic()
    added = CliRunner().invoke(app, ["add", str(SAMPLE_PDF), "--raw", str(raw)])
    assert time.monotonic() - start < 5
    assert added.exit_code == 2 and "aliases" in " ".join(added.output.split())


def test_a_billion_laughs_corrections_file_is_refused_quickly(tmp_path: Path) -> None:
    folder = tmp_path / "corrections"
    folder.mkdir()
    (folder / "p.yaml").write_text(laughs(None), encoding="utf-8")  # a list, as they are
    start = time.monotonic()
    with pytest.raises(CorrectionsError, match=r"p\.yaml: .*aliases"):
        load_corrections(folder / "p.yaml")
    result = CliRunner().invoke(app, ["correct", "p", "--id", "r", "--by", "me", "--reason",
                                      "r", "--exclude", "--curated", str(tmp_path)])
    assert time.monotonic() - start < 5
    assert result.exit_code == 2 and "aliases" in " ".join(result.output.split())


def test_oversized_and_deeply_nested_files_are_refused(tmp_path: Path) -> None:
    big, deep = tmp_path / "big.yaml", tmp_path / "deep.yaml"
    big.write_text("a: " + "x" * 2000 + "\n", encoding="utf-8")
    deep.write_text("[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    with pytest.raises(BoundedYamlError, match="over the 1000-byte limit"):
        load_bounded_yaml(big, max_bytes=1000)
    with pytest.raises(BoundedYamlError, match="nested too deeply"):
        load_bounded_yaml(deep)
    (tmp_path / "sources.yaml").write_text("[" * 20_000, encoding="utf-8")
    with pytest.raises(ManifestError):
        load_manifest(tmp_path)


@pytest.mark.parametrize(("text", "says"), [
    ("papers:\n  - file: [a\n", "not valid YAML (while parsing a flow sequence, expected ',' "
                                "or ']', but got '<stream end>' at line 3, column 1)"),
    ("papers:\n  - file: a.pdf\n    colour: red\n  - file: ../b.pdf\n",
     "papers.0.colour: Extra inputs are not permitted; papers.1.file: file "
     "name '../b.pdf' contains a path separator"),
    ("papers: [" + ", ".join(["{year: x}"] * 5) + "]\n",
     "papers.0.file: Field required; papers.0.year: Input should be a valid integer, unable "
     "to parse string as an integer; papers.1.file: Field required; and 7 more"),
    ('papers:\n  - {file: a.pdf, "odd\\nkey\\u202e": 1}\n', "papers.0.odd key\\u202e: Extra"),
])
def test_a_refused_manifest_is_said_in_one_line(tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as raised:
        load_manifest(tmp_path)
    message = str(raised.value)
    assert message.isprintable() and says in message, message


def test_a_refused_corrections_file_is_said_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("- {resource: outcomes, action: set}\n- [\n", encoding="utf-8")
    with pytest.raises(CorrectionsError) as raised:
        load_corrections(path)
    assert str(raised.value).isprintable() and "at line 3, column 1" in str(raised.value)
    path.write_text("- {resource: nothing, action: set, by: '', reason: x, date: 1}\n",
                    encoding="utf-8")
    with pytest.raises(CorrectionsError) as raised:
        load_corrections(path)
    assert str(raised.value).isprintable() and "correction 1: resource: Input" in str(
        raised.value)


@pytest.mark.parametrize(("text", "says"), [
    ("papers:\n  - file: a.pdf\npapers:\n  - file: b.pdf\n",
     "the key 'papers' is repeated at line 3, column 1"),
    ("papers:\n  - file: a.pdf\n    year: " + "9" * 5000 + "\n",
     "a value cannot be read (a number has more than 4300 digits)"),
    ("papers:\n  - file: a.pdf\n    added: 2019-02-30\n",
     "a value cannot be read (day is out of range for month)"),
])
def test_what_pyyaml_would_take_silently_or_crash_on_is_refused(tmp_path: Path, text: str,
                                                                says: str) -> None:
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as raised:
        load_manifest(tmp_path)
    assert says in str(raised.value) and str(raised.value).isprintable(), raised.value
    corrections = tmp_path / "p.yaml"
    corrections.write_text(text, encoding="utf-8")
    with pytest.raises(CorrectionsError, match=r"p\.yaml: "):
        load_corrections(corrections)


def test_a_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_bytes(b"papers:\n  - file: caf\xe9.pdf\n")
    with pytest.raises(ManifestError, match=r"not UTF-8 text \(invalid continuation byte at "
                                            r"byte 21\)"):
        load_manifest(tmp_path)


def test_a_file_that_is_no_mapping_is_said_in_a_curators_words(tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text("- a.pdf\n- b.pdf\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"entry: Input should be a mapping \(key: value"):
        load_manifest(tmp_path)


def test_a_manifest_listing_a_file_twice_or_not_a_file_is_refused(tmp_path: Path) -> None:
    from litcurate.pipeline.sources.manifest import ManifestError, load_manifest

    (tmp_path / "sources.yaml").write_text(
        "papers:\n- file: a.pdf\n  year: 2019\n- file: a.pdf\n  year: 2020\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"entry: a\.pdf is listed twice; keep one entry"):
        load_manifest(tmp_path)
    (tmp_path / "sources.yaml").unlink()
    (tmp_path / "sources.yaml").mkdir()
    with pytest.raises(ManifestError, match=r"sources\.yaml: not a regular file"):
        load_manifest(tmp_path)
