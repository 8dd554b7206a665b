"""One GET against the Platform API: paced by the shared limiter, retried when transient.

Retries: 429, 500, 502, 503, 504 and connection-level failures (reset, timeout, truncated body) are
retried with jittered exponential backoff, bounded both in attempts and in total seconds. A 429
with `Retry-After` pauses every worker through the limiter. A 401 means the token expired: log in
again and repeat (up to TOKEN_REFRESHES times per call). A 403 (or any other 4xx) is final:
retrying cannot grant a permission.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay
from tenacity.wait import wait_exponential

from auditor import __version__
from auditor.safety.redaction import redacted_headers
from auditor.sources.collectors.auth import TokenProvider
from auditor.sources.collectors.bounded import BoundedAdapter, CrossHostRedirect, ResponseTooLarge, bounded_request
from auditor.sources.collectors.errors import (
    RETRY_STATUSES,
    ApiError,
    api_error,
    correlation_id,
    retry_after_seconds,
)
from auditor.sources.collectors.ratelimit import PastDeadline, RateLimiter
from auditor.sources.collectors.regions import Region

log = logging.getLogger(__name__)

#: Failures below the HTTP layer that a second attempt may well not see.
CONNECTION_ERRORS: tuple[type[Exception], ...] = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


#: Token renewals one call may trigger before its 401 is final.
TOKEN_REFRESHES = 3
#: Calls one dataset may make in all. A real 50,000-queue org needs about 110,000 for its biggest
#: dataset (a members page or two per queue, docs/live-collection.md); 1,000,000 is ~55 hours at
#: the 300/min per-token rate, so it only ever stops a server that makes every listing endless.
MAX_CALLS_PER_DATASET = 1_000_000


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    max_seconds: float = 300.0
    #: First backoff ceiling; doubles per attempt. "Equal jitter": a random wait in [ceiling/2,
    #: ceiling], so that a burst of workers spreads out yet every retry waits at least half the
    #: ceiling (full jitter can draw near-zero waits in a row and spend every attempt inside one
    #: rate-limit window).
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    #: The gc CLI caps Retry-After at 180 s too.
    max_retry_after: float = 180.0


def backoff_seconds(policy: RetryPolicy, state: RetryCallState) -> float:
    """The wait before the next attempt when nothing said how long: equal jitter on a doubling
    ceiling (see `RetryPolicy.backoff_base`)."""
    ceiling = wait_exponential(multiplier=policy.backoff_base, max=policy.backoff_max)(state)
    return ceiling / 2 + random.uniform(0.0, ceiling / 2)  # jitter, not secrecy


@dataclass
class CallStats:
    """Counters for one dataset, shared by the workers fetching it; also its bound on calls."""

    calls: int = 0
    retries: int = 0
    throttled: int = 0
    #: Calls (attempts, retries and re-logins' repeats included) one dataset may send in all.
    limit: int = field(default_factory=lambda: MAX_CALLS_PER_DATASET)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, calls: int = 0, retries: int = 0, throttled: int = 0) -> None:
        with self._lock:
            self.calls += calls
            self.retries += retries
            self.throttled += throttled

    def take_call(self, method: str, path: str) -> None:
        """Count one call about to be sent, or refuse it past the dataset's bound: each listing is
        bounded in pages, but a server can make every one of 50,000 per-queue listings long."""
        with self._lock:
            if self.calls >= self.limit:
                raise ApiError(method, path, None, "call.limit",
                               f"the dataset reached its bound of {self.limit} API calls; it is not written "
                               "rather than written incomplete")
            self.calls += 1


class _Transient(Exception):
    """A response worth another attempt; becomes an ApiError when the attempts run out."""

    def __init__(self, error: ApiError, paused: bool = False) -> None:
        super().__init__(str(error))
        self.error = error
        #: True when a Retry-After already paused every worker: no backoff on top of it.
        self.paused = paused


def _redacted(headers: Mapping[str, str]) -> dict[str, str]:
    return redacted_headers(headers)


class ApiClient:
    def __init__(self, region: Region, tokens: TokenProvider, limiter: RateLimiter,
                 retry: RetryPolicy | None = None, session: requests.Session | None = None,
                 pool_size: int = 10, timeout: tuple[float, float] = (10.0, 60.0)) -> None:
        self.region = region
        self.tokens = tokens
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.session = session or new_session(pool_size)

    def url(self, path_or_uri: str) -> str:
        """Absolute URL on the API host. A `nextUri` is reduced to path+query first, so a token is
        never sent to whatever host a response might name."""
        parts = urlsplit(path_or_uri)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.region.api_base + path

    def get(self, path: str, params: Mapping[str, Any] | None = None, stats: CallStats | None = None) -> Any:
        return self.request("GET", path, params, None, stats)

    def post(self, path: str, body: Any, stats: CallStats | None = None) -> Any:
        """A POST of a read-only query (the analytics aggregates): retried like a GET, because
        running the same query twice changes nothing."""
        return self.request("POST", path, None, body, stats)

    def request(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any,
                stats: CallStats | None = None) -> Any:
        stats = stats or CallStats()
        # The retry budget bounds the whole call, waits and slow answers included: no attempt may
        # run past it (tenacity alone only looks at the clock between attempts).
        budget_ends = time.monotonic() + self.retry.max_seconds
        retrying = Retrying(
            retry=retry_if_exception_type((_Transient, *CONNECTION_ERRORS)),
            stop=stop_after_attempt(self.retry.attempts) | stop_after_delay(self.retry.max_seconds),
            wait=self._wait,
            before_sleep=lambda state: self._before_retry(method, path, state, stats),
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, path, params, body, stats, budget_ends)
        except _Transient as exc:
            log.warning("%s; retries exhausted", exc.error)
            raise exc.error from None
        except CONNECTION_ERRORS as exc:
            error = ApiError(method, path, None, type(exc).__name__, "connection failed")
            log.warning("%s; giving up", error)
            raise error from None

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome
        exc = outcome.exception() if outcome else None
        # After a Retry-After the limiter already holds every worker back: no backoff on top.
        paused = isinstance(exc, _Transient) and exc.paused
        wait = 0.0 if paused else backoff_seconds(self.retry, state)
        budget_left = self.retry.max_seconds - (state.seconds_since_start or 0.0)
        return max(0.0, min(wait, budget_left))

    def _before_retry(self, method: str, path: str, state: RetryCallState, stats: CallStats) -> None:
        stats.add(retries=1)
        exc = state.outcome.exception() if state.outcome else None
        what = str(exc.error) if isinstance(exc, _Transient) else f"{method} {path}: {type(exc).__name__}"
        log.info("%s; retry %d", what, state.attempt_number)

    def _send(self, method: str, url: str, params: Mapping[str, Any] | None, body: Any, token: str,
              stats: CallStats, budget_ends: float) -> requests.Response:
        # No wait past the budget: a Retry-After longer than what is left ends the call now.
        self.limiter.acquire(deadline=budget_ends)
        stats.take_call(method, urlsplit(url).path)
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        # --timeout bounds the whole answer (a body dripped a byte at a time too), and the retry
        # budget bounds the attempt; the body is capped in decoded size.
        deadline = min(time.monotonic() + self.timeout[1], budget_ends)
        response = bounded_request(self.session, method, url, params=params, json=body, headers=headers,
                                   timeout=self.timeout, deadline=deadline)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s params=%s headers=%s -> %s (correlation id %s)", method, url, dict(params or {}),
                      _redacted(headers), response.status_code, correlation_id(response))
        return response

    def _attempt(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any,
                 stats: CallStats, budget_ends: float) -> Any:
        try:
            return self._attempt_bounded(method, path, params, body, stats, budget_ends)
        except ResponseTooLarge as exc:
            raise self._final(ApiError(method, path, None, "response.too.large", str(exc))) from None
        except CrossHostRedirect as exc:
            # A listing answered by another server is not the org's data: an error for the dataset.
            raise self._final(ApiError(method, path, None, "redirect.refused", str(exc))) from None
        except requests.TooManyRedirects as exc:
            raise self._final(ApiError(method, path, None, "redirect.refused", str(exc))) from None
        except PastDeadline as exc:
            raise self._final(ApiError(method, path, 429, "retry.budget",
                                       f"the API asked to wait {exc.seconds:.0f} s more (Retry-After), past this "
                                       f"call's retry budget of {self.retry.max_seconds:g} s")) from None

    @staticmethod
    def _final(error: ApiError) -> ApiError:
        log.warning("%s", error)
        return error

    def _attempt_bounded(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any,
                         stats: CallStats, budget_ends: float) -> Any:
        url = self.url(path)
        token = self.tokens.token()
        response = self._send(method, url, params, body, token, stats, budget_ends)
        # Several tries, not one: with many workers, the token another worker just renewed can
        # itself expire before this worker's repeat is answered (seen in the fault matrix).
        for _ in range(TOKEN_REFRESHES):
            if response.status_code != 401:
                break
            log.info("%s %s: HTTP 401 (correlation id %s); refreshing the token",
                     method, path, correlation_id(response))
            token = self.tokens.refresh(token)
            response = self._send(method, url, params, body, token, stats, budget_ends)
        if 200 <= response.status_code < 300:
            try:
                return json.loads(response.content)
            except (ValueError, UnicodeDecodeError):
                # A 2xx with a cut-off body (a proxy or a dropped connection): worth another try.
                raise _Transient(ApiError(method, path, response.status_code, "invalid.json",
                                          "response body is not valid JSON", correlation_id(response))) from None
        error = api_error(method, path, response)
        if response.status_code in RETRY_STATUSES:
            transient = _Transient(error)
            if response.status_code == 429:
                stats.add(throttled=1)
                retry_after = retry_after_seconds(response)
                if retry_after is not None:
                    self.limiter.pause(min(retry_after, self.retry.max_retry_after))
                    transient.paused = True
            raise transient
        log.warning("%s", error)
        raise error


def new_session(pool_size: int) -> requests.Session:
    """One session for the whole run: keep-alive connections, one pool slot per worker."""
    session = requests.Session()
    # BoundedAdapter: requests' own, with pools that let a deadline cut a request waiting for headers.
    adapter = BoundedAdapter(pool_connections=2, pool_maxsize=max(pool_size, 1), max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = f"gcaudit/{__version__}"
    return session
