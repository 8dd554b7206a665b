"""Issue 23, class 4: collection never reports "ok" for a listing whose end it did not see, every
dataset has an overall bound on calls, and a Retry-After pause never runs past a call's retry budget."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from auditor.snapshot import load_snapshot
from auditor.sources.collectors import client as client_module
from auditor.sources.collectors import paging
from auditor.sources.collectors.client import RetryPolicy
from auditor.sources.collectors.ratelimit import PastDeadline, RateLimiter
from auditor.testing.fake_api import FakePlatformApi, FakeRequest, Fault, Reply, error_reply
from tests.sources.collectors.conftest import FAST, collect_from
from tests.sources.collectors.test_ratelimit import FakeClock


def test_a_listing_that_reaches_the_page_cap_fails_its_dataset(fake_api, tmp_path: Path, monkeypatch) -> None:
    """The demo org's queues take 3 pages of 2: with a cap of 2 pages the end was never seen."""
    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    api = fake_api(page_caps={"queues": 2})
    result = collect_from(api, tmp_path / "snap")
    status = result.manifest.datasets["queues"]
    assert status.status == "error"
    assert "paging.limit" in str(status.error_code)
    assert not result.complete


@dataclasses.dataclass
class EndlessNextUri(Fault):
    """Every OAuth client listing answers with one more page behind a fresh `nextUri`."""

    served: int = 0

    def after(self, api: FakePlatformApi, request: FakeRequest, reply: Reply) -> Reply:
        if request.dataset is None or request.dataset.name != "oauth_clients" or reply.status != 200:
            return reply
        self.served += 1
        body = dict(reply.body)
        body["nextUri"] = f"/api/v2/oauth/clients?page={self.served}"
        return dataclasses.replace(reply, body=body)


def test_an_endless_next_uri_fails_its_dataset(fake_api, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(paging, "MAX_PAGES", 5)
    api = fake_api(faults=[EndlessNextUri()])
    result = collect_from(api, tmp_path / "snap")
    status = result.manifest.datasets["oauth_clients"]
    assert status.status == "error", status
    assert "paging.limit" in str(status.error_code)


def test_every_dataset_has_an_overall_bound_on_calls(fake_api, tmp_path: Path, monkeypatch) -> None:
    """queue_members is one listing per queue: 6 queues need at least 6 calls; bound at 4."""
    monkeypatch.setattr(client_module, "MAX_CALLS_PER_DATASET", 4)
    api = fake_api()
    result = collect_from(api, tmp_path / "snap")
    status = result.manifest.datasets["queue_members"]
    assert status.status == "error"
    assert "call.limit" in str(status.error_code)
    assert status.calls <= 4
    assert api.calls("/api/v2/routing/queues/") <= 4 * 2 + 10  # members and wrap-up codes, each bounded


def test_the_call_bound_is_far_above_a_real_org() -> None:
    assert client_module.MAX_CALLS_PER_DATASET >= 200_000


# --- Retry-After within the retry budget ---------------------------------------------------------


def test_the_limiter_refuses_a_wait_past_the_deadline_without_sleeping() -> None:
    clock = FakeClock()
    limiter = RateLimiter(600, clock=clock, sleep=clock.sleep)
    limiter.pause(120.0)
    with pytest.raises(PastDeadline):
        limiter.acquire(deadline=clock() + 5.0)
    assert clock() == 1000.0  # no sleep at all
    assert limiter.acquire(deadline=clock() + 200.0) == 120.0  # a wait within the deadline is taken


@dataclasses.dataclass
class LongRetryAfter(Fault):
    """Every roles call answered 429 with a Retry-After far longer than the retry budget."""

    seconds: int = 3600

    def before(self, api: FakePlatformApi, request: FakeRequest) -> Reply | None:
        if request.dataset is not None and request.dataset.name == "roles":
            reply = error_reply(429)
            reply.headers["Retry-After"] = str(self.seconds)
            return reply
        return None


def test_a_retry_after_past_the_budget_ends_the_call_at_once(fake_api, tmp_path: Path) -> None:
    """Retry-After: 3600 with a 2 s budget (the cap on Retry-After is 180 s): before the fix the
    worker slept 180 s before its next attempt; now `roles` fails with `retry.budget`."""
    options = dataclasses.replace(FAST, retry=RetryPolicy(attempts=6, max_seconds=2, backoff_base=0.01,
                                                          backoff_max=0.05))
    api = fake_api(faults=[LongRetryAfter()])
    result = _collect_with_timeout(api, tmp_path / "snap", options, seconds=60)
    status = result.manifest.datasets["roles"]
    assert status.status == "error"
    assert "retry.budget" in str(status.error_code)
    assert status.calls == 1  # the one 429; no attempt after it


def _collect_with_timeout(api: Any, out: Path, options: Any, seconds: float) -> Any:
    """Collect in a thread; a hang (the defect) fails the test instead of blocking the suite."""
    import threading

    box: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: box.update(result=collect_from(api, out, options)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the collection waited out the Retry-After past its retry budget"
    return box["result"]


def test_a_snapshot_with_a_failed_listing_loads_with_that_dataset_unavailable(fake_api, tmp_path: Path,
                                                                                monkeypatch) -> None:
    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    result = collect_from(fake_api(page_caps={"queues": 2}), tmp_path / "snap")
    if result.path is not None:
        snapshot = load_snapshot(result.path)
        assert not snapshot.manifest.datasets["queues"].available
