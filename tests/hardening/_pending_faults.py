"""Fault modes for the fault-injection matrix, staged here until they move into auditor.testing.fake_api."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from auditor.snapshot import DATASETS
from auditor.testing import factories as f
from auditor.testing.fake_api import Fault, FakePlatformApi, FakeRequest, Reply, error_reply

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
class ResetConnection(_Window):
    """The connection is reset (RST) before any byte of the answer."""

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        return Reply(reset=True) if self.hit(request) else None  # type: ignore[call-arg]


@dataclass
class Slow(_Window):
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
class PageDrift(Fault):
    """Just before page `page` of `dataset` is served (once), a queue is added at the front of the
    listing or the first one is deleted: the pages already served no longer line up."""

    dataset: str = "queues"
    page: int = 2
    action: str = "add"  # or "remove"
    added: dict[str, Any] = field(default_factory=lambda: f.queue("Aaa Added While Paging"))
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
