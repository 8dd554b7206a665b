"""A fake Genesys Cloud Platform API on 127.0.0.1, serving a snapshot as the real API would.

Used by the collector tests and the benchmarks. It speaks the real shapes (fact sheet §1-3, §6-7):
`POST /oauth/token` with HTTP Basic, bearer checks, the envelope each endpoint really has
(page-number listings with pageCount/total/nextUri, queue members with nextUri only, cursor
`after` paging for web deployments), silent page-size caps, ErrorBody JSON with `code` and
`contextId`, an `ININ-Correlation-Id` on every response, and a per-token rate limit answering
429 with `Retry-After`.

Faults are objects in `FakeConfig.faults`: each may answer a request instead of the API
(`before`) or alter the API's answer (`after`). Add a fault by subclassing `Fault`; the built-in
ones cover random 5xx, 5xx bursts, 429 storms with or without Retry-After, a 403 on one dataset,
token expiry, connection resets, slow answers, truncated, non-JSON and HTML bodies, 404s for a
deleted parent, a listing that changes while it is paged and a `total` that lies. A `Reply`
can also carry raw bytes (an HTML error page), a `delay` (a slow answer), `truncate_to` (a
cut-off body) or `reset` (a TCP reset), so new faults need no server changes. Requests are
counted per (path, status) in `counts`; a reset counts as status 0.

    with FakePlatformApi(OrgBuilder(...), FakeConfig(rate_limit=50, rate_window=1)) as api:
        env = api.env()   # GENESYSCLOUD_REGION / _OAUTHCLIENT_ID / _OAUTHCLIENT_SECRET
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
import random
import re
import secrets
import socket
import struct
import threading
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from auditor.snapshot import DATASETS, Dataset, DatasetStatus, Snapshot, load_snapshot
from auditor.snapshot.datasets import BY_NAME, ORGANIZATION_ENDPOINT, USAGE_RESULTS_ENDPOINT
from auditor.testing import factories
from auditor.testing.builder import OrgBuilder
from auditor.testing.fake_audit import AUDIT_PREFIX, Actor, FakeAuditTrail, plant_change

TOKEN_PATH = "/oauth/token"
DEFAULT_CLIENT_ID = "7de3af06-c0b3-4f9b-af45-72f4a1403797"
DEFAULT_CLIENT_SECRET = "fake-secret-4bT9qZ"

#: ErrorBody `code` per status (fact sheet §7.3).
ERROR_CODES: dict[int, str] = {
    400: "bad.request", 401: "bad.credentials", 403: "missing.permissions", 404: "not.found",
    429: "too.many.requests.retry.after", 500: "internal.server.error", 502: "service.unavailable",
    503: "service.unavailable", 504: "request.timeout",
}
ERROR_MESSAGES: dict[int, str] = {
    400: "The request could not be understood by the server due to malformed syntax.",
    401: "Invalid login credentials.",
    403: "Unable to perform the requested action. You are missing the following permission(s): [{permission}]",
    404: "The requested resource was not found.",
    500: "The server encountered an unexpected condition which prevented it from fulfilling the request.",
    502: "The service is currently unavailable.",
    503: "The service is currently unavailable.",
    504: "The request timed out.",
}

#: Largest page each endpoint returns; larger requests are capped silently, as Genesys does.
DEFAULT_PAGE_CAPS: dict[str, int] = {d.name: d.page_size for d in DATASETS if d.page_size}
DEFAULT_PAGE_SIZE = 25  # the API's default for page-number endpoints
DEFAULT_CURSOR_PAGE_SIZE = 300  # "Defaults to 300" on the webdeployments listings


# --------------------------------------------------------------------------------------------
# Requests, replies and faults


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    #: Sequence number of this API call on the server (1-based, token calls excluded).
    call_number: int = 0
    token: str | None = None
    dataset: Dataset | None = None
    parent_id: str | None = None
    body: bytes = b""

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Raw bytes to send instead of JSON (e.g. an HTML error page).
    raw: bytes | None = None
    #: Send only this many bytes of the body, announce the full length, then close the connection.
    truncate_to: int | None = None
    #: Seconds to wait before answering.
    delay: float = 0.0
    #: Answer nothing: reset the TCP connection (RST) instead.
    reset: bool = False
    #: Seconds between the body's bytes: a body dripped slowly (each byte within any read
    #: timeout). Stops when the client hangs up, and after the last byte in any case.
    drip: float = 0.0
    #: Seconds between the bytes of the status line and headers (then the body at once).
    drip_headers: float = 0.0

    def payload(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body).encode("utf-8") if self.body is not None else b""


def error_reply(status: int, message: str | None = None, code: str | None = None,
                details: list[dict[str, Any]] | None = None, message_with_params: str | None = None,
                message_params: dict[str, str] | None = None) -> Reply:
    """A real-shaped ErrorBody (SDK models/error_body.py); `contextId` is filled with the
    correlation id when sent."""
    body: dict[str, Any] = {
        "message": message or ERROR_MESSAGES.get(status, "Error"),
        "code": code or ERROR_CODES.get(status, "bad.request"),
        "status": status,
        "messageParams": message_params or {},
        "contextId": "",
        "details": details or [],
        "errors": [],
    }
    if message_with_params:
        body["messageWithParams"] = message_with_params
    return Reply(status, body)


#: The code of a 403 for an object in a division the caller holds no grant in (issue 11).
MISSING_DIVISION_PERMISSION = "missing.division.permission"
#: The wording is this fake's own (no public source quotes the real message); the code, status
#: and the messageWithParams/messageParams pair are what the collector reads.
DIVISION_MESSAGE = "You are missing the following permission(s) in division {division}: [{permission}]"


def division_forbidden(permission: str, division_id: str) -> Reply:
    params = {"permission": permission, "division": division_id}
    return error_reply(403, DIVISION_MESSAGE.format(**params), MISSING_DIVISION_PERMISSION,
                       message_with_params=DIVISION_MESSAGE, message_params=params)


class Fault:
    """Override `before` to answer instead of the API, `after` to alter its answer."""

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        return None

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        return reply


@dataclass
class RandomErrors(Fault):
    """A fraction of API calls (optionally only one dataset's) answered with a transient 5xx."""

    rate: float = 0.1
    status: int = 503
    seed: int = 0
    dataset: str | None = None
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if self.dataset is not None and (request.dataset is None or request.dataset.name != self.dataset):
            return None
        with self._lock:
            hit = self._rng.random() < self.rate
        return error_reply(self.status) if hit else None


@dataclass
class ErrorBurst(Fault):
    """Calls number `start` .. `start + length - 1` all fail (an outage, not noise)."""

    start: int = 1
    length: int = 5
    status: int = 503

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if self.start <= request.call_number < self.start + self.length:
            return error_reply(self.status)
        return None


@dataclass
class Forbidden(Fault):
    """Every call of one dataset gets 403 (the client's roles lack its permission)."""

    dataset: str = "oauth_clients"
    code: str = "missing.permissions"

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.dataset is not None and request.dataset.name == self.dataset:
            permission = request.dataset.permission or ""
            template = ERROR_MESSAGES[403]
            return error_reply(403, template.format(permission=permission), self.code,
                               message_with_params=template, message_params={"permission": permission})
        return None


@dataclass
class ForbiddenPath(Fault):
    """Every call under one path prefix gets 403 missing.permissions (an endpoint outside the datasets,
    such as GET /api/v2/authorization/subjects/{id})."""

    prefix: str = "/api/v2/authorization/subjects/"
    permission: str = "authorization:grant:view"

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.path.startswith(self.prefix):
            template = ERROR_MESSAGES[403]
            return error_reply(403, template.format(permission=self.permission), "missing.permissions",
                               message_with_params=template, message_params={"permission": self.permission})
        return None


@dataclass
class ExpireTokens(Fault):
    """Each token stops working after `after_calls` API calls (401 bad.credentials), as if it expired."""

    after_calls: int = 10
    _counts: Counter[str] = field(default_factory=Counter, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    expired: int = 0

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.token is None:
            return None
        with self._lock:
            self._counts[request.token] += 1
            if self._counts[request.token] <= self.after_calls:
                return None
            self.expired += 1
        api.revoke(request.token)
        return error_reply(401, "Invalid login credentials.", "bad.credentials")


@dataclass
class Truncate(Fault):
    """A fraction (or every `every`-th) of successful bodies cut in half with the connection closed."""

    rate: float = 0.0
    every: int | None = None
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if reply.status != 200:
            return reply
        with self._lock:
            hit = (self.every is not None and request.call_number % self.every == 0) or self._rng.random() < self.rate
        if hit:
            reply.truncate_to = len(reply.payload()) // 2
        return reply


@dataclass
class GoneParent(Fault):
    """404 for the sub-resources of one queue (or role): deleted after it was listed."""

    parent_id: str = ""

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.parent_id == self.parent_id:
            return error_reply(404)
        return None


#: What nginx answers when the upstream is down: an HTML page, not an ErrorBody.
PROXY_ERROR_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
#: A corporate proxy's sign-in page, served with 200 in place of the API's JSON.
PROXY_LOGIN_PAGE = b"<!DOCTYPE html><html><body><form action='/login'>Sign in to continue</form></body></html>"


@dataclass
class _Window(Fault):
    """Calls number `start` .. `start + length - 1`, optionally only those of one dataset."""

    start: int = 1
    length: int = 5
    dataset: str | None = None

    def hit(self, request: FakeRequest) -> bool:
        if self.dataset is not None and (request.dataset is None or request.dataset.name != self.dataset):
            return False
        return self.start <= request.call_number < self.start + self.length


@dataclass
class Throttle(_Window):
    """429s; with `Retry-After: retry_after` seconds, or none at all when `retry_after` is None."""

    retry_after: float | None = 1.0

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if not self.hit(request):
            return None
        message = "Rate limit exceeded the maximum [300] requests within [60] seconds"
        if self.retry_after is None:
            return error_reply(429, message, "too.many.requests")
        reply = error_reply(429, message, "too.many.requests.retry.after")
        reply.headers["Retry-After"] = f"{self.retry_after:g}"
        return reply


@dataclass
class ConnectionReset(_Window):
    """The connection is reset (RST) before any byte of the answer."""

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        return Reply(reset=True) if self.hit(request) else None


@dataclass
class SlowAnswer(_Window):
    """The answer comes `delay` seconds late (longer than the client's read timeout)."""

    delay: float = 2.0

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if self.hit(request):
            reply.delay += self.delay
        return reply


@dataclass
class RawBody(_Window):
    """A body that is not the API's JSON: an HTML page, plain text, half a JSON document."""

    status: int = 200
    body: bytes = b"not json"
    content_type: str = "text/html"

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if not self.hit(request):
            return None
        return Reply(self.status, raw=self.body, headers={"Content-Type": self.content_type})


@dataclass
class DripHeaders(_Window):
    """The status line and headers (3 KB of them) sent one byte every `interval` seconds."""

    interval: float = 0.05

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if self.hit(request):
            reply.drip_headers = self.interval
        return reply


@dataclass
class DripBody(_Window):
    """The answer's body sent one byte every `interval` seconds (each byte within the read timeout)."""

    interval: float = 0.05

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if self.hit(request):
            reply.drip = self.interval
        return reply


_BOMBS: dict[int, bytes] = {}


def gzip_bomb(decoded_bytes: int) -> bytes:
    """A gzip stream of `decoded_bytes` zero bytes (about 1000:1), built without holding them."""
    if decoded_bytes not in _BOMBS:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip framing
        block = bytes(1024**2)
        parts = [compressor.compress(block) for _ in range(decoded_bytes // len(block))]
        parts.append(compressor.compress(bytes(decoded_bytes % len(block))))
        parts.append(compressor.flush())
        _BOMBS[decoded_bytes] = b"".join(parts)
    return _BOMBS[decoded_bytes]


@dataclass
class GzipBomb(_Window):
    """`200` whose gzip body expands to `decoded_bytes` (a decompression bomb, or a hostile proxy)."""

    decoded_bytes: int = 512 * 1024**2

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if not self.hit(request):
            return None
        return Reply(200, raw=gzip_bomb(self.decoded_bytes),
                     headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})


@dataclass
class Redirect(_Window):
    """`302` to the same path and query on `target` (another server: a proxy's doing, or an attack)."""

    target: str = "http://127.0.0.1:9"
    status: int = 302

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if not self.hit(request):
            return None
        query = urlencode({k: v[0] for k, v in request.query.items() if v})
        location = f"{self.target.rstrip('/')}{request.path}" + (f"?{query}" if query else "")
        return Reply(self.status, raw=b"", headers={"Location": location})


@dataclass
class EchoCredentials(_Window):
    """An error whose body quotes the request's Authorization header back (a misconfigured proxy
    or a verbose gateway does this): the bearer token arrives in `message`, `code` and `details`."""

    status: int = 403

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if not self.hit(request):
            return None
        auth = request.headers.get("authorization", "")
        return error_reply(self.status, f"denied for header 'Authorization: {auth}'", f"bad.{auth[7:]}",
                           details=[{"errorCode": "echo", "fieldName": auth}])


@dataclass
class ListingDrift(Fault):
    """Just before page `page` of `dataset` is served (once), a queue is added at the front of the
    listing or the first one is deleted: the pages already served no longer line up."""

    dataset: str = "queues"
    page: int = 2
    action: str = "add"  # or "remove"
    added: dict[str, Any] = field(default_factory=lambda: factories.queue("Aaa Added While Paging"))
    done: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.dataset is None or request.dataset.name != self.dataset or request.parent_id:
            return None
        if request.param("pageNumber") != str(self.page):
            return None
        with self._lock:
            if self.done:
                return None
            self.done = True
            entities = list(api.data[self.dataset])
            children = [d.name for d in DATASETS if d.parent == self.dataset]
            if self.action == "add":
                api.data[self.dataset] = [self.added, *entities]
                for name in children:
                    api.data[name] = {**api.data[name], self.added["id"]: []}
            else:
                gone = entities[0]["id"]
                api.data[self.dataset] = entities[1:]
                for name in children:
                    api.data[name] = {k: v for k, v in api.data[name].items() if k != gone}
        return None


@dataclass
class WrongTotal(Fault):
    """Every listing of `dataset` claims `delta` more entities in `total` than it serves."""

    dataset: str = "queues"
    delta: int = 2

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        hit = request.dataset is not None and request.dataset.name == self.dataset and not request.parent_id
        if hit and reply.status == 200 and isinstance(reply.body, dict) and "total" in reply.body:
            reply.body = {**reply.body, "total": reply.body["total"] + self.delta}
        return reply


@dataclass
class FakeConfig:
    #: Seconds between the bytes of every token answer (a login endpoint dripping its body).
    token_drip: float = 0.0
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    #: Requests allowed per token per `rate_window` seconds; None: unlimited.
    rate_limit: int | None = None
    rate_window: float = 60.0
    #: Real 429s carry Retry-After; set False to model one that does not.
    retry_after: bool = True
    #: Seconds added to every API answer.
    latency: float = 0.0
    page_caps: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PAGE_CAPS))
    faults: list[Fault] = field(default_factory=list)
    #: The division ids the client's role grants cover; None: every division ("*"). Outside them
    #: divisioned objects are left out of listings and answer 403 missing.division.permission.
    visible_divisions: set[str] | None = None
    #: A refused login quotes the Basic header it got, and the id:secret pair it decoded.
    echo_login_credentials: bool = False
    #: Polls of a usage query's results answered `Running` before it is `Complete`.
    usage_running_polls: int = 1
    #: The usage query ends `Failed` instead of `Complete`.
    usage_fails: bool = False


# --------------------------------------------------------------------------------------------
# Paging envelopes


def _uri(path: str, query: dict[str, list[str]], **changes: Any) -> str:
    # Every value of a multi parameter (`id=a&id=b`) carries over to the next page's URI.
    params: dict[str, list[str]] = {k: list(v) for k, v in query.items() if v}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = [str(value)]
    return f"{path}?{urlencode(params, doseq=True)}" if params else path


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int | None:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    match = re.fullmatch(r"offset:(\d+)", text)
    return int(match.group(1)) if match else None


def _int_param(request: FakeRequest, name: str, default: int) -> int | None:
    raw = request.param(name)
    if raw is None:
        return default
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


#: GET /api/v2/authorization/subjects/{subjectId} (not a dataset of its own: a call plan's way to
#: read role_subjectgrants per user, auditor.snapshot.datasets.SUBJECT_GRANTS_ENDPOINT).
_SUBJECT_PATH = re.compile(r"^/api/v2/authorization/subjects/([^/]+)$")
#: GET /api/v2/usage/query/{executionId}/results (the usage query's results, polled).
_USAGE_RESULTS_PATH = re.compile("^" + re.escape(USAGE_RESULTS_ENDPOINT).replace(r"\{executionId\}", "([^/]+)") + "$")


class _Router:
    """Maps a path to (dataset, parent id), from the Dataset declarations."""

    def __init__(self) -> None:
        self.routes = [
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "(?P<parent>[^/]+)", re.escape(d.endpoint)) + "$"), d)
            for d in DATASETS
        ]

    def match(self, path: str) -> tuple[Dataset, str | None] | None:
        for pattern, dataset in self.routes:
            found = pattern.match(path)
            if found:
                return dataset, found.groupdict().get("parent")
        return None


