"""One token bucket shared by every worker, so the whole collection stays under the per-token limit.

Genesys limits a client-credentials token to 300 requests per minute (fact sheet §7.1). Pacing
requests here keeps 429s rare; when one does arrive with `Retry-After`, `pause()` holds back every
worker, not just the one that was refused, because the limit is per token, not per connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEFAULT_RATE_PER_MINUTE = 300.0


class PastDeadline(Exception):
    """The wait for a request slot (a Retry-After pause, mostly) would end after the caller's deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the wait of {seconds:.1f} s would run past the deadline")
        self.seconds = seconds


class RateLimiter:
    """Generic cell rate algorithm: a token bucket expressed as one "theoretical arrival time".

    `burst` requests may go out back to back after an idle spell; after that, one request every
    60/rate seconds. Reservations are made under the lock and slept outside it, so waiting workers
    never block each other's bookkeeping.
    """

    def __init__(
        self,
        rate_per_minute: float = DEFAULT_RATE_PER_MINUTE,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_minute <= 0:
            raise ValueError("rate_per_minute must be positive")
        self.rate_per_minute = rate_per_minute
        self.interval = 60.0 / rate_per_minute
        # Two seconds' worth of requests: enough to fill the worker pool, small enough that a
        # burst never eats a noticeable share of the server's one-minute window.
        self.burst = burst if burst is not None else max(1, int(rate_per_minute / 30))
        self._tolerance = self.interval * (self.burst - 1)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tat = clock()
        self._pause_until = 0.0
        self.pauses = 0

    def acquire(self, deadline: float | None = None) -> float:
        """Block until one request may be sent; return the seconds waited. With a `deadline` (on the
        limiter's clock), raise PastDeadline at once, reserving nothing, when the wait would end after it."""
        waited = 0.0
        with self._lock:
            now = self._clock()
            start = max(now, self._tat - self._tolerance, self._pause_until)
            if deadline is not None and start > deadline:
                raise PastDeadline(start - now)
            self._tat = max(self._tat, start) + self.interval
        if start > now:
            self._sleep(start - now)
            waited += start - now
        # A pause may have begun while this worker slept on its reservation.
        while True:
            with self._lock:
                now = self._clock()
                remaining = self._pause_until - now
            if remaining <= 0:
                return waited
            if deadline is not None and self._pause_until > deadline:
                raise PastDeadline(remaining)
            self._sleep(remaining)
            waited += remaining

    def pause(self, seconds: float) -> None:
        """Hold every worker back for `seconds` (a 429's Retry-After), then resume at the steady rate."""
        if seconds <= 0:
            return
        with self._lock:
            until = self._clock() + seconds
            if until > self._pause_until:
                self._pause_until = until
                self.pauses += 1
            # No burst right after a 429: the server's window has just told us it is full.
            self._tat = max(self._tat, until + self._tolerance)
