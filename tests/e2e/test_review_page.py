"""`litcurate review` writes a curator's page, checked in a real headless browser."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from tests.conftest import RAW
from tests.e2e.test_diff_html import BROWSER_FLAGS, CHROMIUM

pytestmark = pytest.mark.e2e
CURATED = Path(__file__).resolve().parents[2] / "data" / "curated"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("review") / "review.html"
    result = CliRunner().invoke(app, ["review", "dermine2019_review.pdf", "--out", str(target),
                                      "--curated", str(CURATED), "--raw", str(RAW)])
    assert result.exit_code == 0, result.output
    return target


def test_page_holds_tables_crops_issues_and_statements(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.count("<table class='grid'>") == 3
    assert text.count("src='data:image/png;base64,") == 3
    assert "Carrasco, 1986" in text and "class='issue'" in text
    assert "subgroups-do-not-sum-to-n" in text and "Hur, 2013" in text
    assert "transplantation" in text and "ki67_pct &lt; 10" in text


def test_unknown_paper_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["review", "nope.pdf", "--curated", str(CURATED),
                                      "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "no paper 'nope.pdf'" in result.output


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is installed by make test")
def test_page_renders_in_a_browser(page: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    done = subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                           "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.count("data-cell=") > 500  # every body cell of the three tables
    assert "Uncaught" not in done.stderr  # no script errors in the console
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={profile}",
                    f"--screenshot={shot}", "--window-size=1300,1400", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    from PIL import Image

    with Image.open(shot) as image:
        low, high = image.convert("L").getextrema()
    assert low < 100 < high
