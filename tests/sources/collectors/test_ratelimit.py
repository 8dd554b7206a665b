"""The shared token bucket, on a simulated clock (no real sleeping, no timed assertions)."""

from __future__ import annotations

import threading

from auditor.sources.collectors.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_paces_requests_at_the_configured_rate_after_the_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=3, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(6):
        limiter.acquire()
        starts.append(clock() - 1000.0)
    # Three back to back, then one per second (60/min).
    assert starts == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]


def test_default_is_300_per_minute_with_a_small_burst() -> None:
    limiter = RateLimiter()
    assert limiter.rate_per_minute == 300
    assert limiter.interval == 0.2
    assert limiter.burst == 10


def test_pause_holds_back_the_next_requests_then_resumes_without_a_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(600, burst=5, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.pause(4.0)  # a 429 with Retry-After: 4 seen by some worker
    waited = limiter.acquire()
    assert waited == 4.0
    limiter.acquire()
    # Steady rate (0.1 s) right after the pause: no burst into a window the server said is full.
    assert round(clock() - 1000.0, 6) == 4.1
    assert limiter.pauses == 1


def test_a_shorter_retry_after_does_not_shorten_a_pause() -> None:
    clock = FakeClock()
    limiter = RateLimiter(600, clock=clock, sleep=clock.sleep)
    limiter.pause(5.0)
    limiter.pause(1.0)
    assert limiter.acquire() == 5.0


def test_a_worker_already_waiting_on_its_reservation_honours_a_pause_that_starts_meanwhile() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=1, clock=clock, sleep=clock.sleep)
    limiter.acquire()

    def sleep_and_get_paused(seconds: float) -> None:
        clock.sleep(seconds)
        if not paused:
            paused.append(True)
            limiter.pause(10.0)  # another worker got a 429 while this one slept

    paused: list[bool] = []
    limiter._sleep = sleep_and_get_paused
    limiter.acquire()
    assert clock() - 1000.0 >= 11.0  # 1 s reservation, then the whole 10 s pause


def test_backoff_waits_at_least_half_of_a_doubling_ceiling() -> None:
    from tenacity import RetryCallState

    from auditor.sources.collectors.client import RetryPolicy, backoff_seconds

    policy = RetryPolicy(backoff_base=0.5, backoff_max=4.0)
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)]:
        state.attempt_number = attempt
        waits = [backoff_seconds(policy, state) for _ in range(200)]
        # Never the near-zero waits of full jitter, never above the ceiling, and still spread out.
        assert ceiling / 2 <= min(waits) and max(waits) <= ceiling
        assert len(set(waits)) > 100
