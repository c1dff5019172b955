"""Pulls that go wrong on the wire: each is that paper's failure, never the run's.

A loopback server answers with hand-written bytes: a body cut short, broken chunks,
broken status lines, too many or too long headers, a body that drips past the
deadline, a redirect to ftp. Each must end as a ``PullError`` with a one-line reason,
leave nothing under the paper's name, and in a run let the other papers through.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcurate.pipeline.cli.app import app
from litcurate.pipeline.sources.manifest import SourceEntry, SourcesManifest, save_manifest
from litcurate.pipeline.sources.pull import PullError, pull_source
from tests.conftest import SAMPLE_PDF

pytestmark = pytest.mark.e2e
PDF = SAMPLE_PDF.read_bytes()
SHA = hashlib.sha256(PDF).hexdigest()
PDF_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n"


def _raw_answers(port: int) -> dict[str, bytes]:
    """Byte-exact answers per path; the connection closes after each."""
    chunked = PDF_HEAD + b"Transfer-Encoding: chunked\r\n\r\n"
    return {
        "/truncated.pdf": PDF_HEAD + f"Content-Length: {len(PDF)}\r\n\r\n".encode()
        + PDF[: len(PDF) // 2],
        "/chunk-cut.pdf": chunked + b"4000\r\n" + PDF[:100],
        "/bad-chunk.pdf": chunked + b"zz\r\n" + PDF[:100],
        "/bad-status.pdf": b"HTTX/1.1 200 OK\r\n\r\n" + PDF[:100],
        "/many-headers.pdf": PDF_HEAD + b"".join(b"X-H%d: v\r\n" % i for i in range(120))
        + b"\r\n" + PDF[:100],
        "/long-line.pdf": PDF_HEAD + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n" + PDF[:100],
        "/to-ftp.pdf": b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1:%d/x.pdf\r\n"
        b"Content-Length: 0\r\n\r\n" % port,
        "/later.pdf": b"HTTP/1.1 429 Too Many\r\nRetry-After: 3600\r\nContent-Length: 0\r\n\r\n",
        "/good.pdf": PDF_HEAD + f"Content-Length: {len(PDF)}\r\n\r\n".encode() + PDF,
    }


class RawHandler(BaseHTTPRequestHandler):

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/drip.pdf":  # a PDF one byte at a time, for ever (10 s at most)
            self.wfile.write(PDF_HEAD + b"\r\n")
            for byte in PDF[:100]:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
            return
        answers = _raw_answers(self.server.server_address[1])
        self.wfile.write(answers.get(self.path, b"HTTP/1.1 404 Not Found\r\n"
                                                b"Content-Length: 0\r\n\r\n"))
        self.wfile.flush()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RawHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def no_sleep(_: float) -> None:
    return


def pull(url: str, folder: Path, **options: object) -> PullError:
    """Pull ``url`` into ``folder`` expecting a failure; the failure, checked for one line."""
    with pytest.raises(PullError) as raised:
        pull_source(SourceEntry(file="p.pdf", url=url), folder, attempts=2, timeout=2,
                    sleep=no_sleep, **options)  # type: ignore[arg-type]
    assert "\n" not in raised.value.reason and "\r" not in raised.value.reason
    assert list(folder.iterdir()) == []  # nothing half-written, nothing under its name
    return raised.value


def test_a_download_cut_before_its_content_length_is_never_accepted(
        server: str, tmp_path: Path) -> None:
    error = pull(f"{server}/truncated.pdf", tmp_path)
    assert error.slug == "source-unreachable"
    assert f"connection closed after {len(PDF) // 2} of {len(PDF)} bytes" in error.reason


@pytest.mark.parametrize("path", ["/chunk-cut.pdf", "/bad-chunk.pdf"])
def test_a_chunked_body_cut_short_or_garbled_is_retried_then_reported(
        server: str, tmp_path: Path, path: str) -> None:
    error = pull(f"{server}{path}", tmp_path)
    assert error.slug == "source-unreachable" and "IncompleteRead" in error.reason


@pytest.mark.parametrize(("path", "says"), [
    ("/bad-status.pdf", "BadStatusLine"),
    ("/many-headers.pdf", "more than 100 headers"),
    ("/long-line.pdf", "LineTooLong"),
])
def test_broken_http_is_the_papers_failure(server: str, tmp_path: Path, path: str,
                                           says: str) -> None:
    error = pull(f"{server}{path}", tmp_path)
    assert error.slug == "malformed-response" and says in error.reason


@pytest.mark.parametrize("url", ["http://[::1/x.pdf", "http://127.0.0.1/a.pdf\r\nX-Evil: 1",
                                 "http://127.0.0.1/a b.pdf", "http:///nohost.pdf",
                                 "http://127.0.0.1:99999/x.pdf"])
def test_a_bad_url_is_the_papers_failure(tmp_path: Path, url: str) -> None:
    error = pull(url, tmp_path)
    assert error.slug == "invalid-source-url" and error.reason.startswith("p.pdf: source URL")


def test_a_dripping_server_is_cut_at_the_deadline(server: str, tmp_path: Path) -> None:
    start = time.monotonic()
    error = pull(f"{server}/drip.pdf", tmp_path, deadline=1.0)
    assert time.monotonic() - start < 3
    assert error.slug == "pull-deadline" and "1-second pull deadline" in error.reason


def test_a_redirect_to_ftp_is_not_followed(server: str, tmp_path: Path) -> None:
    error = pull(f"{server}/to-ftp.pdf", tmp_path)
    assert error.slug == "unsupported-source" and "only http(s) redirects" in error.reason


def test_a_retry_after_beyond_the_limit_gives_up_at_once(server: str, tmp_path: Path) -> None:
    waits: list[float] = []
    with pytest.raises(PullError, match="asked to come back in 3600 s"):
        pull_source(SourceEntry(file="p.pdf", url=f"{server}/later.pdf"), tmp_path,
                    sleep=waits.append)
    assert waits == []


def test_the_run_reports_every_broken_source_and_publishes_the_good_one(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from litcurate.pipeline import tasks  # imports Prefect: only in the test that runs it

    monkeypatch.setattr(tasks, "pull_source", functools.partial(
        pull_source, attempts=1, timeout=2, sleep=no_sleep))
    raw, curated = tmp_path / "raw", tmp_path / "curated"
    raw.mkdir()
    broken = ["truncated", "chunk-cut", "bad-chunk", "bad-status", "many-headers",
              "long-line", "to-ftp"]
    entries = [SourceEntry(file=f"{name}.pdf", url=f"{server}/{name}.pdf") for name in broken]
    entries += [SourceEntry(file="v6.pdf", url="http://[::1/x.pdf"),
                SourceEntry(file="crlf.pdf", url=f"{server}/good.pdf\r\nX-Evil: 1"),
                SourceEntry(file="good.pdf", url=f"{server}/good.pdf")]
    save_manifest(raw, SourcesManifest(papers=entries))
    run = CliRunner().invoke(app, ["run", "--raw", str(raw), "--curated", str(curated)])
    assert run.exit_code == 1, run.output
    assert (raw / "good.pdf").read_bytes() == PDF
    assert sorted(p.name for p in raw.glob("*.pdf")) == ["good.pdf"]
    release = curated / "releases" / "1.0.0"
    assert SHA in (release / "papers.csv").read_text(encoding="utf-8")
    issues = (release / "issues.csv").read_text(encoding="utf-8")
    for name in [*broken, "v6", "crlf"]:
        assert f"{name}.pdf" in issues, name


@pytest.mark.parametrize("url", ["http://[::1/x.pdf", "http://127.0.0.1/x.pdf\r\nX-Evil: 1"])
def test_add_refuses_a_bad_url_with_a_message(tmp_path: Path, url: str) -> None:
    added = CliRunner().invoke(app, ["add", url, "--raw", str(tmp_path / "raw")])
    assert added.exit_code == 2 and isinstance(added.exception, SystemExit)
    assert "source URL" in " ".join(added.output.split())
    assert not (tmp_path / "raw").exists()


def test_all_the_pulls_of_a_run_share_one_deadline(server: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from litcurate.pipeline import tasks
    from litcurate.pipeline.flow import RunSummary, pull_sources

    def pull_now(entry: SourceEntry, raw_dir: Path, deadline: float,
                 allow_schemes: tuple[str, ...]) -> object:
        return pull_source(entry, raw_dir, attempts=1, timeout=2, deadline=deadline,
                           sleep=no_sleep, allow_schemes=allow_schemes)

    monkeypatch.setattr(tasks, "pull", pull_now)  # the task without Prefect's start-up
    manifest = SourcesManifest(papers=[SourceEntry(file=f"{n}.pdf", url=f"{server}/drip.pdf")
                                       for n in ("one", "two", "three")])
    summary = RunSummary()
    start = time.monotonic()
    _, unavailable = pull_sources(manifest, tmp_path, summary, deadline=1.0)
    assert time.monotonic() - start < 4
    assert unavailable == {"one.pdf", "two.pdf", "three.pdf"}
    assert [f.slug for f in summary.failures] == ["pull-deadline"] * 3
    assert "the run's pull deadline has passed" in summary.failures[-1].reason
    assert list(tmp_path.iterdir()) == []
