"""Pull a paper from its URL into data/raw/: verified, retried, never half-written.

The download streams into a hidden temporary file beside the target, checks the size
limit, the content type, the ``%PDF-`` magic, that every byte the server announced
arrived, and the sha256 the manifest expects, and only then renames into place, so an
existing copy is never overwritten by bad bytes. Transient failures (connection
refused or dropped, timeouts, a body cut short, HTTP 5xx and 429) are retried with
exponential back-off, honouring Retry-After; other 4xx answers and broken HTTP are
not. Every failure, whatever the network or the URL did, is a ``PullError`` with a
one-line reason, so the run reports that paper and goes on. One deadline bounds each
source, retries and waits included. When the source cannot be reached but a local
copy with the right hash exists, the run goes on with the copy and says so.

Only http(s) URLs are pulled unless the operator allows more schemes for the run
(``--allow-scheme file``): sources.yaml may come from anyone, and a ``file:`` or
cloud URL in it would read whatever the machine running the pull can reach.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import time
import urllib.error
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from litcurate.atomic import atomic_writer
from litcurate.pipeline.sources.deadline import (
    HTTP_SCHEMES,
    Deadline,
    RedirectRefusedError,
    open_url,
)
from litcurate.pipeline.sources.manifest import SourceEntry
from litcurate.schemas.loader import file_sha256

MAX_BYTES = 100 * 1024 * 1024
TIMEOUT = 30.0
DEADLINE = 300.0  # seconds one source may take in all, retries and waits included
RUN_DEADLINE = 1800.0  # seconds all the pulls of one run may take
ATTEMPTS = 4
BACKOFF = 1.0  # seconds before the second attempt; doubled for each further one
MAX_WAIT = 60.0  # a server's Retry-After is honoured up to this; longer, the pull gives up
CHUNK = 1 << 16
HEAD = 1024  # bytes in which the %PDF- magic must appear
REASON_LIMIT = 400  # characters of a failure's reason
PDF_TYPES = ("application/pdf", "application/octet-stream", "binary/octet-stream",
             "application/x-pdf", "")


def one_line(text: str, limit: int = REASON_LIMIT) -> str:
    """``text`` with control characters escaped and its length bounded: safe for one
    line of a report, whatever a URL or a server put in it."""
    flat = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


class PullError(Exception):
    """A source that could not be pulled; ``slug`` names the failure for issues.csv."""

    def __init__(self, slug: str, reason: str) -> None:
        reason = one_line(reason)
        super().__init__(reason)
        self.slug = slug
        self.reason = reason


class _TransientError(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(one_line(reason))
        self.wait = wait


@dataclass(frozen=True)
class PullResult:
    """What pulling one source did."""

    path: Path
    sha256: str
    downloaded: bool
    message: str
    from_local_copy: bool = False  # the source was unreachable; the run uses the copy


@dataclass(frozen=True)
class _Attempt:
    """What one attempt may use: its socket timeout, the size limit, the deadline."""

    timeout: float
    max_bytes: int
    deadline: Deadline


def check_source_url(url: str) -> str:
    """Given a source URL, return what is wrong with it ('' when nothing)."""
    if any(not c.isprintable() or c.isspace() for c in url):
        return "contains a control character or a space"
    if not url.isascii():
        return "contains non-ASCII characters (percent-encode them)"
    try:
        parts = urlsplit(url)
        _ = parts.port  # a bad port number raises here
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme.lower() in HTTP_SCHEMES and not parts.hostname:
        return "has no host"
    return ""


SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,31}")


def allowed_schemes(names: Iterable[str]) -> tuple[str, ...]:
    """The URL schemes an operator allows besides http(s), lower-cased and sorted;
    ValueError for a name that is not a scheme ("file:", "s3://", "")."""
    schemes = set()
    for name in names:
        scheme = name.strip().lower()
        if not SCHEME.fullmatch(scheme):
            raise ValueError(f"{one_line(name, 60)!r} is not a URL scheme (e.g. file, s3)")
        schemes.add(scheme)
    return tuple(sorted(schemes - set(HTTP_SCHEMES)))


def scheme_problem(url: str, allowed: Collection[str] = ()) -> str:
    """Given a valid source URL, return why its scheme is not pulled ('' when it is):
    http(s) always is, another scheme only when ``allowed`` names it."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in HTTP_SCHEMES or scheme in allowed:
        return ""
    if not scheme:
        return "has no scheme (give an http(s) URL)"
    return (f"uses the {scheme}: scheme; only http(s) URLs are pulled unless the run allows "
            f"it (--allow-scheme {scheme})")