# --------------------------------------------------------------------------------------------
# The server


def _interval_query(request: FakeRequest) -> dict[str, Any] | Reply:
    """The JSON body of a query with an ISO-8601 `interval` (aggregates, usage), or its 400 reply."""
    try:
        query = json.loads(request.body or b"null")
    except ValueError:
        return error_reply(400, "The request body is not valid JSON.", "bad.request")
    if not isinstance(query, dict) or not isinstance(query.get("interval"), str) or "/" not in query["interval"]:
        return error_reply(400, "interval is required (ISO-8601 start/end).", "bad.request")
    return query


class FakePlatformApi:
    def __init__(self, source: Snapshot | OrgBuilder | Path | str, config: FakeConfig | None = None,
                 port: int = 0) -> None:
        snapshot = (source.snapshot() if isinstance(source, OrgBuilder)
                    else source if isinstance(source, Snapshot) else load_snapshot(source))
        self.config = config or FakeConfig()
        self.org_id = snapshot.org_id
        self.org_name = snapshot.manifest.organization_name
        features = (snapshot.manifest.extra or {}).get("features")
        self.features: dict[str, bool] = dict(features) if isinstance(features, dict) else {}
        self.data: dict[str, Any] = dict(snapshot.data)
        #: Datasets that failed in the source snapshot: served as the error they failed with.
        self.unavailable: dict[str, DatasetStatus] = {
            d.name: snapshot.status(d.name) for d in DATASETS
            if not snapshot.available(d.name) and not snapshot.status(d.name).not_collected
        }
        # A dataset the source never collected (a test org built without traffic) is served as an
        # org that has none of it, not as an error: a real org always answers.
        for d in DATASETS:
            if snapshot.status(d.name).not_collected:
                self.data[d.name] = {} if d.parent else []
        self._router = _Router()
        self._user_grants: dict[str, tuple[str, list[dict[str, Any]]]] | None = None
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        #: Every token ever issued, so tests can check none leaked into output.
        self.issued: list[str] = []
        self._windows: dict[str, tuple[float, int]] = {}
        self._calls = 0
        self.counts: Counter[tuple[str, int]] = Counter()
        self.logins = 0
        #: Exceptions raised while answering (answered as 500); tests can assert it stays empty.
        self.errors: list[Exception] = []
        #: Every analytics query body received, in order.
        self.queries: list[dict[str, Any]] = []
        #: Usage queries: executionId -> polls still to answer Running; and every body received.
        self._executions: dict[str, int] = {}
        self.usage_queries: list[dict[str, Any]] = []
        #: The org's audit trail (auditor/testing/fake_audit.py): /api/v2/audits/*, and `plant_change`.
        self.audit = FakeAuditTrail(self.org_id)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePlatformApi:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakePlatformApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self, secret: str | None = None) -> dict[str, str]:
        """Environment variables pointing gcaudit at this server."""
        return {
            "GENESYSCLOUD_REGION": self.url,
            "GENESYSCLOUD_OAUTHCLIENT_ID": self.config.client_id,
            "GENESYSCLOUD_OAUTHCLIENT_SECRET": self.config.client_secret if secret is None else secret,
        }

    # -- tokens and counters -------------------------------------------------------------

    def issue_token(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens.add(token)
            self.issued.append(token)
        return token

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.discard(token)

    def calls(self, path: str | None = None, status: int | None = None) -> int:
        """Requests answered, optionally only those to `path` (a prefix) and/or with `status`."""
        with self._lock:
            return sum(n for (p, s), n in self.counts.items()
                       if (path is None or p.startswith(path)) and (status is None or s == status))

    def by_status(self) -> dict[int, int]:
        out: Counter[int] = Counter()
        with self._lock:
            for (_, status), n in self.counts.items():
                out[status] += n
        return dict(out)

    def reset_counters(self) -> None:
        with self._lock:
            self.counts.clear()

    # -- answering -----------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Reply:
        parts = urlsplit(raw_path)
        request = FakeRequest(method, parts.path, parse_qs(parts.query), headers, body=body)
        if parts.path == TOKEN_PATH:
            reply = self._token(request, body)
            reply.drip = self.config.token_drip
            return reply
        reply = self._authenticate(request)
        if reply is not None:
            return reply
        reply, rate_headers = self._rate_limit(request)
        if reply is not None:
            return reply
        with self._lock:
            self._calls += 1
            request.call_number = self._calls
        routed = self._router.match(parts.path)
        if routed:
            request.dataset, request.parent_id = routed
        for fault in list(self.config.faults):
            reply = fault.before(self, request)
            if reply is not None:
                break
        if reply is None:
            reply = self._api(request)
        for fault in list(self.config.faults):
            reply = fault.after(self, request, reply)
        reply.delay += self.config.latency
        for key, value in rate_headers.items():
            reply.headers.setdefault(key, value)
        return reply

    def _token(self, request: FakeRequest, body: bytes) -> Reply:
        invalid = Reply(401, {"error": "invalid_client", "description": "authentication failed",
                              "error_description": "authentication failed"})
        if request.method != "POST":
            return error_reply(404)
        auth = request.headers.get("authorization", "")
        if self.config.echo_login_credentials:
            try:
                pair = base64.b64decode(auth[6:]).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                pair = ""
            invalid = Reply(401, {"error": f"invalid_client {auth}",
                                  "error_description": f"authentication failed for {auth} ({pair})"})
        if not auth.lower().startswith("basic "):
            return invalid
        try:
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return invalid
        if not (secrets.compare_digest(client_id, self.config.client_id)
                and secrets.compare_digest(client_secret, self.config.client_secret)):
            return invalid
        grant = parse_qs(body.decode("utf-8", "replace")).get("grant_type", [""])[0]
        if grant != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type", "description": "unsupported grant type",
                               "error_description": "unsupported grant type"})
        with self._lock:
            self.logins += 1
        return Reply(200, {"access_token": self.issue_token(), "token_type": "bearer", "expires_in": 86400})

    def _authenticate(self, request: FakeRequest) -> Reply | None:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return error_reply(401, "No authentication bearer token specified in authorization header.",
                               "authentication.required")
        token = auth[7:].strip()
        with self._lock:
            known = token in self._tokens
        if not known:
            return error_reply(401, "Invalid login credentials.", "bad.credentials")
        request.token = token
        return None

    def _rate_limit(self, request: FakeRequest) -> tuple[Reply | None, dict[str, str]]:
        """A fixed window per token; the `inin-ratelimit-*` headers go on every answer."""
        limit, window = self.config.rate_limit, self.config.rate_window
        if limit is None or request.token is None:
            return None, {}
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(request.token, (now, 0))
            if now - start >= window:
                start, count = now, 0
            count += 1
            self._windows[request.token] = (start, count)
        reset = max(1, math.ceil(start + window - now))
        headers = {"inin-ratelimit-allowed": str(limit), "inin-ratelimit-count": str(count),
                   "inin-ratelimit-reset": str(reset)}
        if count <= limit:
            return None, headers
        message = f"Rate limit exceeded the maximum [{limit}] requests within [{window:g}] seconds"
        if self.config.retry_after:
            reply = error_reply(429, message, "too.many.requests.retry.after")
            reply.headers.update(headers, **{"Retry-After": str(reset)})
        else:
            reply = error_reply(429, message, "too.many.requests")
            reply.headers.update(headers)
        return reply, headers

    def plant_change(self, dataset: str, entity_id: str, changes: dict[str, Any], actor: Actor,
                     when: datetime | None = None, action: str = "Update") -> dict[str, Any]:
        """Change an object (dotted field -> new value) and record it in the audit trail as `actor`."""
        return plant_change(self, dataset, entity_id, changes, actor, when, action)

    def _api(self, request: FakeRequest) -> Reply:
        if request.path.startswith(AUDIT_PREFIX):
            status, body = self.audit.handle(request.method, request.path, request.query, request.body)
            return Reply(status, body)
        dataset = request.dataset
        if request.method == "POST" and dataset is not None and dataset.method == "POST":
            if dataset.kind == "usage_query":
                return self._failure(dataset) or self._usage_query(request)
            return self._failure(dataset) or self._aggregates(request)
        usage_results = _USAGE_RESULTS_PATH.match(request.path) if request.method == "GET" else None
        if usage_results is not None:
            return self._failure(BY_NAME["oauth_usage"]) or self._usage_results(unquote(usage_results.group(1)))
        if request.method != "GET" or (dataset is not None and dataset.method != "GET"):
            return error_reply(404)
        if request.path == ORGANIZATION_ENDPOINT:
            return Reply(200, self.organization())
        subject = _SUBJECT_PATH.match(request.path) if dataset is None else None
        if subject is not None:
            return self._subject(unquote(subject.group(1)))
        if dataset is None:
            return error_reply(404)
        failure = self._failure(dataset)
        if failure is not None:
            return failure
        if dataset.kind == "per_permission":
            return self._permitted(request, dataset)
        if dataset.kind == "per_reference" and request.parent_id == "lookup":
            return self._flow_lookup(request, dataset)
        if dataset.kind == "per_reference":
            return self._single(dataset, request.parent_id)
        if dataset.kind == "single":
            # One settings object; an org always has one (a source without it answers the SDK default: {}).
            found = self._entities(dataset, None) or [{}]
            return Reply(200, found[0])
        entities = self._entities(dataset, request.parent_id)
        if entities is None:
            return error_reply(404)
        if dataset.parent and request.parent_id:
            hidden = self._hidden_division(self._by_id(dataset.parent).get(request.parent_id))
            if hidden is not None:
                return division_forbidden(dataset.permission or "", hidden)
        if dataset.divisioned:
            entities = [e for e in entities if self._hidden_division(e) is None]
        if dataset.name == "deployments" and "Configuration" not in (request.param("expand") or "").split(","):
            entities = [_unexpanded(d) for d in entities]
        if dataset.name == "users":
            entities = self._users(request, entities)
        if dataset.name == "roles" and request.param("userCount") == "false":
            # userCount=false: the roles come without their userCount (as the provider lists them).
            entities = [{k: v for k, v in r.items() if k != "userCount"} for r in entities]
        if dataset.paging == "cursor":
            return self._cursor_page(request, dataset, entities)
        if dataset.paging == "next_uri":
            return self._number_page(request, dataset, entities, envelope="next_uri")
        if not dataset.page_size:
            return self._single_page(request, entities)
        return self._number_page(request, dataset, entities, envelope="full")

    def _failure(self, dataset: Dataset) -> Reply | None:
        if dataset.name not in self.unavailable:
            return None
        failure = self.unavailable[dataset.name]
        status = failure.http_status or 403
        return error_reply(status, failure.message or failure.reason(), failure.error_code,
                           message_with_params=failure.message_with_params)

    def _by_id(self, name: str) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in self.data.get(name, [])}

    def _hidden_division(self, entity: dict[str, Any] | None) -> str | None:
        """The division id of `entity` when the client may not see it, else None."""
        visible = self.config.visible_divisions
        if visible is None or not isinstance(entity, dict):
            return None
        division = (entity.get("division") or {}).get("id")
        return division if division is not None and division not in visible else None

    def _permitted(self, request: FakeRequest, dataset: Dataset) -> Reply:
        """DivsPermittedEntityListing: the divisions the client holds the permission in."""
        if not request.param("permission"):
            return error_reply(400, "The permission parameter is required.", "bad.request")
        visible = self.config.visible_divisions
        divisions = [d for d in self.data.get("divisions", []) if visible is None or d["id"] in visible]
        reply = self._number_page(request, dataset, divisions, envelope="full")
        reply.body["allDivsPermitted"] = visible is None
        return reply

    def _subject(self, user_id: str) -> Reply:
        """GET /api/v2/authorization/subjects/{subjectId} of a user: AuthzSubject with every grant
        the user holds, directly and through the groups of group_individuals (each with the id of
        the subject that holds it), one per division. 404 for an id that is no user of the org."""
        # Grants the source snapshot could not collect are as unavailable here as per role.
        failure = self._failure(BY_NAME["role_subjectgrants"])
        if failure is not None:
            return failure
        index = self._grants_by_user()
        if user_id not in index:
            return error_reply(404)
        name, grants = index[user_id]
        return Reply(200, {"id": user_id, "name": name, "grants": grants, "version": 1,
                           "selfUri": f"/api/v2/authorization/subjects/{user_id}"})

    def _grants_by_user(self) -> dict[str, tuple[str, list[dict[str, Any]]]]:
        with self._lock:
            if self._user_grants is not None:
                return self._user_grants
        roles = self._by_id("roles")
        groups: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        for group_id, people in (self.data.get("group_individuals") or {}).items():
            for person in people:
                groups.setdefault(person["id"], []).append(group_id)
                names.setdefault(person["id"], person.get("name") or person["id"])
        for members in (self.data.get("queue_members") or {}).values():
            for member in members:
                names.setdefault(member["id"], member.get("name") or member["id"])
        held: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {}
        for role_id, subjects in (self.data.get("role_subjectgrants") or {}).items():
            for subject in subjects:
                if subject.get("type") == "PC_USER":
                    names.setdefault(subject["id"], subject.get("name") or subject["id"])
                held.setdefault(subject["id"], []).extend((role_id, subject, d) for d in subject.get("divisions") or ())
        index: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        for user_id, name in names.items():
            grants = []
            for subject_id in (user_id, *groups.get(user_id, ())):
                for role_id, _subject, division in held.get(subject_id, ()):
                    role = roles.get(role_id) or {"id": role_id}
                    grants.append({"subjectId": subject_id, "division": division,
                                   "role": {"id": role_id, "name": role.get("name"), "default": role.get("default")}})
            index[user_id] = (name, grants)
        with self._lock:
            self._user_grants = index
        return index

    def _flow_lookup(self, request: FakeRequest, dataset: Dataset) -> Reply:
        """GET /api/v2/flows/lookup?id=...: a FlowEntityListing of the flows matching the ids, an
        empty one when none match. Whether the real lookup leaves out flows in divisions the client
        cannot see is not documented; this fake leaves them out, and the collector fetches any id
        the lookup did not return on its own (404 or 403 then tell why)."""
        # The SDK sends a list comma-joined (`id=a,b`); repeated `id=` is taken too.
        ids = [i for value in request.query.get("id") or [] for i in value.split(",") if i]
        if not ids:
            return error_reply(400, "The id parameter is required.", "bad.request")
        flows = self._by_id(dataset.name)
        found = [flows[i] for i in dict.fromkeys(ids) if i in flows and self._hidden_division(flows[i]) is None]
        return self._number_page(request, dataset, found, envelope="full")

    def _single(self, dataset: Dataset, entity_id: str | None) -> Reply:
        """GET /api/v2/flows/{flowId}: the flow, 404, or 403 when in a division the client cannot see."""
        entity = self._by_id(dataset.name).get(entity_id or "")
        if entity is None:
            return error_reply(404)
        hidden = self._hidden_division(entity)
        if hidden is not None:
            return division_forbidden(dataset.permission or "", hidden)
        return Reply(200, entity)

    def _aggregates(self, request: FakeRequest) -> Reply:
        """ConversationAggregateQueryResponse for a ConversationAggregationQuery grouped by queueId."""
        query = _interval_query(request)
        if isinstance(query, Reply):
            return query
        if "queueId" not in (query.get("groupBy") or []):
            return error_reply(400, "This fake only answers queries grouped by queueId.", "bad.request")
        with self._lock:
            self.queries.append(query)
        queues = self._by_id("queues")
        results = [r for r in self.data.get("conversation_aggregates", [])
                   if self._hidden_division(queues.get(r["group"].get("queueId", ""))) is None]
        return Reply(200, {"results": results} if results else {})

    def _users(self, request: FakeRequest, users: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """UserEntityListing as GET /api/v2/users answers it: `state` (default active) filters, and
        lastTokenIssued / dateLastLogin come only when `expand` asks for them (SDK docs UsersApi.md)."""
        state = request.param("state") or "active"
        expand = {e for value in request.query.get("expand") or [] for e in value.split(",")}
        dropped = {"lastTokenIssued"} - ({"lastTokenIssued"} if "lasttokenissued" in expand else set())
        if "dateLastLogin" not in expand:
            dropped.add("dateLastLogin")
        return [{k: v for k, v in u.items() if k not in dropped} for u in users
                if state == "any" or u.get("state", "active") == state]

    def _usage_query(self, request: FakeRequest) -> Reply:
        """POST /api/v2/usage/query: an ApiUsageOrganizationQuery -> UsageExecutionResult."""
        query = _interval_query(request)
        if isinstance(query, Reply):
            return query
        # ApiUsageOrganizationQuery.granularity allowed values (SDK models/api_usage_organization_query.py).
        if query.get("granularity") not in (None, "Day", "Week", "Month"):
            return error_reply(400, "granularity must be Day, Week or Month.", "bad.request")
        execution = str(uuid.uuid4())
        with self._lock:
            self.usage_queries.append(query)
            self._executions[execution] = self.config.usage_running_polls
        return Reply(200, {"executionId": execution, "resultsUri": USAGE_RESULTS_ENDPOINT.replace("{executionId}",
                                                                                                   execution)})

    def _usage_results(self, execution: str) -> Reply:
        """GET /api/v2/usage/query/{executionId}/results: ApiUsageQueryResult, Running until it is done."""
        with self._lock:
            remaining = self._executions.get(execution)
            if remaining is None:
                return error_reply(404)
            self._executions[execution] = remaining - 1
        if remaining > 0:
            return Reply(200, {"queryStatus": "Running"})
        if self.config.usage_fails:
            return Reply(200, {"queryStatus": "Failed"})
        return Reply(200, {"results": list(self.data.get("oauth_usage") or []), "queryStatus": "Complete"})

    def organization(self) -> dict[str, Any]:
        slug = re.sub(r"[^a-z0-9]+", "-", self.org_name.lower()).strip("-") or "org"
        return {
            "id": self.org_id, "name": self.org_name, "defaultLanguage": "en-us", "defaultCountryCode": "IE",
            "thirdPartyOrgName": slug, "domain": slug, "version": 7, "state": "active",
            "defaultSiteId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"site:{self.org_id}")),
            "voicemailEnabled": True, "productPlatform": "GenesysCloud", "features": dict(self.features),
            "selfUri": f"/api/v2/organizations/{self.org_id}",
        }

    def _entities(self, dataset: Dataset, parent_id: str | None) -> list[dict[str, Any]] | None:
        content = self.data.get(dataset.name, {} if dataset.keyed else [])
        if not dataset.keyed:
            return list(content)
        assert parent_id is not None
        parents = {e["id"] for e in self.data.get(dataset.parent, [])} if dataset.parent else set()
        if parent_id not in parents and parent_id not in content:
            return None
        return list(content.get(parent_id, []))

    def _number_page(self, request: FakeRequest, dataset: Dataset, entities: list[dict[str, Any]],
                     envelope: str) -> Reply:
        number = _int_param(request, "pageNumber", 1)
        size = _int_param(request, "pageSize", DEFAULT_PAGE_SIZE)
        if number is None or size is None:
            return error_reply(400, "Value is not valid for field type [int].", "invalid.value")
        size = min(size, self.config.page_caps.get(dataset.name, size))
        total = len(entities)
        page_count = max(1, math.ceil(total / size))
        page = entities[(number - 1) * size: number * size]
        query, path = request.query, request.path
        body: dict[str, Any] = {"entities": page, "pageSize": size, "pageNumber": number}
        body.update(
            firstUri=_uri(path, query, pageSize=size, pageNumber=1),
            selfUri=_uri(path, query, pageSize=size, pageNumber=number),
        )
        if number < page_count:
            body["nextUri"] = _uri(path, query, pageSize=size, pageNumber=number + 1)
        if number > 1:
            body["previousUri"] = _uri(path, query, pageSize=size, pageNumber=number - 1)
        if envelope == "full":
            body.update(total=total, pageCount=page_count,
                        lastUri=_uri(path, query, pageSize=size, pageNumber=page_count))
        return Reply(200, body)

    def _single_page(self, request: FakeRequest, entities: list[dict[str, Any]]) -> Reply:
        """OAuth clients: no paging parameters, everything in one listing."""
        return Reply(200, {
            "entities": entities, "pageSize": len(entities), "pageNumber": 1, "total": len(entities),
            "pageCount": 1, "firstUri": request.path, "selfUri": request.path, "lastUri": request.path,
        })

    def _cursor_page(self, request: FakeRequest, dataset: Dataset, entities: list[dict[str, Any]]) -> Reply:
        size = _int_param(request, "pageSize", DEFAULT_CURSOR_PAGE_SIZE)
        after = request.param("after")
        offset = 0 if after is None else _offset(after)
        if size is None or offset is None:
            return error_reply(400, "Invalid pageSize or cursor.", "bad.request")
        size = min(size, self.config.page_caps.get(dataset.name, size))
        page = entities[offset: offset + size]
        body: dict[str, Any] = {"entities": page, "selfUri": _uri(request.path, request.query), "total": len(entities)}
        if offset + size < len(entities):
            body["nextUri"] = _uri(request.path, request.query, after=_cursor(offset + size), before=None)
        if offset > 0:
            body["previousUri"] = _uri(request.path, request.query, before=_cursor(offset), after=None)
        return Reply(200, body)

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.counts[(path, status)] += 1


def _unexpanded(deployment: dict[str, Any]) -> dict[str, Any]:
    """Without expand=Configuration a deployment names its configuration version, nothing more."""
    config = deployment.get("configuration")
    if not isinstance(config, dict):
        return deployment
    ref = {k: config[k] for k in ("id", "name", "version", "selfUri") if k in config}
    return {**deployment, "configuration": ref}


def _handler_for(api: FakePlatformApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so the client's connection pooling is exercised
        server_version = "fake-genesys"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read the counters
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes: without this, Nagle's algorithm and
            # delayed ACKs add ~40 ms to every keep-alive response.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                reply = api.handle(self.command, self.path, headers, body)
            except Exception as exc:  # a bug in a fault or the fake: answer like the API would
                api.errors.append(exc)
                reply = error_reply(500)
            correlation = str(uuid.uuid4())
            if isinstance(reply.body, dict) and "contextId" in reply.body:
                reply.body["contextId"] = correlation
            payload = reply.payload()
            if reply.delay > 0:
                time.sleep(reply.delay)
            if reply.reset:
                api.record(urlsplit(self.path).path, 0)
                # Linger 0: closing sends RST, which the client sees as "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                return
            api.record(urlsplit(self.path).path, reply.status)
            if reply.drip_headers > 0:
                head = (f"HTTP/1.1 {reply.status} OK\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(payload)}\r\nX-Padding: {'p' * 3000}\r\n\r\n").encode()
                if self._drip(head, reply.drip_headers):
                    with contextlib.suppress(OSError):
                        self.wfile.write(payload)
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.headers.pop("Content-Type", "application/json"))
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("ININ-Correlation-Id", correlation)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.truncate_to is not None:
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(payload[: reply.truncate_to])
                self.wfile.flush()
                self.close_connection = True
                return
            self.end_headers()
            if reply.drip > 0:
                self._drip(payload, reply.drip)
                return
            self.wfile.write(payload)

        def _drip(self, payload: bytes, interval: float) -> bool:
            """Send `payload` a byte at a time; False when the client hung up first."""
            self.close_connection = True
            try:
                for index in range(len(payload)):
                    self.wfile.write(payload[index:index + 1])
                    self.wfile.flush()
                    time.sleep(interval)
            except OSError:  # the client gave up: so does the drip
                return False
            return True

        do_GET = _serve
        do_POST = _serve
        do_PUT = _serve
        do_DELETE = _serve

    return Handler
