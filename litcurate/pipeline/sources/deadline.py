"""HTTP connections a deadline can cut, so no server holds a pull past its time.

A socket timeout bounds each read, not a download: a server that sends one byte
within every timeout holds a read for as long as it likes. So every connection a
pull opens (redirects included) is registered with the pull's ``Deadline``, whose
timer shuts the sockets down when the time is up; the blocked read returns at once
and the pull reports the deadline. Redirects are followed to http(s) URLs only.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

HTTP_SCHEMES = ("http", "https")


class Deadline:
    """The end of one pull: the time left, and the sockets to shut when it passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.expired or self.left() <= 0

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` when the deadline passes (at once, if it already has)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class RedirectRefusedError(Exception):
    """The source redirected to a URL that is not http(s) (ftp, file, ...)."""


def _watched(base: type[http.client.HTTPConnection], deadline: Deadline
             ) -> Callable[..., http.client.HTTPConnection]:
    """A connection factory whose sockets are registered with ``deadline`` as they open
    (before any TLS handshake, which a slow server could drag out too)."""
    def connection(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        made = base(host, **kwargs)
        create = getattr(made, "_create_connection")  # noqa: B009 (private in typeshed)

        def created(*args: Any, **options: Any) -> socket.socket:
            sock: socket.socket = create(*args, **options)
            deadline.watch(sock)
            return sock

        setattr(made, "_create_connection", created)  # noqa: B010
        return made

    return connection


class _Http(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self._deadline), req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self._deadline), req,
                            context=getattr(self, "_context", None))


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in HTTP_SCHEMES:
            raise RedirectRefusedError(f"redirected to a {scheme or 'schemeless'} URL; only "
                                       "http(s) redirects are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def open_url(url: str, timeout: float, deadline: Deadline) -> Any:
    """GET ``url`` on connections ``deadline`` can cut; raises what urllib raises."""
    opener = urllib.request.build_opener(_Http(deadline), _Https(deadline),
                                         _HttpOnlyRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": "litcurate"})
    return opener.open(request, timeout=max(timeout, 0.001))