def pull_source(entry: SourceEntry, raw_dir: Path, *, timeout: float = TIMEOUT,
                max_bytes: int = MAX_BYTES, attempts: int = ATTEMPTS, backoff: float = BACKOFF,
                deadline: float = DEADLINE, sleep: Callable[[float], None] = time.sleep,
                allow_schemes: Collection[str] = ()) -> PullResult:
    """Given a manifest entry with a ``url``, make sure ``raw_dir/entry.file`` holds it.

    http(s) URLs are pulled; other schemes only when ``allow_schemes`` names them.
    """
    target = raw_dir / entry.file
    if target.is_file() and entry.sha256 and file_sha256(target) == entry.sha256:
        return PullResult(target, entry.sha256, False, "already present with the right sha256")
    problem = check_source_url(entry.url)
    if problem:
        raise PullError("invalid-source-url", f"{entry.file}: source URL {entry.url!r} "
                        f"{problem}")
    problem = scheme_problem(entry.url, allow_schemes)
    if problem:
        raise PullError("unsupported-source", f"{entry.file}: source URL {entry.url!r} "
                        f"{problem}")
    fetch = _download if urlsplit(entry.url).scheme.lower() in HTTP_SCHEMES else _fsspec_download
    with Deadline(deadline) as clock:
        outcome = _attempts(fetch, entry, target, clock, timeout=timeout, max_bytes=max_bytes,
                            attempts=attempts, backoff=backoff, sleep=sleep)
    if isinstance(outcome, PullResult):
        return outcome
    if target.is_file() and (not entry.sha256 or file_sha256(target) == entry.sha256):
        return PullResult(target, file_sha256(target), False,
                          f"source unreachable ({outcome}); went on with the local copy",
                          from_local_copy=True)
    if clock.passed:
        raise PullError("pull-deadline", f"{entry.file}: {entry.url} did not finish within "
                        f"the {deadline:.3g}-second pull deadline ({outcome})")
    raise PullError("source-unreachable", f"{entry.file}: {entry.url} unreachable after "
                    f"{attempts} attempts ({outcome})")


Fetch = Callable[[SourceEntry, Path, _Attempt], PullResult]


def _attempts(fetch: Fetch, entry: SourceEntry, target: Path, clock: Deadline, *,
              timeout: float, max_bytes: int, attempts: int, backoff: float,
              sleep: Callable[[float], None]) -> PullResult | str:
    """Try up to ``attempts`` times within the deadline: the result, or the last reason."""
    last = "the deadline passed before the first attempt"
    for attempt in range(attempts):
        if clock.passed:
            break
        try:
            return fetch(entry, target, _Attempt(min(timeout, clock.left()), max_bytes, clock))
        except _TransientError as error:
            last = str(error)
            if error.wait is not None and error.wait > MAX_WAIT:
                return f"{last}; the server asked to come back in {error.wait:g} s"
            if attempt + 1 < attempts:
                wait = error.wait if error.wait is not None else backoff * 2 ** attempt
                sleep(max(0.0, min(wait, MAX_WAIT, clock.left())))
    return last


def _fsspec_download(entry: SourceEntry, target: Path, attempt: _Attempt) -> PullResult:
    """An allowed URL of another scheme ("s3://...", "file://...") through fsspec, when its
    backend is installed."""
    protocol = urlsplit(entry.url).scheme.lower()
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
        return _store(entry, target, handle, attempt)


