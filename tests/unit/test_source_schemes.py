"""Only http(s) sources are pulled unless the operator allows another scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.pipeline.sources.pull import (
    PullError,
    allowed_schemes,
    pull_source,
    scheme_problem,
)
from tests.conftest import SAMPLE_PDF


def test_http_and_https_are_always_pulled() -> None:
    assert scheme_problem("http://127.0.0.1/a.pdf") == ""
    assert scheme_problem("HTTPS://example.org/a.pdf") == ""


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://127.0.0.1/a.pdf", "data:application/pdf;base64,JVBERi0=",
    "s3://bucket/a.pdf", "memory://a.pdf"])
def test_any_other_scheme_needs_the_operators_permission(url: str) -> None:
    scheme = url.split(":", 1)[0]
    assert f"--allow-scheme {scheme}" in scheme_problem(url)
    assert scheme_problem(url, allowed_schemes([scheme.upper()])) == ""


def test_a_path_without_a_scheme_is_never_pulled() -> None:
    assert "has no scheme" in scheme_problem("../secret/a.pdf", ("file",))


@pytest.mark.parametrize("name", ["file:", "s3://", "", "fi le", "1file"])
def test_a_bad_scheme_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="is not a URL scheme"):
        allowed_schemes([name])


def test_a_file_url_without_permission_reads_and_writes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    with pytest.raises(PullError) as raised:
        pull_source(SourceEntry(file="p.pdf", url=SAMPLE_PDF.as_uri()), raw)
    assert raised.value.slug == "unsupported-source"
    assert raised.value.reason.startswith("p.pdf: source URL 'file://")
    assert "\n" not in raised.value.reason and not raw.exists()


def test_allowed_the_same_file_url_is_pulled(tmp_path: Path) -> None:
    result = pull_source(SourceEntry(file="p.pdf", url=SAMPLE_PDF.as_uri()), tmp_path,
                         allow_schemes=("file",))
    assert result.downloaded and (tmp_path / "p.pdf").read_bytes() == SAMPLE_PDF.read_bytes()


def test_run_refuses_a_bad_allow_scheme_before_starting(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "--raw", str(tmp_path), "--curated",
                                      str(tmp_path / "curated"), "--allow-scheme", "file:"])
    assert result.exit_code == 2 and "is not a URL scheme" in " ".join(result.output.split())
    assert not (tmp_path / "curated").exists()
