"""The HTML diff of a corrected cell, opened in a real headless browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.e2e

PAPER = "10.3390_jcm8111907"
CORRECTION = f"""\
- resource: cells
  id: "{PAPER}:table-1 | 2 | 7"
  action: set
  field: text
  from: "87"
  to: "88"
  by: A. Curator
  reason: checked against the primary study
  date: 2026-11-24
"""
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync")


@pytest.fixture(scope="module")
def diff_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("diff")
    raw, curated = root / "raw", root / "curated"
    raw.mkdir()
    shutil.copy(SAMPLE_PDF, raw / SAMPLE_PDF.name)
    runner = CliRunner()
    assert runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)]).exit_code == 0
    (curated / "corrections").mkdir()
    (curated / "corrections" / f"{PAPER}.yaml").write_text(CORRECTION, encoding="utf-8")
    second = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert "published release 1.0.1" in " ".join(second.output.split()), second.output
    page = root / "diff.html"
    result = runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--format", "html", "--out", str(page),
                                 "--curated", str(curated), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    markdown = runner.invoke(app, ["diff", "1.0.0", "1.0.1", "--format", "markdown",
                                   "--curated", str(curated)])
    (root / "diff.md").write_text(markdown.output, encoding="utf-8")
    return page


def test_markdown_of_a_corrected_cell_reads_well(diff_page: Path) -> None:
    text = (diff_page.parent / "diff.md").read_text(encoding="utf-8")
    assert "Implied bump: **patch** (next version 1.0.1)" in text
    assert f"| `{PAPER}:table-1 \\| 2 \\| 7` | `text` | `87` | `88` |" in text
    assert "| cells | 0 | 0 | 1 |" in text


def test_html_marks_the_cell_and_embeds_the_crop(diff_page: Path) -> None:
    page = diff_page.read_text(encoding="utf-8")
    assert "<td class='changed' data-cell='2,7'><del>87</del> &rarr; <ins>88</ins></td>" in page
    assert "src='data:image/png;base64," in page and "Carrasco, 1986" in page
    assert "http://" not in page and "https://" not in page  # one self-contained page
    # in words above the grid, where a wide table's cell may be out of sight
    assert "<ul class='changed-cells'><li>Carrasco, 1986, column 7: <del>87</del>" in page


def test_html_crops_follow_a_renamed_pdf_and_a_missing_one_is_noted(
        diff_page: Path, tmp_path: Path) -> None:
    root = diff_page.parent
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    shutil.copy(SAMPLE_PDF, renamed / "the review, renamed.pdf")
    base = ["diff", "1.0.0", "1.0.1", "--format", "html", "--curated", str(root / "curated")]
    found = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "a.html"),
                                     "--raw", str(renamed)])
    assert found.exit_code == 0 and "note" not in found.output
    assert "src='data:image/png;base64," in (tmp_path / "a.html").read_text(encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    lost = CliRunner().invoke(app, [*base, "--out", str(tmp_path / "b.html"), "--raw", str(empty)])
    assert lost.exit_code == 0
    assert (f"note: {SAMPLE_PDF.name} not in {empty}, so the page shows no PDF crop"
            in " ".join(lost.output.split()))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by .ci/run")
def test_html_diff_renders_in_a_browser(diff_page: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                          "--dump-dom", diff_page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert "data-cell=\"2,7\"" in dom and "<ins>88</ins>" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=1200,900", diff_page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("L").getextrema()
    assert colours[0] < 100 < colours[1]  # text and background: not a blank page


def test_against_working_shows_what_the_next_run_would_publish(diff_page: Path) -> None:
    import json

    root = diff_page.parent
    result = CliRunner().invoke(app, ["diff", "--against-working", "--format", "json",
                                      "--curated", str(root / "curated"), "--raw",
                                      str(root / "raw")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["bump"] == "none"  # same PDF, same corrections: nothing would change
    assert (data["old"], data["new"]) == ("1.0.1", "working extraction")
