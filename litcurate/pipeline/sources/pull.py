"""Pull a paper from its URL into data/raw/: verified, retried, never half-written.

The download streams into a hidden temporary file beside the target, checks the size
limit, the content type and the ``%PDF-`` magic, and the sha256 the manifest expects,
and only then renames into place, so an existing copy is never overwritten by bad
bytes. Transient failures (connection refused, timeouts, HTTP 5xx and 429) are retried
with exponential back-off, honouring Retry-After; other 4xx answers are not. When the
source cannot be reached but a local copy with the right hash exists, the run goes on
with the copy and says so.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litcurate.atomic import atomic_writer
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.schemas.loader import file_sha256

MAX_BYTES = 100 * 1024 * 1024
TIMEOUT = 30.0
ATTEMPTS = 4
BACKOFF = 1.0  # seconds before the second attempt; doubled for each further one
MAX_WAIT = 60.0  # a server's Retry-After is honoured up to this
CHUNK = 1 << 16
PDF_TYPES = ("application/pdf", "application/octet-stream", "binary/octet-stream",
             "application/x-pdf", "")


class PullError(Exception):
    """A source that could not be pulled; ``slug`` names the failure for issues.csv."""

    def __init__(self, slug: str, reason: str) -> None:
        super().__init__(reason)
        self.slug = slug
        self.reason = reason


class _TransientError(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


@dataclass(frozen=True)
class PullResult:
    """What pulling one source did."""

    path: Path
    sha256: str
    downloaded: bool
    message: str
    from_local_copy: bool = False  # the source was unreachable; the run uses the copy


def pull_source(entry: SourceEntry, raw_dir: Path, *, timeout: float = TIMEOUT,
                max_bytes: int = MAX_BYTES, attempts: int = ATTEMPTS, backoff: float = BACKOFF,
                sleep: Callable[[float], None] = time.sleep) -> PullResult:
    """Given a manifest entry with a ``url``, make sure ``raw_dir/entry.file`` holds it."""
    target = raw_dir / entry.file
    if target.is_file() and entry.sha256 and file_sha256(target) == entry.sha256:
        return PullResult(target, entry.sha256, False, "already present with the right sha256")
    fetch = _download if entry.url.startswith(("http://", "https://")) else _fsspec_download
    last = ""
    for attempt in range(attempts):
        try:
            return fetch(entry, target, timeout, max_bytes)
        except _TransientError as error:
            last = str(error)
            if attempt + 1 < attempts:
                sleep(min(error.wait if error.wait is not None else backoff * 2 ** attempt,
                          MAX_WAIT))
    if target.is_file() and (not entry.sha256 or file_sha256(target) == entry.sha256):
        return PullResult(target, file_sha256(target), False,
                          f"source unreachable ({last}); went on with the local copy",
                          from_local_copy=True)
    raise PullError("source-unreachable", f"{entry.file}: {entry.url} unreachable after "
                    f"{attempts} attempts ({last})")


def _fsspec_download(entry: SourceEntry, target: Path, timeout: float,
                     max_bytes: int) -> PullResult:
    """Any other URL ("s3://...", "file://...") through fsspec, when its backend is installed."""
    protocol = entry.url.split("://", 1)[0] if "://" in entry.url else ""
    try:
        import fsspec

        fsspec.get_filesystem_class(protocol)
    except (ImportError, ValueError) as error:
        raise PullError("unsupported-source", f"{entry.file}: cannot pull {entry.url!r} "
                        f"(no installed fsspec backend for {protocol or 'this URL'!r})") from error
    try:
        handle = fsspec.open(entry.url, "rb").open()
    except FileNotFoundError as error:
        raise PullError("source-refused", f"{entry.file}: {entry.url} does not exist") from error
    except OSError as error:
        raise _TransientError(f"{type(error).__name__}: {error}") from error
    with handle:
        return _store(entry, target, handle, max_bytes)


def _download(entry: SourceEntry, target: Path, timeout: float, max_bytes: int) -> PullResult:
    request = urllib.request.Request(entry.url, headers={"User-Agent": "litcurate"})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            retry_after = error.headers.get("Retry-After") if error.headers else None
            wait = float(retry_after) if retry_after and retry_after.isdigit() else None
            raise _TransientError(f"HTTP {error.code}", wait) from error
        raise PullError("source-refused", f"{entry.file}: {entry.url} answered HTTP "
                        f"{error.code}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise _TransientError(f"{type(error).__name__}: {reason}") from error
    with response:
        kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in PDF_TYPES:
            raise PullError("not-a-pdf", f"{entry.file}: {entry.url} sent {kind}, not a PDF")
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise PullError("too-large", f"{entry.file}: {int(length)} bytes is over the "
                            f"{max_bytes}-byte limit")
        return _store(entry, target, response, max_bytes)


def _store(entry: SourceEntry, target: Path, response: Any, max_bytes: int) -> PullResult:
    """Stream ``response`` into a hidden temporary file, check it, then move it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with atomic_writer(target, prefix=f".{entry.file}.", suffix=".part", sync=True) as out:
        try:
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise PullError("too-large", f"{entry.file}: more than the "
                                    f"{max_bytes}-byte limit")
                if size == len(chunk) and not chunk.lstrip()[:5] == b"%PDF-":
                    raise PullError("not-a-pdf", f"{entry.file}: {entry.url} is not "
                                    "a PDF (no %PDF- header)")
                digest.update(chunk)
                out.write(chunk)
        except TimeoutError as error:
            raise _TransientError(f"timed out after {size} bytes") from error
        sha256 = digest.hexdigest()
        if entry.sha256 and sha256 != entry.sha256:
            raise PullError("sha256-mismatch", f"{entry.file}: downloaded sha256 {sha256} "
                            f"differs from the manifest's {entry.sha256}; kept the old copy"
                            if target.exists() else f"{entry.file}: downloaded sha256 "
                            f"{sha256} differs from the manifest's {entry.sha256}")
    return PullResult(target, sha256, True, f"downloaded {size} bytes")
