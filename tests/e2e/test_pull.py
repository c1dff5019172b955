"""Pulling sources from a real HTTP server on loopback, including routes that fail on purpose."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.sources.manifest import (
    SourceEntry,
    SourcesManifest,
    load_manifest,
    save_manifest,
)
from litcurate.pipeline.sources.pull import PullError, pull_source
from litcurate.schemas.loader import load_release
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.e2e
PDF = SAMPLE_PDF.read_bytes()
SHA = hashlib.sha256(PDF).hexdigest()


HITS: Counter[str] = Counter()  # requests per path, shared by the server's threads


class Handler(BaseHTTPRequestHandler):

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        return

    def _send(self, status: int, body: bytes, kind: str = "application/pdf",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        HITS[self.path] += 1
        count = HITS[self.path]
        if self.path == "/paper.pdf":
            self._send(200, PDF)
        elif self.path == "/flaky.pdf":
            if count <= 2:
                self._send(500, b"busy", "text/plain")
            else:
                self._send(200, PDF)
        elif self.path == "/busy.pdf":
            if count == 1:
                self._send(429, b"slow down", "text/plain", {"Retry-After": "0"})
            else:
                self._send(200, PDF)
        elif self.path == "/slow.pdf":
            time.sleep(1.5)
            self._send(200, PDF)
        elif self.path == "/page.pdf":
            self._send(200, b"<html><body>Sign in</body></html>", "text/html")
        elif self.path == "/big.pdf":
            self._send(200, PDF + b"0" * 4096)
        elif self.path == "/fake.pdf":
            self._send(200, b"GIF89a not a pdf", "application/octet-stream")
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def entry(url: str, name: str = "p.pdf", sha256: str = "") -> SourceEntry:
    return SourceEntry(file=name, url=url, sha256=sha256)


def no_sleep(_: float) -> None:
    return


def test_a_pdf_is_downloaded_verified_and_moved_into_place(server: str, tmp_path: Path) -> None:
    result = pull_source(entry(f"{server}/paper.pdf", sha256=SHA), tmp_path, sleep=no_sleep)
    assert result.downloaded and result.sha256 == SHA
    assert (tmp_path / "p.pdf").read_bytes() == PDF
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]  # no temporary left behind
    again = pull_source(entry(f"{server}/paper.pdf", sha256=SHA), tmp_path, sleep=no_sleep)
    assert not again.downloaded and "already present" in again.message


def test_500_twice_then_200_is_retried_and_succeeds(server: str, tmp_path: Path) -> None:
    waits: list[float] = []
    result = pull_source(entry(f"{server}/flaky.pdf"), tmp_path, backoff=0.01,
                         sleep=waits.append)
    assert result.downloaded and HITS["/flaky.pdf"] == 3
    assert waits == [0.01, 0.02]  # exponential back-off


def test_429_honours_retry_after(server: str, tmp_path: Path) -> None:
    waits: list[float] = []
    result = pull_source(entry(f"{server}/busy.pdf"), tmp_path, backoff=5.0, sleep=waits.append)
    assert result.downloaded and waits == [0.0]


def test_404_is_reported_without_retry(server: str, tmp_path: Path) -> None:
    with pytest.raises(PullError, match="HTTP 404") as raised:
        pull_source(entry(f"{server}/missing.pdf"), tmp_path, sleep=no_sleep)
    assert raised.value.slug == "source-refused" and HITS["/missing.pdf"] == 1


def test_a_slow_response_times_out_and_is_reported(server: str, tmp_path: Path) -> None:
    with pytest.raises(PullError, match="unreachable after 2 attempts") as raised:
        pull_source(entry(f"{server}/slow.pdf"), tmp_path, timeout=0.3, attempts=2,
                    sleep=no_sleep)
    assert raised.value.slug == "source-unreachable" and not (tmp_path / "p.pdf").exists()


def test_an_html_page_is_not_taken_for_a_pdf(server: str, tmp_path: Path) -> None:
    with pytest.raises(PullError, match="text/html, not a PDF"):
        pull_source(entry(f"{server}/page.pdf"), tmp_path, sleep=no_sleep)
    with pytest.raises(PullError, match="no %PDF- header"):
        pull_source(entry(f"{server}/fake.pdf"), tmp_path, sleep=no_sleep)
    assert list(tmp_path.iterdir()) == []


def test_a_body_over_the_limit_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(PullError, match=r"over the .*limit") as raised:
        pull_source(entry(f"{server}/big.pdf"), tmp_path, max_bytes=len(PDF), sleep=no_sleep)
    assert raised.value.slug == "too-large" and list(tmp_path.iterdir()) == []


def test_a_hash_mismatch_keeps_the_old_copy(server: str, tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(b"%PDF-1.4 the old copy")
    with pytest.raises(PullError, match="differs from the manifest") as raised:
        pull_source(entry(f"{server}/paper.pdf", sha256="0" * 64), tmp_path, sleep=no_sleep)
    assert raised.value.slug == "sha256-mismatch"
    assert (tmp_path / "p.pdf").read_bytes() == b"%PDF-1.4 the old copy"


def test_unreachable_source_goes_on_with_a_good_local_copy(tmp_path: Path) -> None:
    (tmp_path / "p.pdf").write_bytes(PDF)
    dead = "http://127.0.0.1:9/p.pdf"  # the discard port: connection refused
    result = pull_source(entry(dead), tmp_path, attempts=2, sleep=no_sleep)
    assert not result.downloaded and result.sha256 == SHA
    assert "went on with the local copy" in result.message
    known = pull_source(entry(dead, sha256=SHA), tmp_path, attempts=2, sleep=no_sleep)
    assert "already present" in known.message  # a known good copy is not fetched again


def test_add_then_run_publishes_the_paper_with_its_source(server: str, tmp_path: Path) -> None:
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    runner = CliRunner()
    url = f"{server}/paper.pdf"
    added = runner.invoke(app, ["add", url, "--citation", "Sample review", "--licence",
                                "CC-BY-4.0", "--raw", str(raw)])
    assert added.exit_code == 0, added.output
    (entry_added,) = load_manifest(raw).papers
    assert (entry_added.file, entry_added.url, entry_added.sha256) == ("paper.pdf", url, SHA)
    hits = HITS["/paper.pdf"]
    run = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert run.exit_code == 0, run.output
    assert HITS["/paper.pdf"] == hits  # the right copy is there: nothing downloaded
    papers = (curated / "releases" / "1.0.0" / "papers.csv").read_text(encoding="utf-8")
    assert url in papers and SHA in papers and "CC-BY-4.0" in papers
    assert entry_added.pulled and entry_added.pulled in papers
    duplicate = runner.invoke(app, ["add", url, "--raw", str(raw)])
    assert duplicate.exit_code == 2 and "already in" in duplicate.output
    # The source goes away and the manifest forgets the hash: the copy on disk is used.
    manifest = (raw / "sources.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace(url, "http://127.0.0.1:9/paper.pdf").replace(
        f"  sha256: {SHA}\n", "")
    (raw / "sources.yaml").write_text(manifest, encoding="utf-8")
    offline = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert offline.exit_code == 0, offline.output
    assert "went on with the local copy" in " ".join(offline.output.split())


def test_an_allowed_fsspec_url_is_pulled_through_its_backend(tmp_path: Path) -> None:
    source = tmp_path / "store" / "paper.pdf"
    source.parent.mkdir()
    source.write_bytes(PDF)
    raw = tmp_path / "raw"
    result = pull_source(entry(source.as_uri(), sha256=SHA), raw, sleep=no_sleep,
                         allow_schemes=("file",))
    assert result.downloaded and (raw / "p.pdf").read_bytes() == PDF
    with pytest.raises(PullError, match="no installed fsspec backend for 'nosuch'"):
        pull_source(entry("nosuch://bucket/p.pdf", name="q.pdf"), raw, sleep=no_sleep,
                    allow_schemes=("nosuch",))
    with pytest.raises(PullError, match="does not exist"):
        pull_source(entry((tmp_path / "gone.pdf").as_uri(), name="r.pdf"), raw, sleep=no_sleep,
                    allow_schemes=("file",))


def test_a_file_url_not_allowed_is_that_papers_failure_and_the_batch_goes_on(
        server: str, tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.pdf"  # a file the run's machine can read
    secret.parent.mkdir()
    secret.write_bytes(PDF)
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    save_manifest(raw, SourcesManifest(papers=[
        SourceEntry(file="local.pdf", url=secret.as_uri()),
        SourceEntry(file="web.pdf", url=f"{server}/paper.pdf")]))
    runner = CliRunner()
    run = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert run.exit_code == 1, run.output
    assert not (raw / "local.pdf").exists() and (raw / "web.pdf").read_bytes() == PDF
    papers = (curated / "releases" / "1.0.0" / "papers.csv").read_text(encoding="utf-8")
    assert "web.pdf" in papers and "local.pdf" not in papers
    issues = load_release(curated).records("issues")
    (failure,) = [i for i in issues if i.record_id == "local.pdf"]
    assert failure.rule == "unsupported-source"
    assert "only http(s) URLs are pulled" in failure.message
    assert any(line.count("local.pdf") and "--allow-scheme file" in line  # one line
               for line in run.output.splitlines()), run.output
    allowed = runner.invoke(app, ["run", "--raw", str(raw), "--curated", str(curated),
                                  "--allow-scheme", "file"])
    assert allowed.exit_code == 0, allowed.output
    assert (raw / "local.pdf").read_bytes() == PDF