def _download(entry: SourceEntry, target: Path, attempt: _Attempt) -> PullResult:
    """One GET; whatever goes wrong becomes a ``PullError`` or a ``_TransientError``."""
    try:
        with open_url(entry.url, attempt.timeout, attempt.deadline) as response:
            _check_answer(entry, response, attempt.max_bytes)
            return _store(entry, target, response, attempt, getattr(response, "length", None))
    except (PullError, _TransientError):
        raise
    except urllib.error.HTTPError as error:
        raise _refused(entry, error) from error
    except RedirectRefusedError as error:
        raise PullError("unsupported-source", f"{entry.file}: {entry.url} {error}") from error
    except Exception as error:  # any network or protocol failure is this paper's alone
        raise _broken(entry, error, attempt.deadline) from error


def _refused(entry: SourceEntry, error: urllib.error.HTTPError) -> Exception:
    """An HTTP error answer: 5xx and 429 are worth another try, other codes are not."""
    if error.code >= 500 or error.code == 429:
        retry_after = error.headers.get("Retry-After") if error.headers else None
        wait = float(retry_after) if retry_after and retry_after.isdigit() else None
        return _TransientError(f"HTTP {error.code}", wait)
    return PullError("source-refused", f"{entry.file}: {entry.url} answered HTTP {error.code}")


def _broken(entry: SourceEntry, error: Exception, clock: Deadline) -> Exception:
    """A failure below HTTP: the network's (retried) or a malformed answer (not retried)."""
    what = f"{type(error).__name__}: {getattr(error, 'reason', None) or error}"
    if clock.passed:
        return _TransientError(f"cut off at the deadline ({what})")
    if isinstance(error, OSError | http.client.IncompleteRead):
        return _TransientError(what)
    return PullError("malformed-response", f"{entry.file}: {entry.url} sent a malformed "
                     f"answer ({what})")


def _check_answer(entry: SourceEntry, response: Any, max_bytes: int) -> None:
    """Refuse an answer that says it is not a PDF, or too large, before reading it."""
    kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in PDF_TYPES:
        raise PullError("not-a-pdf", f"{entry.file}: {entry.url} sent {kind}, not a PDF")
    length = getattr(response, "length", None)
    if length is not None and length > max_bytes:
        raise PullError("too-large", f"{entry.file}: {length} bytes is over the "
                        f"{max_bytes}-byte limit")


def _store(entry: SourceEntry, target: Path, response: Any, attempt: _Attempt,
           expected: int | None = None) -> PullResult:
    """Stream ``response`` into a hidden temporary file, check it, then move it into place.

    Reads return what has arrived (``read1``), so a slow body cannot hold one read past
    the deadline; a body shorter than the ``expected`` length is never accepted.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    read = getattr(response, "read1", None) or response.read
    with atomic_writer(target, prefix=f".{entry.file}.", suffix=".part", sync=True) as out:
        while chunk := read(CHUNK):
            size += len(chunk)
            if size > attempt.max_bytes:
                raise PullError("too-large", f"{entry.file}: more than the "
                                f"{attempt.max_bytes}-byte limit")
            if len(head) < HEAD:
                head = (head + chunk)[:HEAD]
                _check_magic(entry, head, final=False)
            digest.update(chunk)
            out.write(chunk)
        _check_magic(entry, head, final=True)
        if attempt.deadline.passed:
            raise _TransientError(f"cut off at the deadline after {size} bytes")
        if expected is not None and size != expected:
            raise _TransientError(f"connection closed after {size} of {expected} bytes")
        sha256 = digest.hexdigest()
        if entry.sha256 and sha256 != entry.sha256:
            raise PullError("sha256-mismatch", f"{entry.file}: downloaded sha256 {sha256} "
                            f"differs from the manifest's {entry.sha256}; kept the old copy"
                            if target.exists() else f"{entry.file}: downloaded sha256 "
                            f"{sha256} differs from the manifest's {entry.sha256}")
    return PullResult(target, sha256, True, f"downloaded {size} bytes")


def _check_magic(entry: SourceEntry, head: bytes, *, final: bool) -> None:
    """Refuse a body that does not start with %PDF- (leading white space allowed), as soon
    as enough of it has arrived to tell."""
    start = head.lstrip()
    if (final or len(start) >= 5 or len(head) >= HEAD) and not start.startswith(b"%PDF-"):
        raise PullError("not-a-pdf", f"{entry.file}: {entry.url} is not a PDF "
                        "(no %PDF- header)")
