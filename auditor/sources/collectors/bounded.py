"""One HTTP exchange with every dimension bounded: time, decoded size, and where it may lead.

`requests` bounds none of these by itself: its read timeout applies to each socket read, so a
body dripped a byte at a time never times out; `response.content` decodes gzip without limit
(1 MB of gzip became 2.85 GB); and redirects are followed to any host. Here the body is read
with `read1` (one socket read at a time, gzip decoded at most CHUNK bytes per call), a deadline
is checked between reads and given to the socket as its timeout, the decoded size is capped, and
a redirect is followed only on the same scheme, host and port.

The returned `requests.Response` has its body already read into `.content`, so callers use it
exactly as before (`.status_code`, `.headers`, `.content`, `.json()`).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

#: Largest decoded body accepted. One page of a listing (the page sizes the collector asks for are
#: declared per dataset in auditor/snapshot/datasets.py) is a few MB at most; this leaves ample room
#: while refusing a decompression bomb long before it costs memory.
MAX_RESPONSE_BYTES = 128 * 1024**2
#: Decoded bytes taken per read: also the most one gzip step may expand into at a time.
CHUNK = 256 * 1024
#: Same-origin redirects followed per call (a cross-host one is never followed).
MAX_REDIRECTS = 5


#: The urllib3 connection each thread is using right now, so that a watchdog can cut a request
#: whose status line and headers arrive too slowly (the read timeout applies per socket read).
_IN_USE: dict[int, Any] = {}


class _TrackingMixin:
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        _IN_USE[threading.get_ident()] = conn
        return conn


class _TrackingHTTPPool(_TrackingMixin, urllib3.HTTPConnectionPool):
    pass


class _TrackingHTTPSPool(_TrackingMixin, urllib3.HTTPSConnectionPool):
    pass


class BoundedAdapter(HTTPAdapter):
    """requests' adapter, with pools that let `bounded_request` find the socket of a slow request."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _TrackingHTTPPool, "https": _TrackingHTTPSPool}


class _Watch:
    """One request waiting for its headers; `cut` is set if its deadline came first."""

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.cut = False
        self.done = False

    def fire(self) -> None:
        """Deadline reached while waiting for headers: shut the socket, so the blocked read returns."""
        self.cut = True
        sock = getattr(_IN_USE.get(self.thread_id), "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Watchdog:
    """One thread for every request's header deadline (a threading.Timer per call cost about 5%
    of a 3,000-call collection). Watches are fired and cancelled under one lock, so a cancelled
    watch never fires."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float) -> _Watch:
        watch = _Watch(threading.get_ident())
        with self._lock:
            heapq.heappush(self._heap, (deadline, next(self._order), watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="gcaudit-deadlines", daemon=True)
                self._thread.start()
            self._lock.notify()
        return watch

    def cancel(self, watch: _Watch) -> bool:
        """Stop watching; True when the deadline had already cut the request."""
        with self._lock:
            watch.done = True
            return watch.cut

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, watch = heapq.heappop(self._heap)
                    if not watch.done:
                        watch.done = True
                        watch.fire()
                self._lock.wait(self._heap[0][0] - now if self._heap else None)


_WATCHDOG = _Watchdog()


def _not_a_cut_header(record: logging.LogRecord) -> bool:
    # A cut leaves http.client half a header block, and urllib3 logs that with a traceback at
    # WARNING. The exchange is abandoned (and retried) anyway: nothing for the user to read.
    return not str(record.msg).startswith("Failed to parse headers")


logging.getLogger("urllib3.connection").addFilter(_not_a_cut_header)


class ResponseTooLarge(requests.RequestException):
    """The decoded body passed MAX_RESPONSE_BYTES (a decompression bomb, or not the API). Final."""


class CrossHostRedirect(requests.RequestException):
    """A redirect to another scheme, host or port: its answer would not be the org's data. Final."""

    def __init__(self, target_host: str) -> None:
        self.target_host = target_host
        super().__init__(f"redirected to another host ({target_host}); not followed")


class DeadlineExceeded(requests.Timeout):
    """The whole exchange (headers and body) took longer than its deadline. Retried like a timeout."""


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"https": 443, "http": 80}.get(scheme)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _socket_of(response: requests.Response) -> Any:
    connection = getattr(response.raw, "connection", None) or getattr(response.raw, "_connection", None)
    return getattr(connection, "sock", None)


def _read_body(response: requests.Response, deadline: float, read_timeout: float, max_bytes: int) -> bytes:
    raw = response.raw
    sock = _socket_of(response)
    chunks: list[bytes] = []
    total = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded("the response took longer than the timeout to arrive")
        if sock is not None:
            # Each socket read may take at most what is left of the deadline, not a full read timeout.
            with contextlib.suppress(OSError):
                sock.settimeout(max(0.01, min(read_timeout, left)))
        try:
            chunk = raw.read1(CHUNK, decode_content=True)
        # The translations requests makes in iter_content, so retries see the same exceptions.
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError) as exc:
            raise DeadlineExceeded("the response took longer than the timeout to arrive") from exc
        except urllib3.exceptions.SSLError as exc:
            raise requests.exceptions.SSLError(exc) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        except (urllib3.exceptions.ProtocolError, OSError) as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise ResponseTooLarge(f"response body larger than {max_bytes} bytes (decoded)")
        chunks.append(chunk)
    return b"".join(chunks)


def bounded_request(session: requests.Session, method: str, url: str, *, deadline: float,
                    timeout: tuple[float, float] | float, params: Mapping[str, Any] | None = None,
                    follow_redirects: bool = True, max_bytes: int = MAX_RESPONSE_BYTES,
                    **kwargs: Any) -> requests.Response:
    """Send one request and read its whole body before `deadline` (a time.monotonic() value).

    Raises DeadlineExceeded (a requests.Timeout), ResponseTooLarge or CrossHostRedirect; a
    redirect is returned as the response when `follow_redirects` is False.
    """
    start_origin = origin(url)
    connect_timeout, read_timeout = timeout if isinstance(timeout, tuple) else (timeout, timeout)
    for _ in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded("no time left for the request")
        watch = _WATCHDOG.watch(deadline)
        try:
            response = session.request(method, url, params=params, stream=True, allow_redirects=False,
                                       timeout=(min(connect_timeout, left), min(read_timeout, left)), **kwargs)
        except requests.ConnectionError as exc:
            if time.monotonic() >= deadline:
                raise DeadlineExceeded("the response headers took longer than the timeout to arrive") from exc
            raise
        finally:
            cut = _WATCHDOG.cancel(watch)
            _IN_USE.pop(threading.get_ident(), None)
        if cut:  # what arrived before the cut is not an answer
            response.close()
            raise DeadlineExceeded("the response headers took longer than the timeout to arrive")
        try:
            if follow_redirects and response.is_redirect:
                target = urljoin(response.url, response.headers.get("location", ""))
                if origin(target) != start_origin:
                    _, host, port = origin(target)
                    raise CrossHostRedirect(f"{host}:{port}" if port not in (None, -1) else host or "?")
                url, params = target, None  # the query is part of the new URL
                continue
            response._content = _read_body(response, deadline, read_timeout, max_bytes)
            response._content_consumed = True  # read to the end: the connection goes back to the pool
            return response
        finally:
            response.close()
    raise requests.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
