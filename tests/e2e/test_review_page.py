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
    # each cell says its id and what its numbers were read as, with each record's id:
    # Ho 2007's "23$" is a mean ("$ Mean")
    assert ("title='cell 10.3390_jcm8111907:table-1 | 14 | 10\n" in text)
    assert ("mean 23 · TAE · Survival / Progression-Free Survival "
            "[10.3390_jcm8111907:table-1:ho-2007:tae:pfs]'") in text
    # contents, and headers spanning as printed
    assert ("<nav class='contents'><a href='#table-1'>Table 1</a>" in text
            and "id='table-3'" in text and "id='statements'" in text)
    assert "colspan='3'" in text and "rowspan='2'" in text
    # a table's footnotes under its grid, as the paper prints them under the table
    assert "<p class='muted footnotes'>" in text
    # every statement shows its id; a flagged one, its flag and the command for it
    assert "<div class='record-id'>10.3390_jcm8111907:s:b5fc8ec6c5</div>" in text
    assert "statement-without-intervention" in text or "intervention-from-parse" in text
    assert "--resource statements --id 10.3390_jcm8111907:s:" in text


def test_a_paper_is_found_by_its_doi_as_printed() -> None:
    from litcurate.pipeline.pages.review_page import find_paper
    from litcurate.schemas.loader import resolve_release_dir

    release = resolve_release_dir(CURATED)
    for reference in ("10.3390/jcm8111907", "https://doi.org/10.3390/JCM8111907",
                      "10.3390_jcm8111907", "dermine2019_review.pdf"):
        found = find_paper(release, reference)
        assert found is not None and found["paper_id"] == "10.3390_jcm8111907", reference


def test_unknown_paper_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["review", "nope.pdf", "--curated", str(CURATED),
                                      "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "no paper 'nope.pdf'" in result.output


def test_a_page_without_the_pdf_says_why_it_has_no_crops(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["review", "dermine2019_review.pdf", "--curated",
                                      str(CURATED), "--raw", str(tmp_path),
                                      "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (f"note: dermine2019_review.pdf is not in {tmp_path}, so the page shows no PDF "
            "crops") in said


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


def test_a_flagged_cell_names_its_record_and_the_command_that_corrects_it(
        page: Path, tmp_path: Path) -> None:
    import html
    import re
    import shlex
    import shutil

    text = page.read_text(encoding="utf-8")
    record = "10.3390_jcm8111907:table-2:peker-2015:sir-spheres:tumour_response"
    assert f"data-record='{record}'" in text
    commands = [html.unescape(c) for c in re.findall(r"<code class='command'>(.*?)</code>", text)]
    command = next(c for c in commands if record in c)
    assert command.startswith(f"litcurate correct 10.3390_jcm8111907 --resource outcomes --id "
                              f"{record} --set value=NEW_VALUE --from 46 ")
    shutil.copytree(CURATED, tmp_path / "curated", ignore=shutil.ignore_patterns("corrections"))
    arguments = shlex.split(command.replace("NEW_VALUE", "47"))[1:]
    done = CliRunner().invoke(app, [*arguments, "--curated", str(tmp_path / "curated")])
    assert done.exit_code == 0, done.output  # copied as shown, it passes correct's checks


def test_statements_are_in_page_order(page: Path) -> None:
    import re

    text = page.read_text(encoding="utf-8")
    pages = [int(p) for p in re.findall(r"<tr data-statement='[^']*'><td>(\d+)</td>", text)]
    assert len(pages) > 10 and pages == sorted(pages)


def test_a_table_over_three_pages_has_a_crop_of_each(tmp_path: Path) -> None:
    from litcurate.extractors.stage_chain import PaperSource, extract_paper
    from litcurate.pipeline.pages.review_page import find_paper, review_html
    from litcurate.pipeline.release.publish import publish_release
    from litcurate.schemas.loader import file_sha256
    from tests.conftest import ROOT

    pdf = ROOT / "tests" / "fixtures" / "tables" / "libreoffice" / "repeated_header.pdf"
    extraction = extract_paper(PaperSource(path=pdf, sha256=file_sha256(pdf)))
    release = publish_release(extraction.resources(), tmp_path).path
    assert release is not None
    paper = find_paper(release, pdf.name)
    assert paper is not None
    text = review_html(release, paper, [pdf.parent])
    assert [f"page {n}</figcaption>" in text for n in (1, 2, 3)] == [True, True, True]
    assert text.count("src='data:image/png;base64,") == 3


def test_a_crop_reaches_up_to_the_caption_of_its_table() -> None:
    import pdfplumber

    from litcurate.pipeline.pages.html_parts import find_caption_top

    with pdfplumber.open(RAW / "bmcpublichealth2016_ide_tea_gargling_influenza_meta.pdf") as pdf:
        words = pdf.pages[3].extract_words()
    # Table 2's box starts under its two-line caption ("... prospective cohort / studies")
    top = find_caption_top(words, "Table 2", (56.69, 639.45, 290.55, 723.17))
    assert top is not None and 619 < top < 620
    assert find_caption_top(words, "Table 9", (56.69, 639.45, 290.55, 723.17)) is None


def test_cells_a_correction_changed_are_marked_with_what_it_changed(tmp_path: Path) -> None:
    from litcurate.pipeline.pages.review_page import corrected_cells
    from litcurate.pipeline.release.publish import publish_release
    from litcurate.schemas import Correction
    from tests.unit.test_release_format import outcome, records

    fixes = [Correction(correction_id="c1", paper_id="p", resource="outcomes",
                        target="p:table-1:ho-2007:tae:tumour_response", field="value",
                        action="set", old_value="45", value="54", author="A. Curator",
                        reason="misread"),
             Correction(correction_id="c2", paper_id="p", resource="cells",
                        target="p:table-1 | 3 | 2", field="text", action="set",
                        old_value="7O", value="70", author="B. Curator", reason="OCR"),
             Correction(correction_id="c3", paper_id="p", resource="outcomes", target="p:gone",
                        field="value", action="set", status="stale", author="C", reason="r")]
    release = publish_release({**records(outcome(54.0)), "corrections": fixes}, tmp_path).path
    assert release is not None
    assert corrected_cells(release, "p") == {
        ("p:table-1", 14, 8): ["corrected value: 45 -> 54 (A. Curator: misread)"],
        ("p:table-1", 3, 2): ["corrected text: 7O -> 70 (B. Curator: OCR)"]}
